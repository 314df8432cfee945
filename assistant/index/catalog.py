"""The catalog: which documents are in the index, their passages, page texts and BM25 index.

It is the index's single source of truth. Each ingest writes a complete new catalog folder and
then swaps the ``catalog`` symlink to it in one atomic rename, so a reader sees the old catalog
or the new one, never a mix. The vector store may hold passages of an interrupted run; they
are invisible because retrieval keeps only passages the catalog lists, and the next ingest
deletes them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexMismatchError
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
        """Write a complete new catalog folder, then point the link at it atomically."""
        index_dir.mkdir(parents=True, exist_ok=True)
        folder = index_dir / f"catalog-{time.time_ns()}"
        folder.mkdir()
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
        }
        _write_json(folder / "manifest.json", manifest)
        _write_lines(folder / "documents.jsonl", [d.to_dict() for d in self.documents.values()])
        _write_lines(folder / "passages.jsonl", [p.to_dict() for p in self.passages])
        _write_lines(
            folder / "pages.jsonl", [{"doc_id": k, "pages": v} for k, v in self.pages.items()]
        )
        self.keyword = KeywordIndex.build([p.search_text for p in self.passages])
        self.keyword.save(folder / "bm25")
        _fsync_dir(folder)
        tmp_link = index_dir / f".{LINK}.tmp"
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        tmp_link.symlink_to(folder.name)
        link = index_dir / LINK
        if link.is_dir() and not link.is_symlink():
            # The index was copied with its link followed (`cp -rL`, a backup tool): the link
            # became a plain folder, which a rename cannot replace. Set it aside (removed below).
            link.rename(index_dir / f"catalog-copied-{time.time_ns()}")
        os.replace(tmp_link, link)
        _fsync_dir(index_dir)
        self.version = folder.name
        for old in index_dir.glob("catalog-*"):
            if old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)
        return folder

    @classmethod
    def load(cls, index_dir: Path) -> Catalog | None:
        link = index_dir / LINK
        if not link.exists():
            return None
        manifest = json.loads((link / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise IndexMismatchError(
                f"{index_dir}: index format {manifest.get('format')} is not {FORMAT}; rebuild it"
            )
        documents = [DocumentMeta.from_dict(d) for d in _read_lines(link / "documents.jsonl")]
        passages = [Passage.from_dict(p) for p in _read_lines(link / "passages.jsonl")]
        pages = {row["doc_id"]: row["pages"] for row in _read_lines(link / "pages.jsonl")}
        catalog = cls(
            embedding_model=manifest["embedding_model"],
            passage_settings=manifest.get("passage_settings", {}),
            documents={d.doc_id: d for d in documents},
            passages=passages,
            pages=pages,
            sources={k: v["source"] for k, v in manifest["documents"].items()},
        )
        catalog.keyword = KeywordIndex.load(link / "bm25", len(passages))
        catalog.version = os.readlink(link) if link.is_symlink() else ""
        return catalog


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def _write_lines(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _read_lines(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
