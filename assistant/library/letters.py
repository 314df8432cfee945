"""The letters in the index as rows: every document, searchable, newest first, uploaded ones
marked. Pure functions over the catalog, for the page, the command line and the API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.index.catalog import Catalog
from assistant.records import DocumentMeta


@dataclass(frozen=True)
class LibraryRow:
    doc_id: str
    area: str
    inspection_type: str
    visited: str  # the inspection's first day, or ""
    published: str  # the letter's date, the date a report says it was published, or NOT_STATED
    pages: int
    passages: int
    uploaded: bool
    title: str = ""
    visited_to: str = ""  # the inspection's last day, or ""

    def to_json(self) -> dict[str, object]:
        """As ``letters --json`` prints it and ``/api/letters`` returns it."""
        return {
            "id": self.doc_id,
            "title": self.title,
            "area": self.area,
            "type": self.inspection_type,
            "inspected_from": self.visited or None,
            "inspected_to": self.visited_to or None,
            "published": None if self.published == NOT_STATED else self.published,
            "pages": self.pages,
            "passages": self.passages,
            "uploaded": self.uploaded,
        }


def published(doc: DocumentMeta) -> str:
    """The letter's date, else the date a report says it was published, else "not stated"
    (inspection reports often print only their inspection dates)."""
    if doc.letter_date:
        return doc.letter_date
    stated = doc.facts_named("published")
    return stated[0].value if stated else NOT_STATED


NOT_STATED = "not stated"


def letter_name(catalog: Catalog, doc_id: str) -> str:
    """A letter in words: 'Stockton-on-Tees ILACS 2023'."""
    doc = catalog.documents.get(doc_id)
    if doc is None:
        return doc_id
    year = (doc.letter_date or doc.date or "")[:4]  # as answers name it
    return " ".join(x for x in (doc.area, doc.inspection_type, year) if x)


def library_rows(catalog: Catalog, uploads: Path, query: str = "") -> list[LibraryRow]:
    """Every document, newest first, keeping those whose area, type, dates or id hold every
    word of ``query``."""
    words = query.lower().split()
    folder = uploads.resolve()
    rows = []
    for doc in catalog.documents.values():
        source = Path(catalog.sources.get(doc.doc_id, doc.source))
        row = LibraryRow(
            doc.doc_id,
            doc.area,
            doc.inspection_type,
            doc.fieldwork_start or "",
            published(doc),
            doc.pages,
            len(catalog.by_doc.get(doc.doc_id, [])),
            source.resolve().parent == folder,
            doc.title,
            doc.fieldwork_end or "",
        )
        haystack = " ".join(
            (row.doc_id, row.area, row.inspection_type, row.visited, row.published)
        ).lower()
        if all(w in haystack for w in words):
            rows.append(row)
    return sorted(rows, key=_newest, reverse=True)


def _newest(row: LibraryRow) -> tuple[str, str]:
    """Newest first (reversed); a letter with no date at all comes last."""
    dated = row.published if row.published != NOT_STATED else ""
    return row.visited or dated, row.doc_id


def removable(rows: list[LibraryRow], chosen: list[str]) -> tuple[list[str], list[str]]:
    """The chosen ids split into uploaded ones (which can be removed) and shipped ones."""
    uploaded = {r.doc_id for r in rows if r.uploaded}
    return [d for d in chosen if d in uploaded], [d for d in chosen if d not in uploaded]
