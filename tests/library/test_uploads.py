"""Adding letters from the page: the logic around the indexer (the real one runs in
test_browser.py and test_load.py, and below, where the app is stopped mid-add)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from assistant.index.builder import IngestReport, ingest
from assistant.index.catalog import Catalog
from assistant.index.catalog_store import catalog_store
from assistant.ingest.loader import file_hash
from assistant.library.uploads import add_uploads, settle_uploads
from assistant.records import DocumentMeta
from assistant.settings import Settings

NEW_LETTER = """Joint targeted area inspection of Newtown

Key strengths

In Newtown, the school nursing team visits every family of a child missing education within a week, and inspectors saw how quickly risks were then shared with the front door.
The Newtown partnership has trained all its early help workers to recognise neglect and to refer children promptly to the multi-agency safeguarding hub.
"""


def _held(path: Path) -> Catalog:
    meta = DocumentMeta(path.stem, "t", "A", "JTAI", path.name, file_hash(path), 1)
    return Catalog("m", {}, documents={meta.doc_id: meta})


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    picked = tmp_path / "picked"
    picked.mkdir()
    good = picked / "report (3).txt"
    good.write_text("Joint targeted area inspection of Exampleshire", encoding="utf-8")
    empty = picked / "empty.pdf"
    empty.write_bytes(b"")
    held = picked / "jtai-held-2020-01.txt"
    held.write_text("a letter already indexed", encoding="utf-8")
    return good, empty, held


def test_a_failed_indexing_leaves_nothing_behind_and_says_why(tmp_path: Path) -> None:
    good, empty, held = _files(tmp_path)
    uploads = tmp_path / "uploads"

    def broken(folder: Path) -> tuple[IngestReport, Catalog]:
        letters = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        assert letters == ["report (3).txt"]  # beside it only the add's hidden journal
        raise OSError("No space left on device")

    gone = tmp_path / "picked" / "moved away.pdf"  # named, then gone before the add
    lines = add_uploads(
        [str(good), str(empty), str(held), str(gone)], uploads, _held(held), 50, broken
    )
    assert "Skipped moved away.pdf: no such file" in lines
    assert lines[0] == (
        "Could not index report (3).txt: No space left on device. Nothing was added."
    )
    assert "Skipped empty.pdf: the file is empty" in lines
    assert "jtai-held-2020-01.txt is already in the index as jtai-held-2020-01" in lines
    assert list(uploads.iterdir()) == []  # the next upload starts clean


def test_files_the_reader_refuses_are_named_and_removed(tmp_path: Path) -> None:
    good, _, held = _files(tmp_path)
    uploads = tmp_path / "uploads"
    second = tmp_path / "picked" / "jtai-held-2020-01 (1).txt"
    second.write_text("a different letter", encoding="utf-8")

    def reads_one(folder: Path) -> tuple[IngestReport, Catalog]:
        report = IngestReport(
            added=["report (3)"],
            failed=[(str(folder / "jtai-held-2020-01 (1).txt"), "image-only PDF: no text")],
        )
        read = DocumentMeta(
            "report (3)", "t", "Exampleshire", "JTAI", "report (3).txt", "x", 1, "2024-03-05"
        )
        return report, Catalog("m", {}, documents={read.doc_id: read})

    lines = add_uploads([str(good), str(second)], uploads, _held(held), 50, reads_one)
    assert lines == [
        "Added report (3) (Exampleshire, JTAI, March 2024): ready to ask about.",
        "Skipped jtai-held-2020-01 (1).txt: image-only PDF: no text",
    ]
    assert sorted(p.name for p in uploads.iterdir()) == ["report (3).txt"]


def test_a_copy_cut_short_is_never_stored_under_the_letters_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app killed while it copies an upload: what the disk holds then is no letter."""
    good, _, held = _files(tmp_path)
    uploads = tmp_path / "uploads"
    killed = tmp_path / "killed"

    def half_then_killed(src: str, dst: str, **kwargs: object) -> str:
        Path(dst).write_bytes(Path(src).read_bytes()[:10])
        killed.mkdir()  # what a restart finds (copied by hand: copyfile is this function)
        for path in uploads.iterdir():
            (killed / path.name).write_bytes(path.read_bytes())
        raise OSError("killed")

    monkeypatch.setattr(shutil, "copyfile", half_then_killed)
    lines = add_uploads([str(good)], uploads, _held(held), 50, _never_indexes)
    monkeypatch.undo()
    assert lines[0].startswith("Could not index report (3).txt: killed.")
    assert [p.name for p in killed.iterdir() if not p.name.startswith(".")] == []
    assert list(uploads.iterdir()) == []
    # A restart removes the partial copy and the journal.
    assert not settle_uploads(killed, _held(held), _never_indexes_at_start)
    assert list(killed.iterdir()) == []


def _never_indexes(folder: Path) -> tuple[IngestReport, Catalog]:
    raise AssertionError("nothing should be indexed")


def _never_indexes_at_start(folder: Path) -> IngestReport:
    raise AssertionError("nothing should be indexed")


