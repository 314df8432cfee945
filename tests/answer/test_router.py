"""The router: one table, the first route that accepts a plan and answers it wins, and the route
taken is recorded in the answer (and so in ``ask --json`` and the evaluation report)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.base import Draft, Reply
from assistant.answer.router import PASSAGES, Router
from assistant.records import QueryPlan
from assistant.retrieve.filters import Filters
from assistant.service import Assistant
from assistant.settings import Settings


class Scripted:
    """A route that accepts plans of one reach and answers (or finds nothing)."""

    def __init__(self, name: str, reach: str, finds: bool = True) -> None:
        self.name, self.reach, self.finds = name, reach, finds
        self.asked = 0

    def accepts(self, plan: QueryPlan) -> bool:
        return plan.reach == self.reach

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None:
        self.asked += 1
        return Reply(Draft(f"from {self.name}", (), False), ()) if self.finds else None


def plan(reach: str) -> QueryPlan:
    return QueryPlan(question="q", search_text="q", reach=reach)


def test_the_first_accepting_route_that_answers_wins_and_is_named() -> None:
    empty, lister, other = (
        Scripted("empty", "list", False),
        Scripted("list", "list"),
        Scripted("theme", "theme"),
    )
    router = Router([empty, lister, other])
    reply = router.route(plan("list"), Filters(), 5)
    assert reply is not None and reply.route == "list" and reply.draft.text == "from list"
    assert (empty.asked, lister.asked, other.asked) == (1, 1, 0)  # a route not accepting is not run
    assert router.route(plan("history"), Filters(), 5) is None  # no route: answered from passages
    assert router.names == ("empty", "list", "theme", PASSAGES)


@pytest.fixture(scope="module")
def assistant(sample_index: Path) -> Assistant:
    return Assistant.open(Settings(index_dir=sample_index))


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "route"),
    [
        ("Which letters in the index judged a council requires improvement?", "list"),
        ("Who signed the letter after the focused visit to Plymouth?", "facts"),
        (
            "What do inspectors say about how Hartlepool listens to young people with SEND?",
            "passages",
        ),
    ],
)
def test_the_route_taken_is_recorded(assistant: Assistant, question: str, route: str) -> None:
    answer = assistant.ask(question)
    assert answer.route == route, (answer.route, answer.text[:200])
    assert answer.to_json()["route"] == route
