"""``python -m assistant bench``: speed, memory and quality at the corpus's size and at scale,
with the naive LangChain baseline measured in the same run.

Every phase that builds or serves runs in its own process (the real CLI and app), so its time
and peak memory are its own: peak memory is the largest resident set of the process or any of
its reading workers (``wait4``'s ``ru_maxrss``). Figures are written to ``bench.json`` and
``bench.md``; nothing is asserted here (targets are read from the table).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.evals import runner
from assistant.evals.gold import GoldQuestion, load_gold
from assistant.evals.metrics import percentile, ratio
from assistant.retrieve.filters import Filters
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    output: str


# Runs the command as its child and writes [exit code, peak kB] to the file named first. A
# process's peak counts the memory of the process that started it, as it was when started (the
# kernel keeps the high-water mark across fork and exec), so the command is started from this
# small launcher rather than from the bench, which holds the model by then.
_LAUNCH = (
    "import json, os, subprocess, sys; p = subprocess.Popen(sys.argv[2:]); "
    "_, status, usage = os.wait4(p.pid, 0); "
    "open(sys.argv[1], 'w').write(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss]))"
)


def measure(command: Sequence[str], env: dict[str, str] | None = None) -> Measured:
    """Run a command to its end: wall time, and the peak resident memory of it or any child it
    waited for. Raises with its output when it fails."""
    with tempfile.TemporaryDirectory() as scratch:
        log, result = Path(scratch) / "output", Path(scratch) / "result"
        started = time.perf_counter()
        with log.open("w") as out:
            subprocess.run(
                [sys.executable, "-c", _LAUNCH, str(result), *command],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=ROOT,
                check=True,
            )
        seconds = time.perf_counter() - started
        code, peak_kb = json.loads(result.read_text())
        text = log.read_text()
    if code:
        raise RuntimeError(f"{' '.join(command)} failed ({code}):\n{text[-2000:]}")
    return Measured(seconds, peak_kb / 1024, text)


def ingest_command(index: Path, *paths: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "assistant",
        "ingest",
        "--quiet",
        "--index",
        str(index),
        *map(str, paths),
    ]


def latencies(samples: Sequence[float]) -> dict[str, float]:
    """p50 and p95 of samples in seconds, as milliseconds."""
    ms = [s * 1000 for s in samples]
    return {"p50": round(percentile(ms, 50), 1), "p95": round(percentile(ms, 95), 1)}


def time_each(
    call: Callable[[GoldQuestion], Any], questions: Sequence[GoldQuestion]
) -> list[float]:
    """Seconds each question took."""
    out = []
    for q in questions:
        started = time.perf_counter()
        call(q)
        out.append(time.perf_counter() - started)
    return out


def ingest_figures(index: Path, paths: Sequence[Path]) -> dict[str, Any]:
    """A cold ingest into an empty folder, then a no-change one."""
    from assistant.index.catalog import Catalog

    shutil.rmtree(index, ignore_errors=True)
    cold = measure(ingest_command(index, *paths))
    catalog = Catalog.load(index)
    assert catalog is not None
    pages = sum(len(p) for p in catalog.pages.values())
    again = measure(ingest_command(index, *paths))
    return {
        "documents": len(catalog.documents),
        "pages": pages,
        "passages": len(catalog.passages),
        "cold_seconds": round(cold.seconds, 1),
        "pages_per_second": round(pages / cold.seconds, 1),
        "passages_per_second": round(len(catalog.passages) / cold.seconds, 1),
        "cold_peak_mb": round(cold.peak_mb),
        "no_change_seconds": _reported_seconds(again.output),
        "no_change_process_seconds": round(again.seconds, 2),  # with Python's start and imports
    }


def _reported_seconds(output: str) -> float | None:
    """The seconds an ingest reports for its own work: '... 4094 passages (0.4 s)'."""
    found = re.findall(r"\(([\d.]+) s\)", output)
    return float(found[-1]) if found else None


def query_figures(settings: Settings, questions: Sequence[GoldQuestion]) -> dict[str, Any]:
    """Warm latencies over the gold questions: the retriever alone and the whole answer, and
    the same for the naive baseline (its build timed here too)."""
    from assistant.evals.baseline import NaiveBaseline
    from assistant.service import Assistant

    assistant = Assistant.open(settings)
    assistant.ask("warm up the model")
    retrieval = time_each(
        lambda q: assistant.retriever.invoke(q.question, filters=Filters.from_scope(q.scope)),
        questions,
    )
    answers = time_each(lambda q: assistant.ask(q.question, Filters.from_scope(q.scope)), questions)
    started = time.perf_counter()
    baseline = NaiveBaseline(settings, assistant.catalog, show_progress=False)
    build = time.perf_counter() - started
    baseline.ask("warm up the model")
    naive = time_each(lambda q: baseline.ask(q.question, Filters.from_scope(q.scope)), questions)
    return {
        "questions": len(questions),
        "retrieval_ms": latencies(retrieval),
        "answer_ms": latencies(answers),
        "baseline_answer_ms": latencies(naive),
        "baseline_build_seconds": round(build, 1),
        "baseline_chunks": len(baseline.chunks),
    }


def quality(
    settings: Settings, splits: dict[str, list[GoldQuestion]], k: int = 5
) -> dict[str, Any]:
    """Evidence hit@k and MRR on each split."""
    from assistant.service import Assistant

    assistant = Assistant.open(settings)
    out = {}
    for name, questions in splits.items():
        results = runner.run(assistant, questions, k, lambda _doc: "", name, show_progress=False)
        summary = runner.summarise(results, k)
        out[name] = {"hit_at_5": round(summary["hit_at_k"], 3), "mrr": round(summary["mrr"], 3)}
    return out


def app_figures(index: Path, questions: Sequence[GoldQuestion]) -> dict[str, Any]:
    """The page started on an existing index: seconds until it answers HTTP, its memory then,
    and its peak after answering questions through its API."""
    from gradio_client import Client

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryDirectory() as data:
        env["ASSISTANT_DATA_DIR"] = data
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port), "--index", str(index)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2)
                    break
                except OSError:
                    if proc.poll() is not None or time.perf_counter() - started > 300:
                        raise RuntimeError("the app did not start") from None
                    time.sleep(0.1)
            ready = time.perf_counter() - started
            resident = _status_mb(proc.pid, "VmRSS")
            client = Client(url, verbose=False)
            asked = time_each(lambda q: client.predict(q.question, api_name="/ask"), questions)
            return {
                "ready_seconds": round(ready, 1),
                "rss_mb_ready": round(resident),
                "peak_mb_after_questions": round(_status_mb(proc.pid, "VmHWM")),
                "questions_through_api": len(asked),
                "api_answer_ms": latencies(asked),
            }
        finally:
            proc.terminate()
            proc.wait(timeout=60)


def server_figures(index: Path) -> dict[str, Any]:
    """What a process started on an empty folder against a Chroma server does before it can
    answer: read the catalog (every document's record) from the server and build its keyword
    index. The catalog is written to a real `chroma run` for this; its vectors are not needed."""
    from assistant.index.catalog import Catalog
    from assistant.index.catalog_store import ServerCatalogs
    from assistant.index.vectors import chroma_server

    catalog = Catalog.load(index)
    assert catalog is not None
    with tempfile.TemporaryDirectory() as data, chroma_server(Path(data), free_port()) as port:
        settings = Settings(index_dir=index, chroma_host="127.0.0.1", chroma_port=port)
        started = time.perf_counter()
        ServerCatalogs(settings).save(catalog, None)
        saved = time.perf_counter() - started
        started = time.perf_counter()
        loaded = ServerCatalogs(settings).load()
        load = time.perf_counter() - started
    assert loaded is not None and len(loaded.passages) == len(catalog.passages)
    return {"catalog_save_seconds": round(saved, 2), "catalog_load_seconds": round(load, 2)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_bench(
    corpus: Path,
    gold: dict[str, Path],
    out: Path,
    work: Path,
    scale: Path | None = None,
    api_questions: int = 20,
) -> dict[str, Any]:
    """Every figure, at the corpus's size and (with ``scale``) with the scale documents added."""
    splits = {name: load_gold(path) for name, path in gold.items()}
    questions = [q for qs in splits.values() for q in qs]
    results: dict[str, Any] = {"machine": _machine()}
    sizes = {"corpus": [corpus]} | ({"scale": [corpus, scale]} if scale else {})
    for name, paths in sizes.items():
        index = work / name
        print(f"[{name}] ingest from scratch and again unchanged", file=sys.stderr)
        figures: dict[str, Any] = {"ingest": ingest_figures(index, paths)}
        settings = Settings.load(index_dir=index)
        print(f"[{name}] query latency and the baseline", file=sys.stderr)
        figures["query"] = query_figures(settings, questions)
        print(f"[{name}] retrieval quality", file=sys.stderr)
        figures["quality"] = quality(settings, splits)
        print(f"[{name}] the app: ready time and memory", file=sys.stderr)
        figures["app"] = app_figures(index, questions[:api_questions])
        print(f"[{name}] the catalog through a Chroma server", file=sys.stderr)
        figures["server"] = server_figures(index)
        results[name] = figures
    if scale:
        results["quality_drop_at_scale"] = {
            split: round(
                results["corpus"]["quality"][split]["hit_at_5"]
                - results["scale"]["quality"][split]["hit_at_5"],
                3,
            )
            for split in splits
        }
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    (out / "bench.md").write_text(markdown(results), encoding="utf-8")
    return results


def _machine() -> dict[str, Any]:
    from assistant.index.embedder import model_identity

    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "embedding": model_identity(Settings.load()),
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }


