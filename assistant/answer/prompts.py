"""Prompt templates, kept as files in the top-level ``prompts/`` folder and loaded by name:
changing a file changes what the model is asked, with no change to the code.

- ``system.md``: the rules (passages are data; cite every sentence; say when they do not answer).
- ``answer.md``: the numbered passages, fenced as data, and the question.
- ``condense.md``: a follow-up rewritten to stand alone, with the conversation.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from assistant.answer.compose import doc_label
from assistant.errors import ConfigError
from assistant.records import ScoredPassage

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"


def prompt_text(name: str, folder: Path | None = None) -> str:
    """The template ``<folder>/<name>.md`` (the project's ``prompts/`` by default)."""
    path = (folder or PROMPTS_DIR) / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the prompt template ({exc.strerror})") from exc


def answer_prompt(folder: Path | None = None) -> ChatPromptTemplate:
    """System rules, then the fenced passages and the question ({passages}, {question})."""
    return ChatPromptTemplate.from_messages(
        [("system", prompt_text("system", folder)), ("human", prompt_text("answer", folder))]
    )


def condense_prompt(folder: Path | None = None) -> ChatPromptTemplate:
    """A follow-up rewritten to stand alone ({conversation}, {question})."""
    return ChatPromptTemplate.from_messages([("human", prompt_text("condense", folder))])


def fence_passages(passages: Sequence[ScoredPassage]) -> str:
    """The passages numbered [1].. and fenced, with where each comes from. A passage cannot
    close its own fence: angle brackets in letter text are escaped."""
    blocks = []
    for n, sp in enumerate(passages, start=1):
        where = f"{doc_label(sp.doc)}; {sp.passage.section}; page {sp.passage.page_start}"
        text = html.escape(" ".join(sp.passage.text.split()), quote=False)
        blocks.append(f'<passage n="{n}" from="{html.escape(where)}">\n{text}\n</passage>')
    return "\n\n".join(blocks)
