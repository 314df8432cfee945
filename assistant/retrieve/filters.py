"""Search filters: area, inspection type, date range, polarity, or named documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from assistant.index.catalog import Catalog, area_key
from assistant.records import POLARITIES, DocumentMeta, Passage


@dataclass(frozen=True)
class Filters:
    areas: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: str | None = None  # ISO date: the inspection or the letter on or after it
    until: str | None = None
    polarity: str | None = None  # "strength" | "improvement"
    doc_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.polarity is not None and self.polarity not in POLARITIES:
            raise ValueError(
                f"polarity must be one of {', '.join(POLARITIES)}, not {self.polarity!r}"
            )

    @cached_property
    def area_keys(self) -> frozenset[str]:
        """The areas' match keys, built once per filter rather than once per document."""
        return frozenset(area_key(a) for a in self.areas)

    @cached_property
    def type_keys(self) -> frozenset[str]:
        return frozenset(t.lower() for t in self.types)

    @cached_property
    def doc_id_set(self) -> frozenset[str]:
        return frozenset(self.doc_ids)

    @property
    def empty(self) -> bool:
        return self == Filters()

    @classmethod
    def from_scope(cls, scope: dict[str, Any] | None) -> Filters:
        """From a gold question's ``scope`` (GOLDSET.md)."""
        scope = scope or {}
        return cls(
            areas=tuple(scope.get("area", ())),
            types=tuple(scope.get("type", ())),
            since=scope.get("since"),
            until=scope.get("until"),
            polarity=scope.get("polarity"),
            doc_ids=tuple(scope.get("doc", ())),
        )

    def describe(self, name: Callable[[str], str] = str) -> str:
        """The filters in words (``name``: how a chosen letter is named, by its id)."""
        parts = []
        if self.areas:
            parts.append("area: " + ", ".join(self.areas))
        if self.types:
            parts.append("type: " + ", ".join(self.types))
        if self.since or self.until:
            parts.append(f"dates: {self.since or '…'} to {self.until or '…'}")
        if self.polarity:
            parts.append(f"polarity: {self.polarity}")
        if self.doc_ids:
            more = len(self.doc_ids) - 4
            names = ", ".join(name(d) for d in self.doc_ids[:4])
            parts.append(f"letters: {names}" + (f" and {more} more" if more > 0 else ""))
        return "; ".join(parts)


def doc_matches(doc: DocumentMeta, filters: Filters) -> bool:
    if filters.doc_ids and doc.doc_id not in filters.doc_id_set:
        return False
    if filters.areas and area_key(doc.area) not in filters.area_keys:
        return False
    if filters.types and doc.inspection_type.lower() not in filters.type_keys:
        return False
    if not (filters.since or filters.until):
        return True
    # In range when the inspection or the letter is: a visit in late 2022 reported in January
    # 2023 is found by "2022" and by "2023".
    dates = [d for d in (doc.fieldwork_start, doc.fieldwork_end, doc.letter_date) if d]
    return any(
        (not filters.since or d >= filters.since) and (not filters.until or d <= filters.until)
        for d in dates
    )


def passage_matches(passage: Passage, filters: Filters) -> bool:
    return filters.polarity is None or passage.polarity == filters.polarity


def allowed_docs(catalog: Catalog, filters: Filters) -> set[str] | None:
    """Documents the filters admit; None when no document-level filter is set."""
    if not (filters.doc_ids or filters.areas or filters.types or filters.since or filters.until):
        return None
    return {d.doc_id for d in catalog.documents.values() if doc_matches(d, filters)}


def chroma_where(allowed: set[str] | None, filters: Filters) -> dict[str, Any] | None:
    """The same filters as a Chroma ``where`` clause."""
    clauses: list[dict[str, Any]] = []
    if allowed is not None:
        clauses.append({"doc_id": {"$in": sorted(allowed) or ["\u0000none"]}})
    if filters.polarity:
        clauses.append({"polarity": filters.polarity})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
