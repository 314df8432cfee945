"""The assistant as one object: open an index, ask questions. Shared by the CLI, page and evals."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Protocol

from assistant.answer.base import Answerer, Reply
from assistant.answer.compose import merge
from assistant.answer.corpus import ListRoute, ThemeRoute
from assistant.answer.facts import FactsRoute
from assistant.answer.grounded import GroundedAnswerer
from assistant.answer.history import HistoryRoute
from assistant.errors import QuestionError
from assistant.index.catalog import Catalog
from assistant.index.opened import open_index
from assistant.records import Answer
from assistant.retrieve.filters import Filters
from assistant.retrieve.hybrid import HybridRetriever
from assistant.retrieve.planner import Planner
from assistant.retrieve.query import QueryPlan
from assistant.settings import Settings


class Route(Protocol):
    """An answer step for questions of one reach (facts, a list, a theme, a history): returns
    None when the question is not one it answers, and the passage route answers it."""

    def answer(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | None: ...


@dataclass
class Assistant:
    settings: Settings
    catalog: Catalog
    retriever: HybridRetriever
    planner: Planner
    answerer: Answerer
    routes: list[Route] = field(default_factory=list)

    @classmethod
    def open(cls, settings: Settings, answerer: Answerer | None = None) -> Assistant:
        """Open the index in ``settings.index_dir``; refuse one built with another model."""
        catalog, store = open_index(settings)
        retriever = HybridRetriever(catalog=catalog, store=store, settings=settings)
        planner = Planner(retriever, catalog)
        grounded = GroundedAnswerer(catalog, settings)
        routes: list[Route] = [
            HistoryRoute(catalog),
            ListRoute(catalog),
            ThemeRoute(catalog, retriever, grounded),
            FactsRoute(catalog),
        ]
        return cls(settings, catalog, retriever, planner, answerer or grounded, routes)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        k: int | None = None,
        previous: QueryPlan | None = None,
    ) -> Answer:
        question = self.check_question(question)
        filters = filters or Filters()
        k = k or self.settings.k
        t0 = time.perf_counter()
        plan = self.planner.plan(question, previous)
        t1 = time.perf_counter()
        parts = plan.parts or (plan,)
        replies = [(part.question, self.reply(part, filters, k)) for part in parts]
        reply = replies[0][1] if len(replies) == 1 else merge(replies)
        t2 = time.perf_counter()
        return Answer(
            question=question,
            text=reply.draft.text,
            abstained=reply.draft.abstained,
            citations=reply.draft.citations,
            passages=reply.passages,
            timings_ms={
                "retrieve": (t1 - t0) * 1000,
                "answer": (t2 - t1) * 1000,
                "total": (t2 - t0) * 1000,
            },
            notes=reply.notes,
            plan=plan,
        )

    def check_question(self, question: str) -> str:
        """The question with its white space folded; a clear error when it is empty (it would
        get a confident answer about an arbitrary letter) or longer than the limit."""
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(
                f"the question is {len(question):,} characters long; the limit is {limit:,} "
                "(setting max_question_chars)"
            )
        folded = " ".join(question.split())
        if not any(ch.isalnum() for ch in folded):
            raise QuestionError("the question is empty: type a question about the letters")
        return folded

    def reply(self, plan: QueryPlan, filters: Filters, k: int) -> Reply:
        """The answer to one question: from the first route that takes it, else from passages."""
        if not self.planner.notes(plan, filters):
            for route in self.routes:
                reply = route.answer(plan, filters, k)
                if reply is not None:
                    return self._with_context(reply, plan, filters, k)
        found = self.planner.retrieve(plan, filters, max(k, self.settings.answer_k))
        draft = self.answerer.answer(plan, found.passages, found.notes)
        # The top k are what was retrieved; a passage read beyond them is shown when cited.
        cited = {c.passage_id for c in draft.citations}
        shown = found.passages[:k] + [sp for sp in found.passages[k:] if sp.passage.id in cited]
        return Reply(draft, tuple(shown), found.notes)

    def _with_context(self, reply: Reply, plan: QueryPlan, filters: Filters, k: int) -> Reply:
        """A short reply (one or two facts) is shown with the passages a search finds beside
        the ones it cites, as the page's sources and the evaluation's retrieved list."""
        if len(reply.passages) >= k:
            return reply
        seen = {sp.passage.id for sp in reply.passages}
        found = self.planner.retrieve(plan, filters, k).passages
        extra = [sp for sp in found if sp.passage.id not in seen][: k - len(reply.passages)]
        ranked = [
            replace(sp, rank=rank) for rank, sp in enumerate([*reply.passages, *extra], start=1)
        ]
        return replace(reply, passages=tuple(ranked))


@dataclass
class Conversation:
    """Turns that share context: "and what about the police there?" keeps the last area."""

    assistant: Assistant
    turns: list[Answer] = field(default_factory=list)

    def ask(self, question: str, filters: Filters | None = None, k: int | None = None) -> Answer:
        previous = self.turns[-1].plan if self.turns else None
        answer = self.assistant.ask(question, filters, k, previous)
        self.turns.append(answer)
        return answer

    def clear(self) -> None:
        self.turns.clear()
