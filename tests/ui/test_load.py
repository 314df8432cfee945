"""Load: 20 clients ask through the API at once while a letter is added through the real page.

Every reply is checked against its own question (no errors, no answers crossed between clients),
the added letter must answer afterwards, and the latency figures are printed and written to
test-artifacts/load.json (p50, p95, requests per second).
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.evals.load import Tally
from assistant.evals.metrics import percentile
from tests.conftest import ROOT, corpus_pdf
from tests.ui.conftest import start_app

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.integration]
CLIENTS = 20
WARM_UP_S = 5.0  # clients ask alone before the upload starts
AFTER_S = 5.0  # and go on this long after it has finished
# Each question, a phrase its answer must hold, and the only letters it may cite.
QUESTIONS = [
    (
        "How many children attended their child protection conference in Stockton?",
        "eight of 222",
        {"jtai-stockton-on-tees-2018-01"},
    ),
    (
        "What was the overall effectiveness judgement in Stockton's 2023 ILACS?",
        "Requires improvement",
        {"ilacs-stockton-on-tees-2023-05"},
    ),
    (
        "What works well for children with SEND in Hartlepool?",
        "positive experiences",
        {"area-send-hartlepool-2023-05"},
    ),
    (
        "What did inspectors find about dentists and neglect in Stockton?",
        "dentists",
        {"jtai-stockton-on-tees-2018-01"},
    ),
    (
        "What did the focused visit to Plymouth find?",
        "Plymouth",
        {"focused-visit-plymouth-2023-01"},
    ),
]
ADDED = "jtai-durham-2018-08"  # uploaded as a download would name it, mid-load
ADDED_QUESTION = "What were the findings of the joint targeted area inspection in Durham?"


def check(reply: dict[str, object], phrase: str, docs: set[str]) -> str | None:
    """Why a reply does not belong to its question, or None when it does."""
    cited = {str(c["doc"]) for c in reply["citations"]}  # type: ignore[attr-defined]
    if reply["abstained"] or not cited:
        return "abstained"
    if not cited <= docs:
        return f"cited {sorted(cited - docs)}"
    if phrase.lower() not in str(reply["answer"]).lower():
        return f"no '{phrase}'"
    return None


def client_loop(url: str, offset: int, stop: threading.Event, tally: Tally) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    turn = offset
    while not stop.is_set():
        question, phrase, docs = QUESTIONS[turn % len(QUESTIONS)]
        turn += 1
        began = time.perf_counter()
        try:
            reply = client.predict(question, api_name="/ask")
            problem = check(reply, phrase, docs)
        except Exception as exc:  # every failure is counted
            problem = f"{type(exc).__name__}: {exc}"
        tally.add(time.perf_counter() - began, problem and f"{question!r}: {problem}")


@pytest.fixture(scope="module")
def loaded_server(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("load")
    index = base / "index"
    shutil.copytree(sample_index, index, symlinks=True)  # the app adds to this copy
    corpus = base / "corpus"
    corpus.mkdir()
    url, proc = start_app(base, corpus, index)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_twenty_clients_with_an_upload_in_the_middle(
    loaded_server: str, browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    url = loaded_server
    before = Client(url, verbose=False).predict(ADDED_QUESTION, api_name="/ask")
    assert before["abstained"]  # the letter is not held yet

    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=client_loop, args=(url, n, stop, tally), daemon=True)
        for n in range(CLIENTS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(WARM_UP_S)

    download = tmp_path / "report (3).pdf"
    shutil.copy(corpus_pdf(ADDED), download)
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.click("text=Add letters")
    page.set_input_files("#upload input[type=file]", [str(download)])
    page.wait_for_timeout(1500)
    upload_began = time.perf_counter()
    page.click("#add")
    page.wait_for_function(
        "() => document.querySelector('#added').innerText.includes('Added')", timeout=300_000
    )
    upload_s = time.perf_counter() - upload_began
    added = page.inner_text("#added")
    page.close()
    time.sleep(AFTER_S)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    after = Client(url, verbose=False).predict(ADDED_QUESTION, api_name="/ask")
    figures = {
        "clients": CLIENTS,
        "requests": len(tally.latencies),
        "errors": len(tally.problems),
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(tally.latencies) / elapsed, 1),
        "p50_s": round(percentile(tally.latencies, 50), 2),
        "p95_s": round(percentile(tally.latencies, 95), 2),
        "upload_s": round(upload_s, 1),
    }
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "load.json").write_text(json.dumps(figures, indent=2))
    with capsys.disabled():
        print("\nload:", ", ".join(f"{k} {v}" for k, v in figures.items()))

    assert not any(t.is_alive() for t in threads), "a client never got its reply"
    assert not tally.problems, tally.problems[:5]
    assert len(tally.latencies) >= 2 * CLIENTS  # every client asked more than once
    assert "Added report (3) (Durham, JTAI, " in added, added
    assert {c["doc"] for c in after["citations"]} == {"report (3)"}, after["answer"]
