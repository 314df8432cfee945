"""The question reader: a question (with the last turn's plan) into the typed ``QueryPlan``.

Which areas, inspections, dates and polarity it is about, what kind of answer each of its parts
wants, and how far it reaches. ``understand`` is a pure function of the question and the
catalog's document list; ``QuestionReader`` holds what it reads against (the area names, the
documents, the answer typer) for the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from langchain_core.embeddings import Embeddings

from assistant.index.catalog import Catalog, area_key
from assistant.lexical import focus_terms
from assistant.read.answer_types import LIST, TYPERS, AnswerTyper, pattern_type, wants_individual
from assistant.read.areas import AreaMatcher
from assistant.read.intent import (
    facts_asked,
    grades_asked,
    oldest_first,
    previous_asked,
    previous_phrase,
    priority_only,
    quantity_target,
    reach,
    split_parts,
    whole_list_asked,
    without_order,
    without_previous,
    year_bounds,
)
from assistant.records import DocumentMeta, Polarity, QueryPlan

_TYPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(jtai|joint targeted|joint inspection|joint area)\b", re.I), "JTAI"),
    (re.compile(r"\bfocused visits?\b", re.I), "focused visit"),
    (re.compile(r"\bilacs\b|\binspection of local authority children", re.I), "ILACS"),
    (re.compile(r"\bsif\b|single inspection framework", re.I), "SIF"),
    # "SEND" as a name is written in capitals; the verb "send" is not a type.
    (re.compile(r"\bSEND\b|\b(?i:area send)\b|(?i:special educational needs)"), "area SEND"),
)
_STRENGTH = re.compile(
    r"\b(strengths?|strong|works? well|working well|effective practice|good practice|positive|"
    r"went well|doing well|praised?)\b",
    re.I,
)
_IMPROVE = re.compile(
    r"\b(weakness(es)?|improve(ment)?s?|needs? to (improve|change|do better)|do better|"
    r"(get|be|do|getting) better|fix(ed|ing)?|recommendations?|must (change|improve)|"
    r"priority actions?|concerns?|shortcomings?|gaps?|not (yet )?(good|effective)|failings?|"
    r"problems?|worries|poor)\b",
    re.I,
)
_YEAR = re.compile(r"\b(20[12]\d)\b")
_LATEST = re.compile(r"\b(latest|most recent|last|newest|current)\b", re.I)
_EARLIEST = re.compile(r"\b(earliest|first)\b", re.I)
_FOLLOW_UP = re.compile(
    r"^\s*(and|what about|how about|also|and what about|same for|there|what else)\b|\b(there|they|their|that area|this area)\b",
    re.I,
)
_COMPARE = re.compile(
    r"\b(compare|comparison|differ|difference|both|each|versus|vs\.?|change[ds]?|between)\b", re.I
)


def _types_in(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(kind for pattern, kind in _TYPES if pattern.search(text)))


def polarity_wanted(question: str) -> Polarity | None:
    strength, improve = bool(_STRENGTH.search(question)), bool(_IMPROVE.search(question))
    if strength and not improve:
        return "strength"
    if improve and not strength:
        return "improvement"
    return None


def understand(
    question: str,
    matcher: AreaMatcher,
    documents: list[DocumentMeta],
    previous: QueryPlan | None = None,
    *,
    part_of: bool = False,
    typer: AnswerTyper = pattern_type,
) -> QueryPlan:
    """Read a question; with ``previous`` (the last turn), a follow-up keeps its area and scope
    (``part_of``: a later part of the same question, always read as a follow-up)."""
    areas, unknown, stripped, misspelt, near = matcher.read(question)
    types = _types_in(question)
    years = tuple(int(y) for y in dict.fromkeys(_YEAR.findall(question)))
    since_year, before_year = year_bounds(question)
    grades, outcomes, overall = grades_asked(question)
    plan = QueryPlan(
        question=question,
        search_text=stripped or question,
        keywords=_strip_scaffolding(stripped or question),
        areas=tuple(areas),
        unknown_areas=tuple(unknown) if not areas else (),
        readings=tuple(f"Read \u201c{written}\u201d as {area}." for written, area in misspelt),
        suggestions=()
        if areas or unknown
        else tuple(
            f"The index holds no letter for \u201c{written}\u201d; did you mean {area}?"
            for written, area in near
        ),
        types=types,
        years=years,
        latest=bool(_LATEST.search(question)),
        earliest=bool(_EARLIEST.search(question)) and not _LATEST.search(question),
        oldest_first=oldest_first(question),
        polarity=polarity_wanted(question),
        answer_type=typer(question),
        individual=wants_individual(question),
        compare=bool(_COMPARE.search(question)),
        facts=facts_asked(question),
        reach=reach(question, len(areas)),
        since_year=since_year,
        before_year=before_year,
        grades=grades,
        outcomes=outcomes,
        overall=overall,
        quantity=quantity_target(stripped or question),
    )
    if previous is not None and (part_of or _is_follow_up(question, plan)):
        plan = replace(
            plan,
            areas=plan.areas or previous.areas,
            types=plan.types or previous.types,
            years=plan.years or previous.years,
            search_text=_merge(previous.search_text, plan.search_text, plan.keywords),
            keywords=_merge(previous.keywords, plan.keywords, plan.keywords),
            focus=_follow_up_focus(question, plan.keywords, previous.focus or previous.keywords),
            follow_up=True,
            suggestions=() if plan.areas or previous.areas else plan.suggestions,
        )
    plan = replace(plan, previous=previous_asked(question))
    plan = replace(
        plan,
        doc_ids=select_documents(plan, documents),
        whole_list=whole_list_asked(
            plan.answer_type, plan.polarity == "improvement", focus_terms(plan.keywords)
        ),
        priority_only=priority_only(question),
    )
    if plan.whole_list:
        plan = replace(plan, answer_type=LIST)
    anchors = plan.doc_ids
    earlier_kinds = _types_in(previous_phrase(question))
    if plan.previous:
        plan = the_one_before(plan, documents, earlier_kinds)
    texts = split_parts(question)
    if len(texts) > 1:
        # Each part is read alone, and inherits the scope the whole question gives.
        parts: list[QueryPlan] = []
        for text in texts:
            # A later part is read as a follow-up of the one before ("what is LIST, and when
            # is it available?": "it" is LIST).
            part = understand(
                text,
                matcher,
                documents,
                parts[-1] if parts else None,
                part_of=bool(parts),
                typer=typer,
            )
            part = replace(
                part,
                areas=part.areas or plan.areas,
                types=part.types or plan.types,
                years=part.years or plan.years,
                latest=part.latest or plan.latest,
                earliest=part.earliest or plan.earliest,
                oldest_first=part.oldest_first or plan.oldest_first,
                unknown_areas=part.unknown_areas or plan.unknown_areas,
                suggestions=() if part.areas or plan.areas else part.suggestions,
                doc_ids=part.doc_ids if part.areas else plan.doc_ids,
                reach=part.reach if part.areas or plan.reach == "passages" else plan.reach,
            )
            if plan.previous and not part.previous:
                # "When was the inspection before X, and what was it judged?": "it" is the
                # inspection before, too.
                part = replace(part, previous=True, doc_ids=anchors)
                part = the_one_before(part, documents, earlier_kinds)
            parts.append(part)
        plan = replace(plan, parts=tuple(parts))
    return plan


_BACK_REFERENCE = re.compile(r"\b(it|its|they|their|them|this|that|these|those)\b", re.I)


def _follow_up_focus(question: str, own: str, before: str) -> str:
    """What a follow-up must be about: its own words; with the last topic too when it points
    back to it ("up to what age does it work?": "it" is the team asked about before)."""
    if not focus_terms(own):
        return before
    return f"{before} {own}" if _BACK_REFERENCE.search(question) else own


def _merge(before: str, now: str, topic: str) -> str:
    """A follow-up with little topic of its own ("and the police there?") keeps the last one's."""
    return now if len(focus_terms(topic)) > 2 else f"{before} {now}"


