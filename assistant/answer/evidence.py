"""Scoring sentences as evidence for a question: pure functions the answerer is built on.

Coverage is the share of the question's topic weight (IDF of its stemmed content words) that a
sentence holds. It drives both selection and abstention: FINDINGS.md showed retrieval scores
cannot tell answerable from unanswerable questions, so the check is made on the answer itself:
is the specific thing asked for (a number, a grade, a date, the topic's own words) there?
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import Stemmer

_STEM = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words that frame a question or recur in every letter: they say nothing about the topic.
GENERIC = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "of",
        "on",
        "or",
        "our",
        "should",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "about",
        "after",
        "against",
        "all",
        "also",
        "any",
        "because",
        "before",
        "between",
        "both",
        "during",
        "each",
        "few",
        "further",
        "here",
        "more",
        "most",
        "other",
        "over",
        "same",
        "some",
        "such",
        "than",
        "then",
        "through",
        "under",
        "until",
        "up",
        "very",
        "while",
        "inspector",
        "inspectors",
        "inspection",
        "inspections",
        "inspected",
        "letter",
        "letters",
        "report",
        "reports",
        "find",
        "found",
        "findings",
        "say",
        "said",
        "says",
        "tell",
        "describe",
        "described",
        "according",
        "jtai",
        "ilacs",
        "sif",
        "send",
        "visit",
        "focused",
        "joint",
        "targeted",
        "area",
        "areas",
        "local",
        "authority",
        "council",
        "partnership",
        "partners",
        "children",
        "child",
        "young",
        "people",
        "family",
        "families",
        "service",
        "services",
        "multi",
        "agency",
        "agencies",
        "response",
        "work",
        "working",
        "practice",
        "example",
        "examples",
        "well",
        "identify",
        "identified",
        "find",
        "note",
        "noted",
        "highlight",
        "highlighted",
        "mention",
        "mentioned",
        "give",
        "given",
        "key",
        "main",
        "state",
        "stated",
        "latest",
        "recent",
        "most",
        "year",
        "time",
        "compare",
        "compared",
        "comparing",
        "comparison",
        "differ",
        "differed",
        "difference",
        "differences",
        "different",
        "two",
        "both",
        "each",
        "change",
        "changed",
        "changes",
        "between",
        "published",
        "publish",
        "happen",
        "happened",
        "happens",
        "others",
        "other",
        "'s",
        "s",
    ]
)
NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|thousand|half|third|quarter|dozen|majority|minority|all|none|most)\b",
    re.I,
)
DIGITS_OR_WORDS = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|thousand|half|third|quarter|daily|weekly|fortnightly|monthly|quarterly|"
    r"annually|yearly|twice|once)\b",
    re.I,
)
# Years and months place a question in time; the documents are chosen by them already.
_WHEN = re.compile(
    r"^(19|20)\d\d$|^(januari|februari|march|april|may|june|juli|august|septemb|octob|novemb|decemb)$"
)
GRADE = re.compile(r"\b(outstanding|good|requires improvement|inadequate)\b", re.I)
DATE = re.compile(
    r"\b(\d{1,2}\s+)?(january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b|\b(19|20)\d{2}\b",
    re.I,
)
PERSON = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b|\b(chair|director|chief|commissioner|lead)\b")


def stems(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower().replace("\u2019", "'"))
    return [str(s) for s in _STEM.stemWords([t.removesuffix("'s") for t in tokens])]


def focus_terms(text: str) -> list[str]:
    """Stemmed topic words of a question, generic words removed, in order, without repeats."""
    out = [s for s in stems(text) if s not in _GENERIC_STEMS and len(s) > 1 and not _WHEN.match(s)]
    return list(dict.fromkeys(out))


_GENERIC_STEMS = {str(s) for s in _STEM.stemWords(sorted(GENERIC))}


def template_key(sentence: str) -> str:
    """A sentence with its names and numbers taken out: letters of one kind share these keys for
    their template paragraphs ("This letter summarises the findings of ... in <area>")."""
    tokens = re.findall(r"[A-Za-z\u2019'-]+|\d+", sentence)
    kept = [
        t.lower()
        for i, t in enumerate(tokens)
        if not t.isdigit() and (i == 0 or not t[:1].isupper())
    ]
    return " ".join(kept[:14])


def idf_table(texts: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of stems over passages: log((N + 1) / (df + 0.5))."""
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        df.update(set(stems(text)))
    return {term: math.log((n + 1) / (count + 0.5)) for term, count in df.items()}


def coverage(
    terms: list[str], text: str, idf: Mapping[str, float], default_idf: float = 8.0
) -> float:
    """Share of the terms' IDF weight present in ``text`` (0 when there are no terms)."""
    if not terms:
        return 0.0
    present = set(stems(text))
    total = sum(idf.get(t, default_idf) for t in terms)
    held = sum(idf.get(t, default_idf) for t in terms if t in present)
    return held / total if total else 0.0


def holds_answer_type(answer_type: str, sentence: str) -> bool:
    """Does the sentence hold the kind of thing asked for?"""
    if answer_type == "number":
        return bool(DIGITS_OR_WORDS.search(sentence))
    if answer_type == "grade":
        return bool(GRADE.search(sentence))
    if answer_type == "date":
        return bool(DATE.search(sentence))
    if answer_type == "person":
        return bool(PERSON.search(sentence))
    return True


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage, scored for the question."""

    passage_index: int  # index into the retrieved list
    order: int  # position of the sentence inside its passage
    text: str
    coverage: float  # of the question's topic by the sentence alone
    context: float  # by the sentence's passage, heading included
    typed: bool  # holds the kind of thing asked for
    score: float


def redundant(a: str, b: str, threshold: float = 0.6) -> bool:
    """Two sentences saying much the same (Jaccard overlap of stems)."""
    sa, sb = set(stems(a)), set(stems(b))
    if not sa or not sb:
        return False
    return len(sa & sb) / len(sa | sb) >= threshold
