"""The offline answerer: the best sentence of each top passage, quoted and cited.

A plain retrieval answer for now (issue 4 brings query-focused selection and abstention).
"""

from __future__ import annotations

import re

from assistant.answer.base import NOT_FOUND, Draft
from assistant.records import Citation, ScoredPassage
from assistant.text import split_sentences, words

_STOP = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "inspectors",
        "is",
        "it",
        "of",
        "on",
        "or",
        "said",
        "say",
        "says",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "about",
        "find",
        "found",
    ]
)


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in _STOP and len(w) > 1}


_QUANTITY = re.compile(
    r"\b(how many|how much|what (number|proportion|percentage)|how long|when)\b", re.I
)
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|half|third|quarter|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b",
    re.I,
)


def best_sentence(question: str, text: str) -> str:
    """The sentence of ``text`` sharing most content words with the question (first on ties).

    A question asking for a quantity or a date prefers a sentence that holds one.
    """
    wanted = content_words(question)
    wants_number = bool(_QUANTITY.search(question))
    sentences = split_sentences(text) or [text]

    def score(sentence: str) -> float:
        bonus = 1.5 if wants_number and _NUMBER.search(sentence) else 0.0
        return len(wanted & content_words(sentence)) + bonus

    return max(sentences, key=score)


class ExtractiveAnswerer:
    """Quotes the best sentence of each of the top ``max_sentences`` passages."""

    def __init__(self, max_sentences: int = 3) -> None:
        self.max_sentences = max_sentences

    def answer(self, question: str, passages: list[ScoredPassage]) -> Draft:
        if not passages:
            return Draft(NOT_FOUND, (), True)
        parts, citations = [], []
        for n, sp in enumerate(passages[: self.max_sentences], start=1):
            sentence = best_sentence(question, sp.passage.text)
            parts.append(f"{sentence} [{n}]")
            citations.append(
                Citation(
                    n=n,
                    passage_id=sp.passage.id,
                    doc=sp.passage.doc_id,
                    title=sp.doc.title,
                    page=sp.passage.page_start,
                    section=sp.passage.section,
                    sentence=sentence,
                )
            )
        return Draft(" ".join(parts), tuple(citations), False)
