"""Questions over many documents: a list of the documents that meet a condition ("which areas
were judged inadequate overall", "the JTAIs on neglect since 2018"), answered from every
matching document's facts; and a theme ("what do letters commonly find about X"), answered
with the best quote from each letter that raises it and how many do."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.base import Draft, Reply
from assistant.answer.compose import Citer, doc_label, fact_passage, order_word, stop, when
from assistant.answer.grounded import GroundedAnswerer
from assistant.answer.lists import priority_lists
from assistant.index.catalog import Catalog
from assistant.lexical import coverage, focus_terms, grades_named, stems
from assistant.records import ASIDE_KINDS, DocumentMeta, Fact, QueryPlan, ScoredPassage
from assistant.retrieve.filters import Filters, doc_matches
from assistant.retrieve.hybrid import HybridRetriever

# Words that frame a list question rather than say what the documents must be about.
_LIST_WORDS = frozenset(
    stems(
        "index corpus list name names all every document documents judged judgement judgements "
        "grade graded rated overall effectiveness inadequate outstanding good requires improvement "
        "since before after until between theme themes focus focused outcome outcomes held "
        "positive inconsistent widespread systemic failings look looking looked at about into "
        "had have has with examine examined examining cover covered covering consider "
        "considered concern concerned concerning inspect inspected area areas priority "
        "action actions set given received place places town towns city cities county counties "
        "borough boroughs council councils"
    )
)
# Words that frame a theme question ("what do letters most often criticise about ...").
_THEME_WORDS = frozenset(
    stems(
        "often most commonly common typically usually frequently criticise criticised criticism "
        "criticises praise praised praises raise raised raises mention mentioned mentions recurring "
        "theme themes issue issues part role case cases letters reports jtais across many "
        "typical usual frequent"
    )
)
_MAX_LISTED = 30


def in_years(doc: DocumentMeta, plan: QueryPlan) -> bool:
    """Whether the document falls in the years the question names ("since 2018", "in 2023")."""
    # Inspected in late 2017 and published in 2018 is "2018" to some and "2017" to others.
    years = {int(d[:4]) for d in (doc.date, doc.letter_date) if d}
    since, before = plan.since_year, plan.before_year
    if since or before:
        return any((not since or year >= since) and (not before or year < before) for year in years)
    return not plan.years or bool(years & set(plan.years))


def grade_facts(doc: DocumentMeta, plan: QueryPlan) -> tuple[Fact, ...] | None:
    """The judgement or outcome facts that give the grade a question names; None when it names
    none (no condition), () when the document does not meet it."""
    grades, outcomes, overall = plan.grades, plan.outcomes, plan.overall
    if not grades and not outcomes:
        return None
    found = []
    for fact in doc.facts_named("judgement"):
        name, _, grade = fact.value.rpartition(": ")
        if grades_named(grade) & grades and (not overall or name.lower().startswith("overall")):
            found.append(fact)
    for fact in doc.facts_named("outcome"):
        if any(w in fact.value.lower() for w in outcomes | grades):
            found.append(fact)
    return tuple(found)


class ListRoute:
    """Lists the documents that meet a question's conditions, each cited to its facts."""

    name = "list"

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def accepts(self, plan: QueryPlan) -> bool:
        return plan.reach == "list"

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None:
        topic = [t for t in focus_terms(plan.keywords) if t not in _LIST_WORDS]
        if plan.priority_only:
            return self._with_priority_actions(plan, filters)
        hits: list[tuple[DocumentMeta, tuple[Fact, ...]]] = []
        newest = not plan.oldest_first
        for doc in sorted(self.catalog.documents.values(), key=when, reverse=newest):
            if not doc_matches(doc, filters) or not in_years(doc, plan):
                continue
            if plan.types and doc.inspection_type not in plan.types:
                continue
            graded = grade_facts(doc, plan)
            if graded == ():
                continue
            about = self._about(doc, topic)
            if topic and not about and graded is None:
                continue  # the words name no grade or outcome: they must name the theme
            hits.append((doc, (graded or ()) + about or doc.facts_named("theme")))
        if topic and not hits:
            return None  # not a condition on the facts: a theme question, answered from text
        if not hits:
            return Reply(Draft("No document in the index meets that.", (), True), ())
        citer = Citer()
        kinds = " or ".join(plan.types) + " " if plan.types else ""
        noun = "document" if len(hits) == 1 else "documents"
        order = order_word(plan.oldest_first)
        lines = [f"**{len(hits)} {kinds}{noun} in the index match, {order}.**"]
        for doc, facts in hits[:_MAX_LISTED]:
            quoted = []
            for fact in facts[:2]:
                sp = fact_passage(self.catalog, doc, fact.quote)
                if sp is not None:
                    quoted.append(f"{stop(fact.quote)[:-1]} [{citer.cite(sp, fact.quote)}].")
            lines.append(f"**{doc_label(doc)}:** " + " ".join(quoted or ["(no facts recorded)"]))
        if len(hits) > _MAX_LISTED:
            lines.append(
                f"**And {len(hits) - _MAX_LISTED} more; narrow the question to see them.**"
            )
        ranked = tuple(replace(sp, rank=rank) for rank, sp in enumerate(citer.passages, start=1))
        return Reply(Draft("\n".join(lines), citer.citations(), False), ranked)

    def _with_priority_actions(self, plan: QueryPlan, filters: Filters) -> Reply:
        """The letters that set areas for priority action (read from their structure: a list
        under that heading), each with its first point quoted."""
        citer = Citer()
        lines = []
        count = 0
        docs = sorted(self.catalog.documents.values(), key=when, reverse=not plan.oldest_first)
        for doc in docs:
            if not doc_matches(doc, filters) or not in_years(doc, plan):
                continue
            if plan.types and doc.inspection_type not in plan.types:
                continue
            ordered = sorted(
                (self.catalog.passages[i] for i in self.catalog.by_doc[doc.doc_id]),
                key=lambda p: p.ordinal,
            )
            priority = priority_lists(ordered)
            if not priority:
                continue
            count += 1
            if count > _MAX_LISTED:
                continue
            passage, item = priority[0].items[0]
            n = citer.cite(ScoredPassage(passage, doc, 1.0), item)
            more = len(priority[0].items) - 1
            extra = f" (and {more} more)" if more else ""
            lines.append(f"**{doc_label(doc)}:** {stop(item)[:-1]} [{n}]{extra}.")
        if not count:
            return Reply(
                Draft("No letter in the index sets areas for priority action.", (), True), ()
            )
        noun = "letter sets" if count == 1 else "letters set"
        head = f"**{count} {noun} areas for priority action, {order_word(plan.oldest_first)}.**"
        if count > _MAX_LISTED:
            lines.append(f"**And {count - _MAX_LISTED} more; narrow the question to see them.**")
        ranked = tuple(replace(sp, rank=rank) for rank, sp in enumerate(citer.passages, start=1))
        return Reply(Draft("\n".join([head, *lines]), citer.citations(), False), ranked)

    def _about(self, doc: DocumentMeta, topic: list[str]) -> tuple[Fact, ...]:
        """The theme (or focus) facts of a document that hold the question's topic."""
        if not topic:
            return ()
        facts = doc.facts_named("theme")
        text = " ".join([doc.title, *(f.quote for f in facts)])
        if coverage(topic, text, self.catalog.idf) < 0.6:
            return ()
        return facts or ()


