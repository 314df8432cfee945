"""The model's draft as the page shows it, and Stop's handler: the pure logic (the browser flow
with a real model server is in test_llm_page.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.ui.page import answer_offline
from assistant.ui.render import streaming_html

SCOPE = (["Exampleshire"], [], "Any", "Any", "Any", ["jtai-x"])


def test_a_draft_is_boxed_timed_escaped_and_marked_unchecked() -> None:
    out = streaming_html("Inspectors <b>found</b>", 12.4)
    assert out.startswith('<div class="draft">')
    assert "Draft, not yet checked: writing for 12 s" in out
    assert "&lt;b&gt;found&lt;/b&gt;" in out


def test_stop_answers_the_unanswered_question_offline_with_the_pages_scope() -> None:
    calls: list[tuple[Any, ...]] = []

    def respond(*args: Any) -> Iterator[tuple[Any, ...]]:
        calls.append(args)
        yield ("", ["answered"], ["turn"], "cards")

    chat = [
        {"role": "user", "content": "first?"},
        {"role": "assistant", "content": "one"},
        {"role": "user", "content": "what about &lt;dentists&gt;?"},
        {"role": "assistant", "content": '<div class="draft">...</div>'},
    ]
    out = list(answer_offline(respond, chat, ["first answer"], SCOPE))  # type: ignore[arg-type]
    assert out == [("", ["answered"], ["turn"], "cards")]
    (args,) = calls
    assert args[0] == "what about <dentists>?" and args[1] == chat[:2]
    assert args[3:] == (["Exampleshire"], [], "Any", "Any", "Any", "Offline quotes", ["jtai-x"])


def test_stop_after_the_answer_came_changes_nothing() -> None:
    def respond(*args: Any) -> Iterator[tuple[Any, ...]]:
        raise AssertionError("nothing to answer")

    chat = [{"role": "user", "content": "q?"}, {"role": "assistant", "content": "a"}]
    ((_, shown, turns, _),) = list(answer_offline(respond, chat, ["a"], SCOPE))  # type: ignore[arg-type]
    assert shown == chat and turns == ["a"]
