"""An area's inspections in date order, with what each concluded: for the ``history`` command,
the page's history tab, and "how has X changed" questions."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.base import Draft, Reply
from assistant.answer.compose import Citer, doc_label, fact_passage, order_word, stop, when
from assistant.answer.lists import priority_lists
from assistant.gazetteer import canonical_area
from assistant.index.catalog import Catalog, area_key
from assistant.records import DocumentMeta, Fact, HistoryEntry, QueryPlan, ScoredPassage
from assistant.retrieve.filters import Filters, doc_matches


def headline(doc: DocumentMeta) -> tuple[Fact, ...]:
    """What an inspection concluded, as the document states it: its overall judgement (with the
    others), its outcome; else, where it gives no grade, its theme or focus."""
    judgements = doc.facts_named("judgement")
    overall = tuple(f for f in judgements if f.value.lower().startswith("overall"))
    return (
        overall + tuple(f for f in judgements if f not in overall)
        or doc.facts_named("outcome")
        or doc.facts_named("theme")
    )


def area_history(catalog: Catalog, area: str, filters: Filters | None = None) -> list[HistoryEntry]:
    """Every inspection of an area in the index, oldest first."""
    key = area_key(catalog.area_name(canonical_area(area) or area))
    docs = [
        d
        for d in catalog.documents.values()
        if area_key(d.area) == key and doc_matches(d, filters or Filters())
    ]
    docs.sort(key=when)
    return [HistoryEntry(d, headline(d), priority_actions(catalog, d)) for d in docs]


def priority_actions(catalog: Catalog, doc: DocumentMeta) -> tuple[Fact, ...]:
    """The areas for priority action a letter sets, read from its structure, as facts."""
    ordered = sorted(
        (catalog.passages[i] for i in catalog.by_doc.get(doc.doc_id, [])), key=lambda p: p.ordinal
    )
    return tuple(
        Fact("priority_action", text, passage.page_start, text)
        for pl in priority_lists(ordered)
        for passage, text in pl.items
    )


def trend(entries: list[HistoryEntry]) -> str:
    """'Requires improvement (2019) -> Good (2023)': the graded inspections in order."""
    steps = [f"{e.overall} ({(e.doc.date or '')[:4]})" for e in entries if e.overall]
    return " \u2192 ".join(steps)


class HistoryRoute:
    """Answers "how has X changed" from the area's history, every inspection cited."""

    name = "history"

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def accepts(self, plan: QueryPlan) -> bool:
        return plan.reach == "history" and len(plan.areas) == 1

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None:
        entries = area_history(self.catalog, plan.areas[0], _with_types(filters, plan))
        if len(entries) < 2:
            return None  # one inspection has no history: answer from its text
        citer = Citer()
        order = order_word(plan.oldest_first)
        lines = [f"**{len(entries)} inspections of {plan.areas[0]} in the index, {order}.**"]
        for entry in entries if plan.oldest_first else entries[::-1]:
            lines.append(f"\n**{doc_label(entry.doc)}:**")
            for fact in entry.headline[:4]:
                sp = fact_passage(self.catalog, entry.doc, fact.quote)
                if sp is not None:
                    lines.append(f"{stop(fact.quote)[:-1]} [{citer.cite(sp, fact.quote)}].")
        steps = trend(entries)  # the direction of travel reads oldest to newest
        if steps.count("\u2192"):
            lines.append(f"\n**Overall effectiveness over time:** {steps}")
        ranked = tuple(
            ScoredPassage(sp.passage, sp.doc, 1.0, rank)
            for rank, sp in enumerate(citer.passages, start=1)
        )
        return Reply(Draft("\n".join(lines), citer.citations(), False), ranked)


def _with_types(filters: Filters, plan: QueryPlan) -> Filters:
    return replace(filters, types=filters.types or plan.types)
