"""The answerer interface: one method, so the offline answerer and an LLM chain swap freely."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from assistant.records import Citation, ScoredPassage


@dataclass(frozen=True)
class Draft:
    text: str
    citations: tuple[Citation, ...]
    abstained: bool


class Answerer(Protocol):
    def answer(self, question: str, passages: list[ScoredPassage]) -> Draft: ...


NOT_FOUND = (
    "The letters in the index do not say. The nearest passages are listed below; "
    "check them before relying on this."
)
