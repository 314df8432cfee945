"""The page's library of letters: every indexed document, searchable, to ask about a chosen few
or to remove an uploaded one. Pure functions over the catalog, tested without a browser."""

from __future__ import annotations

import html
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
    published: str  # the letter's date, or ""
    pages: int
    passages: int
    uploaded: bool

    @property
    def label(self) -> str:
        """How a tick box names it: 'Stockton-on-Tees · JTAI · 2018-01-15'."""
        when = self.published if self.published != NOT_STATED else self.visited
        return " · ".join(x for x in (self.area, self.inspection_type, when) if x)


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


def choice_note(catalog: Catalog, chosen: list[str] | None, shown: int = 4) -> str:
    """What the next questions are asked about, said beside the question box.

    >>> choice_note(Catalog.__new__(Catalog), [])
    ''
    """
    if not chosen:
        return ""
    names = [letter_name(catalog, d) for d in chosen[:shown]]
    more = f" and {len(chosen) - shown} more" if len(chosen) > shown else ""
    noun = "letter" if len(chosen) == 1 else "letters"
    return f"Asking only about {len(chosen)} {noun}: {', '.join(names)}{more}."


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
        )
        haystack = " ".join(
            (row.doc_id, row.area, row.inspection_type, row.visited, row.published)
        ).lower()
        if all(w in haystack for w in words):
            rows.append(row)
    return sorted(rows, key=lambda r: (r.visited or r.published, r.doc_id), reverse=True)


def library_html(rows: list[LibraryRow]) -> str:
    if not rows:
        return '<div class="notice">No letter matches.</div>'
    head = (
        "<tr><th>Area</th><th>Type</th><th>Inspected</th><th>Published</th><th>Pages</th>"
        "<th>Passages</th><th>From</th><th>Id</th></tr>"
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(x))}</td>"
            for x in (
                r.area,
                r.inspection_type,
                r.visited,
                r.published,
                r.pages,
                r.passages,
                "uploaded" if r.uploaded else "shipped",
                r.doc_id,
            )
        )
        + "</tr>"
        for r in rows
    )
    return f'<table class="library"><thead>{head}</thead><tbody>{body}</tbody></table>'


def removable(rows: list[LibraryRow], chosen: list[str]) -> tuple[list[str], list[str]]:
    """The chosen ids split into uploaded ones (which can be removed) and shipped ones."""
    uploaded = {r.doc_id for r in rows if r.uploaded}
    return [d for d in chosen if d in uploaded], [d for d in chosen if d not in uploaded]
