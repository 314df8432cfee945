"""The assistant as one object: open an index, ask questions. Shared by the CLI, page and evals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from langchain_core.runnables import Runnable, RunnableConfig

from assistant.answer.base import Answerer, Reply
from assistant.answer.corpus import ListRoute, ThemeRoute
from assistant.answer.facts import FactsRoute
from assistant.answer.grounded import GroundedAnswerer
from assistant.answer.history import HistoryRoute
from assistant.answer.llm import LLMAnswerer, chat_model
from assistant.chain import Ask, build_chain, conversation_text
from assistant.errors import QuestionError
from assistant.index.catalog import Catalog
from assistant.index.opened import open_index
from assistant.lexical import coverage, focus_terms
from assistant.records import Answer, QueryPlan, ScoredPassage
from assistant.retrieve.filters import Filters
from assistant.retrieve.hybrid import HybridRetriever
from assistant.retrieve.planner import Planner, Retrieval
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
    answerer: Answerer  # the grounded answerer: routes and fallbacks use it
    routes: list[Route] = field(default_factory=list)
    answerers: dict[str, Answerer] = field(default_factory=dict)  # by mode
    chain: Runnable[Ask, Answer] | None = None

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
        answerers: dict[str, Answerer] = {"grounded": answerer or grounded}
        if settings.llm_base_url:
            prompts = Path(settings.prompts_dir) if settings.prompts_dir else None
            answerers["llm"] = LLMAnswerer(chat_model(settings), grounded, settings, prompts)
        return cls(settings, catalog, retriever, planner, grounded, routes, answerers)

    def __post_init__(self) -> None:
        self.answerers.setdefault("grounded", self.answerer)
        self.chain = build_chain(self)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        k: int | None = None,
        previous: QueryPlan | None = None,
        mode: str | None = None,
        conversation: Sequence[tuple[str, str]] = (),
        config: RunnableConfig | None = None,
    ) -> Answer:
        """Ask one question through the chain (``config`` may carry LangChain callbacks, which
        receive a model's tokens as they arrive)."""
        assert self.chain is not None
        ask = Ask(question, filters or Filters(), k, previous, mode, tuple(conversation))
        return self.chain.invoke(ask, config=config)

    def nearest(self, answer: Answer) -> tuple[ScoredPassage, ...]:
        """The passages of a declined question worth showing: those that share at least
        ``abstain_coverage`` of its topic ("the weather in Paris" shares nothing with any)."""
        plan = answer.plan
        terms = focus_terms(plan.focus or plan.keywords or plan.search_text) if plan else []
        idf, least = self.catalog.idf, self.settings.abstain_coverage
        return tuple(
            sp
            for sp in answer.passages
            if terms and coverage(terms, sp.passage.search_text, idf) >= least
        )

    def answerer_for(self, mode: str) -> Answerer:
        if mode not in self.answerers:
            raise QuestionError(
                f"no answerer '{mode}': "
                + (
                    "no language model is configured (set ASSISTANT_LLM_BASE_URL)"
                    if mode == "llm"
                    else f"choose one of {', '.join(self.answerers)}"
                )
            )
        return self.answerers[mode]

    def condense(self, question: str, conversation: Sequence[tuple[str, str]], mode: str) -> str:
        """A follow-up made to stand alone by the model (LLM mode with earlier turns); the
        planner's own follow-up reading handles the rest."""
        llm = self.answerers.get(mode)
        if not conversation or not isinstance(llm, LLMAnswerer):
            return question
        return llm.condense(question, conversation_text(conversation[-3:]))

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

    def find(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | Retrieval:
        """One part of a question: a route's reply when one takes it, else its passages."""
        if not self.planner.notes(plan, filters):
            for route in self.routes:
                reply = route.answer(plan, filters, k)
                if reply is not None:
                    return self._with_context(reply, plan, filters, k)
        return self.planner.retrieve(plan, filters, max(k, self.settings.answer_k))

    def answer_from(self, found: Retrieval, answerer: Answerer, k: int) -> Reply:
        draft = answerer.answer(found.plan, found.passages, found.notes)
        # The top k are what was retrieved; a passage read beyond them is shown when cited.
        cited = {c.passage_id for c in draft.citations}
        shown = found.passages[:k] + [sp for sp in found.passages[k:] if sp.passage.id in cited]
        notes = (*found.notes, *(n for n in draft.notes if n not in found.notes))
        return Reply(draft, tuple(shown), notes)

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

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        k: int | None = None,
        mode: str | None = None,
    ) -> Answer:
        previous = self.turns[-1].plan if self.turns else None
        earlier = [(t.question, t.text) for t in self.turns]
        answer = self.assistant.ask(question, filters, k, previous, mode, earlier)
        self.turns.append(answer)
        return answer

    def clear(self) -> None:
        self.turns.clear()
