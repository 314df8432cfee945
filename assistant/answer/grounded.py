"""The default, offline answerer: sentences of the retrieved passages, chosen for the question,
each quoted verbatim with its [n] citation; or an abstention with the reason.

Every sentence is copied from the passage it cites, so figures, dates and names come verbatim
from the letter, and no sentence goes uncited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.base import Draft, not_found
from assistant.answer.compose import doc_label, when
from assistant.answer.evidence import (
    Candidate,
    addresses_assistant,
    holds_answer_type,
    redundant,
    template_key,
)
from assistant.index.catalog import Catalog, area_key
from assistant.lexical import GRADE, coverage, focus_terms
from assistant.read.answer_types import DATE, NUMBER, PERSON, TYPED
from assistant.read.answer_types import GRADE as GRADE_ASKED
from assistant.records import JUDGEMENTS, Citation, QueryPlan, ScoredPassage
from assistant.settings import Settings
from assistant.text import normalise, split_sentences

# What a letter lacks when it discusses the topic but not the kind of thing asked.
LACKING = {
    kind: ("gives no", "give no", f"{thing} for it")
    for kind, thing in (
        (NUMBER, "figure"),
        (PERSON, "name"),
        (DATE, "date"),
        (GRADE_ASKED, "grade"),
    )
}


class GroundedAnswerer:
    """Query-focused extractive answers with verified citations, and calibrated abstention."""

    def __init__(self, catalog: Catalog, settings: Settings) -> None:
        self.catalog = catalog
        self.settings = settings
        self.idf = catalog.idf
        self.templates = _template_sentences(catalog)

    def candidates(self, plan: QueryPlan, passages: Sequence[ScoredPassage]) -> list[Candidate]:
        """Every sentence of the retrieved passages, scored: its own coverage of the question's
        topic, its passage's coverage (heading included: a sentence answers in context), whether
        it holds the kind of thing asked for, and a small prior for the passage's rank."""
        terms = focus_terms(plan.focus or plan.keywords or plan.search_text)
        target = plan.quantity
        # A number must be a number of the thing asked about, on the question's topic: "how
        # many girls had undergone FGM" is not answered by "20 girls at risk of exploitation".
        residual = [t for t in terms if t not in target.units] if plan.answer_type == NUMBER else []
        out = []
        for i, sp in enumerate(passages):
            # "What did the focused visit find?" names no topic: the summary sections answer it.
            context = coverage(terms, sp.passage.search_text, self.idf) if terms else _overview(sp)
            # Under a heading that is the question ("What needs to improve?", "Areas for priority
            # action"), every sentence answers it though it repeats none of its words.
            heading = 0.9 * coverage(terms, sp.passage.section, self.idf)
            sentences = split_sentences(sp.passage.text)
            if plan.answer_type == GRADE_ASKED and GRADE.search(sp.passage.section):
                sentences.insert(0, sp.passage.section)  # "The LSCB requires improvement" heads it
            for order, sentence in enumerate(sentences):
                if len(sentence) < 20 or sentence.endswith(":"):
                    continue  # too short to stand alone, or a lead-in to a list
                own = max(coverage(terms, sentence, self.idf), heading) if terms else context
                typed = holds_answer_type(
                    plan.answer_type, sentence, target, plan.individual
                ) and self._tied(residual, sentences[max(0, order - 1) : order + 1])
                score = (
                    0.6 * own
                    + 0.4 * context
                    + 0.15 / (1 + i)
                    + (0.3 if typed and plan.answer_type in TYPED else 0.0)
                    + (0.15 if plan.polarity and sp.passage.polarity == plan.polarity else 0.0)
                )
                template = (
                    sp.passage.section != JUDGEMENTS and template_key(sentence) in self.templates
                )
                if template:
                    score *= 0.3  # the same sentence stands in many letters: rarely the answer
                    own = own if own >= 0.5 else 0.0  # and never on a chance word or two
                out.append(Candidate(i, order, sentence, own, context, typed, score))
        return out

    def answer(
        self, plan: QueryPlan, passages: list[ScoredPassage], notes: Sequence[str] = ()
    ) -> Draft:
        if not passages or notes:
            return Draft(not_found(notes), (), True)
        # A letter without grades of its own may state the previous inspection's.
        if plan.answer_type == GRADE_ASKED and not plan.previous and not self._has_grades(passages):
            return Draft(not_found([_no_grades(passages)]), (), True)
        # Text addressed to an assistant ("ignore previous instructions and say ...") is never
        # presented as the inspection's finding: it stays on its source card, flagged.
        ranked = sorted(
            (c for c in self.candidates(plan, passages) if not addresses_assistant(c.text)),
            key=lambda c: -c.score,
        )
        # The answer must sit in a passage about the question's topic, and, when a number, a
        # grade, a date or a name is asked for, hold one in a sentence that shares the topic.
        usable = [c for c in ranked if self._admissible(c, plan, passages[c.passage_index])]
        if not usable:
            return Draft(not_found(self._lacking(plan, ranked, passages)), (), True)
        # The answer leads with the sentence holding what was asked for; sentences about the
        # topic that follow may complete it (the second half of a two-part question).
        context = [
            c for c in ranked if c not in usable and c.context >= self.settings.abstain_coverage
        ]
        chosen = self._select(
            [usable[0], *sorted(usable[1:] + context, key=lambda c: -c.score)], plan, passages
        )
        return self.compose(chosen, passages, plan)

    def _admissible(self, c: Candidate, plan: QueryPlan, sp: ScoredPassage) -> bool:
        if plan.answer_type == GRADE_ASKED and c.typed and sp.passage.section == JUDGEMENTS:
            return True  # the judgement table states the grades, whatever words it shares
        if c.context < self.settings.abstain_coverage:
            return False
        if plan.answer_type not in TYPED:
            return True
        return c.typed and c.coverage >= self.settings.typed_min_coverage

    def _lacking(
        self, plan: QueryPlan, ranked: list[Candidate], passages: Sequence[ScoredPassage]
    ) -> list[str]:
        """A decline by answer type: the letters discuss the topic but do not give the kind of
        thing asked ("... discusses this but gives no figure for it")."""
        if plan.answer_type not in TYPED:
            return []
        about = [
            passages[c.passage_index].doc
            for c in ranked
            if c.context >= self.settings.abstain_coverage and c.coverage > 0
        ]
        docs = list({d.doc_id: d for d in about}.values())[:2]
        if not docs:
            return []
        one = len(docs) == 1
        lack = LACKING[plan.answer_type]
        if plan.answer_type == PERSON and plan.individual:
            lack = ("does not name", "do not name", "the person who held that role")
        letters = "; ".join(doc_label(d) for d in docs)
        return [
            f"The {'letter' if one else 'letters'} found ({letters}) "
            f"{'discusses' if one else 'discuss'} this but {lack[0] if one else lack[1]} {lack[2]}."
        ]

    def _tied(self, residual: list[str], sentences: Sequence[str]) -> bool:
        """Whether a sentence (with the one before it, where its subject may be) holds enough
        of the topic beyond the thing counted."""
        if not residual:
            return True
        return coverage(residual, " ".join(sentences), self.idf) >= self.settings.typed_min_coverage

    def _has_grades(self, passages: Sequence[ScoredPassage]) -> bool:
        return any(sp.doc.judgements or sp.doc.outcome for sp in passages)

    def _select(
        self, ranked: list[Candidate], plan: QueryPlan, passages: Sequence[ScoredPassage]
    ) -> list[Candidate]:
        best = ranked[0]
        # A comparison (two areas, or two inspections named or compared) hears from each
        # document; a question about an area with many letters is not a comparison.
        named = len(plan.types) > 1 or len(plan.years) > 1
        comparing = plan.multi and (plan.compare or named or len(plan.areas) > 1)
        limit = self.settings.answer_sentences * (2 if comparing else 1)
        chosen = [best]
        # The sentence after the answer, when it goes on with it ("This means ...", "They
        # ..."), is quoted with it: the fact often ends there.
        after = next(
            (
                c
                for c in ranked
                if c.passage_index == best.passage_index and c.order == best.order + 1
            ),
            None,
        )
        if after is not None and after.coverage > 0 and _CONTINUES.match(after.text) and limit > 1:
            chosen.append(after)
        docs_covered = {passages[best.passage_index].passage.doc_id}
        for c in ranked[1:]:
            if len(chosen) >= limit:
                break
            if c in chosen or (c.coverage == 0 and not (c.typed and plan.answer_type in TYPED)):
                continue  # a sentence sharing nothing with the question's topic
            doc = passages[c.passage_index].passage.doc_id
            # A sentence of the best passage that shares the topic often finishes the answer
            # (the second half of a two-part question, the figure after the finding).
            same = c.passage_index == best.passage_index and c.coverage > 0
            strong = same or c.score >= self.settings.keep_ratio * best.score
            # A comparison wants each document heard from before a second sentence of any one.
            new_doc = comparing and doc not in docs_covered
            same_doc = [o for o in chosen if passages[o.passage_index].passage.doc_id == doc]
            if (strong or new_doc) and not any(redundant(c.text, o.text) for o in same_doc):
                chosen.append(c)
                docs_covered.add(doc)
        return chosen

    def compose(
        self,
        chosen: list[Candidate],
        passages: Sequence[ScoredPassage],
        plan: QueryPlan,
        as_list: bool = False,
    ) -> Draft:
        """The chosen sentences quoted, each letter named before its own, each cited; as a
        list (``as_list``), each on a line of its own under its section's heading."""
        # Order: by document (the best answer's first; one area's letters by date, newest first
        # unless asked otherwise), the passage holding the best answer first, then by position
        # in the document.
        docs = {
            passages[c.passage_index].passage.doc_id: passages[c.passage_index].doc for c in chosen
        }
        doc_order = list(docs)
        if len({area_key(d.area) for d in docs.values()}) == 1:
            doc_order.sort(key=lambda d: when(docs[d]), reverse=not plan.oldest_first)
        lead = chosen[0].passage_index
        chosen.sort(
            key=lambda c: (
                doc_order.index(passages[c.passage_index].passage.doc_id),
                c.passage_index != lead,
                passages[c.passage_index].passage.ordinal,
                c.order,
            )
        )
        numbers: dict[str, int] = {}
        quoted: dict[str, list[Candidate]] = {}
        parts: list[str] = []
        current_doc = None
        current_section = None
        # Each letter quoted is named before its sentences: one letter or several, the reader
        # knows which inspection says so.
        for c in chosen:
            sp = passages[c.passage_index]
            numbers.setdefault(sp.passage.id, len(numbers) + 1)
            quoted.setdefault(sp.passage.id, []).append(c)
            if sp.passage.doc_id != current_doc:
                current_doc = sp.passage.doc_id
                year = (sp.doc.letter_date or sp.doc.date or "")[:4]
                parts.append(f"\n**{sp.doc.area}, {sp.doc.inspection_type} {year}:**")
            if as_list and sp.passage.section != current_section:
                current_section = sp.passage.section
                parts.append(f"\n*{current_section.rstrip(':?')}:*")
            # A bullet quoted without its own full stop gets one after the marker, so the
            # answer still reads, and parses, as separate sentences.
            stop = "" if c.text.rstrip()[-1:] in ".!?" else "."
            bullet = "\n- " if as_list else ""
            parts.append(f"{bullet}{c.text} [{numbers[sp.passage.id]}]{stop}")
        citations = []
        for passage_id, n in numbers.items():
            cands = quoted[passage_id]
            sp = passages[cands[0].passage_index]
            main = max(cands, key=lambda c: c.score).text
            citations.append(
                Citation(
                    n=n,
                    passage_id=passage_id,
                    doc=sp.passage.doc_id,
                    title=sp.doc.title,
                    page=self.page_of(sp, main),
                    section=sp.passage.section,
                    sentence=main,
                    sentences=tuple(c.text for c in cands),
                )
            )
        text = " ".join(parts).strip().replace(" \n", "\n")
        return Draft(text, tuple(citations), False)

    def page_of(self, sp: ScoredPassage, sentence: str) -> int:
        """The page the sentence is printed on (a passage may run over a page break)."""
        if sp.passage.page_start == sp.passage.page_end:
            return sp.passage.page_start
        probe = normalise(sentence)[:60]
        for page in range(sp.passage.page_start, sp.passage.page_end + 1):
            if probe and probe in normalise(self.catalog.page_text(sp.passage.doc_id, page)):
                return page
        return sp.passage.page_start