class ThemeRoute:
    """What many letters say about a topic: the best quote from each letter that raises it."""

    name = "theme"

    def __init__(
        self, catalog: Catalog, retriever: HybridRetriever, answerer: GroundedAnswerer
    ) -> None:
        self.catalog = catalog
        self.retriever = retriever
        self.answerer = answerer

    def accepts(self, plan: QueryPlan) -> bool:
        return plan.reach == "theme"

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None:
        scope = replace(filters, types=filters.types or plan.types)
        terms = [t for t in focus_terms(plan.focus or plan.keywords) if t not in _THEME_WORDS]
        if not terms:
            return None
        plan = replace(plan, focus=" ".join(terms))
        raising = self._raising(terms, scope, plan)
        found = self.retriever.search(plan.search_text, scope, 60, plan.keywords)
        best: dict[str, ScoredPassage] = {}
        for sp in found:
            if sp.passage.doc_id in raising:
                best.setdefault(sp.passage.doc_id, sp)
        citer = Citer()
        lines = []
        threshold = self.answerer.settings.abstain_coverage
        closest = list(best.values())[: max(k, 6)]
        for sp in sorted(closest, key=lambda sp: when(sp.doc), reverse=not plan.oldest_first):
            candidates = self.answerer.candidates(plan, [sp])
            top = max(candidates, key=lambda c: c.score, default=None)
            if top is None or top.coverage < threshold:
                continue
            n = citer.cite(sp, top.text)
            lines.append(f"**{doc_label(sp.doc)}:** {stop(top.text)[:-1]} [{n}].")
        if not lines:
            return None
        in_scope = sum(1 for d in self.catalog.documents.values() if doc_matches(d, scope))
        header = (
            f"**{len(raising)} of the {in_scope} documents in scope raise this; "
            f"the {len(lines)} closest, one quote each, {order_word(plan.oldest_first)}:**"
        )
        ranked = tuple(replace(sp, rank=r) for r, sp in enumerate(citer.passages, start=1))
        return Reply(Draft("\n".join([header, *lines]), citer.citations(), False), ranked)

    def _raising(self, terms: list[str], scope: Filters, plan: QueryPlan) -> set[str]:
        """Documents with a passage that holds most of the topic (its IDF weight)."""
        idf = self.catalog.idf
        total = sum(idf.get(t, 8.0) for t in terms)
        out = set()
        for passage, held in zip(self.catalog.passages, self.catalog.stem_sets, strict=True):
            if passage.doc_id in out or passage.kind in ASIDE_KINDS:
                continue
            if sum(idf.get(t, 8.0) for t in terms if t in held) >= 0.6 * total:
                doc = self.catalog.doc(passage.doc_id)
                if doc_matches(doc, scope) and in_years(doc, plan):
                    out.add(passage.doc_id)
        return out