ROWS: list[tuple[str, str, str]] = [
    # (label, path into a size's figures, unit)
    ("documents", "ingest.documents", ""),
    ("pages", "ingest.pages", ""),
    ("passages", "ingest.passages", ""),
    ("cold ingest", "ingest.cold_seconds", "s"),
    ("cold ingest pages/s", "ingest.pages_per_second", ""),
    ("cold ingest passages/s", "ingest.passages_per_second", ""),
    ("cold ingest peak memory", "ingest.cold_peak_mb", "MB"),
    ("no-change re-ingest", "ingest.no_change_seconds", "s"),
    ("no-change re-ingest, whole process", "ingest.no_change_process_seconds", "s"),
    ("baseline build (naive LangChain RAG)", "query.baseline_build_seconds", "s"),
    ("retrieval p50", "query.retrieval_ms.p50", "ms"),
    ("retrieval p95", "query.retrieval_ms.p95", "ms"),
    ("full answer p50", "query.answer_ms.p50", "ms"),
    ("full answer p95", "query.answer_ms.p95", "ms"),
    ("baseline answer p50", "query.baseline_answer_ms.p50", "ms"),
    ("baseline answer p95", "query.baseline_answer_ms.p95", "ms"),
    ("app ready (existing index)", "app.ready_seconds", "s"),
    ("app memory when ready", "app.rss_mb_ready", "MB"),
    ("app peak memory after questions", "app.peak_mb_after_questions", "MB"),
    ("answer through the page's API p50", "app.api_answer_ms.p50", "ms"),
    ("answer through the page's API p95", "app.api_answer_ms.p95", "ms"),
    ("server mode: catalog written to Chroma", "server.catalog_save_seconds", "s"),
    ("server mode: catalog and keyword index read at start", "server.catalog_load_seconds", "s"),
]


