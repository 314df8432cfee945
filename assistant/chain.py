"""The one LCEL chain every question goes through, for the CLI, the page and the evaluation:

    read (check and plan the question, a follow-up condensed when a model is used)
      -> retrieve (each part: a route that answers from the catalog, else passages)
      -> answer (the grounded or the LLM answerer, chosen per question)
      -> verify (every [n] names a citation, every citation a passage shown)
      -> respond (the ``Answer`` record behind ``ask --json``)

Each step is a named ``Runnable``, so LangChain callbacks and tracing see them, and a callback
handler passed in the config receives the model's tokens as they arrive. The chain owns the
pipeline: its parts (the planner that reads and retrieves, the router, the answerers) are given
to it in a ``Pipeline``; ``service.Assistant`` assembles them and holds the chain.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer.base import NEAREST, NO_NEAR, Answerer, Reply
from assistant.answer.compose import merge
from assistant.answer.llm import LLMAnswerer
from assistant.answer.router import PASSAGES, Router
from assistant.errors import QuestionError
from assistant.lexical import coverage, focus_terms
from assistant.read.reader import QuestionReader
from assistant.records import Answer, QueryPlan, ScoredPassage
from assistant.retrieve.filters import Filters
from assistant.retrieve.planner import Planner, Retrieval
from assistant.settings import Settings


@dataclass(frozen=True)
class Ask:
    """The chain's input."""

    question: str
    filters: Filters = field(default_factory=Filters)
    k: int | None = None
    previous: QueryPlan | None = None
    mode: str | None = None  # grounded or llm; None: the settings' default
    conversation: tuple[tuple[str, str], ...] = ()  # earlier (question, answer) pairs


@dataclass
class Work:
    """What the steps hand on: the input, the plan, each part's retrieval or reply, timings."""

    ask: Ask
    question: str
    k: int
    answerer: Answerer
    plan: QueryPlan | None = None
    found: list[Retrieval | Reply] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    marks: dict[str, float] = field(default_factory=dict)


@dataclass
class Pipeline:
    """The parts every question goes through: the reader (a question into its plan,
    read/reader.py), the planner (a plan's passages), the router (which route answers,
    answer/router.py) and the answerers by mode ("grounded" always; "llm" when a model is
    configured)."""

    settings: Settings
    reader: QuestionReader
    planner: Planner
    router: Router
    answerers: dict[str, Answerer]

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
        earlier = conversation_text(conversation[-3:])
        rewritten = llm.condense(question, earlier)
        # A rewrite that drops or swaps an area, a type or a year the user named is not used.
        return rewritten if self.reader.keeps_scope(question, rewritten, earlier) else question

    def find(self, plan: QueryPlan, filters: Filters, k: int) -> Reply | Retrieval:
        """One part of a question: a route's reply when one takes it, else its passages."""
        if not self.planner.notes(plan, filters):
            reply = self.router.route(plan, filters, k)
            if reply is not None:
                return self._with_context(reply, plan, filters, k)
        return self.planner.retrieve(plan, filters, max(k, self.settings.answer_k))

    def answer_from(self, found: Retrieval, answerer: Answerer, k: int) -> Reply:
        draft = answerer.answer(found.plan, found.passages, found.notes)
        # The top k are what was retrieved; a passage read beyond them is shown when cited.
        cited = {c.passage_id for c in draft.citations}
        shown = found.passages[:k] + [sp for sp in found.passages[k:] if sp.passage.id in cited]
        notes = (*found.notes, *(n for n in draft.notes if n not in found.notes))
        return Reply(draft, tuple(shown), notes, PASSAGES)

    def nearest(
        self, plan: QueryPlan, passages: Sequence[ScoredPassage]
    ) -> tuple[ScoredPassage, ...]:
        """The passages of a declined question worth showing: those that share at least
        ``abstain_coverage`` of its topic ("the weather in Paris" shares nothing with any)."""
        terms = focus_terms(plan.focus or plan.keywords or plan.search_text)
        catalog, least = self.planner.catalog, self.settings.abstain_coverage
        return tuple(
            sp
            for sp in passages
            if terms and coverage(terms, sp.passage.search_text, catalog.idf) >= least
        )

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


