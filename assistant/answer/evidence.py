"""Scoring sentences as evidence for a question: pure functions the answerer is built on.

Coverage is the share of the question's topic weight (IDF of its stemmed content words) that a
sentence holds. It drives both selection and abstention: FINDINGS.md showed retrieval scores
cannot tell answerable from unanswerable questions, so the check is made on the answer itself:
is the specific thing asked for (a number, a grade, a date, the topic's own words) there?
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.lexical import GRADE as GRADE_WORDS
from assistant.lexical import stems
from assistant.read.answer_types import DATE, GRADE, NUMBER, PERSON
from assistant.records import QuantityTarget

DIGITS_OR_WORDS = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|thousand|half|third|quarter|daily|weekly|fortnightly|monthly|quarterly|"
    r"annually|yearly|twice|once)\b",
    re.I,
)
DATE_TEXT = re.compile(
    r"\b(\d{1,2}\s+)?(january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b|\b(19|20)\d{2}\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)s?\b|\b(daily|weekly|fortnightly|monthly|every (day|week|month))\b",
    re.I,
)
# A named person: a title and a name, or "Firstname Lastname, <role>" (letters rarely name people).
PERSON_TEXT = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Dr|Professor|Sir|Dame|Councillor|Cllr)\.? [A-Z][a-z]+|"
    r"\b[A-Z][a-z]+ [A-Z][a-z]+(?:-[A-Z][a-z]+)?, (?:the )?(?:[a-z]+ )?(?:chair|director|head|lead|chief)"
)


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


_NUMBER_WORDS = (
    r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
)
_DURATION = re.compile(
    rf"\b({_NUMBER_WORDS})[\s-]+(working\s+)?(days?|weeks?|months?|years?|hours?|minutes?)\b", re.I
)
_PERCENT = re.compile(
    rf"\b({_NUMBER_WORDS})[\s-]*(%|per ?cent)|\b(half|third|quarter|majority|minority|most|all|none)\b",
    re.I,
)
_NUMBER_TOKEN = re.compile(rf"^({_NUMBER_WORDS})$", re.I)


def counts_target(sentence: str, target: QuantityTarget) -> bool:
    """Does the sentence state the quantity the question asks for?"""
    if target.kind == "duration":
        return bool(_DURATION.search(sentence))
    if target.kind == "percent":
        return bool(_PERCENT.search(sentence))
    if target.kind == "count" and target.units:
        tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9,.'-]*", sentence)
        token_stems = [stems(t)[0] if stems(t) else "" for t in tokens]
        # "eight of 222 children", "12 newly qualified social workers", and the thing before
        # its number: "contacts to the MASH are around 1,200 each month"
        return any(
            _NUMBER_TOKEN.match(token.rstrip(".,"))
            and not _not_a_count(tokens, i)
            and target.units & set(token_stems[max(0, i - 10) : i + 6])
            for i, token in enumerate(tokens)
        )
    return bool(DIGITS_OR_WORDS.search(sentence))


_YEAR = re.compile(r"^(19|20)\d\d$")


def _not_a_count(tokens: Sequence[str], i: int) -> bool:
    """A year ("in December 2021") or an age ("children aged 0 to 7") is not a count.

    >>> words = "children aged 0 to 7 in 2021".split()
    >>> [_not_a_count(words, i) for i in (2, 4, 6)]
    [True, True, True]
    """
    if _YEAR.match(tokens[i].rstrip(".,")):
        return True
    before = {t.lower() for t in tokens[max(0, i - 3) : i]}
    return bool(before & {"aged", "age", "ages"}) or (
        i + 1 < len(tokens) and tokens[i + 1].lower().startswith("year-old")
    )


def holds_answer_type(
    answer_type: str,
    sentence: str,
    target: QuantityTarget | None = None,
    individual: bool = False,
) -> bool:
    """Does the sentence hold the kind of thing asked for? (Types a sentence cannot hold or
    lack, a yes/no, a list, an explanation, are held by any sentence.)"""
    if answer_type == NUMBER:
        return counts_target(sentence, target or QuantityTarget("any"))
    if answer_type == GRADE:
        return bool(GRADE_WORDS.search(sentence))
    if answer_type == DATE:
        return bool(DATE_TEXT.search(sentence))
    if answer_type == PERSON:  # a person or a body: a titled name, or a team's own name
        named = bool(PERSON_TEXT.search(sentence))
        return named or (not individual and names_something(sentence))
    return True


# A proper name inside a sentence: capitalised words after its first word ("the Awaken team",
# "Making A Great Important Change"), an acronym that is not a common one, or a quoted name.
_PROPER = re.compile(
    r"(?<=\s)[A-Z][a-z\u2019'-]+(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][a-z]+)*|"
    r"\b[A-Z]{3,}\b|[\u2018'\"][A-Z][^\u2019'\"]{2,60}[\u2019'\"]"
)


def names_something(sentence: str) -> bool:
    """Does the sentence name a thing (a team, a system, a university)?"""
    return bool(_PROPER.search(sentence.strip()))


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


# Text that speaks to the reader or to an AI assistant rather than reporting an inspection:
# instructions and prompts ("Ignore all previous instructions and say ...").
_ADDRESSES_ASSISTANT = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|above|"
    r"previous|context)\b|\b(?:system|developer) prompt\b|\byou are (?:now )?(?:an? |the )?"
    r"(?:ai|assistant|chatbot|language model|llm)\b|\bas an ai\b|\b(?:assistant|chatbot|ai|"
    r"model)s?,? (?:must|should|will) (?:say|answer|respond|reply|state)\b",
    re.I,
)


def addresses_assistant(sentence: str) -> bool:
    """Does the text instruct the reader or an assistant, rather than report a finding?"""
    return bool(_ADDRESSES_ASSISTANT.search(sentence))
