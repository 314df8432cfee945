"""The catalog: which documents are in the index, their passages, page texts and BM25 index.

It is the index's single source of truth. Each ingest writes a complete new catalog folder and
then swaps the ``catalog`` symlink to it in one atomic rename; a reader resolves the link once
and reads every file from that folder, checked against its manifest's hashes, so it sees the
old catalog or the new one, never a mix. Saves take turns under the index's write lock
(write_lock.py). The vector store may hold passages of an interrupted run; they
are invisible because retrieval keeps only passages the catalog lists, and the next ingest
deletes them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexMismatchError, IndexWriteError
from assistant.index.keyword import KeywordIndex
from assistant.lexical import idf_table, stems
from assistant.records import DocumentMeta, Passage
from assistant.text import normalise

FORMAT = 1
LINK = "catalog"


def area_key(area: str) -> str:
    """'Stockton on Tees' and 'Stockton-On-Tees' are one area."""
    return "-".join("".join(c if c.isalnum() else " " for c in area.lower()).split())


@dataclass
class Catalog:
    embedding_model: str
    passage_settings: dict[str, Any]
    documents: dict[str, DocumentMeta] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)
    pages: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # doc_id -> absolute source path
    keyword: KeywordIndex | None = None
    version: str = ""  # changes with every save (catalog_store.py compares it)

    def __post_init__(self) -> None:
        self._reindex()

    def _reindex(self) -> None:
        self.position = {p.id: i for i, p in enumerate(self.passages)}
        self.by_doc: dict[str, list[int]] = {}
        for i, p in enumerate(self.passages):
            self.by_doc.setdefault(p.doc_id, []).append(i)
        self.areas: dict[str, str] = {}
        for doc in sorted(self.documents.values(), key=lambda d: "-" not in d.area):
            self.areas.setdefault(area_key(doc.area), doc.area)

    @cached_property
    def idf(self) -> dict[str, float]:
        """IDF of word stems over the passages (heading included), for lexical matching."""
        return idf_table(p.search_text for p in self.passages)

    @cached_property
    def stem_sets(self) -> list[frozenset[str]]:
        """Each passage's word stems (heading included), for fast topic counts over many."""
        return [frozenset(stems(p.search_text)) for p in self.passages]

    def area_name(self, area: str) -> str:
        return self.areas.get(area_key(area), area)

    def doc(self, doc_id: str) -> DocumentMeta:
        return self.documents[doc_id]

    def page_text(self, doc_id: str, page: int) -> str:
        return self.pages[doc_id][page - 1]

    def passage_holding(self, doc_id: str, quote: str) -> Passage | None:
        """The passage of a document whose text holds the quote (a fact's words)."""
        wanted = normalise(quote)
        for i in self.by_doc.get(doc_id, []):
            if wanted in self.normalised[i]:
                return self.passages[i]
        return None

    @cached_property
    def normalised(self) -> list[str]:
        """Each passage's search text, normalised once (facts are looked up in it per answer)."""
        return [normalise(p.search_text) for p in self.passages]

    def neighbours(self, passage: Passage) -> tuple[Passage | None, Passage | None]:
        positions = self.by_doc.get(passage.doc_id, [])
        i = self.position[passage.id]
        j = positions.index(i)
        before = self.passages[positions[j - 1]] if j > 0 else None
        after = self.passages[positions[j + 1]] if j + 1 < len(positions) else None
        return before, after

    def mask(self, doc_ids: set[str] | None) -> np.ndarray | None:
        if doc_ids is None:
            return None
        return np.array([p.doc_id in doc_ids for p in self.passages], dtype=bool)

    # Persistence ---------------------------------------------------------------------------

    def save(self, index_dir: Path) -> Path:
        """Write a complete new catalog folder, then point the link at it atomically. The
        caller holds the index's write lock (write_lock.py), so no other save runs; the folder
        replaced and any left by a killed or failed save are swept. A failed write (a full
        disk) removes what it wrote and changes nothing."""
        index_dir.mkdir(parents=True, exist_ok=True)
        link = index_dir / LINK
        current = linked_folder(index_dir)
        sweep_folders(index_dir, keep={current.name} if current else set())
        folder = index_dir / f"catalog-{time.time_ns()}"
        tmp_link = index_dir / f".{LINK}.tmp"
        try:
            folder.mkdir()
            self._write(folder)
            if tmp_link.is_symlink() or tmp_link.exists():
                tmp_link.unlink()
            tmp_link.symlink_to(folder.name)
            if link.is_dir() and not link.is_symlink():
                # The index was copied with its link followed (`cp -rL`, a backup tool): the
                # link became a plain folder, which a rename cannot replace. Set it aside.
                link.rename(index_dir / f"catalog-copied-{time.time_ns()}")
            os.replace(tmp_link, link)  # the commit point
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            tmp_link.unlink(missing_ok=True)
            raise IndexWriteError(
                f"could not write the catalog in {index_dir}: {exc.strerror or exc}; nothing "
                "was changed (free some space, then run the ingest again)"
            ) from exc
        with contextlib.suppress(OSError):  # committed; a failed flush of the folder is not fatal
            _fsync_dir(index_dir)
        self.version = folder.name
        sweep_folders(index_dir, keep={folder.name})  # a reader still opening one reads again
        return folder

    def _write(self, folder: Path) -> None:
        """Every file of the catalog, then the manifest (with each file's hash) last."""
        _write_lines(folder / "documents.jsonl", [d.to_dict() for d in self.documents.values()])
        _write_lines(folder / "passages.jsonl", [p.to_dict() for p in self.passages])
        _write_lines(
            folder / "pages.jsonl", [{"doc_id": k, "pages": v} for k, v in self.pages.items()]
        )
        self.keyword = KeywordIndex.build([p.search_text for p in self.passages])
        self.keyword.save(folder / "bm25")
        files = {
            str(path.relative_to(folder)): _sha256(path.read_bytes())
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "format": FORMAT,
            "embedding_model": self.embedding_model,
            "passage_settings": self.passage_settings,
            "documents": {
                d.doc_id: {
                    "sha256": d.sha256,
                    "source": self.sources.get(d.doc_id, d.source),
                    "passages": len(self.by_doc.get(d.doc_id, [])),
                }
                for d in self.documents.values()
            },
            "files": files,
        }
        _write_json(folder / "manifest.json", manifest)
        _fsync_dir(folder)

    @classmethod
    def load(cls, index_dir: Path, attempts: int = 8) -> Catalog | None:
        """The catalog the link points at. The link is resolved once and every file is read
        from that one folder and checked against its manifest's hashes, so a reader never
        mixes two versions; a folder swept away mid-read (a save beside it) is read again."""
        for attempt in range(attempts):
            folder = linked_folder(index_dir)
            if folder is None:
                return None
            try:
                return cls._read(folder)
            except (FileNotFoundError, _Torn):
                time.sleep(0.02 * (attempt + 1))
        raise IndexMismatchError(
            f"{index_dir}: the catalog kept changing while it was read, or its files do not "
            "match its manifest; try again, or rebuild it with 'python -m assistant ingest "
            "--rebuild'"
        )

    @classmethod
    def _read(cls, folder: Path) -> Catalog:
        manifest = json.loads((folder / "manifest.json").read_bytes())
        if manifest.get("format") != FORMAT:
            raise IndexMismatchError(
                f"{folder.parent}: index format {manifest.get('format')} is not {FORMAT}; "
                "rebuild it"
            )
        hashes: dict[str, str] | None = manifest.get("files")  # absent in older indexes

        def read(name: str) -> bytes:
            data = (folder / name).read_bytes()
            if hashes is not None and hashes.get(name) != _sha256(data):
                raise _Torn(name)
            return data

        if hashes is not None:
            for name in hashes:
                if name.startswith("bm25/"):
                    read(name)
        documents = [DocumentMeta.from_dict(d) for d in _lines(read("documents.jsonl"))]
        passages = [Passage.from_dict(p) for p in _lines(read("passages.jsonl"))]
        pages = {row["doc_id"]: row["pages"] for row in _lines(read("pages.jsonl"))}
        catalog = cls(
            embedding_model=manifest["embedding_model"],
            passage_settings=manifest.get("passage_settings", {}),
            documents={d.doc_id: d for d in documents},
            passages=passages,
            pages=pages,
            sources={k: v["source"] for k, v in manifest["documents"].items()},
        )
        catalog.keyword = KeywordIndex.load(folder / "bm25", len(passages))
        catalog.version = folder.name
        return catalog


class _Torn(Exception):
    """A catalog file that does not match its manifest."""


def linked_folder(index_dir: Path) -> Path | None:
    """The real folder the catalog link points at now (resolved once), or None."""
    link = index_dir / LINK
    try:
        folder = index_dir / os.readlink(link)
    except OSError:  # no index yet, or a link copied as a plain folder (see save)
        folder = link
    return folder if folder.is_dir() else None


def sweep_folders(index_dir: Path, keep: set[str]) -> None:
    """Remove catalog folders other than ``keep``: replaced ones, and leftovers of saves that
    were killed or failed. Only under the write lock."""
    for old in index_dir.glob("catalog-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def _write_lines(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
