"""Metric computations: pure functions over normalised text, exhaustively unit-tested.

Definitions follow the gold-set format in evals/README.md. Citation support is judged offline,
without an LLM: a citation supports the sentence citing it when the cited passage holds at least
``SUPPORT_COVERAGE`` of the sentence's content words and every number the sentence states, or
when the cited passage holds one of the question's evidence quotes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.text import normalise, split_sentences, words

SUPPORT_COVERAGE = 0.8
_STOP = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "while",
        "who",
        "will",
        "with",
    ]
)
_MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass(frozen=True)
class Retrieved:
    """What the metrics need of a retrieved passage."""

    doc_id: str
    ordinal: int
    text: str  # the passage text as indexed (heading included)


def quote_rank(quote: str, passages: Sequence[Retrieved], doc: str | None = None) -> int | None:
    """1-based rank at which ``quote`` is found, or None.

    Found where one passage holds it whole after normalisation, or where two passages adjacent
    in the same document, both retrieved, hold it across their join (the rank of the later one).
    With ``doc`` set, only passages of that document count. The quote's closing full stop is
    not needed: a heading printed as a sentence ("...: good.") is indexed as a heading.
    """
    target = normalise(quote).rstrip(". ")
    texts = [normalise(p.text) for p in passages]
    best: int | None = None
    for i, p in enumerate(passages):
        if doc is not None and p.doc_id != doc:
            continue
        if target in texts[i]:
            return i + 1
    for i, a in enumerate(passages):
        for j, b in enumerate(passages):
            if a.doc_id != b.doc_id or b.ordinal != a.ordinal + 1:
                continue
            if doc is not None and a.doc_id != doc:
                continue
            if target in texts[i] + " " + texts[j]:
                rank = max(i, j) + 1
                best = rank if best is None else min(best, rank)
    return best


def evidence_ranks(
    evidence: Sequence[str], passages: Sequence[Retrieved], doc: str | None
) -> list[int | None]:
    return [quote_rank(q, passages, doc) for q in evidence]


def hit(ranks: Sequence[int | None], k: int) -> bool:
    return any(r is not None and r <= k for r in ranks)


def reciprocal_rank(ranks: Sequence[int | None]) -> float:
    found = [r for r in ranks if r is not None]
    return 1.0 / min(found) if found else 0.0


def has_fact(answer: str, alternatives: Sequence[str]) -> bool:
    text = normalise(answer)
    return any(_contains_phrase(text, normalise(a)) for a in alternatives)


def _contains_phrase(text: str, phrase: str) -> bool:
    """Whole-word containment, so the fact '8' is not found in '1,800'."""
    if not phrase:
        return False
    pattern = r"(?<![\w])" + re.escape(phrase) + r"(?![\w])"
    return re.search(pattern, text) is not None


def key_facts_hit(answer: str, key_facts: Sequence[Sequence[str]]) -> bool:
    return all(has_fact(answer, fact) for fact in key_facts)


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in _STOP}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)*", normalise(text)))


def supports(sentence: str, passage: str, evidence: Sequence[str] = ()) -> bool:
    """Does ``passage`` support ``sentence``? (the offline definition in the module docstring)."""
    if any(normalise(e) in normalise(passage) for e in evidence):
        return True
    wanted = content_words(sentence)
    if not wanted:
        return True
    have = content_words(passage)
    coverage = len(wanted & have) / len(wanted)
    return coverage >= SUPPORT_COVERAGE and _numbers(sentence) <= _numbers(passage)


_HEADER = re.compile(r"\*\*[^*]{1,400}\*\*")  # a group heading or a part's question
_LEADING_MARKERS = re.compile(r"^\s*((?:\[\d+\]\s*)+)")


def cited_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences with the [n] markers each carries (markers removed from the text).

    Markers may come before the full stop ("... 222 [1].") or after it ("... 222. [1]"); a
    marker that opens a sentence belongs to the one before it.
    """
    out: list[tuple[str, list[int]]] = []
    answer = _HEADER.sub(
        " ", answer
    )  # "**Medway, JTAI 2018:**" groups the answer; it claims nothing
    for piece in split_sentences(answer):
        leading = _LEADING_MARKERS.match(piece)
        if leading and out:
            out[-1][1].extend(int(n) for n in _MARKER.findall(leading.group(1)))
            piece = piece[leading.end() :]
        markers = [int(n) for n in _MARKER.findall(piece)]
        text = " ".join(_MARKER.sub("", piece).split())
        text = re.sub(r"\s+([.!?,;:])", r"\1", text)
        if text:
            out.append((text, markers))
    return out


@dataclass(frozen=True)
class CitationCounts:
    citations: int
    supported_citations: int
    sentences: int
    supported_sentences: int


def citation_counts(
    answer: str, cited_text: Mapping[int, str], evidence: Sequence[str] = ()
) -> CitationCounts:
    """Counts for citation precision (supported / citations) and recall (supported / sentences)."""
    return count_citations(answer, cited_text, lambda s, p: supports(s, p, evidence))


def count_citations(
    answer: str, cited_text: Mapping[int, str], judge: Callable[[str, str], bool]
) -> CitationCounts:
    """Each [n] of each answer sentence judged by ``judge(sentence, cited_text[n])``; a number
    missing from ``cited_text`` supports nothing. A sentence is supported when one of its
    citations is."""
    citations = supported_citations = sentences = supported_sentences = 0
    for sentence, markers in cited_sentences(answer):
        sentences += 1
        ok = False
        for n in markers:
            citations += 1
            if n in cited_text and judge(sentence, cited_text[n]):
                supported_citations += 1
                ok = True
        supported_sentences += ok
    return CitationCounts(citations, supported_citations, sentences, supported_sentences)


def word_count(answer: str) -> int:
    """Words of an answer as a reader sees them: citation markers and Markdown left out.

    >>> word_count("**Stockton (JTAI, 2018):** Eight of 222 children attended [1].")
    8
    """
    return len(re.findall(r"[^\W_]+(?:['’.,-][^\W_]+)*", re.sub(r"\[\d+\]", " ", answer)))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None
