"""Written answers from any OpenAI-compatible chat server, checked before they are shown.

The grounded answerer runs first: when it abstains (no passages, an area or inspection type the
index does not hold, grades asked of documents without them, nothing on the topic), so does
this one, and the model is never called. Otherwise the model writes from the fenced, numbered
passages (prompts/), every sentence is checked against the passages it cites (answer/verify.py),
and unsupported ones are removed. Nothing supported, a timeout or a server error gives the
grounded answer, with a note saying why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig

from assistant.answer.base import Draft
from assistant.answer.grounded import GroundedAnswerer
from assistant.answer.prompts import answer_prompt, condense_prompt, fence_passages
from assistant.answer.verify import check_answer
from assistant.records import QueryPlan, ScoredPassage, Written
from assistant.settings import Settings


def chat_model(settings: Settings) -> BaseChatModel:
    """The configured OpenAI-compatible chat model (langchain-openai's ``ChatOpenAI``)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model or "default",
        api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]
        timeout=settings.llm_timeout,
        max_retries=0,  # a slow or broken server falls back at once, not after retries
        max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
        temperature=0,
        streaming=True,
        extra_body=json.loads(settings.llm_extra_body) if settings.llm_extra_body else None,
    )


class LLMAnswerer:
    """An answerer step: the model writes, the verifier keeps what the passages hold."""

    def __init__(
        self,
        model: BaseChatModel,
        grounded: GroundedAnswerer,
        settings: Settings,
        prompts_dir: Path | None = None,
    ) -> None:
        self.model = model
        self.grounded = grounded
        self.settings = settings
        self.prompt = answer_prompt(prompts_dir)
        self.condense_prompt = condense_prompt(prompts_dir)
        self.name = f"llm ({getattr(model, 'model_name', None) or type(model).__name__})"

    def answer(
        self,
        plan: QueryPlan,
        passages: list[ScoredPassage],
        notes: Sequence[str] = (),
        config: RunnableConfig | None = None,
    ) -> Draft:
        offline = self.grounded.answer(plan, passages, notes)
        if offline.abstained:
            return offline  # the checks that need no model: it is never asked
        messages = self.prompt.format_messages(
            question=plan.question, passages=fence_passages(passages)
        )
        try:
            # Streamed, so a page's callback handler (in config) sees tokens as they arrive.
            written = "".join(
                str(chunk.content) for chunk in self.model.stream(messages, config=config)
            )
        except Exception as exc:  # any failure of the server: timeout, refused, broken stream
            return self._fallback(offline, f"the language model did not answer ({_reason(exc)})")
        checked = check_answer(written, passages, self.grounded.page_of)
        record = Written(
            written,
            tuple(sp.passage.text for sp in passages),
            checked.kept + len(checked.removed),
            len(checked.removed),
        )
        if not checked.kept:
            why = "no sentence of the language model's answer is supported by the passages"
            return replace(self._fallback(offline, why), written=record)
        notes_out: tuple[str, ...] = ()
        if checked.removed:
            n = len(checked.removed)
            notes_out = (
                f"{n} sentence{'s' if n > 1 else ''} of the written answer "
                f"{'were' if n > 1 else 'was'} removed: the passages cited do not support "
                f"{'them' if n > 1 else 'it'}.",
            )
        return Draft(checked.text, checked.citations, False, notes_out, self.name, record)

    def condense(self, question: str, conversation: str) -> str:
        """The follow-up rewritten to stand alone; the question as asked if the model fails or
        returns nothing usable."""
        messages = self.condense_prompt.format_messages(
            conversation=conversation, question=question
        )
        try:
            written = str(self.model.invoke(messages).content).strip().strip('"')
        except Exception:  # the planner's own follow-up reading still applies
            return question
        first = written.splitlines()[0].strip() if written else ""
        return first if 8 <= len(first) <= self.settings.max_question_chars else question

    def _fallback(self, offline: Draft, why: str) -> Draft:
        note = f"This is the offline answer: {why}."
        return Draft(offline.text, offline.citations, False, (note,), "grounded (fallback)")


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
