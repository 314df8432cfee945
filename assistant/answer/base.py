"""The answerer interface: one method, so the offline answerer and an LLM chain swap freely."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.records import Citation, QueryPlan, ScoredPassage, Written


@dataclass(frozen=True)
class Draft:
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    notes: tuple[str, ...] = ()  # for the reader: sentences removed, a fallback and why
    answered_by: str = "grounded"  # or "llm (<model>)"
    written: Written | None = None  # a model's text before verification


class Answerer(Protocol):
    def answer(
        self, plan: QueryPlan, passages: list[ScoredPassage], notes: Sequence[str] = ()
    ) -> Draft: ...


NOT_FOUND = "The letters in the index do not say."
NEAREST = "The nearest passages are listed below; check them before relying on them."
# A decline with no passage near the question (the same words in the chat, the panel, the
# export and ``ask --json``).
NO_NEAR = "No passage in the letters comes near the question."


def not_found(notes: Sequence[str]) -> str:
    return " ".join([*notes, NOT_FOUND, NEAREST]) if notes else f"{NOT_FOUND} {NEAREST}"


@dataclass(frozen=True)
class Reply:
    """One answer step's result: the draft, the passages it rests on (retrieved or cited), and
    notes for the reader."""

    draft: Draft
    passages: tuple[ScoredPassage, ...]
    notes: tuple[str, ...] = ()
    route: str = "passages"  # which step answered (answer/router.py)
