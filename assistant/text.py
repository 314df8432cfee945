"""Pure text helpers shared by ingestion, answering and evaluation."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n\s*")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Normalise text the way the gold-set format (evals/README.md) defines it for comparing facts and quotes.

    NFKC, straight quotes, dashes to '-', a hyphen before a line break joined up, white space
    folded to one space, lower case.

    >>> normalise("Multi-\\nagency  \u2018front door\u2019")
    "multi-agency 'front door'"
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _HYPHEN_BREAK.sub("-", text)
    return _SPACES.sub(" ", text).strip().lower()


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "dr",
    "mr",
    "mrs",
    "ms",
    "no",
    "nos",
    "st",
    "para",
    "paras",
    "vs",
    "cf",
    "approx",
    "inc",
    "ltd",
    "co",
    "fig",
}
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d)]*(?=\s+|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split text into sentences and return their (start, end) character spans.

    A sentence ends at '.', '!' or '?' (with closing quotes or brackets) followed by white space
    and then a capital letter, a digit, a quote or a bracket, except after a known abbreviation
    or a single initial. Spans exclude surrounding white space.

    >>> t = "Dr. Smith led it, e.g. at 9.30 a.m. Then it closed. Fine."
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Dr. Smith led it, e.g. at 9.30 a.m. Then it closed.', 'Fine.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        rest = text[end:].lstrip()
        if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'\u2018\u201c(["):
            continue
        word = re.search(r"(\S+)$", text[start : match.start()])
        token = word.group(1).lower().strip("(\"'\u2018") if word else ""
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        if token.count(".") >= 1 and all(len(p) <= 1 for p in token.split(".")):
            continue  # "a.m", "p.m"
        spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return [s for s in spans if s[1] > s[0]]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def words(text: str) -> list[str]:
    """Lower-case word tokens of ``text`` after :func:`normalise`."""
    return _WORD.findall(normalise(text))
