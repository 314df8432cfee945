"""Two things at once, with real processes: ingests racing on one index folder and on one Chroma
server, readers beside a saver, a writer that will not wait, a dead writer's lease, a full disk.
Nothing may be lost: both ingests of every pair land, and no reader sees two versions."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import IndexBusyError
from assistant.index.builder import ingest
from assistant.index.catalog import Catalog
from assistant.index.catalog_store import HEADER, ServerCatalogs
from assistant.index.embedder import LazyEmbeddings, model_identity
from assistant.index.vectors import chroma_server, open_store, stored_ids
from assistant.index.write_lock import LEASE, folder_lock
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import ROOT
from tests.index.test_server import server
from tests.ui.conftest import free_port

pytestmark = pytest.mark.integration
PAIRS = 20
WORKER = ROOT / "tests" / "index" / "ingest_worker.py"
LETTER = """Joint targeted area inspection of Racetown

Key strengths

Racetown's {side} outreach team visited {n} families in round {r} of this test, and inspectors
saw how the {side} team shared what it learned with the front door the same day.

Areas for improvement

Health visitors in Racetown do not always record the {side} team's round {r} visits.
"""


class Worker:
    """One long-lived ingest process (tests/index/ingest_worker.py)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert json.loads(self._line())["ready"]

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker ended: {Path(self.log.name).read_text()[-2000:]}")
        return line

    def send(self, args: list[str]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(args) + "\n")
        self.proc.stdin.flush()

    def result(self) -> dict[str, object]:
        return dict(json.loads(self._line()))

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.log.close()


def letter(folder: Path, side: str, r: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"jtai-racetown-{side}-{r:02d}.txt"
    path.write_text(LETTER.format(side=side, r=r, n=10 + r), encoding="utf-8")
    return path


def race(workers: list[Worker], indexes: list[Path], letters: Path, pairs: int) -> list[str]:
    """Each pair: both workers ingest a new letter at the same moment. Returns what went wrong."""
    problems = []
    for r in range(pairs):
        for side, worker, index in zip("ab", workers, indexes, strict=True):
            path = letter(letters, side, r)
            worker.send(["ingest", str(path), "--index", str(index), "--quiet"])
        for side, worker in zip("ab", workers, strict=True):
            got = worker.result()
            if got["code"] != 0 or "1 added" not in str(got["out"]):
                problems.append(f"pair {r} {side}: {got}")
    return problems


def racers(pairs: int) -> set[str]:
    return {f"jtai-racetown-{side}-{r:02d}" for r in range(pairs) for side in "ab"}


def vector_ids(settings: Settings) -> set[str]:
    return stored_ids(open_store(settings, LazyEmbeddings(settings), model_identity(settings)))


@pytest.fixture
def index_copy(sample_index: Path, tmp_path: Path) -> Path:
    index = tmp_path / "index"
    shutil.copytree(sample_index, index, symlinks=True)
    return index


def test_two_ingests_at_once_into_one_folder_both_land(index_copy: Path, tmp_path: Path) -> None:
    before = Catalog.load(index_copy)
    assert before is not None
    workers = [Worker({}, tmp_path / f"worker-{side}.log") for side in "ab"]
    try:
        problems = race(workers, [index_copy, index_copy], tmp_path / "letters", PAIRS)
    finally:
        for worker in workers:
            worker.close()
    assert not problems, problems
    after = Catalog.load(index_copy)
    assert after is not None
    assert set(after.documents) == set(before.documents) | racers(PAIRS)
    assert vector_ids(Settings(index_dir=index_copy)) == set(after.position)
    assert [p.name for p in index_copy.glob("catalog-*")] == [after.version]
    answer = Assistant.open(Settings(index_dir=index_copy)).ask(
        "What did the b outreach team do in round 7 in Racetown?"
    )
    assert "jtai-racetown-b-07" in {c.doc for c in answer.citations}


def test_two_ingests_at_once_through_one_chroma_server_both_land(
    sample_corpus: Path, tmp_path: Path
) -> None:
    with chroma_server(tmp_path / "chroma", free_port()) as port:
        env = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port), "CHROMA_COLLECTION": "race"}
        settings = server(tmp_path / "first", port, "race")
        ingest([sample_corpus], settings, show_progress=False)
        workers = [Worker(env, tmp_path / f"worker-{side}.log") for side in "ab"]
        try:
            indexes = [tmp_path / "app-a", tmp_path / "app-b"]  # two processes, two folders
            problems = race(workers, indexes, tmp_path / "letters", PAIRS)
        finally:
            for worker in workers:
                worker.close()
        assert not problems, problems
        catalogs = ServerCatalogs(settings)
        catalog = catalogs.load()
        assert catalog is not None
        assert set(catalog.documents) == {p.stem for p in sample_corpus.iterdir()} | racers(PAIRS)
        assert vector_ids(settings) == set(catalog.position)  # no stray passages
        records = set(catalogs.collection.get(include=[])["ids"]) - {HEADER}
        assert records == {f"doc:{d}" for d in catalog.documents}  # no stray records, no lease


