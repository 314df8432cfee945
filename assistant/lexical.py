"""Lexical matching shared by retrieval and answering: stems, topic words and their weights.

Coverage is the share of a question's topic weight (IDF of its stemmed content words) that a text
holds. Retrieval reranks by it and the answerer selects and abstains by it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import Stemmer

_STEM = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words that frame a question or recur in every letter: they say nothing about the topic.
_GENERIC_WORDS = """
    's a about according after against agencies agency all also an and any are area areas as at
    authority be because been before being between both but by can change changed changes child
    children compare compared comparing comparison could council describe described did differ
    differed difference differences different do does during each example examples families
    family few find findings focused for found from further give given had happen happened
    happens has have here highlight highlighted how i identified identify ilacs in inspected
    inspection inspections inspector inspectors into is it its joint jtai key latest letter
    letters local main me mention mentioned more most multi note noted of on or other others our
    over partners partnership people practice publish published recent report reports response s
    said same say says send service services should sif some state stated such targeted tell
    than that the their them then there these they this those through time to two under until up
    very visit was well were what when where which while who whom why will with work working
    would year young
"""
# How exact a figure is wanted says nothing of what it counts.
_APPROXIMATE = {"roughly", "approximately", "around", "about", "exactly", "total", "altogether"}
GENERIC = frozenset(_GENERIC_WORDS.split()) | {"many", "much"} | _APPROXIMATE
_GENERIC_STEMS = frozenset(str(s) for s in _STEM.stemWords(sorted(GENERIC)))
# Years and months place a question in time; the documents are chosen by them already.
_WHEN = re.compile(
    r"^(19|20)\d\d$|^(januari|februari|march|april|may|june|juli|august|septemb|octob|novemb|decemb)$"
)


GRADE = re.compile(r"\b(outstanding|good|requires improvement|inadequate)\b", re.I)


def grades_named(text: str) -> set[str]:
    """The grades a text names, lower case: "requires improvement to be good" is one grade,
    requires improvement, not two."""
    text = re.sub(r"requires improvement to be good", "requires improvement", text, flags=re.I)
    return {g.lower() for g in GRADE.findall(text)}


def stems(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower().replace("\u2019", "'"))
    return [str(s) for s in _STEM.stemWords([t.removesuffix("'s") for t in tokens])]


def focus_terms(text: str) -> list[str]:
    """Stemmed topic words of a question, generic words and dates removed, without repeats."""
    out = [s for s in stems(text) if s not in _GENERIC_STEMS and len(s) > 1 and not _WHEN.match(s)]
    return list(dict.fromkeys(out))


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
