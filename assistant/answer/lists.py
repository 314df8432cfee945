"""A letter's whole list of points: every item under "What needs to improve", "Areas for priority
action" or "areas for improvement", quoted in the letter's order, each cited.

A question asking what a letter says must improve, with no narrower topic (``plan.whole_list``),
wants the list whole: a search returns the three items nearest its words, not the eight the
letter gives. Only a list is quoted whole: a section of short points, not the long section of
findings some older letters put under "Areas for improvement" (answered from passages).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.base import Reply
from assistant.answer.compose import when
from assistant.answer.evidence import Candidate
from assistant.answer.grounded import GroundedAnswerer
from assistant.index.catalog import Catalog
from assistant.records import (
    ASIDE_KINDS,
    JUDGEMENTS,
    DocumentMeta,
    Passage,
    QueryPlan,
    ScoredPassage,
)
from assistant.retrieve.filters import Filters, allowed_docs
from assistant.text import split_sentences

MAX_ITEMS = 15  # a longer run of points is a section of findings, not a list
MAX_ITEM_WORDS = 150
MIN_ITEM_WORDS = 2  # a single word is a name or a web link, not a point
LONG_ITEM_WORDS = 40  # a longer point is quoted by its first sentence, which states it


_ADDRESS = re.compile(r"www\.|https?://|@\w")


@dataclass(frozen=True)
class PointList:
    """One list of a letter: its heading and its items, each with the passage it is in."""

    heading: str
    items: tuple[tuple[Passage, str], ...]

    @property
    def priority(self) -> bool:
        return "priority" in self.heading.lower()


def point_lists(passages: Sequence[Passage]) -> list[PointList]:
    """A document's lists of points for improvement, in its order (``passages`` in order); none
    when any of its sections for improvement is not a list (a long section of findings, as
    older letters' "Areas for improvement": the letter has no list to quote whole, and a
    shorter one beside it, a case study's, is not the answer)."""
    lists = []
    for heading, lines in _sections(passages):
        if not is_list([text for _, text in lines]):
            return []
        lists.append(PointList(heading, tuple((p, point(text)) for p, text in lines)))
    return lists


def priority_lists(passages: Sequence[Passage]) -> list[PointList]:
    """A document's lists of areas for priority action ("There are no areas for priority
    action" is none)."""
    return [
        PointList(heading, tuple((p, point(text)) for p, text in lines))
        for heading, lines in _sections(passages)
        if "priority" in heading.lower()
        and is_list([text for _, text in lines])
        and not any(_NONE.match(text) for _, text in lines)
    ]


_NONE = re.compile(r"^there (?:are|were|is|was) no\b", re.I)


def _sections(passages: Sequence[Passage]) -> list[tuple[str, list[tuple[Passage, str]]]]:
    """Each run of passages under one heading for improvement, as its lines (a lead-in ending
    in a colon is not a point)."""
    runs: list[tuple[str, list[Passage]]] = []
    for p in passages:
        if p.polarity != "improvement" or p.section == JUDGEMENTS or p.kind in ASIDE_KINDS:
            continue
        if runs and runs[-1][0] == p.section and runs[-1][1][-1].ordinal == p.ordinal - 1:
            runs[-1][1].append(p)
        else:
            runs.append((p.section, [p]))
    return [
        (
            heading,
            [
                (p, line.strip())
                for p in run
                for line in p.text.splitlines()
                if line.strip() and not line.rstrip().endswith(":")
            ],
        )
        for heading, run in runs
    ]


def is_list(items: Sequence[str]) -> bool:
    """Not many points, none long, each a phrase or sentence: a list a reader wants whole.

    >>> is_list(["Sufficiency of foster homes.", "The quality of plans for children."])
    True
    >>> is_list(["Hartlepool Borough Council", "www.example.gov.uk"])
    False
    """
    return 0 < len(items) <= MAX_ITEMS and all(
        MIN_ITEM_WORDS <= len(t.split()) <= MAX_ITEM_WORDS for t in items
    )


def point(item: str) -> str:
    """An item as quoted: whole, or a long one by its first sentence."""
    if len(item.split()) <= LONG_ITEM_WORDS:
        return item
    sentences = split_sentences(item)
    return sentences[0] if sentences else item


class WholeListRoute:
    """Quotes a letter's whole list of points when a question asks for it."""

    name = "whole list"

    def __init__(self, catalog: Catalog, grounded: GroundedAnswerer) -> None:
        self.catalog = catalog
        self.grounded = grounded

    def accepts(self, plan: QueryPlan) -> bool:
        return plan.whole_list and plan.reach == "passages"

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None:
        doc = self._letter(plan, filters)
        if doc is None:
            return None
        ordered = [self.catalog.passages[i] for i in self.catalog.by_doc[doc.doc_id]]
        lists = point_lists(sorted(ordered, key=lambda p: p.ordinal))
        if plan.priority_only and any(pl.priority for pl in lists):
            lists = [pl for pl in lists if pl.priority]
        if not lists:
            return None
        scored: dict[str, ScoredPassage] = {}
        candidates = []
        for pl in lists:
            for order, (passage, item) in enumerate(pl.items):
                scored.setdefault(passage.id, ScoredPassage(passage, doc, 1.0, len(scored) + 1))
                index = list(scored).index(passage.id)
                candidates.append(Candidate(index, order, item, 1.0, 1.0, True, 1.0))
        passages = list(scored.values())
        draft = self.grounded.compose(candidates, passages, plan, as_list=True)
        notes = self._others(plan, doc)
        return Reply(draft, tuple(passages), notes)

    def _letter(self, plan: QueryPlan, filters: Filters) -> DocumentMeta | None:
        """The letter asked about: the one chosen, else the area's latest of those planned."""
        allowed = allowed_docs(self.catalog, filters)
        chosen = plan.doc_ids
        if allowed is not None:
            chosen = tuple(d for d in chosen if d in allowed) or tuple(sorted(allowed))
        docs = [self.catalog.doc(d) for d in chosen if d in self.catalog.documents]
        if not docs or len({d.area for d in docs}) > 1:
            return None
        return max(docs, key=when)

    def _others(self, plan: QueryPlan, doc: DocumentMeta) -> tuple[str, ...]:
        others = [d for d in plan.doc_ids if d != doc.doc_id]
        if not others:
            return ()
        return (
            f"From the latest letter for {doc.area} ({doc.inspection_type}, "
            f"{(doc.letter_date or doc.date or '')[:7]}); the index holds {len(others)} more for "
            f"{doc.area}: name its year or type to see another's list.",
        )