@pytest.fixture
def real_index(tmp_path: Path) -> Settings:
    """A real index (real model, real Chroma) holding one letter, and a letter to upload."""
    settings = Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "jtai-oldtown-2020-01.txt").write_text(
        NEW_LETTER.replace("Newtown", "Oldtown"), encoding="utf-8"
    )
    assert ingest([corpus], settings, show_progress=False).added == ["jtai-oldtown-2020-01"]
    picked = tmp_path / "picked"
    picked.mkdir()
    (picked / "jtai-newtown-2024-05.txt").write_text(NEW_LETTER, encoding="utf-8")
    return settings


def _indexer(settings: Settings):  # type: ignore[no-untyped-def]
    def index(folder: Path) -> tuple[IngestReport, Catalog]:
        report = ingest([folder], settings, show_progress=False)
        catalog = catalog_store(settings).load()
        assert catalog is not None
        return report, catalog

    return index


def _catalog(settings: Settings) -> Catalog:
    catalog = catalog_store(settings).load()
    assert catalog is not None
    return catalog


@pytest.mark.integration
def test_an_add_the_app_was_killed_in_is_removed_at_start_and_can_be_made_again(
    real_index: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = real_index
    letter = tmp_path / "picked" / "jtai-newtown-2024-05.txt"
    uploads = tmp_path / "data" / "uploads"
    killed = tmp_path / "killed"

    def killed_while_indexing(folder: Path) -> tuple[IngestReport, Catalog]:
        shutil.copytree(folder, killed)  # what the disk holds when the app is killed here
        raise OSError("killed")

    add_uploads([str(letter)], uploads, _catalog(settings), 50, killed_while_indexing)
    shutil.rmtree(uploads)
    killed.rename(uploads)  # the restarted app finds the letter stored, not indexed
    assert (uploads / letter.name).exists()

    with caplog.at_level(logging.WARNING, logger="assistant.library.uploads"):
        indexed = settle_uploads(uploads, _catalog(settings), lambda f: _indexer(settings)(f)[0])
    assert not indexed and sorted(uploads.iterdir()) == []
    assert any(
        letter.name in r.getMessage() and "never added" in r.getMessage() for r in caplog.records
    )

    lines = add_uploads([str(letter)], uploads, _catalog(settings), 50, _indexer(settings))
    assert len(lines) == 1, lines  # no note: nothing else is named like it
    assert lines[0].startswith("Added jtai-newtown-2024-05 (Newtown, JTAI")
    assert "jtai-newtown-2024-05" in _catalog(settings).documents


@pytest.mark.integration
def test_a_letter_added_before_the_index_was_rebuilt_is_indexed_again_at_start(
    real_index: Settings, tmp_path: Path
) -> None:
    """A letter in the uploads folder with no unfinished add behind it was added (the page
    said so): the index lost it since, so it is indexed again, not deleted."""
    settings = real_index
    letter = tmp_path / "picked" / "jtai-newtown-2024-05.txt"
    uploads = tmp_path / "data" / "uploads"
    uploads.mkdir(parents=True)
    shutil.copy(letter, uploads)

    indexed = settle_uploads(uploads, _catalog(settings), lambda f: _indexer(settings)(f)[0])
    assert indexed and "jtai-newtown-2024-05" in _catalog(settings).documents
    lines = add_uploads([str(letter)], uploads, _catalog(settings), 50, _indexer(settings))
    assert lines == [f"{letter.name} is already in the index as jtai-newtown-2024-05"]


@pytest.mark.integration
def test_the_real_app_removes_an_unfinished_add_when_it_starts(
    real_index: Settings, tmp_path: Path
) -> None:
    """The app process killed mid-add leaves the letter and the add's journal; the restarted
    app removes both before it serves the page, and says so in its log."""
    from tests.ui.conftest import start_app

    uploads = tmp_path / "data" / "uploads"
    uploads.mkdir(parents=True)
    letter = tmp_path / "picked" / "jtai-newtown-2024-05.txt"
    shutil.copy(letter, uploads)
    (uploads / ".adding-killed.json").write_text(f'["{letter.name}"]', encoding="utf-8")
    (uploads / ".jtai-other.txt.partial").write_text("half a cop", encoding="utf-8")
    _url, proc = start_app(tmp_path, tmp_path / "corpus", real_index.index_dir)
    try:
        assert list(uploads.iterdir()) == []
        log = (tmp_path / "app.log").read_text()
        assert f"removed {uploads / letter.name}: the app stopped before it was indexed" in log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_removal_cut_short_is_settled_at_start(tmp_path: Path) -> None:
    """A letter set aside for removal comes back when the index still holds it, and is
    deleted when the index no longer does."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    kept, dropped = uploads / "jtai-held-2020-01.txt", uploads / "jtai-gone-2020-01.txt"
    kept.write_text("a letter already indexed", encoding="utf-8")
    (uploads / f".{kept.name}.removing").write_text("held", encoding="utf-8")
    kept.unlink()
    (uploads / f".{dropped.name}.removing").write_text("gone", encoding="utf-8")
    catalog = Catalog("m", {})
    catalog.sources = {"jtai-held-2020-01": str(kept)}

    def index(folder: Path) -> IngestReport:
        raise AssertionError("nothing to index")

    assert settle_uploads(uploads, catalog, index) is False
    assert sorted(p.name for p in uploads.iterdir()) == ["jtai-held-2020-01.txt"]
