"""Plan-aware retrieval: search the plan's scope, once per area or inspection it compares.

FINDINGS.md measured what this does: restricting to the named area *and* removing the area's
words from the query lifts evidence hit@5 sharply (letterheads repeat the name); comparison
questions need one retrieval per area or inspection, or one document fills the top k.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from assistant.index.catalog import Catalog
from assistant.lexical import GRADE, focus_terms, stems
from assistant.read.answer_types import GRADE as GRADE_ANSWER
from assistant.records import QueryPlan, ScoredPassage
from assistant.retrieve.filters import Filters
from assistant.retrieve.hybrid import HybridRetriever

JUDGEMENT_TEXT = re.compile(
    r"overall effectiveness|judgements?\b|graded judgement|services in .{2,40} are (good|outstanding|inadequate)|"
    r"inspection outcome|arrangements typically lead|\brequires improvement\b|\b(is|are) (good|outstanding|inadequate)\b",
    re.I,
)


_DATES = re.compile(
    r"\(?\b(?:letter|report|published|inspected)?\s*(?:of|in|on)?\s*"
    r"(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s*[-\u2013]\s*(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December))?\s+(?:19|20)\d\d\)?",
    re.I,
)


def without_dates(text: str) -> str:
    """The text with its month-and-year dates taken out ("in March 2024 (letter of April
    2024)"); a bare year stays, as the answer may state it ("in 2016, 300 children...")."""
    return re.sub(r"\s+", " ", _DATES.sub(" ", text)).strip() or text


@dataclass(frozen=True)
class Retrieval:
    plan: QueryPlan
    passages: list[ScoredPassage]
    notes: tuple[str, ...] = ()