def _is_follow_up(question: str, plan: QueryPlan) -> bool:
    short = len(question.split()) <= 8
    return bool(_FOLLOW_UP.search(question)) or (
        short and not plan.areas and not plan.unknown_areas
    )


_SCAFFOLD = re.compile(
    r"\b(what|which|how|did|does|do|the|inspectors?|inspection|letter|report|find|found|say|said|"
    r"about|in|of|tell me|according to|jtai|ilacs|sif|and|there|also|else|same|for|what about|how about)\b",
    re.I,
)


def _strip_scaffolding(text: str) -> str:
    """Keep the words that carry the topic; the question frame adds nothing to retrieval."""
    kept = _SCAFFOLD.sub(" ", without_order(text))
    kept = re.sub(r"[?!.,;:]+", " ", kept)
    kept = re.sub(r"\s+", " ", kept).strip()
    return kept or re.sub(r"\s+", " ", text).strip()


def select_documents(plan: QueryPlan, documents: list[DocumentMeta]) -> tuple[str, ...]:
    """The documents the question points at, when it names an area (else all: empty tuple)."""
    if not plan.areas:
        return ()
    chosen: list[str] = []
    for area in plan.areas:
        docs = [d for d in documents if area_key(d.area) == area_key(area)]
        if plan.types:
            typed = [d for d in docs if d.inspection_type in plan.types]
            docs = typed or docs
        if plan.years:
            dated = [
                d
                for d in docs
                if (d.date and int(d.date[:4]) in plan.years)
                or (d.letter_date and int(d.letter_date[:4]) in plan.years)
            ]
            docs = dated or docs
        docs.sort(key=lambda d: d.date or "")
        if docs and plan.latest and not plan.compare:
            docs = docs[-1:]
        elif docs and plan.earliest and not plan.compare:
            docs = docs[:1]
        chosen.extend(d.doc_id for d in docs)
    return tuple(dict.fromkeys(chosen))


