"""The one LCEL chain every question goes through, for the CLI, the page and the evaluation:

    read (check and plan the question, a follow-up condensed when a model is used)
      -> retrieve (each part: a route that answers from the catalog, else passages)
      -> answer (the grounded or the LLM answerer, chosen per question)
      -> verify (every [n] names a citation, every citation a passage shown)
      -> respond (the ``Answer`` record behind ``ask --json``)

Each step is a named ``Runnable``, so LangChain callbacks and tracing see them, and a callback
handler passed in the config receives the model's tokens as they arrive.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer.base import Answerer, Reply
from assistant.answer.compose import merge
from assistant.records import Answer, QueryPlan
from assistant.retrieve.filters import Filters
from assistant.retrieve.planner import Retrieval

if TYPE_CHECKING:
    from assistant.service import Assistant


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


def build_chain(assistant: Assistant) -> Runnable[Ask, Answer]:
    def step(name: str, fn: Callable[[Work], Work]) -> Runnable[Work, Work]:
        def timed(work: Work) -> Work:
            out = fn(work)
            out.marks[name] = time.perf_counter()
            return out

        return RunnableLambda(timed, name=name)

    def read(ask: Ask) -> Work:
        question = assistant.check_question(ask.question)
        mode = ask.mode or assistant.settings.mode
        work = Work(ask, question, ask.k or assistant.settings.k, assistant.answerer_for(mode))
        work.marks["start"] = time.perf_counter()
        standalone = assistant.condense(question, ask.conversation, mode)
        work.plan = assistant.planner.plan(standalone, ask.previous)
        return work

    def retrieve(work: Work) -> Work:
        assert work.plan is not None
        parts = work.plan.parts or (work.plan,)
        work.found = [assistant.find(part, work.ask.filters, work.k) for part in parts]
        return work

    def answer(work: Work) -> Work:
        work.replies = [
            found
            if isinstance(found, Reply)
            else assistant.answer_from(found, work.answerer, work.k)
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
        by = [r.draft.answered_by for r in work.replies if not r.draft.abstained]
        marks = work.marks
        return Answer(
            question=work.question,
            text=reply.draft.text,
            abstained=reply.draft.abstained,
            citations=reply.draft.citations,
            passages=reply.passages,
            timings_ms={
                "retrieve": (marks["retrieve"] - marks["start"]) * 1000,
                "answer": (marks["verify"] - marks["retrieve"]) * 1000,
                "total": (time.perf_counter() - marks["start"]) * 1000,
            },
            notes=reply.notes,
            plan=work.plan,
            answered_by=", ".join(dict.fromkeys(by)) or "grounded",
            written=tuple(r.draft.written for r in work.replies if r.draft.written),
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