def lookup(figures: dict[str, Any], path: str) -> Any:
    """``lookup({"a": {"b": 1}}, "a.b") == 1``; None when any step is missing."""
    value: Any = figures
    for step in path.split("."):
        if not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    return value


def markdown(results: dict[str, Any]) -> str:
    """The bench's table: one column per size, and the ingest's ratio to the baseline's build."""
    sizes = [s for s in ("corpus", "scale") if s in results]
    lines = [
        "# Bench",
        "",
        "Command: `python -m assistant bench` (`make bench`). Machine: "
        + ", ".join(f"{k} {v}" for k, v in results["machine"].items()),
        "",
        "| figure | " + " | ".join(sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for label, path, unit in ROWS:
        cells = [lookup(results[s], path) for s in sizes]
        lines.append(f"| {label} | " + " | ".join(_cell(c, unit) for c in cells) + " |")
    for s in sizes:
        build = ratio(
            lookup(results[s], "ingest.cold_seconds"),
            lookup(results[s], "query.baseline_build_seconds"),
        )
        answer = ratio(
            lookup(results[s], "query.answer_ms.p95"),
            lookup(results[s], "query.baseline_answer_ms.p95"),
        )
        lines.append("")
        lines.append(
            f"{s}: cold ingest / baseline build = {_cell(build, '')}; "
            f"answer p95 / baseline answer p95 = {_cell(answer, '')}"
        )
    lines += [
        "",
        "## Retrieval quality (evidence in the top 5)",
        "",
        "| split | " + " | ".join(f"{s} hit@5 | {s} MRR" for s in sizes) + " |",
        "|---|" + "---:|---:|" * len(sizes),
    ]
    for split in results[sizes[0]]["quality"]:
        cells = []
        for s in sizes:
            q = results[s]["quality"][split]
            cells += [_cell(q["hit_at_5"], ""), _cell(q["mrr"], "")]
        lines.append(f"| {split} | " + " | ".join(cells) + " |")
    if "quality_drop_at_scale" in results:
        drops = ", ".join(f"{k} {v:+.3f}" for k, v in results["quality_drop_at_scale"].items())
        lines += ["", f"hit@5 drop when the scale documents are added: {drops}"]
    return "\n".join(lines) + "\n"


def _cell(value: Any, unit: str) -> str:
    """'1,234 ms', '12.6 s', '0.893': whole numbers from 100 up, one decimal from 1."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        value = (
            f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.3f}"
        )
    return f"{value} {unit}".strip()
