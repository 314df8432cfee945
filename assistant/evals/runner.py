"""Run a system over gold questions and compute every GOLDSET.md metric, overall and by group."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from tqdm import tqdm

from assistant.evals import metrics as m
from assistant.evals.gold import GoldQuestion
from assistant.evals.judge import strict_citation_counts
from assistant.records import Answer
from assistant.retrieve.filters import Filters


class System(Protocol):
    """Anything that answers: the assistant, or the naive baseline."""

    def ask(
        self, question: str, filters: Filters | None = None, k: int | None = None
    ) -> Answer: ...


@dataclass
class QuestionResult:
    id: str
    question: str
    category: str
    doc_type: str
    answerable: bool
    answer: str
    abstained: bool
    citations: list[dict[str, Any]]
    evidence_ranks: list[int | None]
    missed_evidence: list[str]
    missed_facts: list[list[str]]
    key_facts_ok: bool | None
    citation: m.CitationCounts
    citation_strict: m.CitationCounts  # the strict judge's (assistant/evals/judge.py)
    latency_ms: float
    top_docs: list[str] = field(default_factory=list)
    answered_by: str = "grounded"
    route: str = "passages"  # which route answered (answer/router.py)
    # A language model's text before verification: its sentences, those removed, and the
    # strict judge's counts on it (each [n] judged against the n-th passage it was given).
    written_sentences: int = 0
    written_removed: int = 0
    written_strict: m.CitationCounts = field(default_factory=lambda: m.CitationCounts(0, 0, 0, 0))


def evaluate_question(q: GoldQuestion, answer: Answer, k: int, doc_type: str) -> QuestionResult:
    retrieved = [
        m.Retrieved(sp.passage.doc_id, sp.passage.ordinal, sp.passage.search_text)
        for sp in (answer.retrieved or answer.passages)[:k]
    ]
    ranks = m.evidence_ranks(q.evidence, retrieved, q.doc)
    missed_facts = (
        [list(f) for f in q.key_facts if not m.has_fact(answer.text, f)]
        if not answer.abstained
        else [list(f) for f in q.key_facts]
    )
    by_id = {sp.passage.id: sp.passage.search_text for sp in answer.passages}
    cited_text = {c.n: by_id.get(c.passage_id, c.sentence) for c in answer.citations}
    # The strict judge reads only the passages the answer gives: a citation to any other
    # passage supports nothing.
    given = {c.n: by_id[c.passage_id] for c in answer.citations if c.passage_id in by_id}
    none = m.CitationCounts(0, 0, 0, 0)
    return QuestionResult(
        id=q.id,
        question=q.question,
        category=q.category,
        doc_type=doc_type,
        answerable=q.answerable,
        answer=answer.text,
        abstained=answer.abstained,
        citations=[asdict(c) for c in answer.citations],
        evidence_ranks=ranks,
        missed_evidence=[e for e, r in zip(q.evidence, ranks, strict=True) if r is None],
        missed_facts=missed_facts,
        key_facts_ok=(not missed_facts) if q.answerable else None,
        citation=m.citation_counts(answer.text, cited_text, q.evidence)
        if not answer.abstained
        else none,
        latency_ms=answer.timings_ms.get("total", 0.0),
        citation_strict=strict_citation_counts(answer.text, given)
        if not answer.abstained
        else none,
        top_docs=[sp.passage.doc_id for sp in (answer.retrieved or answer.passages)[:k]],
        answered_by=answer.answered_by,
        route=answer.route,
        written_sentences=sum(w.sentences for w in answer.written),
        written_removed=sum(w.removed for w in answer.written),
        written_strict=_sum_counts(
            strict_citation_counts(w.text, dict(enumerate(w.given, start=1)))
            for w in answer.written
        ),
    )


def _sum_counts(counts: Iterable[m.CitationCounts]) -> m.CitationCounts:
    total = m.CitationCounts(0, 0, 0, 0)
    for c in counts:
        total = m.CitationCounts(
            total.citations + c.citations,
            total.supported_citations + c.supported_citations,
            total.sentences + c.sentences,
            total.supported_sentences + c.supported_sentences,
        )
    return total


def aggregate(results: Sequence[QuestionResult], k: int) -> dict[str, Any]:
    """The metrics of GOLDSET.md with stable keys (None where a metric has no questions)."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    quotes = [rank for r in answerable for rank in r.evidence_ranks]
    citations = sum(r.citation.citations for r in results)
    sentences = sum(r.citation.sentences for r in results)
    latencies = [r.latency_ms for r in results]
    # A gain in key facts from longer answers is no gain: answer lengths sit beside them.
    words = [m.word_count(r.answer) for r in results if not r.abstained]
    return {
        "k": k,
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "evidence_quotes": len(quotes),
        "evidence_recall_at_k": m.ratio(
            sum(1 for r in quotes if r is not None and r <= k), len(quotes)
        ),
        "hit_at_k": m.ratio(sum(m.hit(r.evidence_ranks, k) for r in answerable), len(answerable)),
        "mrr": m.ratio(
            sum(m.reciprocal_rank(r.evidence_ranks) for r in answerable), len(answerable)
        ),
        "key_fact_accuracy": m.ratio(
            sum(bool(r.key_facts_ok) for r in answerable), len(answerable)
        ),
        "abstention_rate": m.ratio(sum(r.abstained for r in unanswerable), len(unanswerable)),
        "false_abstention_rate": m.ratio(sum(r.abstained for r in answerable), len(answerable)),
        "citation_precision": m.ratio(
            sum(r.citation.supported_citations for r in results), citations
        ),
        "citation_recall": m.ratio(sum(r.citation.supported_sentences for r in results), sentences),
        "citation_precision_strict": m.ratio(
            sum(r.citation_strict.supported_citations for r in results),
            sum(r.citation_strict.citations for r in results),
        ),
        "citation_recall_strict": m.ratio(
            sum(r.citation_strict.supported_sentences for r in results),
            sum(r.citation_strict.sentences for r in results),
        ),
        "citations": citations,
        "answer_sentences": sentences,
        "written_sentences_removed": m.ratio(
            sum(r.written_removed for r in results), sum(r.written_sentences for r in results)
        ),
        "written_citations": sum(r.written_strict.citations for r in results) or None,
        "citation_precision_strict_unverified": m.ratio(
            sum(r.written_strict.supported_citations for r in results),
            sum(r.written_strict.citations for r in results),
        ),
        "latency_ms": {"p50": m.percentile(latencies, 50), "p95": m.percentile(latencies, 95)},
        "answer_words": {"p50": m.percentile(words, 50), "p90": m.percentile(words, 90)},
    }


def breakdown(
    results: Sequence[QuestionResult], k: int, key: Callable[[QuestionResult], str]
) -> dict[str, Any]:
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        groups.setdefault(key(r), []).append(r)
    return {name: aggregate(group, k) for name, group in sorted(groups.items())}


def run(
    system: System,
    questions: Sequence[GoldQuestion],
    k: int,
    doc_type: Callable[[str | None], str],
    label: str = "",
    show_progress: bool = True,
) -> list[QuestionResult]:
    results = []
    for q in tqdm(
        questions, desc=f"Evaluating {label}".strip(), unit="q", disable=not show_progress
    ):
        answer = system.ask(q.question, Filters.from_scope(q.scope), k)
        results.append(evaluate_question(q, answer, k, doc_type(q.doc)))
    return results


def summarise(results: Sequence[QuestionResult], k: int) -> dict[str, Any]:
    out = aggregate(results, k)
    out["by_doc_type"] = breakdown(results, k, lambda r: r.doc_type)
    out["by_kind"] = breakdown(results, k, lambda r: r.category)
    out["by_route"] = breakdown(results, k, lambda r: r.route)
    return out
