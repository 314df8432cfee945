"""The evaluation's strict citation judge: its own code, not the answerer's checks.

A sentence is supported by a citation only when the text of the passage it cites holds the
sentence's claim: at least ``STRICT_COVERAGE`` of its content words (compared as stems), every
number it states (digits or number words: "eight" is 8), every name it gives (capitalised words
inside the sentence), and the same sense: a sentence that negates what the passage asserts, or
asserts what the passage negates, is not supported. Nothing else counts: no gold quote makes a
citation right, and a citation to a passage that was not given supports nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.evals.metrics import CitationCounts, content_words, count_citations
from assistant.lexical import stems
from assistant.text import normalise, split_sentences

STRICT_COVERAGE = 0.8
_NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nor",
        "nothing",
        "nobody",
        "without",
        "cannot",
        "lack",
        "lacks",
        "lacking",
        "unable",
    ]
)
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-zA-Z'’-]+")


def numbers(text: str) -> set[str]:
    """The numbers a text states, digits and number words alike ('eight of 222' -> {8, 222})."""
    folded = normalise(text)
    found = {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)*", folded)}
    found |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", folded) if w in _NUMBER_WORDS}
    return found


def names(text: str) -> set[str]:
    """Capitalised words inside a sentence (not its first word): places, people, bodies."""
    return {_word(m.group(0)) for m in _NAME.finditer(" ".join(text.split()))}


def _word(token: str) -> str:
    """A word as names are compared: normalised, without a possessive ("Solihull’s")."""
    return normalise(token).removesuffix("'s").strip("'")


def negated(text: str) -> bool:
    folded = normalise(text).replace("n't", " not")
    return any(w in _NEGATIONS for w in re.findall(r"[a-z]+", folded))


def _stem_set(text: str) -> set[str]:
    return set(stems(" ".join(content_words(text))))


def strictly_supports(sentence: str, passage: str) -> bool:
    """Does the passage text hold the sentence's claim (the module docstring's definition)?"""
    wanted = _stem_set(sentence)
    if not wanted:
        return True  # a sentence of stop words only claims nothing
    if len(wanted & _stem_set(passage)) / len(wanted) < STRICT_COVERAGE:
        return False
    if not numbers(sentence) <= numbers(passage):
        return False
    if not names(sentence) <= {_word(w) for w in re.findall(r"[a-z0-9'-]+", normalise(passage))}:
        return False
    # The sense: judged against the passage sentence nearest the claim (most of its numbers
    # first, then most of its words).
    figures = numbers(sentence)
    best = max(
        split_sentences(passage) or [passage],
        key=lambda s: (len(figures & numbers(s)), len(wanted & _stem_set(s))),
    )
    return negated(sentence) == negated(best)


def strict_citation_counts(answer: str, cited_text: Mapping[int, str]) -> CitationCounts:
    """Counts for strict citation precision (supported citations / citations) and recall
    (sentences with at least one supporting citation / sentences). ``cited_text`` maps each
    citation number to the text of the passage it names; a number missing from it (a citation
    to a passage that was not given) supports nothing."""
    return count_citations(answer, cited_text, strictly_supports)
