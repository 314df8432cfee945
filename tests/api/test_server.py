"""The plain API and the guard in front of the page, against the real app in its own process."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.evals.load import QUESTIONS, expected_answers, run_clients
from tests.ui.conftest import start_app

pytestmark = [pytest.mark.integration]
USER, PASSWORD = "robin", "tea and biscuits"


@pytest.fixture(scope="module")
def open_app(
    sample_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """No sign-in, uploads off; yields its URL and its data folder."""
    base = tmp_path_factory.mktemp("open-app")
    corpus = base / "corpus"
    corpus.mkdir()
    url, proc = start_app(base, corpus, sample_index, "--no-uploads")
    yield url.rstrip("/"), base / "data"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def signed_app(
    sample_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """Sign-in required, a lock-out of 2 s after 3 failures; yields its URL and its log."""
    base = tmp_path_factory.mktemp("signed-app")
    corpus = base / "corpus"
    corpus.mkdir()
    users = base / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    env = {
        "ASSISTANT_LOGIN_FAILURES": "3",
        "ASSISTANT_LOGIN_LOCKOUT_SECONDS": "2",
        "ASSISTANT_LOGIN_LOCKOUT_MAX_SECONDS": "3",
    }
    url, proc = start_app(base, corpus, sample_index, "--auth-file", str(users), env=env)
    yield url.rstrip("/"), base / "app.log"
    proc.terminate()
    proc.wait(timeout=30)


def test_ask_returns_what_ask_json_prints(
    open_app: tuple[str, Path], sample_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    url, _ = open_app
    question = QUESTIONS[0]
    body = {"question": question, "areas": ["Stockton-on-Tees"], "types": ["JTAI"]}
    reply = httpx.post(f"{url}/api/ask", json=body, timeout=60)
    assert reply.status_code == 200, reply.text
    args = ["ask", question, "--json", "--area", "Stockton-on-Tees", "--type", "JTAI"]
    assert main([*args, "--index", str(sample_index)]) == 0
    printed = json.loads(capsys.readouterr().out)
    got = reply.json()
    assert got.keys() == printed.keys()
    got.pop("timings_ms"), printed.pop("timings_ms")
    assert got == printed
    assert got["citations"] and not got["abstained"]


def test_letters_health_and_the_schema(open_app: tuple[str, Path]) -> None:
    url, _ = open_app
    letters = httpx.get(f"{url}/api/letters").json()
    assert {x["id"] for x in letters} >= {"area-send-hartlepool-2023-05"}
    hartlepool = next(x for x in letters if x["id"] == "area-send-hartlepool-2023-05")
    assert (hartlepool["area"], hartlepool["type"]) == ("Hartlepool", "area SEND")
    assert hartlepool["inspected_from"] <= hartlepool["inspected_to"]
    assert all(x["published"] or x["inspected_from"] for x in letters)
    assert [
        x["id"] for x in httpx.get(f"{url}/api/letters", params={"find": "send 2023"}).json()
    ] == ["area-send-hartlepool-2023-05"]
    assert letters[0]["uploaded"] is False and letters[0]["pages"] > 0
    history = httpx.get(f"{url}/api/history/stockton").json()  # as people name it
    assert [h["doc"] for h in history] == [  # oldest first, as the history command prints
        "jtai-stockton-on-tees-2018-01",
        "ilacs-stockton-on-tees-2023-05",
    ]
    assert history[1]["overall"] and history[1]["facts"][0]["page"] >= 1
    missing = httpx.get(f"{url}/api/history/Atlantis")
    assert missing.status_code == 404 and "no letters for Atlantis" in missing.text
    health = httpx.get(f"{url}/api/health").json()
    assert health["ok"] and health["documents"] == len(letters) and health["index_version"]
    schema = httpx.get(f"{url}/api/openapi.json").json()
    assert {"/api/ask", "/api/letters", "/api/history/{area}", "/api/health"} <= set(
        schema["paths"]
    )
    ask_schema = json.dumps(schema["components"]["schemas"])
    assert '"maxItems": 50' in ask_schema and '"maxLength": 1000' in ask_schema
    assert httpx.get(f"{url}/").status_code == 200  # the page is still there


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "Who inspected Hartlepool?", "areas": ["z" * 10] * 60}, "areas"),
        ({"question": "Who inspected Hartlepool?", "areas": ["z" * 1000]}, "areas[0]"),
        ({"question": "Who inspected Hartlepool?", "types": "JTAI"}, "types"),
        ({"question": 12}, "question"),
        ({"question": "Who inspected Hartlepool?", "year_from": "soon"}, "year_from"),
        ({"question": "Who inspected Hartlepool?", "mode": "psychic"}, "mode"),
        ({"question": "Who inspected Hartlepool?", "mode": "llm"}, "mode"),  # none configured
        ({"question": "?!"}, "question"),
        ({"question": "Who inspected Hartlepool?", "conversation": [{}] * 21}, "conversation"),
    ],
)
def test_a_bad_request_is_refused_at_once_naming_the_field(
    open_app: tuple[str, Path], body: dict[str, object], field: str
) -> None:
    url, _ = open_app
    began = time.perf_counter()
    reply = httpx.post(f"{url}/api/ask", json=body, timeout=60)
    assert time.perf_counter() - began < 2.0
    assert reply.status_code == 422, reply.text
    assert reply.json()["detail"].startswith(f"{field}: "), reply.json()


def test_a_body_larger_than_any_valid_request_is_refused_unread(
    open_app: tuple[str, Path],
) -> None:
    url, _ = open_app
    body = {"question": "Who inspected Hartlepool?", "areas": ["z" * 1000] * 5000}
    began = time.perf_counter()
    reply = httpx.post(f"{url}/api/ask", json=body, timeout=60)
    assert time.perf_counter() - began < 2.0
    assert reply.status_code == 413 and "request body over" in reply.json()["detail"]


def test_the_page_api_refuses_the_same_requests(open_app: tuple[str, Path]) -> None:
    from gradio_client import Client

    url, _ = open_app
    client = Client(url + "/", verbose=False)
    began = time.perf_counter()
    with pytest.raises(Exception, match="areas: at most 50 items"):
        client.predict("Who inspected Hartlepool?", ["w" * 1000] * 5000, api_name="/ask")
    with pytest.raises(Exception, match="types: expected a list"):
        client.predict("Who inspected Hartlepool?", None, "JTAI", api_name="/ask")
    assert time.perf_counter() - began < 10.0
    reply = client.predict(QUESTIONS[2], ["Hartlepool"], None, 2023, 2023, api_name="/ask")
    assert {c["doc"] for c in reply["citations"]} == {"area-send-hartlepool-2023-05"}


def test_with_uploads_off_no_file_body_is_accepted(open_app: tuple[str, Path]) -> None:
    url, data = open_app
    files = {"files": ("letter.pdf", b"%PDF-1.4 " + b"x" * 200_000, "application/pdf")}
    reply = httpx.post(f"{url}/gradio_api/upload", files=files, timeout=30)
    assert reply.status_code == 403, reply.text
    temp = data / "gradio-temp"
    assert temp.is_dir() and not [p for p in temp.rglob("*") if p.is_file()]


def test_ten_clients_at_once_get_their_own_answers(open_app: tuple[str, Path]) -> None:
    url, _ = open_app
    expected = expected_answers(url, QUESTIONS)
    row = run_clients(url, "api", clients=10, seconds=6.0, expected=expected)
    assert row.errors == 0, row.problems
    assert row.requests >= 20


def test_the_api_needs_a_user_and_backs_off_after_wrong_passwords(
    signed_app: tuple[str, Path],
) -> None:
    url, log = signed_app
    assert httpx.get(f"{url}/api/health").status_code == 401
    assert httpx.get(f"{url}/api/health", auth=(USER, PASSWORD)).status_code == 200
    statuses = [
        httpx.get(f"{url}/api/letters", auth=(USER, f"guess {n}")).status_code for n in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    refused = httpx.get(f"{url}/api/health", auth=(USER, PASSWORD))  # right, but locked out
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    time.sleep(2.2)
    assert httpx.get(f"{url}/api/health", auth=(USER, PASSWORD)).status_code == 200
    text = log.read_text()
    assert f"API sign-in failed for user '{USER}'" in text and "guess" not in text


def test_the_page_sign_in_backs_off_after_wrong_passwords(signed_app: tuple[str, Path]) -> None:
    from gradio_client import Client

    url, log = signed_app
    started = time.monotonic()
    statuses = [
        httpx.post(f"{url}/login", data={"username": "mallory", "password": f"pw{n}"}).status_code
        for n in range(200)
    ]
    elapsed = time.monotonic() - started
    assert statuses[:4] == [400, 400, 400, 429]
    # 3 tries, then a lock-out of at least 2 s: however slow the machine, no more tries than that.
    assert statuses.count(400) <= 3 * (1 + int(elapsed / 2)), (elapsed, statuses)
    # Wait for a fresh lock-out to begin (a counted failure, then a refusal), so the right
    # password below is sent at its start, not in the last moment of an old one.
    last = 0
    while True:
        status = httpx.post(
            f"{url}/login", data={"username": "mallory", "password": "x"}
        ).status_code
        if last == 400 and status == 429:
            break
        last = status
    right = httpx.post(f"{url}/login", data={"username": USER, "password": PASSWORD})
    assert right.status_code == 429  # the right password waits out the lock-out too
    time.sleep(int(right.headers["retry-after"]) + 0.2)
    reply = Client(url + "/", auth=(USER, PASSWORD), verbose=False).predict(
        QUESTIONS[3], api_name="/ask"
    )
    assert reply["citations"]
    text = log.read_text()
    assert "page sign-in failed for user 'mallory'" in text and "pw1" not in text
    # Uploads stay behind the sign-in.
    assert (
        httpx.post(f"{url}/gradio_api/upload", files={"files": ("a.txt", b"hi")}).status_code == 401
    )
    shutil.rmtree(log.parent / "data" / "gradio-temp", ignore_errors=True)
