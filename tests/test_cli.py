"""The command line and its ``ask --json`` contract, on a real index."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in this process (its model stays loaded between tests), with its
    output captured and ``env`` set for the call: what ``python -m assistant`` does, less
    Python's start-up. ``run_process`` runs it for real."""
    from assistant.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def run_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


def ingest_with_limit(
    folder: Path, index: Path, variable: str, value: str
) -> subprocess.CompletedProcess[str]:
    """``ingest FOLDER`` into a fresh index with one limit set through its environment variable."""
    return run("ingest", str(folder), "--quiet", "--index", str(index), env={variable: value})


def test_ask_json_contract(sample_index: Path) -> None:
    result = run_process(
        "ask",
        "How many children attended their child protection conference in Stockton-On-Tees?",
        "--json",
        "--index",
        str(sample_index),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"answer", "abstained", "citations", "passages", "timings_ms"}
    assert isinstance(data["abstained"], bool)
    for citation in data["citations"]:
        assert set(citation) >= {"n", "doc", "title", "page", "section", "sentence"}
        assert f"[{citation['n']}]" in data["answer"]
    for passage in data["passages"]:
        assert set(passage) >= {
            "rank",
            "doc",
            "title",
            "page",
            "section",
            "polarity",
            "text",
            "score",
        }
    assert [p["rank"] for p in data["passages"]] == list(range(1, len(data["passages"]) + 1))
    # The figure the letter gives, with its page.
    hits = [p for p in data["passages"] if "eight of 222" in p["text"]]
    assert hits and hits[0]["doc"] == "jtai-stockton-on-tees-2018-01" and hits[0]["page"] == 9
    assert "eight of 222" in data["answer"]


def test_index_from_environment_and_k(sample_index: Path) -> None:
    result = run(
        "ask", "foster homes", "--json", "--k", "3", env={"ASSISTANT_INDEX_DIR": str(sample_index)}
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["rank"] for p in data["passages"][:3]] == [1, 2, 3]
    # Beyond the k retrieved, only passages the answer cites (the answerer reads a few more).
    cited = {c["passage_id"] for c in data["citations"]}
    assert all(p["id"] in cited and p["rank"] > 3 for p in data["passages"][3:])


def test_filters_from_the_command_line(sample_index: Path) -> None:
    result = run(
        "ask",
        "What works well?",
        "--json",
        "--type",
        "area SEND",
        "--polarity",
        "strength",
        "--index",
        str(sample_index),
    )
    data = json.loads(result.stdout)
    assert data["passages"]
    assert {p["doc"] for p in data["passages"]} == {"area-send-hartlepool-2023-05"}
    assert {p["polarity"] for p in data["passages"]} == {"strength"}


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    result = run("ask", "anything", "--index", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no index in" in result.stderr and "ingest" in result.stderr


def test_ingest_reports_bad_files(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"nonsense")
    result = run("ingest", str(tmp_path), "--quiet", "--index", str(tmp_path / "index"))
    assert "skipped" in result.stderr and "bad.pdf" in result.stderr


def test_bad_files_in_a_batch_are_named_and_the_rest_are_indexed(tmp_path: Path) -> None:
    """Three or more files are read in a process pool: a reader's error must cross it."""
    from tests.conftest import corpus_pdf

    batch = tmp_path / "batch"
    batch.mkdir()
    good = corpus_pdf("focused-visit-plymouth-2023-01")
    (batch / good.name).write_bytes(good.read_bytes())
    (batch / "empty.pdf").write_bytes(b"")
    (batch / "not-a-pdf.pdf").write_text("just some notes", encoding="utf-8")
    (batch / "truncated.pdf").write_bytes(good.read_bytes()[:20000])
    result = run("ingest", str(batch), "--quiet", "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("empty.pdf", "not-a-pdf.pdf", "truncated.pdf"):
        assert f"skipped {batch / name}:" in result.stderr
    assert "1 added" in result.stdout and "3 failed" in result.stdout


def test_document_error_survives_pickling() -> None:
    import pickle

    from assistant.errors import DocumentError

    error = pickle.loads(pickle.dumps(DocumentError("a.pdf", "the file is empty")))
    assert (error.path, error.reason, str(error)) == (
        "a.pdf",
        "the file is empty",
        "a.pdf: the file is empty",
    )


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("   ", "the question is empty"),
        ("?!", "the question is empty"),
        ("a" * 5000, "the limit is 1,000 (setting max_question_chars)"),
    ],
)
def test_empty_and_overlong_questions_get_a_message_not_an_answer(
    sample_index: Path, question: str, message: str
) -> None:
    result = run("ask", question, "--json", "--index", str(sample_index))
    assert result.returncode == 2 and not result.stdout
    assert message in result.stderr


