"""Which step answers a question: one table, in one place.

Each route declares the plans it accepts (``accepts``, read from the plan alone); the router
tries the table in order and the first route that accepts the plan and finds an answer in the
index wins. A plan no route takes, or one whose route finds nothing, is answered from passages
by the answerer (grounded or LLM). The route taken is recorded in the ``Answer`` (``route`` in
``ask --json``) and in the evaluation report's "by route" table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.answer.base import Reply
from assistant.answer.corpus import ListRoute, ThemeRoute
from assistant.answer.facts import FactsRoute
from assistant.answer.grounded import GroundedAnswerer
from assistant.answer.history import HistoryRoute
from assistant.answer.lists import WholeListRoute
from assistant.index.catalog import Catalog
from assistant.records import QueryPlan
from assistant.retrieve.filters import Filters
from assistant.retrieve.hybrid import HybridRetriever

PASSAGES = "passages"  # no route took the plan: the answerer answers from retrieved passages


class Route(Protocol):
    """An answer step for plans of one reach: a history, a list of letters, a theme over many
    letters, facts from the letters' facts records."""

    name: str

    def accepts(self, plan: QueryPlan) -> bool: ...

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None: ...


def route_table(
    catalog: Catalog, retriever: HybridRetriever, grounded: GroundedAnswerer
) -> list[Route]:
    """The routes, in the order they are tried."""
    return [
        HistoryRoute(catalog),
        ListRoute(catalog),
        ThemeRoute(catalog, retriever, grounded),
        FactsRoute(catalog),
        WholeListRoute(catalog, grounded),
    ]


class Router:
    """Picks the route for a plan (see the module's docstring).

    >>> class Every:
    ...     name = "every"
    ...     def accepts(self, plan): return True
    ...     def answer(self, plan, filters, k): return None
    >>> Router([Every()]).names
    ('every', 'passages')
    """

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = tuple(routes)

    @property
    def names(self) -> tuple[str, ...]:
        return (*(r.name for r in self.routes), PASSAGES)

    def route(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None:
        """The first accepting route's reply, marked with its name; None: answer from passages."""
        for route in self.routes:
            if route.accepts(plan):
                reply = route.answer(plan, filters, k)
                if reply is not None:
                    return Reply(reply.draft, reply.passages, reply.notes, route.name)
        return None
