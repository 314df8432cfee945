"""The assistant as one object: open an index, ask questions. Shared by the CLI, page and evals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.runnables import Runnable, RunnableConfig

from assistant.answer.base import Answerer
from assistant.answer.grounded import GroundedAnswerer
from assistant.answer.llm import LLMAnswerer, chat_model
from assistant.answer.router import Router, route_table
from assistant.chain import Ask, Pipeline, build_chain
from assistant.index.catalog import Catalog
from assistant.index.opened import open_index
from assistant.index.vectors import embeddings_of
from assistant.read.reader import QuestionReader
from assistant.records import Answer, QueryPlan
from assistant.retrieve.filters import Filters
from assistant.retrieve.hybrid import HybridRetriever
from assistant.retrieve.planner import Planner
from assistant.settings import Settings


@dataclass
class Assistant:
    """An opened index and the pipeline over it (chain.py), ready for questions."""

    settings: Settings
    catalog: Catalog
    retriever: HybridRetriever
    pipeline: Pipeline
    chain: Runnable[Ask, Answer] = field(init=False)

    @classmethod
    def open(cls, settings: Settings, answerer: Answerer | None = None) -> Assistant:
        """Open the index in ``settings.index_dir``; refuse one built with another model."""
        catalog, store = open_index(settings)
        retriever = HybridRetriever(catalog=catalog, store=store, settings=settings)
        planner = Planner(retriever, catalog)
        reader = QuestionReader.for_settings(catalog, settings.answer_types, embeddings_of(store))
        grounded = GroundedAnswerer(catalog, settings)
        answerers: dict[str, Answerer] = {"grounded": answerer or grounded}
        if settings.llm_base_url:
            prompts = Path(settings.prompts_dir) if settings.prompts_dir else None
            answerers["llm"] = LLMAnswerer(chat_model(settings), grounded, settings, prompts)
        router = Router(route_table(catalog, retriever, grounded))
        return cls(
            settings, catalog, retriever, Pipeline(settings, reader, planner, router, answerers)
        )

    def __post_init__(self) -> None:
        self.chain = build_chain(self.pipeline)

    @property
    def reader(self) -> QuestionReader:
        return self.pipeline.reader

    @property
    def planner(self) -> Planner:
        return self.pipeline.planner

    @property
    def answerers(self) -> dict[str, Answerer]:
        return self.pipeline.answerers

    @property
    def answerer(self) -> Answerer:
        """The grounded answerer (routes and the LLM's fallback use it)."""
        return self.pipeline.answerers["grounded"]

    def answerer_for(self, mode: str) -> Answerer:
        return self.pipeline.answerer_for(mode)

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
        ask = Ask(question, filters or Filters(), k, previous, mode, tuple(conversation))
        return self.chain.invoke(ask, config=config)


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
