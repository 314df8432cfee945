"""Scoring sentences as evidence for a question: pure functions the answerer is built on.

Coverage is the share of the question's topic weight (IDF of its stemmed content words) that a
sentence holds. It drives both selection and abstention: FINDINGS.md showed retrieval scores
cannot tell answerable from unanswerable questions, so the check is made on the answer itself:
is the specific thing asked for (a number, a grade, a date, the topic's own words) there?
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexical import GRADE, stems

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
DATE = re.compile(
    r"\b(\d{1,2}\s+)?(january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b|\b(19|20)\d{2}\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)s?\b|\b(daily|weekly|fortnightly|monthly|every (day|week|month))\b",
    re.I,
)
# A named person: a title and a name, or "Firstname Lastname, <role>" (letters rarely name people).
PERSON = re.compile(
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