def build_chain(pipeline: Pipeline) -> Runnable[Ask, Answer]:
    def step(name: str, fn: Callable[[Work], Work]) -> Runnable[Work, Work]:
        def timed(work: Work) -> Work:
            out = fn(work)
            out.marks[name] = time.perf_counter()
            return out

        return RunnableLambda(timed, name=name)

    def read(ask: Ask) -> Work:
        question = pipeline.check_question(ask.question)
        mode = ask.mode or pipeline.settings.mode
        work = Work(ask, question, ask.k or pipeline.settings.k, pipeline.answerer_for(mode))
        work.marks["start"] = time.perf_counter()
        standalone = pipeline.condense(question, ask.conversation, mode)
        work.plan = pipeline.reader.read(standalone, ask.previous)
        return work

    def retrieve(work: Work) -> Work:
        assert work.plan is not None
        parts = work.plan.parts or (work.plan,)
        work.found = [pipeline.find(part, work.ask.filters, work.k) for part in parts]
        return work

    def answer(work: Work) -> Work:
        work.replies = [
            found
            if isinstance(found, Reply)
            else pipeline.answer_from(found, work.answerer, work.k)
            for found in work.found
        ]
        return work

    def verify(work: Work) -> Work:
        work.replies = [checked_reply(reply) for reply in work.replies]
        return work

    def respond(work: Work) -> Answer:
        assert work.plan is not None
        parts = work.plan.parts or (work.plan,)
        if len(work.replies) == 1:
            reply = work.replies[0]
        else:
            reply = merge([(p.question, r) for p, r in zip(parts, work.replies, strict=True)])
        text, passages = reply.draft.text, reply.passages
        if reply.draft.abstained:
            # One decline everywhere: the passages near enough to show, or none and saying so.
            passages = pipeline.nearest(work.plan, passages)
            if not passages:
                text = text.replace(NEAREST, NO_NEAR)
        by = [r.draft.answered_by for r in work.replies if not r.draft.abstained]
        marks = work.marks
        return Answer(
            question=work.question,
            text=text,
            abstained=reply.draft.abstained,
            citations=reply.draft.citations,
            passages=passages,
            retrieved=reply.passages,
            timings_ms={
                "retrieve": (marks["retrieve"] - marks["start"]) * 1000,
                "answer": (marks["verify"] - marks["retrieve"]) * 1000,
                "total": (time.perf_counter() - marks["start"]) * 1000,
            },
            notes=(*work.plan.readings, *(n for n in reply.notes if n not in work.plan.readings)),
            plan=work.plan,
            answered_by=", ".join(dict.fromkeys(by)) or "grounded",
            written=tuple(r.draft.written for r in work.replies if r.draft.written),
            route="+".join(dict.fromkeys(r.route for r in work.replies)),
        )

    return (
        RunnableLambda(read, name="read")
        | step("retrieve", retrieve)
        | step("answer", answer)
        | step("verify", verify)
        | RunnableLambda(respond, name="respond")
    ).with_config(run_name="inspection_assistant")


_MARK = re.compile(r"\[(\d+)\]")


def checked_reply(reply: Reply) -> Reply:
    """The invariant every answerer keeps, whatever wrote the text: each [n] in it names one of
    its citations (a marker naming nothing is dropped)."""
    draft = reply.draft
    known = {c.n for c in draft.citations}
    text = _MARK.sub(lambda m: m.group(0) if int(m.group(1)) in known else "", draft.text)
    if text == draft.text:
        return reply
    return replace(reply, draft=replace(draft, text=re.sub(r" {2,}", " ", text)))


def conversation_text(turns: Sequence[tuple[str, str]]) -> str:
    """Earlier turns for the condense prompt, citation markers removed."""
    return "\n".join(f"Q: {q}\nA: {_MARK.sub('', a)}" for q, a in turns)