def test_the_same_letter_under_two_names_is_indexed_once(tmp_path: Path) -> None:
    from tests.conftest import corpus_pdf

    folder = tmp_path / "downloads"
    folder.mkdir()
    letter = corpus_pdf("focused-visit-plymouth-2023-01").read_bytes()
    (folder / "focused-visit-plymouth-2023-01.pdf").write_bytes(letter)
    (folder / "report (3).pdf").write_bytes(letter)
    index = str(tmp_path / "index")
    result = run("ingest", str(folder), "--quiet", "--index", index)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout and "1 duplicates skipped" in result.stdout
    assert "the same content as focused-visit-plymouth-2023-01, which is kept" in result.stderr
    data = json.loads(run("ask", "What did inspectors look at?", "--json", "--index", index).stdout)
    assert {p["doc"] for p in data["passages"]} == {"focused-visit-plymouth-2023-01"}
    assert len({p["id"] for p in data["passages"]}) == len(data["passages"])


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    big = folder / "huge.pdf"
    with big.open("wb") as handle:  # a sparse 3 MB file: nothing reads it
        handle.seek(3 * 1024 * 1024)
        handle.write(b"\0")
    result = ingest_with_limit(folder, tmp_path / "index", "ASSISTANT_MAX_FILE_MB", "2")
    assert f"skipped {big}: larger than the 2 MB limit (setting max_file_mb)" in result.stderr
    assert "1 failed" in result.stdout


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            out.append(int(status.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_killing_an_ingest_while_it_reads_leaves_no_workers(tmp_path: Path) -> None:
    import signal
    import time

    from tests.conftest import CORPUS

    folder = tmp_path / "letters"
    folder.mkdir()
    for pdf in sorted(CORPUS.glob("jtai-*.pdf"))[:12]:
        (folder / pdf.name).write_bytes(pdf.read_bytes())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant",
            "ingest",
            str(folder),
            "--quiet",
            "--index",
            str(tmp_path / "i"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert workers, "the ingest never started its reading workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.time() + 15

    def alive() -> list[int]:  # a zombie has ended: only its exit status waits for a reaper
        return [w for w in workers if _state(w) not in {"gone"} and not _state(w).startswith("Z")]

    while time.time() < deadline and alive():
        time.sleep(0.2)
    left = alive()
    for w in left:  # do not leave them behind this test either
        os.kill(w, signal.SIGKILL)
    assert not left, f"reading workers left running after the ingest was killed: {left}"


def _state(pid: int) -> str:
    try:
        return next(
            line.split(":", 1)[1].strip()
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("State:")
        )
    except (OSError, StopIteration):
        return "gone"


def test_a_pdf_over_the_page_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from tests.conftest import corpus_pdf

    folder = tmp_path / "long"
    folder.mkdir()
    letter = folder / "long.pdf"
    letter.write_bytes(corpus_pdf("focused-visit-plymouth-2023-01").read_bytes())  # 6 pages
    result = ingest_with_limit(folder, tmp_path / "index", "ASSISTANT_MAX_PAGES", "3")
    assert f"skipped {letter}: 6 pages, over the 3-page limit (setting max_pages)" in result.stderr
    assert "0 added" in result.stdout and "1 failed" in result.stdout


def test_a_text_file_over_the_character_limit_is_refused_before_it_is_cut(tmp_path: Path) -> None:
    """A 5 MB .txt once made 6,071 passages and took 169 s: a text file is capped by
    characters (setting max_text_chars, default 400,000), as a PDF is by pages."""
    import time

    from assistant.errors import DocumentError
    from assistant.ingest.loader import parse_document

    folder = tmp_path / "batch"
    folder.mkdir()
    sentence = "Inspectors found that children in Bigtown are seen promptly by social workers. "
    big = folder / "bigtown-notes.txt"
    big.write_text(("Notes on Bigtown\n\n" + sentence * 6000)[:450_000], encoding="utf-8")
    good = folder / "jtai-smalltown-2024-05.txt"
    good.write_text(
        "Joint targeted area inspection of Smalltown\n\n" + sentence * 4, encoding="utf-8"
    )
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="over the 400,000-character limit"):
        parse_document(big, min_chars=200, max_chars=900)
    assert time.perf_counter() - started < 2  # refused before it is cut into passages

    result = run("ingest", str(folder), "--quiet", "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    assert (
        f"skipped {big}: 450,000 characters, over the 400,000-character limit "
        "(setting max_text_chars)"
    ) in result.stderr
    assert "1 added" in result.stdout and "1 failed" in result.stdout
    assert "index holds 1 documents" in result.stdout


def test_each_failure_is_printed_once_and_no_debug_line(tmp_path: Path) -> None:
    """A real process at the default verbosity: the command line's own line for each file it
    skips, no logger's copy of it, and no library's DEBUG line."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "bad.pdf").write_bytes(b"nonsense")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "jtai-smalltown-2024-05.txt").write_text(
        "Joint targeted area inspection of Smalltown\n\n"
        + "Inspectors found that children in Smalltown are seen promptly by social workers. " * 4,
        encoding="utf-8",
    )
    result = run_process("ingest", str(folder), "--quiet", "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout and "2 failed" in result.stdout
    for name in ("bad.pdf", "empty.txt"):
        assert result.stderr.count(name) == 1, result.stderr
        assert f"skipped {folder / name}: " in result.stderr
    assert "DEBUG" not in result.stderr and "WARNING" not in result.stderr, result.stderr


def test_letters_add_remove_and_history_go_through_the_library(
    sample_index: Path, tmp_path: Path
) -> None:
    """As the page does: an added letter is kept under the data folder and answerable; a
    shipped one cannot be removed; each outcome is a plain line naming the letter."""
    import shutil

    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    listed = run("letters", "stockton", "--json", "--index", str(index), env=env)
    assert listed.returncode == 0
    assert {r["id"] for r in json.loads(listed.stdout)} == {
        "jtai-stockton-on-tees-2018-01",
        "ilacs-stockton-on-tees-2023-05",
    }
    letter = tmp_path / "letter (2).txt"
    letter.write_text(
        "Joint targeted area inspection of Cliffshire\n\nKey strengths\n\n"
        "In Cliffshire, the coastguard liaison officer joins every strategy meeting about a "
        "child missing near the cliffs, and inspectors read the notes of those meetings.\n",
        encoding="utf-8",
    )
    bad = tmp_path / "notes.docx"
    bad.write_text("not a letter", encoding="utf-8")
    data = ["--data", str(tmp_path / "data")]  # as the environment variable says
    added = run("add", str(letter), str(bad), "--index", str(index), *data)
    assert added.returncode == 0, added.stderr
    assert "Added letter (2)" in added.stdout and "Skipped notes.docx: not a PDF" in added.stdout
    assert (tmp_path / "data" / "uploads" / "letter (2).txt").is_file()
    history = run("history", "cliffshire", "--json", "--index", str(index), env=env)
    assert [h["doc"] for h in json.loads(history.stdout)] == ["letter (2)"]
    removed = run(
        "remove", "letter (2)", "jtai-stockton-on-tees-2018-01", "--index", str(index), env=env
    )
    assert removed.returncode == 0
    assert "Removed letter (2)" in removed.stdout
    assert (
        "jtai-stockton-on-tees-2018-01 was shipped with the assistant and stays" in removed.stdout
    )
    assert run("history", "cliffshire", "--index", str(index), env=env).returncode == 2
    assert run("remove", "letter (2)", "--index", str(index), env=env).returncode == 1
