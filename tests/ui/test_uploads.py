"""Adding letters from the page: the logic around the indexer (the real one runs in
test_browser.py and test_load.py)."""

from __future__ import annotations

from pathlib import Path

from assistant.index.builder import IngestReport
from assistant.index.catalog import Catalog
from assistant.ingest.loader import file_hash
from assistant.records import DocumentMeta
from assistant.ui.uploads import add_uploads


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
        assert sorted(p.name for p in folder.iterdir()) == ["report (3).txt"]
        raise OSError("No space left on device")

    lines = add_uploads([str(good), str(empty), str(held)], uploads, _held(held), 50, broken)
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
