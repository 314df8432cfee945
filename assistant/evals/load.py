"""``python -m assistant bench --load N [N ...]``: many clients at once against the real app (its
own process), through the page's Gradio API (``/ask``, ``gradio_client``) and the plain API
(``POST /api/ask``), each for a fixed time. Every reply must be the one its question got when
asked alone (no errors, no answers crossed between clients); the figures are printed as a table.
The clients run in this process, on the same machine, so on a small one they take CPU from the
server: the figures are a floor.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.evals.bench import ROOT, free_port
from assistant.evals.metrics import percentile

# Asked in turn by every client (written for this bench); each is answered from one of the
# shipped letters that the tests' small index holds too.
QUESTIONS = (
    "What did inspectors say about dental care for neglected children in Stockton-on-Tees?",
    "How were the overall services for children in Stockton-on-Tees judged in 2023?",
    "What are waiting times like for an autism assessment in Hartlepool?",
    "Which part of children's services did the 2023 Plymouth focused visit look at?",
    "How well do schools in Stockton-on-Tees recognise neglect?",
    "What must Hartlepool's partnership do better for young people with SEND?",
)
APIS = ("page", "api")
Ask = Callable[[str], dict[str, Any]]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if problem:
                self.problems.append(problem)


@dataclass(frozen=True)
class Row:
    api: str
    clients: int
    requests: int
    errors: int
    p50_s: float
    p95_s: float
    per_s: float
    problems: tuple[str, ...] = ()


@contextmanager
def serve(index: Path, extra: Sequence[str] = ()) -> Iterator[str]:
    """The real app on a free port (uploads off, a scratch data folder), until it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="load-") as data:
        env = {
            **os.environ,
            "ASSISTANT_DATA_DIR": data,
            "GRADIO_ANALYTICS_ENABLED": "False",
            "HF_HUB_OFFLINE": "1",
        }
        log = Path(data) / "app.log"
        with log.open("w") as out:
            command = [sys.executable, str(ROOT / "app.py"), "--port", str(port)]
            proc = subprocess.Popen(
                [*command, "--index", str(index), "--no-uploads", *extra],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    urllib.request.urlopen(f"{url}/", timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            "the app did not start: " + log.read_text()[-2000:]
                        ) from None
                    time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=60)


def plain_asker(url: str) -> Ask:
    import httpx

    client = httpx.Client(base_url=url, timeout=120)

    def ask(question: str) -> dict[str, Any]:
        response = client.post("/api/ask", json={"question": question, "mode": "grounded"})
        response.raise_for_status()
        return dict(response.json())

    return ask


def page_asker(url: str) -> Ask:
    from gradio_client import Client

    client = Client(url + "/", verbose=False)

    def ask(question: str) -> dict[str, Any]:
        return dict(
            client.predict(question, None, None, None, None, "Any", "grounded", api_name="/ask")
        )

    return ask


ASKERS: dict[str, Callable[[str], Ask]] = {"page": page_asker, "api": plain_asker}


def expected_answers(url: str, questions: Sequence[str]) -> dict[str, str]:
    """Each question's answer asked alone, through both APIs (which must agree)."""
    plain, page = plain_asker(url), page_asker(url)
    answers = {}
    for question in questions:
        alone = plain(question)["answer"]
        through_page = page(question)["answer"]
        if alone != through_page:
            raise RuntimeError(f"the two APIs answer {question!r} differently")
        answers[question] = alone
    return answers


def run_clients(
    url: str,
    api: str,
    clients: int,
    seconds: float,
    expected: dict[str, str],
    think: float = 0.0,
) -> Row:
    """``clients`` threads asking in turn for ``seconds`` (``think`` seconds between a client's
    questions); a reply other than the question's own answer counts as an error."""
    questions = list(expected)
    tally, stop = Tally(), threading.Event()
    ready = threading.Barrier(clients + 1)

    def loop(offset: int) -> None:
        ask: Ask | None = None
        try:
            ask = ASKERS[api](url)
        except Exception as exc:  # a client that cannot connect is an error too
            tally.add(0.0, f"connecting: {type(exc).__name__}: {exc}")
        finally:
            ready.wait()
        if ask is None:
            return
        turn = offset
        while not stop.is_set():
            question = questions[turn % len(questions)]
            turn += 1
            began = time.perf_counter()
            try:
                reply = ask(question)
                problem = None if reply.get("answer") == expected[question] else "crossed"
            except Exception as exc:  # every failure is counted
                problem = f"{type(exc).__name__}: {str(exc)[:200]}"
            tally.add(time.perf_counter() - began, problem and f"{question!r}: {problem}")
            if think:
                stop.wait(think)

    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    elapsed = time.perf_counter() - started
    hung = sum(t.is_alive() for t in threads)
    times = tally.latencies or [0.0]
    return Row(
        api=api,
        clients=clients,
        requests=len(tally.latencies),
        errors=len(tally.problems) + hung,
        p50_s=round(percentile(times, 50), 2),
        p95_s=round(percentile(times, 95), 2),
        per_s=round(len(tally.latencies) / elapsed, 1),
        problems=tuple(tally.problems[:5]) + (f"{hung} clients never returned",) * bool(hung),
    )


def run_load(
    index: Path,
    client_counts: Sequence[int],
    seconds: float = 20.0,
    think: float = 0.0,
    apis: Sequence[str] = APIS,
    show: Callable[[str], None] | None = None,
) -> list[Row]:
    """Start the app on ``index`` and measure each API at each client count."""
    rows = []
    with serve(index) as url:
        expected = expected_answers(url, QUESTIONS)
        for api in apis:
            for clients in client_counts:
                row = run_clients(url, api, clients, seconds, expected, think)
                rows.append(row)
                if show:
                    show(table([row]).splitlines()[-1])
    return rows


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| API | clients | requests | errors | p50 | p95 | requests/s |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {"page": "page (/ask, gradio_client)", "api": "plain (POST /api/ask)"}
    lines += [
        f"| {names[r.api]} | {r.clients} | {r.requests} | {r.errors} | {r.p50_s:.2f} s "
        f"| {r.p95_s:.2f} s | {r.per_s} |"
        for r in rows
    ]
    return "\n".join(lines)
