"""Tokens handed from the question's thread to the page's generator."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.runnables import RunnableConfig

from assistant.errors import QuestionError
from assistant.records import Answer
from assistant.ui.streaming import stream_answer


def test_text_so_far_then_the_answer_and_a_new_model_call_starts_afresh() -> None:
    done = Answer("q", "checked [1].", False, (), ())

    def ask(config: RunnableConfig) -> Answer:
        (handler,) = config["callbacks"]  # type: ignore[misc]
        handler.on_chat_model_start({}, [])  # a follow-up condensed first
        handler.on_llm_new_token("Which area?")
        handler.on_chat_model_start({}, [])  # then the answer
        for token in ("Eight ", "of ", "222."):
            handler.on_llm_new_token(token)
        return done

    items: list[Any] = list(stream_answer(ask))
    assert items == ["Which area?", "Eight ", "Eight of ", "Eight of 222.", done]


def test_an_error_in_the_question_reaches_the_caller() -> None:
    def ask(config: RunnableConfig) -> Answer:
        raise QuestionError("the question is empty")

    with pytest.raises(QuestionError, match="empty"):
        list(stream_answer(ask))