SAVER = """
import sys, time
from pathlib import Path
from assistant.index.catalog import Catalog
from assistant.index.write_lock import folder_lock
index, stop = Path(sys.argv[1]), Path(sys.argv[2])
full = Catalog.load(index)
drop = sorted(full.documents)[0]
small = Catalog(
    embedding_model=full.embedding_model,
    passage_settings=full.passage_settings,
    documents={d: m for d, m in full.documents.items() if d != drop},
    passages=[p for p in full.passages if p.doc_id != drop],
    pages={d: p for d, p in full.pages.items() if d != drop},
    sources={d: s for d, s in full.sources.items() if d != drop},
)
saves = 0
while not stop.exists():
    with folder_lock(index, 60):
        (small if saves % 2 else full).save(index)
    saves += 1
print(saves)
"""


def test_a_reader_beside_a_saver_never_sees_two_versions(index_copy: Path, tmp_path: Path) -> None:
    full = Catalog.load(index_copy)
    assert full is not None
    small = set(full.documents) - {sorted(full.documents)[0]}
    stop = tmp_path / "stop"
    saver = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(index_copy), str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    mixed, seen = [], set()
    try:
        for _ in range(500):
            catalog = Catalog.load(index_copy)
            assert catalog is not None and catalog.keyword is not None
            docs = set(catalog.documents)
            seen.add(len(docs))
            whole = (
                docs in (set(full.documents), small)
                and set(catalog.pages) == docs
                and {p.doc_id for p in catalog.passages} == docs
                and catalog.keyword.model.scores["num_docs"] == len(catalog.passages)
            )
            if not whole:
                mixed.append((len(docs), len(catalog.passages), catalog.keyword.size))
    finally:
        stop.touch()
        out, _ = saver.communicate(timeout=120)
    assert saver.returncode == 0
    assert int(out) >= 20, "the saver hardly ran: the test proved nothing"
    assert seen == {len(full.documents), len(small)}, "the loads never met both versions"
    assert not mixed, f"{len(mixed)} of 500 loads mixed two versions: {mixed[:3]}"


