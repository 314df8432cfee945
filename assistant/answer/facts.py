"""Answers about an inspection itself (when, who, which inspectorates, its theme, the previous
inspection, the judgements), from the facts record ingestion keeps for each document, quoted
and cited to the passage that states them. A fact the document does not state is named as
missing, never guessed."""

from __future__ import annotations

from assistant.answer.base import NEAREST, Draft, Reply
from assistant.answer.compose import Citer, doc_label, fact_passage, stop
from assistant.index.catalog import Catalog
from assistant.lexical import focus_terms, grades_named, stems
from assistant.records import DocumentMeta, Fact, QueryPlan, ScoredPassage
from assistant.retrieve.filters import Filters, allowed_docs, doc_matches

MISSING = {
    "fieldwork": "does not say when the inspection took place",
    "published": "does not say when it was published (reports print only their inspection dates)",
    "inspectorates": "does not say which inspectorates took part",
    "lead_inspector": "does not say who led the inspection",
    "inspectors": "does not name the inspectors",
    "signatories": "does not say who signed it",
    "theme": "does not state a theme or focus",
    "previous": "does not say when the previous inspection was or what it found",
    "judgement": "does not give grades or judgements",
    "outcome": "does not state an inspection outcome",
}
# Facts a document states plainly or not at all: when none is there, that is the answer.
DEFINITE = frozenset(MISSING) - {"theme", "previous"}
# Stand-ins offered beside a missing fact, so the reader sees what the letter does say.
NEAREST_FACTS = {"lead_inspector": ("inspectors", "signatories"), "judgement": ("outcome",)}
_MAX_DOCS = 8


def scoped_docs(catalog: Catalog, plan: QueryPlan, filters: Filters) -> list[DocumentMeta]:
    """The documents a question about an inspection is about: those the page's filters or the
    question name, in date order; none when it names no area or document."""
    if filters.doc_ids:
        ids = list(filters.doc_ids)
    elif plan.doc_ids:
        ids = [d for d in plan.doc_ids if doc_matches(catalog.doc(d), filters)]
    elif filters.areas:
        ids = sorted(allowed_docs(catalog, filters) or ())
    else:
        return []
    docs = [catalog.doc(d) for d in ids if d in catalog.documents]
    return sorted(docs, key=lambda d: d.date or "")[:_MAX_DOCS]


def judgements_asked(doc: DocumentMeta, plan: QueryPlan) -> tuple[Fact, ...] | None:
    """The judgements a question asks about: the overall one, those with the grade it names
    ("which was outstanding"), those about its topic ("the LSCB"), else all of them; None
    when it asks about a topic no recorded judgement names (the text may still judge it)."""
    facts = doc.facts_named("judgement")
    if plan.overall:
        overall = tuple(f for f in facts if f.value.lower().startswith("overall"))
        if overall:
            return overall
    graded = plan.grades
    if graded:
        chosen = tuple(f for f in facts if grades_named(f.value.split(": ")[-1]) & graded)
        if chosen:
            return chosen
    terms = set(focus_terms(plan.focus or plan.keywords)) - _JUDGEMENT_WORDS
    if not terms:
        return facts
    about = tuple(f for f in facts if terms & set(stems(f.value.split(": ")[0])))
    return about or None


_JUDGEMENT_WORDS = frozenset(
    stems(
        "judgement judgements judged grade graded grades rated rating overall effectiveness given "
        "give gave receive received get got inspection ilacs sif"
    )
)


class FactsRoute:
    """Answers the fact part of a question from the documents' facts records."""

    name = "facts"

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def accepts(self, plan: QueryPlan) -> bool:
        return bool(plan.facts)

    def facts(self, doc: DocumentMeta, name: str, plan: QueryPlan) -> tuple[Fact, ...] | None:
        if name == "judgement":
            if not doc.facts_named("judgement"):
                return doc.facts_named("outcome")
            return judgements_asked(doc, plan)
        return doc.facts_named(name)

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None:
        docs = scoped_docs(self.catalog, plan, filters)
        if not docs:
            return None
        citer = Citer()
        lines: list[str] = []
        missing: list[str] = []
        grouped = len(docs) > 1
        for doc in docs:
            if grouped:
                lines.append(f"\n**{doc_label(doc)}:**")
            for name in plan.facts:
                facts = self.facts(doc, name, plan)
                if facts is None:
                    return None  # about something the record does not name: read the text
                cited = self._lines(doc, facts, citer)
                if cited:
                    lines.extend(cited)
                    continue
                missing.append(name)
                what = "letter" if doc.letter_date else "report"
                lines.append(f"The {doc.inspection_type} {what} {MISSING[name]}.")
                for other in NEAREST_FACTS.get(name, ()):
                    lines.extend(self._lines(doc, doc.facts_named(other), citer))
        if not citer.passages:
            if not set(missing) <= DEFINITE:
                return None  # a theme or a previous inspection may be told in the text
            nearest = tuple(self._opening(doc) for doc in docs)
            text = " ".join(line for line in lines if not line.startswith("\n**"))
            return Reply(Draft(f"{text} {NEAREST}", (), True), tuple(p for p in nearest if p))
        draft = Draft("\n".join(lines).strip(), citer.citations(self._pages(citer)), False)
        ranked = tuple(
            ScoredPassage(sp.passage, sp.doc, 1.0, rank)
            for rank, sp in enumerate(citer.passages, start=1)
        )
        return Reply(draft, ranked)

    def _lines(self, doc: DocumentMeta, facts: tuple[Fact, ...], citer: Citer) -> list[str]:
        lines = []
        for fact in facts:
            sp = fact_passage(self.catalog, doc, fact.quote)
            if sp is None:
                continue
            n = citer.cite(sp, fact.quote)
            lines.append(f"**{fact.label}:** {stop(fact.quote)[:-1]} [{n}].")
        return lines

    def _pages(self, citer: Citer) -> dict[tuple[str, str], int]:
        """Each quoted fact's own page (a passage may run over two)."""
        pages = {}
        for sp in citer.passages:
            for quote in citer.quoted[sp.passage.id]:
                fact = next((f for f in sp.doc.facts if f.quote == quote), None)
                if fact is not None:
                    pages[(sp.passage.id, quote)] = fact.page
        return pages

    def _opening(self, doc: DocumentMeta) -> ScoredPassage | None:
        positions = self.catalog.by_doc.get(doc.doc_id, [])
        for i in positions:
            p = self.catalog.passages[i]
            if p.kind == "paragraph":
                return ScoredPassage(p, doc, 0.0)
        return None
