"""The model's draft as the page shows it, and Stop's per-session flag: the pure logic (the
browser flow with a real model server is in test_llm_page.py)."""

from __future__ import annotations

from assistant.ui.actions import Stops
from assistant.ui.render import streaming_html


def test_a_draft_is_boxed_timed_escaped_and_marked_unchecked() -> None:
    out = streaming_html("Inspectors <b>found</b>", 12.4)
    assert out.startswith('<div class="draft">')
    assert "Draft, not yet checked: writing for 12 s" in out
    assert "&lt;b&gt;found&lt;/b&gt;" in out


def test_stop_reaches_only_its_own_sessions_current_question() -> None:
    stops = Stops()
    mine, theirs = stops.begin("a"), stops.begin("b")
    stops.stop("a")
    assert mine.is_set() and not theirs.is_set()
    again = stops.begin("a")  # the next question starts unstopped
    assert not again.is_set()
    stops.stop("nobody")  # a session that asked nothing: nothing to stop