def test_a_second_ingest_waits_or_with_no_wait_refuses_at_once(
    index_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = letter(tmp_path / "letters", "a", 1)
    args = ["ingest", str(path), "--index", str(index_copy), "--quiet"]
    told: list[str] = []
    with folder_lock(index_copy, 0):  # another writer holds it (an open file of its own)
        assert main([*args, "--no-wait"]) == 2
        err = capsys.readouterr().err
        assert f"is writing to {index_copy}" in err and f"process {os.getpid()}" in err
        waiting = threading.Thread(
            target=lambda: told.append(
                ingest(
                    [path], Settings(index_dir=index_copy), show_progress=False, notify=told.append
                ).summary()
            )
        )
        waiting.start()
        deadline = time.monotonic() + 60
        while not told and time.monotonic() < deadline:
            time.sleep(0.05)
        assert told and "waiting for another ingest" in told[0], told
        assert waiting.is_alive()
    waiting.join(timeout=120)
    assert len(told) == 2 and told[1].startswith("1 added"), told


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with chroma_server(tmp_path_factory.mktemp("chroma-lease"), free_port()) as port:
        yield port


def test_a_live_lease_is_respected_and_a_dead_ones_taken_over(chroma: int, tmp_path: Path) -> None:
    settings = server(tmp_path / "index", chroma, "lease")
    catalogs = ServerCatalogs(settings)
    holder = {"host": "elsewhere", "pid": 4242, "since": time.time(), "token": "other"}
    catalogs.collection.add(
        ids=[LEASE],
        documents=["write lease"],
        embeddings=[[1.0]],
        metadatas=[{**holder, "expires": time.time() + 300}],
    )
    path = letter(tmp_path / "letters", "a", 2)
    with pytest.raises(IndexBusyError, match="process 4242 on elsewhere"):
        ingest([path], settings, show_progress=False, wait=False)
    # The holder died: its lease ran out and nobody renewed it.
    catalogs.collection.update(ids=[LEASE], metadatas=[{**holder, "expires": time.time() - 1}])
    report = ingest([path], settings, show_progress=False, wait=False)
    assert report.added == ["jtai-racetown-a-02"]
    assert catalogs.collection.get(ids=[LEASE])["ids"] == []  # released


def test_a_record_no_header_lists_is_swept_by_the_next_ingest(chroma: int, tmp_path: Path) -> None:
    """A save that died after its header left the removed letter's record (its full text)."""
    settings = server(tmp_path / "index", chroma, "sweep")
    path = letter(tmp_path / "letters", "b", 3)
    ingest([path], settings, show_progress=False)
    catalogs = ServerCatalogs(settings)
    catalogs.collection.add(
        ids=["doc:removed-letter"], documents=["{}"], embeddings=[[1.0]], metadatas=[{"stamp": "x"}]
    )
    report = ingest([path], settings, show_progress=False)  # nothing to change
    assert report.unchanged == ["jtai-racetown-b-03"]
    assert catalogs.collection.get(ids=["doc:removed-letter"])["ids"] == []


def test_a_full_disk_leaves_the_index_as_it_was(
    index_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The disk fills while the new catalog is written (ENOSPC from the file write)."""
    import assistant.index.catalog as catalog_module

    before = Catalog.load(index_copy)
    assert before is not None
    real = catalog_module._write_lines

    def full_disk(path: Path, rows: list[dict[str, object]]) -> None:
        if path.name == "passages.jsonl":
            path.write_text("half a file", encoding="utf-8")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, rows)

    monkeypatch.setattr(catalog_module, "_write_lines", full_disk)
    path = letter(tmp_path / "letters", "a", 4)
    code = main(["ingest", str(path), "--index", str(index_copy), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "could not write the catalog" in err and "No space left on device" in err
    assert "nothing was changed" in err and "Traceback" not in err
    monkeypatch.undo()
    assert [p.name for p in index_copy.glob("catalog-*")] == [before.version]
    settings = Settings(index_dir=index_copy)
    assert vector_ids(settings) == set(before.position)  # the embedded passages went again
    assert Assistant.open(settings).ask("What did the a outreach team do?").text
    assert main(["ingest", str(path), "--index", str(index_copy), "--quiet"]) == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")
def test_a_really_full_disk_is_named_and_cleaned(
    sample_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same on a real filesystem with too little room (a small tmpfs)."""
    mount = tmp_path / "small"
    mount.mkdir()
    used = sum(f.stat().st_size for f in sample_index.rglob("*") if f.is_file())
    size = used + 256 * 1024
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)]
    ).returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        index = mount / "index"
        shutil.copytree(sample_index, index, symlinks=True)
        before = Catalog.load(index)
        assert before is not None
        path = letter(tmp_path / "letters", "b", 5)
        assert main(["ingest", str(path), "--index", str(index), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert "error: could not write the" in err and "Traceback" not in err
        assert [p.name for p in index.glob("catalog-*")] == [before.version]
        after = Catalog.load(index)
        assert after is not None and set(after.documents) == set(before.documents)
        assert (
            Assistant.open(Settings(index_dir=index))
            .ask("What works well in Hartlepool?")
            .citations
        )
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