def the_one_before(
    plan: QueryPlan, documents: list[DocumentMeta], kinds: tuple[str, ...] = ()
) -> QueryPlan:
    """A question about the inspection before another (``plan.previous``): the plan is turned
    to the area's inspection before the one it names (else before its latest): of the type
    the question gives the earlier one (``kinds``: "the previous SEND inspection"), else of
    the named one's type where there is one, else one that gives grades when grades are
    asked; a note says which. With none in the index, the named letter's own account of the
    earlier inspection is asked for."""
    if not plan.doc_ids:
        return plan
    by_id = {d.doc_id: d for d in documents}
    anchor = max((by_id[d] for d in plan.doc_ids), key=lambda d: d.date or "")
    earlier = sorted(
        (
            d
            for d in documents
            if area_key(d.area) == area_key(anchor.area) and (d.date or "") < (anchor.date or "")
        ),
        key=lambda d: d.date or "",
    )
    graded = plan.answer_type == "grade" or "judgement" in plan.facts
    preferences: list[Callable[[DocumentMeta], bool]]
    if kinds:
        preferences = [lambda d: d.inspection_type in kinds]
    else:
        preferences = [
            lambda d: (
                d.inspection_type == anchor.inspection_type and (not graded or bool(d.judgements))
            ),
            lambda d: not graded or bool(d.judgements or d.outcome),
        ]
    rest = tuple(f for f in plan.facts if f not in ("previous", "judgement"))
    keywords = without_previous(plan.keywords) or plan.keywords
    for prefer in preferences:
        chosen = [d for d in earlier if prefer(d)]
        if chosen:
            before = chosen[-1]
            facts = tuple(f for f in plan.facts if f != "previous")
            if not facts and graded:
                facts = ("judgement",)
            elif not facts and plan.answer_type == "date":
                facts = ("fieldwork",)
            note = (
                f"The inspection before {_label(anchor)} in the index is {_label(before)}; "
                "answered from it."
            )
            return replace(
                plan,
                doc_ids=(before.doc_id,),
                facts=facts,
                readings=(*plan.readings, note),
                keywords=keywords,
            )
    # The named letter's own account: a grade asked is found in its text (a sentence giving
    # one), else its statement of the previous inspection is quoted.
    facts = rest if graded else (*rest, "previous")
    return replace(plan, doc_ids=(anchor.doc_id,), facts=facts, keywords=keywords)


def _label(doc: DocumentMeta) -> str:
    return f"{doc.area}'s {doc.inspection_type} of {(doc.date or doc.letter_date or '')[:7]}"


class QuestionReader:
    """Reads questions against one catalog: its areas (with misspellings and everyday names),
    its documents, and the answer typer the setting ``answer_types`` names."""

    def __init__(self, catalog: Catalog, typer: AnswerTyper = pattern_type) -> None:
        self.catalog = catalog
        self.matcher = AreaMatcher(catalog.areas.values(), vocabulary=catalog.idf)
        self.typer = typer

    @classmethod
    def for_settings(cls, catalog: Catalog, kind: str, embeddings: Embeddings) -> QuestionReader:
        return cls(catalog, TYPERS[kind](embeddings))

    def read(self, question: str, previous: QueryPlan | None = None) -> QueryPlan:
        """The plan of a question; with ``previous`` (the last turn's), a follow-up keeps its
        scope."""
        documents = list(self.catalog.documents.values())
        return understand(question, self.matcher, documents, previous, typer=self.typer)

    def keeps_scope(self, question: str, rewritten: str, conversation: str = "") -> bool:
        """Whether a rewritten follow-up keeps every area, inspection type and year the user
        named, and adds no area that neither the question nor the conversation named (a
        model asked to make a question stand alone must not move it to another area)."""
        asked, written = self.read(question), self.read(rewritten)
        earlier = set(self.matcher.read(conversation).areas) if conversation else set()
        return (
            set(asked.areas) <= set(written.areas)
            and set(asked.unknown_areas) <= set(written.unknown_areas) | set(written.areas)
            and set(asked.types) <= set(written.types)
            and set(asked.years) <= set(written.years)
            and set(written.areas) <= set(asked.areas) | earlier
        )