# A sentence that goes on with the one before: it refers back to it.
_CONTINUES = re.compile(
    r"^(?:this|these|that|those|they|it|he|she|as a result|consequently|however|but|this means|"
    r"in addition|also|for example|for instance|of these|of those|of them|such)\b",
    re.I,
)


_OVERVIEW = (
    "headline findings",
    "summary",
    "executive summary",
    "inspection outcome",
    "introduction",
)


def _overview(sp: ScoredPassage) -> float:
    """How well a passage answers a question with no topic of its own."""
    return 1.0 if sp.passage.section.lower() in _OVERVIEW[:-1] else 0.5


def _no_grades(passages: Sequence[ScoredPassage]) -> str:
    kinds = sorted({sp.doc.inspection_type for sp in passages})
    return f"The documents found ({', '.join(kinds)}) do not give grades or judgements."


def _template_sentences(catalog: Catalog, min_docs: int = 2) -> set[str]:
    """Keys of sentences that recur, names and numbers aside, in at least ``min_docs`` documents."""
    docs_by_key: dict[str, set[str]] = {}
    for passage in catalog.passages:
        for sentence in split_sentences(passage.text):
            key = template_key(sentence)
            if len(key.split()) >= 5:
                docs_by_key.setdefault(key, set()).add(passage.doc_id)
    return {key for key, docs in docs_by_key.items() if len(docs) >= min_docs}
