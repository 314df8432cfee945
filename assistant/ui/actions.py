"""What the page does when it is used: one method per event, each a plain function of the
controls' values, tested without a browser. ``build_page`` (page.py) only lays the page out and
wires these in.

They are methods of one object, not functions bound with ``functools.partial``: Gradio finds
the ``gr.Request``, ``gr.EventData`` and ``gr.Progress`` a handler wants from its own type
hints, which a partial hides."""

from __future__ import annotations

import html
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.api.request import parse_request
from assistant.errors import AssistantError, QuestionError
from assistant.library import Library
from assistant.library.letters import letter_name, removable
from assistant.records import Answer
from assistant.settings import Settings
from assistant.ui.feedback import record_feedback
from assistant.ui.history import history_chart, history_html
from assistant.ui.inputs import filters_from
from assistant.ui.library import choice_note, letters_table, toggle
from assistant.ui.render import (
    answer_html,
    markdown_export,
    sources_html,
    streaming_html,
    turns_sources_html,
)
from assistant.ui.streaming import stream_answer

MODES = {"Language model": "llm", "Offline quotes": "grounded"}  # the page's "Answer with"
CHOOSE_AREA = "Choose an area to see every inspection of it in the index."
HELPFUL, NOT_HELPFUL = "\U0001f44d Helpful", "\U0001f44e Not helpful"
PROGRESS = gr.Progress()  # Gradio fills this in for the upload handler (plain words, no tqdm)


class Stops:
    """Stop, per browser session: the Stop button sets it, the answer being written checks it
    between the model's tokens and, when set, drops the draft for the offline answer."""

    def __init__(self) -> None:
        self.events: dict[str, threading.Event] = {}
        self.lock = threading.Lock()

    def begin(self, session: str) -> threading.Event:
        """A fresh flag for the question this session is about to ask."""
        with self.lock:
            event = self.events[session] = threading.Event()
            return event

    def stop(self, session: str) -> None:
        with self.lock:
            event = self.events.get(session)
        if event is not None:
            event.set()