class Planner:
    def __init__(self, retriever: HybridRetriever, catalog: Catalog) -> None:
        self.retriever = retriever
        self.catalog = catalog

    def missing_types(self, plan: QueryPlan) -> list[str]:
        """'No ILACS report for Hartlepool': a named inspection type the area does not have."""
        notes = []
        for area in plan.areas:
            held = sorted(
                {
                    d.inspection_type
                    for d in self.catalog.documents.values()
                    if d.area and self.catalog.area_name(d.area) == area
                }
            )
            absent = [t for t in plan.types if t not in held]
            if plan.types and len(absent) == len(plan.types):
                notes.append(
                    f"The index holds no {' or '.join(absent)} document for {area} (it holds: {', '.join(held)})."
                )
            elif plan.types and plan.years and not plan.previous:
                notes.extend(self._missing_year(plan, area))
        return notes

    def _missing_year(self, plan: QueryPlan, area: str) -> list[str]:
        """'No 2023 ILACS for Durham': a named type in a named year the area does not have (a
        year alone may be a statistic's, "in 2015/16"; with a type it names the letter)."""
        typed = [
            d
            for d in self.catalog.documents.values()
            if d.area and self.catalog.area_name(d.area) == area and d.inspection_type in plan.types
        ]
        # Within a year either side: a report is often published the year after its visit (and
        # may not print the date), and a letter gives figures for the year before it.
        years = {
            int(x[:4]) + slack
            for d in typed
            for x in (d.date, d.letter_date)
            if x
            for slack in (-1, 0, 1)
        }
        if not typed or years & set(plan.years):
            return []
        held = ", ".join(
            f"{d.inspection_type} {(d.letter_date or d.date or '')[:4]}"
            for d in sorted(typed, key=lambda d: d.date or "")
        )
        named = " or ".join(str(y) for y in plan.years)
        kinds = " or ".join(plan.types)
        return [f"The index holds no {named} {kinds} document for {area} (it holds: {held})."]

    def notes(self, plan: QueryPlan, filters: Filters) -> list[str]:
        """Why the index cannot answer: an area it does not hold, a type the area lacks."""
        if filters.doc_ids or filters.areas:
            return []
        notes = []
        if plan.unknown_areas:
            names = ", ".join(plan.unknown_areas)
            notes.append(f"The index holds no inspection documents for {names}.")
        return notes + list(plan.suggestions) + self.missing_types(plan)

    def retrieve(self, plan: QueryPlan, filters: Filters, k: int) -> Retrieval:
        notes = self.notes(plan, filters)
        user_scoped = bool(filters.doc_ids or filters.areas)
        groups: list[Filters]
        if user_scoped or not plan.doc_ids:
            groups = [filters]
        elif plan.multi and (plan.compare or len(plan.areas) > 1):
            by_area = len(plan.areas) > 1
            groups = []
            for area in plan.areas if by_area else ():
                docs = tuple(
                    d
                    for d in plan.doc_ids
                    if self.catalog.area_name(self.catalog.doc(d).area) == area
                )
                groups.append(replace(filters, doc_ids=docs))
            if not by_area:
                groups = [replace(filters, doc_ids=(d,)) for d in plan.doc_ids]
        else:
            groups = [replace(filters, doc_ids=plan.doc_ids)]
        if len(groups) == 1:
            passages = self._search(plan, groups[0], k)
            return Retrieval(plan, self._with_judgements(plan, passages, k), tuple(notes))
        each = max(2, math.ceil(k / len(groups)))
        lists = [self._search(plan, g, each) for g in groups]
        merged: list[ScoredPassage] = []
        for i in range(each):  # interleave, so every part is represented near the top
            merged.extend(lst[i] for lst in lists if i < len(lst))
        return Retrieval(plan, self._with_judgements(plan, merged, k), tuple(notes))

    def _search(self, plan: QueryPlan, filters: Filters, k: int) -> list[ScoredPassage]:
        search, keywords = plan.search_text, plan.keywords
        if filters.doc_ids:
            # The documents are chosen already: their dates in the query only pull in the
            # letterhead and introduction that repeat them.
            search, keywords = without_dates(search), without_dates(keywords)
        found = self.retriever.search(search, filters, k, keywords)
        own = plan.focus if plan.follow_up else ""
        if not own or own == keywords or not focus_terms(own):
            return found
        # A follow-up searched with the last question's topic as well ("and what about
        # dentists?" after a question about conferences) may find only that topic: its own
        # words are searched too, and the two lists taken in turn.
        alone = self.retriever.search(own, filters, k, own)
        return interleave([alone, found], k)

    def _with_continuations(self, passages: list[ScoredPassage]) -> list[ScoredPassage]:
        """A passage ending in a lead-in ("...the following areas:") is followed by the next
        passage of its document, where the sentence goes on (the list it introduces)."""
        out: list[ScoredPassage] = []
        seen: set[str] = set()
        for sp in passages:
            if sp.passage.id in seen:
                continue
            out.append(sp)
            seen.add(sp.passage.id)
            if sp.passage.text.rstrip().endswith(":"):
                _, after = self.catalog.neighbours(sp.passage)
                if after is not None and after.id not in seen:
                    out.append(ScoredPassage(after, sp.doc, sp.score, sp.rank))
                    seen.add(after.id)
        return out

    def _with_judgements(
        self, plan: QueryPlan, passages: list[ScoredPassage], k: int
    ) -> list[ScoredPassage]:
        """A question about grades gets the passages that state them (the judgement table or
        the sentence giving the grade), which share few words with how people ask."""
        extra: list[ScoredPassage] = []
        if plan.answer_type == GRADE_ANSWER:
            terms = set(focus_terms(plan.keywords))
            for doc_id in plan.doc_ids:
                doc = self.catalog.doc(doc_id)
                if not (doc.judgements or doc.outcome):
                    continue
                stating = [
                    p
                    for p in (self.catalog.passages[i] for i in self.catalog.by_doc[doc_id])
                    if JUDGEMENT_TEXT.search(p.search_text) and GRADE.search(p.search_text)
                ]
                # The one about what was asked ("the LSCB", "care leavers"), else the first.
                stating.sort(key=lambda p: -len(terms & set(stems(p.search_text))))
                extra.extend(ScoredPassage(p, doc, 1.0) for p in stating[:2])
        seen = {sp.passage.id for sp in extra}
        merged = self._with_continuations(
            extra + [sp for sp in passages if sp.passage.id not in seen]
        )
        return [replace(sp, rank=r) for r, sp in enumerate(merged[:k], start=1)]


def interleave(lists: list[list[ScoredPassage]], k: int) -> list[ScoredPassage]:
    """The lists taken in turn, each passage once, up to ``k``."""
    out: list[ScoredPassage] = []
    seen: set[str] = set()
    for i in range(max((len(x) for x in lists), default=0)):
        for lst in lists:
            if i < len(lst) and lst[i].passage.id not in seen:
                seen.add(lst[i].passage.id)
                out.append(lst[i])
    return out[:k]
