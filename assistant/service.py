"""The assistant as one object: open an index, ask questions. Shared by the CLI, page and evals."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer.base import Answerer
from assistant.answer.grounded import GroundedAnswerer
from assistant.errors import IndexMismatchError
from assistant.index.catalog import Catalog
from assistant.index.embedder import load_embeddings, model_identity
from assistant.index.vectors import open_store
from assistant.records import Answer
from assistant.retrieve.filters import Filters
from assistant.retrieve.hybrid import HybridRetriever
from assistant.retrieve.planner import Planner
from assistant.retrieve.query import QueryPlan
from assistant.settings import Settings


@dataclass
class Assistant:
    settings: Settings
    catalog: Catalog
    retriever: HybridRetriever
    planner: Planner
    answerer: Answerer

    @classmethod
    def open(cls, settings: Settings, answerer: Answerer | None = None) -> Assistant:
        """Open the index in ``settings.index_dir``; refuse one built with another model."""
        catalog = Catalog.load(Path(settings.index_dir))
        if catalog is None:
            raise IndexMismatchError(
                f"no index in {settings.index_dir}; build one with 'python -m assistant ingest corpus'"
            )
        identity = model_identity(settings)
        if catalog.embedding_model != identity:
            raise IndexMismatchError(
                f"the index in {settings.index_dir} was built with {catalog.embedding_model}, "
                f"but this installation embeds with {identity}; rebuild it with "
                "'python -m assistant ingest --rebuild corpus'"
            )
        store = open_store(settings, load_embeddings(settings), identity)
        retriever = HybridRetriever(catalog=catalog, store=store, settings=settings)
        planner = Planner(retriever, catalog)
        return cls(
            settings, catalog, retriever, planner, answerer or GroundedAnswerer(catalog, settings)
        )

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        k: int | None = None,
        previous: QueryPlan | None = None,
    ) -> Answer:
        question = " ".join(question.split())
        t0 = time.perf_counter()
        plan = self.planner.plan(question, previous)
        found = self.planner.retrieve(plan, filters or Filters(), k or self.settings.k)
        t1 = time.perf_counter()
        draft = self.answerer.answer(plan, found.passages, found.notes)
        t2 = time.perf_counter()
        return Answer(
            question=question,
            text=draft.text,
            abstained=draft.abstained,
            citations=draft.citations,
            passages=tuple(found.passages),
            timings_ms={
                "retrieve": (t1 - t0) * 1000,
                "answer": (t2 - t1) * 1000,
                "total": (t2 - t0) * 1000,
            },
            notes=found.notes,
            plan=plan,
        )


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