@dataclass
class Actions:
    """The page's handlers, over one :class:`Library` (and through it the assistant)."""

    library: Library
    stops: Stops = field(default_factory=Stops)

    @property
    def settings(self) -> Settings:
        return self.library.assistant.settings

    @property
    def feedback_file(self) -> Path:
        return Path(self.settings.data_dir) / "feedback.jsonl"

    # -- the index, as the page shows it ---------------------------------------------------

    def about(self) -> str:
        return f"{self.library.summary()} searched \u00b7 answers: {answerers_line(self.settings)}"

    def refresh(self, chosen: list[str] | None = None) -> tuple[Any, ...]:
        """What a (re)loaded page shows of the index as it is now: letters added since the
        server started are counted, filterable, listed and in the history list."""
        areas = gr.update(choices=self.library.areas())
        years = gr.update(choices=["Any", *self.library.years()])
        table = self.find_letters("", chosen)
        return self.about(), areas, years, years, areas, table

    # -- asking ----------------------------------------------------------------------------

    def respond(
        self,
        question: str,
        history: list[dict[str, str]],
        turns: list[Answer],
        areas: list[str],
        types: list[str],
        year_from: Any,
        year_to: Any,
        polarity: str,
        mode: str | None = None,
        letters: list[str] | None = None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Answer one question: the chat with the question, then (in language-model mode) the
        draft as it is written, then the checked answer and every turn's sources."""
        stopped = self.stops.begin(request.session_hash or "" if request else "")
        question = (question or "").strip()
        if not question:
            yield "", history, turns, gr.update()
            return
        history = [*history, {"role": "user", "content": html.escape(question)}]
        searching = {"role": "assistant", "content": "Searching the letters\u2026"}
        yield "", [*history, searching], turns, gr.update()
        filters = filters_from(areas, types, year_from, year_to, polarity, letters)
        previous = turns[-1].plan if turns else None
        earlier = [(t.question, t.text) for t in turns]
        chosen = MODES.get(mode or "") or self.settings.mode
        assistant = self.library.assistant
        answer: Answer | None = None
        started = time.monotonic()
        try:
            for item in stream_answer(
                lambda config: assistant.ask(
                    question, filters, None, previous, chosen, earlier, config
                )
            ):
                if isinstance(item, Answer):
                    answer = item
                elif stopped.is_set():  # Stop: the draft is dropped, answered offline
                    answer = assistant.ask(question, filters, None, previous, "grounded", earlier)
                    break
                else:  # a model's tokens as they arrive, shown as a draft, not yet checked
                    draft = streaming_html(item, time.monotonic() - started)
                    writing = {"role": "assistant", "content": draft}
                    yield "", [*history, writing], turns, gr.update()
        except AssistantError as exc:  # said in plain words, never a bare "Error"
            reply = {"role": "assistant", "content": not_answered(exc)}
            yield "", [*history, reply], turns, gr.update()
            return
        assert answer is not None
        turns = [*turns, answer]
        sources = self.library.shared.sources
        under = sources_html(answer, sources, 0)  # shown under it on a phone
        named = filters.describe(lambda d: letter_name(self.library.catalog, d))
        content = answer_html(answer, named, turn=len(turns), cards=under)
        history = [*history, {"role": "assistant", "content": content}]
        yield "", history, turns, turns_sources_html(turns, sources)

    def stop(self, request: gr.Request) -> None:
        """Stop: the answer being written drops its draft and answers offline (a flag it reads
        between tokens; not a cancel, which would leave the model's thread running the queue)."""
        self.stops.stop(request.session_hash or "")

    def api_ask(
        self,
        question: str,
        areas: list[str] | None = None,
        types: list[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        polarity: str = "Any",
        mode: str | None = None,
    ) -> dict[str, Any]:
        """Ask one question; returns the `ask --json` object (answer, citations, passages...).
        ``mode``: grounded or llm (default: the server's). Checked like the plain API's
        requests: each field bounded, a refusal naming the field."""
        fields = {
            "question": question,
            "areas": areas,
            "types": types,
            "year_from": year_from,
            "year_to": year_to,
            "polarity": polarity,
            "mode": mode,
        }
        try:
            return parse_request(fields, self.settings).ask(self.library.assistant).to_json()
        except AssistantError as exc:  # a field out of bounds, an index server away...
            raise gr.Error(str(exc)) from exc

    # -- after an answer -------------------------------------------------------------------

    @staticmethod
    def clear() -> tuple[list[Any], list[Answer], str]:
        return [], [], ""

    def rate(self, data: gr.LikeData, turns: list[Answer]) -> str:
        answer = answer_at(turns, data.index)
        if answer is None:
            return "Nothing to rate."
        record_feedback(self.feedback_file, answer, "up" if data.liked else "down")
        return "Thank you: your rating was saved."

    def comment(self, text: str, rating: str, turns: list[Answer]) -> tuple[str, str]:
        if not turns:
            return text, "Ask a question first."
        verdict = "up" if rating == HELPFUL else "down"
        record_feedback(self.feedback_file, turns[-1], verdict, text)
        return "", "Thank you: your comment was saved with the last answer."

    @staticmethod
    def export(turns: list[Answer]) -> Any:
        if not turns:
            return gr.update(value=None, visible=False)
        out = Path(tempfile.mkdtemp(prefix="conversation-")) / "conversation.md"
        out.write_text(markdown_export(turns), encoding="utf-8")
        return gr.update(value=str(out), visible=True)

    # -- letters ---------------------------------------------------------------------------

    def add_letters(
        self,
        files: list[str] | None,
        chosen: list[str] | None = None,
        query: str = "",
        progress: gr.Progress = PROGRESS,
    ) -> tuple[Any, ...]:
        """Store and index uploaded letters (the page's copies are deleted once stored); the
        letters' table, the area and year lists and the footer then include them."""
        if files and self.library.uploads_allowed:
            n = len(files)
            progress(0.1, desc=f"Reading and indexing {n} letter{'s' if n > 1 else ''}\u2026")
        try:
            lines = self.library.add(files or [], show_progress=True)
        finally:  # copies are in data/uploads now; Gradio's own are not kept
            discard_uploaded(files or [])
        message = "\n".join(f"- {html.escape(line)}" for line in lines) or "Nothing added."
        areas = gr.update(choices=self.library.areas())
        years = gr.update(choices=["Any", *self.library.years()])
        table = self.find_letters(query, chosen)
        return message, areas, self.about(), table, years, years, areas

    def find_letters(self, query: str, chosen: list[str] | None, page: int = 0) -> str:
        """The Letters table: the letters matching ``query``, one page of them, ticked where
        chosen."""
        rows = self.library.letters(query or "")
        return letters_table(rows, chosen or [], page, self.settings.letters_per_page)

    def pick_letters(
        self, event: gr.EventData, chosen: list[str] | None, query: str
    ) -> tuple[list[str], str, str, Any]:
        """A tick or untick in the table (one letter, or every letter on the page), or a move to
        another page: the new choice, the table, and the choice said beside the question box."""
        data = getattr(event, "_data", None) or {}
        held = self.library.catalog.documents  # a letter removed meanwhile is no longer ticked
        chosen = [d for d in chosen or [] if d in held]
        page = int(data.get("page") or 0)
        ids = [str(d) for d in data.get("docs") or [] if str(d) in held]
        if ids:
            chosen = toggle(chosen, ids, bool(data.get("on")))
        note, clear = show_choice(self.library, chosen)
        return chosen, self.find_letters(query, chosen, page), note, clear

    def clear_letters(self, query: str) -> tuple[list[str], str, str, Any]:
        return [], self.find_letters(query, []), "", gr.update(visible=False)

    def remove_letters(
        self, chosen: list[str] | None, query: str, pending: list[str] | None = None
    ) -> tuple[Any, ...]:
        """Remove the ticked uploaded letters (a shipped one is named and kept), on the second
        press: the first names them and asks again, since ticks made on other pages or before
        a search are not in view. ``pending``: the letters the last press named."""
        chosen = list(chosen or [])
        uploaded, _ = removable(self.library.letters(), chosen)
        if uploaded and uploaded != (pending or []):
            names = ", ".join(letter_name(self.library.catalog, d) for d in uploaded)
            noun = "letter" if len(uploaded) == 1 else "letters"
            ask = (
                f"Remove {len(uploaded)} uploaded {noun} ({names})? Their passages will no "
                "longer be searched. Press the button again to remove them."
            )
            return (f"- {html.escape(ask)}", uploaded, *[gr.update()] * 6)
        lines = self.library.remove(chosen)
        left = [d for d in chosen if d in self.library.catalog.documents]
        message = "\n".join(f"- {html.escape(line)}" for line in lines)
        note, clear = show_choice(self.library, left)
        return (
            message,
            [],
            left,
            self.find_letters(query, left),
            gr.update(choices=self.library.areas()),
            self.about(),
            note,
            clear,
        )

    # -- area history ----------------------------------------------------------------------

    def show_history(self, area: str | None) -> tuple[str, Any]:
        if not area:
            return f'<div class="notice">{CHOOSE_AREA}</div>', None
        entries = self.library.history(area)
        table = history_html(entries, self.library.shared.sources)
        return table, history_chart(entries) if entries else None

    def open_history(self, area: str | None, turns: list[Answer]) -> tuple[Any, str, Any]:
        """The history tab, opened: on the area already chosen there, else on the area the
        conversation is about, else a one-line prompt."""
        area = area or conversation_area(turns)
        table, chart = self.show_history(area)
        return gr.update(value=area), table, chart


def conversation_area(turns: list[Answer]) -> str | None:
    """The area the last answer was about: the one its question named, else the one every
    passage it cites comes from; None when it names none or several."""
    for answer in reversed(turns):
        named = answer.plan.areas
        cited = {p.doc.area for p in answer.passages if p.doc.area}
        if named or cited:
            one = named if named else tuple(cited)
            return one[0] if len(one) == 1 else None
    return None


def show_choice(library: Library, chosen: list[str] | None) -> tuple[str, Any]:
    """The letters the next questions are restricted to, in words beside the question box, and
    the button that lifts the restriction (shown only while there is one)."""
    note = choice_note(library.catalog, chosen)
    return note, gr.update(visible=bool(note))


def not_answered(exc: AssistantError) -> str:
    """The chat's reply, as HTML, to a question that could not be answered: one the assistant
    will not ask (empty, too long), or the index server out of reach (it answers again once
    the server is back, with nothing to restart)."""
    if isinstance(exc, QuestionError):
        return html.escape(f"Not asked: {exc}.")
    text = str(exc)
    return html.escape(f"{text[:1].upper()}{text[1:]}.")


def answerers_line(settings: Settings) -> str:
    """Which answerer answers by default, for the page's about line."""
    grounded = "sentences quoted from the letters, each cited"
    if settings.mode != "llm":
        return grounded
    model = settings.llm_model or "a language model"
    return (
        f"written by the language model {model}, every sentence checked against the letters "
        f"(or {grounded}, when it fails or is not chosen)"
    )


def discard_uploaded(files: list[str]) -> None:
    """Delete the copies Gradio made of uploaded files (each in a folder of its own under its
    upload folder), once the letters are stored: nothing uploaded stays behind there."""
    from gradio.utils import get_upload_folder

    cache = Path(get_upload_folder()).resolve()
    for name in files:
        path = Path(name).resolve()
        if not path.is_relative_to(cache) or path == cache:
            continue
        path.unlink(missing_ok=True)
        folder = path.parent
        if folder != cache and not any(folder.iterdir()):
            folder.rmdir()


def answer_at(turns: list[Answer], index: Any) -> Answer | None:
    """The answer behind a chat message index (user and assistant messages alternate)."""
    position = index[0] if isinstance(index, list | tuple) else index
    if not isinstance(position, int):
        return None
    turn = position // 2
    return turns[turn] if 0 <= turn < len(turns) else None
