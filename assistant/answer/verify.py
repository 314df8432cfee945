"""Checking a written (generated) answer against the passages it was given.

Every sentence must carry [n] markers naming passages that were given, and one of the passages
it cites must hold the claim: its numbers (digits or number words), the names it gives, most of
its topic words (``SUPPORT_SHARE`` of their stems), and the same sense (a negation on one side
only fails), judged against the passage sentence nearest the claim. A sentence that fails is
removed, not struck through: a practitioner skims, and a struck claim is still read as a claim.
The answer says how many sentences were removed. Markers are renumbered 1, 2, ... in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer.compose import Citer
from assistant.answer.evidence import addresses_assistant
from assistant.lexical import stems
from assistant.records import Citation, ScoredPassage
from assistant.text import normalise, split_sentences

SUPPORT_SHARE = 0.6
_MARKERS = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_LEADING = re.compile(r"^\s*((?:\[\d+(?:\s*,\s*\d+)*\]\s*)+)")
_NUMBER_WORDS = dict(
    zip(
        "one two three four five six seven eight nine ten eleven twelve".split(),  # noqa: SIM905
        (str(n) for n in range(1, 13)),
        strict=True,
    )
)
_NEGATION = re.compile(r"\b(not|no|never|none|nor|without|cannot|unable|lacks?|lacking)\b|n't")
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][A-Za-z'’-]+")
_STOP = frozenset("the a an of and or in on to for by with at as is are was were be".split())  # noqa: SIM905


@dataclass(frozen=True)
class Claim:
    text: str  # the sentence, markers removed
    cites: tuple[int, ...]  # the [n] it carries, as written


@dataclass(frozen=True)
class Checked:
    text: str  # the supported sentences, each with its renumbered markers
    citations: tuple[Citation, ...]
    kept: int
    removed: tuple[str, ...]  # the sentences cut, as written


def claims(answer: str) -> list[Claim]:
    """The answer's sentences with the markers each carries, whether the marker comes before
    the full stop ("... 222 [1].") or after it ("... 222. [1]"), grouped ("[1, 2]") or not."""
    answer = re.sub(r"([.!?])\[", r"\1 [", answer.replace("\n", " "))
    out: list[Claim] = []
    for piece in split_sentences(answer):
        leading = _LEADING.match(piece)
        if leading and out:
            extra = _numbers_in(leading.group(1))
            out[-1] = Claim(out[-1].text, out[-1].cites + extra)
            piece = piece[leading.end() :]
        cites = _numbers_in(" ".join(m.group(0) for m in _MARKERS.finditer(piece)))
        text = re.sub(r"\s+([.!?,;:])", r"\1", " ".join(_MARKERS.sub("", piece).split()))
        text = text.lstrip("-*• ").strip()
        if text:
            out.append(Claim(text, cites))
    return out


def _numbers_in(markers: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", markers))


def numbers(text: str) -> set[str]:
    folded = normalise(text)
    found = {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)*", folded)}
    return found | {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", folded) if w in _NUMBER_WORDS}


def _topic(text: str) -> set[str]:
    return {s for s in stems(text) if s not in _STOP and len(s) > 1}


def _bare(word: str) -> str:
    """A name as compared: normalised, without a possessive ("Solihull’s" is Solihull)."""
    return normalise(word).removesuffix("'s").strip("'")


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(normalise(text)))


def nearest_sentence(claim: str, passage: str) -> str:
    """The passage sentence nearest the claim (highlighted on its card): the one sharing most
    of its numbers, then most of its topic words."""
    wanted, figures = _topic(claim), numbers(claim)
    return max(
        split_sentences(passage) or [passage],
        key=lambda s: (len(figures & numbers(s)), len(wanted & _topic(s))),
    )


def holds(claim: str, passage: str) -> bool:
    """Does the passage hold the claim? (the module docstring's rule)"""
    wanted = _topic(claim)
    if not wanted or addresses_assistant(claim):
        return False
    if len(wanted & _topic(passage)) / len(wanted) < SUPPORT_SHARE:
        return False
    if not numbers(claim) <= numbers(passage):
        return False
    passage_words = {_bare(w) for w in re.findall(r"[a-z0-9'-]+", normalise(passage))}
    if any(_bare(name) not in passage_words for name in _NAME.findall(claim)):
        return False
    return _negated(claim) == _negated(nearest_sentence(claim, passage))


def check_answer(
    answer: str,
    passages: Sequence[ScoredPassage],
    page_of: Callable[[ScoredPassage, str], int] = lambda sp, _: sp.passage.page_start,
) -> Checked:
    """Keep the sentences a cited passage holds, renumber their markers, build the citations."""
    citer = Citer()
    pages: dict[tuple[str, str], int] = {}
    kept: list[str] = []
    removed: list[str] = []
    for claim in claims(answer):
        valid = [n - 1 for n in dict.fromkeys(claim.cites) if 1 <= n <= len(passages)]
        support = [passages[i] for i in valid if holds(claim.text, passages[i].passage.text)]
        if not support:
            removed.append(claim.text)
            continue
        marks = ""
        for sp in support:
            source = nearest_sentence(claim.text, sp.passage.text)
            pages.setdefault((sp.passage.id, source), page_of(sp, source))
            marks += f"[{citer.cite(sp, source)}]"
        body = claim.text.rstrip()
        stop = body[-1] if body[-1:] in ".!?" else "."
        kept.append(f"{body.rstrip('.!?')} {marks}{stop}")
    return Checked(" ".join(kept), citer.citations(pages), len(kept), tuple(removed))
