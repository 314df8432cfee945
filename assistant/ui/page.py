"""The Gradio chat page: ask, read cited sources, filter, follow up, add letters, rate, export."""

from __future__ import annotations

import html
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer.history import area_history
from assistant.api.request import parse_request
from assistant.errors import AssistantError, QuestionError
from assistant.index.builder import IngestReport, ingest
from assistant.index.catalog import Catalog
from assistant.records import INSPECTION_TYPES, Answer
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.ui.feedback import record_feedback
from assistant.ui.history import history_chart, history_html
from assistant.ui.inputs import filters_from
from assistant.ui.library import (
    LibraryRow,
    choice_note,
    letter_name,
    library_html,
    library_rows,
    removable,
)
from assistant.ui.render import (
    CSS,
    SOURCES_SCRIPT,
    answer_html,
    markdown_export,
    sources_html,
    streaming_html,
    turns_sources_html,
)
from assistant.ui.shared import Shared
from assistant.ui.streaming import stream_answer
from assistant.ui.uploads import add_uploads, settle_uploads

EXAMPLES = [
    "How many children attended their child protection conference in Stockton-on-Tees?",
    "What did inspectors find about dentists and neglect in Stockton-on-Tees?",
    "List the priority actions Torbay was given.",
    "What was the overall effectiveness grade in Solihull's 2023 ILACS?",
    "What needs to improve at the front door in Bromley?",
    "When did the Stockton-on-Tees JTAI take place, and what was its theme?",
    "How has Stockton-on-Tees changed since 2016?",
    "Which areas were judged inadequate overall?",
]
POLARITY_CHOICES = ["Any", "Strengths", "Areas for improvement"]
MODES = {"Language model": "llm", "Offline quotes": "grounded"}  # the page's "Answer with"
PROGRESS = gr.Progress()  # Gradio fills this in for the upload handler (plain words, no tqdm)


def build_page(
    assistant: Assistant, uploads_allowed: bool = True, shared: Shared | None = None
) -> gr.Blocks:
    """The page; ``shared`` holds the assistant it answers with (given when the plain API
    answers through the same one)."""
    shared = shared or Shared(assistant)
    settings = assistant.settings
    uploads = Path(settings.data_dir) / "uploads"
    if settle_uploads(uploads, assistant.catalog, lambda folder: _index_at_start(folder, shared)):
        shared.reload()
    shared.watch(assistant.settings.refresh_seconds)
    feedback_file = Path(settings.data_dir) / "feedback.jsonl"

    def info() -> str:
        a = shared.assistant
        years = year_choices()
        span = f" ({years[0]} to {years[-1]})" if years else ""
        return (
            f"{len(a.catalog.documents)} letters{span}, {len(a.catalog.passages):,} passages "
            f"searched · answers: {answerers_line(a.settings)}"
        )

    def year_choices() -> list[str]:
        docs = shared.assistant.catalog.documents.values()
        dates = [x for d in docs for x in (d.fieldwork_start, d.letter_date) if x]
        return (
            [
                str(y)
                for y in range(min(int(d[:4]) for d in dates), max(int(d[:4]) for d in dates) + 1)
            ]
            if dates
            else []
        )

    def area_choices() -> list[str]:
        return sorted(shared.assistant.catalog.areas.values())

    def respond(
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
        stopped = stops.begin(request.session_hash or "" if request else "")
        question = (question or "").strip()
        if not question:
            yield "", history, turns, gr.update()
            return
        history = [*history, {"role": "user", "content": html.escape(question)}]
        yield (
            "",
            [*history, {"role": "assistant", "content": "Searching the letters\u2026"}],
            turns,
            gr.update(),
        )
        filters = filters_from(areas, types, year_from, year_to, polarity, letters)
        previous = turns[-1].plan if turns else None
        earlier = [(t.question, t.text) for t in turns]
        chosen = MODES.get(mode or "") or settings.mode
        answer: Answer | None = None
        started = time.monotonic()
        try:
            for item in stream_answer(
                lambda config: shared.assistant.ask(
                    question, filters, None, previous, chosen, earlier, config
                )
            ):
                if isinstance(item, Answer):
                    answer = item
                elif stopped.is_set():  # Stop: the draft is dropped, answered offline
                    answer = shared.assistant.ask(
                        question, filters, None, previous, "grounded", earlier
                    )
                    break
                else:  # a model's tokens as they arrive, shown as a draft, not yet checked
                    draft = streaming_html(item, time.monotonic() - started)
                    writing = {"role": "assistant", "content": draft}
                    yield "", [*history, writing], turns, gr.update()
        except AssistantError as exc:  # said in plain words, never a bare "Error"
            message = not_answered(exc)
            yield "", [*history, {"role": "assistant", "content": message}], turns, gr.update()
            return
        assert answer is not None
        turns = [*turns, answer]
        under = sources_html(answer, shared.sources, 0)  # shown under it on a phone
        named = filters.describe(lambda d: letter_name(shared.assistant.catalog, d))
        content = answer_html(answer, named, turn=len(turns), cards=under)
        history = [*history, {"role": "assistant", "content": content}]
        yield (
            "",
            history,
            turns,
            turns_sources_html(turns, shared.sources),
        )

    def clear() -> tuple[list[Any], list[Answer], str]:
        return [], [], ""

    def rate(data: gr.LikeData, turns: list[Answer]) -> str:
        answer = _answer_at(turns, data.index)
        if answer is None:
            return "Nothing to rate."
        record_feedback(feedback_file, answer, "up" if data.liked else "down")
        return "Thank you: your rating was saved."

    def comment(text: str, rating: str, turns: list[Answer]) -> tuple[str, str]:
        if not turns:
            return text, "Ask a question first."
        record_feedback(
            feedback_file, turns[-1], "up" if rating == "\U0001f44d Helpful" else "down", text
        )
        return "", "Thank you: your comment was saved with the last answer."

    def export(turns: list[Answer]) -> Any:
        if not turns:
            return gr.update(value=None, visible=False)
        out = Path(tempfile.mkdtemp(prefix="conversation-")) / "conversation.md"
        out.write_text(markdown_export(turns), encoding="utf-8")
        return gr.update(value=str(out), visible=True)

    def add_letters(
        files: list[str] | None, progress: gr.Progress = PROGRESS
    ) -> tuple[str, Any, str]:
        if not uploads_allowed:
            return "Adding letters is turned off on this server.", gr.update(), info()
        if not files:
            return "Choose one or more PDF letters first.", gr.update(), info()
        n = len(files)
        progress(0.1, desc=f"Reading and indexing {n} letter{'s' if n > 1 else ''}\u2026")

        def index(folder: Path) -> tuple[IngestReport, Catalog]:
            with shared.lock:
                report = ingest([folder], shared.assistant.settings, show_progress=True)
            shared.reload()
            return report, shared.assistant.catalog

        try:
            lines = add_uploads(
                files, uploads, shared.assistant.catalog, settings.max_file_mb, index
            )
        finally:  # copies are in data/uploads now; Gradio's own are not kept
            discard_uploaded(files)
        message = "\n".join(f"- {html.escape(line)}" for line in lines) or "Nothing added."
        return message, gr.update(choices=area_choices()), info()

    def rows_for(query: str) -> list[LibraryRow]:
        return library_rows(shared.assistant.catalog, uploads, query)

    def library_choices(query: str) -> list[tuple[str, str]]:
        return [(f"{r.label} ({r.doc_id})", r.doc_id) for r in rows_for(query)]

    def find_letters(query: str, chosen: list[str] | None) -> tuple[Any, str]:
        choices = library_choices(query)
        shown = {value for _, value in choices}
        keep = [d for d in chosen or [] if d in shown]
        return gr.update(choices=choices, value=keep), library_html(rows_for(query))

    def remove_letters(chosen: list[str] | None, query: str) -> tuple[Any, ...]:
        if not uploads_allowed:
            return ("Removing letters is turned off on this server.", *[gr.update()] * 4)
        gone, kept = removable(rows_for(""), chosen or [])
        lines = [f"{d} was shipped with the assistant and stays." for d in kept]
        if gone:
            for doc_id in gone:
                Path(shared.assistant.catalog.sources[doc_id]).unlink(missing_ok=True)
            with shared.lock:
                ingest([uploads], shared.assistant.settings, show_progress=False)
            shared.reload()
            lines.insert(0, f"Removed {', '.join(gone)}: its passages are no longer searched.")
        elif not kept:
            lines.append("Tick one or more uploaded letters first.")
        message = "\n".join(f"- {html.escape(line)}" for line in lines)
        return (
            message,
            gr.update(choices=library_choices(query), value=[]),
            library_html(rows_for(query)),
            gr.update(choices=area_choices()),
            info(),
        )

    def api_ask(
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
            return parse_request(fields, settings).ask(shared.assistant).to_json()
        except AssistantError as exc:  # a field out of bounds, an index server away...
            raise gr.Error(str(exc)) from exc

    def show_history(area: str | None) -> tuple[str, Any]:
        if not area:
            return f'<div class="notice">{CHOOSE_AREA}</div>', None
        entries = area_history(shared.assistant.catalog, area)
        return history_html(entries, shared.sources), history_chart(entries) if entries else None

    stops = Stops()

    # Gradio's own cached files (exports, anything an upload left) are swept hourly once a day
    # old; added letters' copies are deleted at once (add_letters).
    with gr.Blocks(title="Inspection Assistant", delete_cache=(3600, 86400)) as page:
        turns = gr.State([])
        gr.Markdown(
            "# Inspection Assistant\nCited answers from Ofsted and joint inspection letters."
        )
        with gr.Tab("Ask", elem_id="tab-ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Conversation",
                        height=480,
                        elem_id="chat",
                        sanitize_html=True,
                        buttons=["copy", "copy_all"],  # no "share" to Hugging Face: offline
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="Ask about the letters, e.g. What did inspectors find about dentists and neglect in Stockton?",
                            show_label=False,
                            scale=5,
                            elem_id="question",
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                        stop = gr.Button(
                            "Stop: answer offline",
                            variant="stop",
                            scale=1,
                            visible=bool(settings.llm_base_url),
                            elem_id="stop",
                        )
                    with gr.Row():
                        choice = gr.Markdown(elem_id="letter-choice")
                        clear_choice = gr.Button(
                            "Ask about every letter",
                            visible=False,
                            size="sm",
                            scale=0,
                            elem_id="letter-choice-clear",
                        )
                    with gr.Accordion("Narrow the search", open=True, elem_id="narrow"):
                        with gr.Row():
                            areas = gr.Dropdown(
                                area_choices(), multiselect=True, label="Area", elem_id="areas"
                            )
                            types = gr.CheckboxGroup(
                                list(INSPECTION_TYPES), label="Inspection type", elem_id="types"
                            )
                        with gr.Row(visible=bool(settings.llm_base_url)):
                            mode = gr.Radio(
                                list(MODES),
                                value=next(k for k, v in MODES.items() if v == settings.mode),
                                label="Answer with",
                                info="A language model writes the answer, every sentence checked against "
                                "the letters; offline quotes are the letters' own sentences.",
                                elem_id="mode",
                            )
                        with gr.Row():
                            years = year_choices()
                            year_from = gr.Dropdown(
                                ["Any", *years], value="Any", label="From year", elem_id="year-from"
                            )
                            year_to = gr.Dropdown(
                                ["Any", *years], value="Any", label="To year", elem_id="year-to"
                            )
                            polarity = gr.Radio(
                                POLARITY_CHOICES, value="Any", label="Findings", elem_id="polarity"
                            )
                    gr.Examples(EXAMPLES, inputs=box, label="Try")
                    with gr.Row():
                        clear_btn = gr.Button("Clear conversation", elem_id="clear")
                        export_btn = gr.Button("Export as Markdown", elem_id="export")
                    export_file = gr.File(
                        label="Conversation (Markdown)",
                        interactive=False,
                        visible=False,
                        elem_id="export-file",
                    )
                    with gr.Accordion("Rate the last answer", open=False):
                        rating = gr.Radio(
                            ["\U0001f44d Helpful", "\U0001f44e Not helpful"],
                            value="\U0001f44d Helpful",
                            show_label=False,
                        )
                        note = gr.Textbox(placeholder="Optional comment", show_label=False)
                        send_note = gr.Button("Send")
                    status = gr.Markdown(elem_id="status")
                with gr.Column(scale=2, elem_classes=["sources-box"]):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(elem_id="sources")
            with gr.Accordion("Add letters", open=False, visible=uploads_allowed):
                files = gr.File(
                    file_count="multiple",
                    file_types=[".pdf", ".txt"],
                    label="PDF letters",
                    elem_id="upload",
                )
                add = gr.Button("Add to the index", elem_id="add")
                added = gr.Markdown(elem_id="added")
        with gr.Tab("Letters", elem_id="tab-library"):
            gr.Markdown(
                "Every letter in the index, newest first. Tick letters to ask only about them "
                "(the next questions, until you untick them)."
            )
            library_search = gr.Textbox(
                label="Find letters",
                placeholder="An area, a type or a year, e.g. Stockton JTAI 2018",
                elem_id="library-search",
            )
            letters = gr.CheckboxGroup(
                library_choices(""), label="Ask only about", elem_id="library-pick"
            )
            with gr.Row(visible=uploads_allowed):
                remove_btn = gr.Button(
                    "Remove the ticked uploaded letters", variant="stop", elem_id="library-remove"
                )
            removed_note = gr.Markdown(elem_id="library-removed")
            library_table = gr.HTML(library_html(rows_for("")), elem_id="library-table")
        with gr.Tab("Area history", elem_id="tab-history"):
            gr.Markdown(
                "Every inspection of an area in the index, oldest first, with what each found."
            )
            with gr.Row():
                history_area = gr.Dropdown(
                    area_choices(), value=None, label="Area", elem_id="history-area", scale=3
                )
                history_btn = gr.Button("Show", elem_id="history-show", scale=1)
            history_table = gr.HTML(
                f'<div class="notice">{CHOOSE_AREA}</div>', elem_id="history-table"
            )
            history_plot = gr.Plot(label="Judgements over time", elem_id="history-chart")
        about = gr.Markdown(info(), elem_id="about")

        def refresh() -> tuple[Any, ...]:
            """What a (re)loaded page shows of the index as it is now: letters added since the
            server started are counted, filterable and in the history list."""
            year_list = gr.update(choices=["Any", *year_choices()])
            return (
                info(),
                gr.update(choices=area_choices()),
                year_list,
                year_list,
                gr.update(choices=area_choices()),
                gr.update(choices=library_choices("")),
                library_html(rows_for("")),
            )

        page.load(
            refresh,
            None,
            [about, areas, year_from, year_to, history_area, letters, library_table],
            api_visibility="private",
        )

        inputs = [box, chat, turns, areas, types, year_from, year_to, polarity, mode, letters]
        library_search.change(
            find_letters,
            [library_search, letters],
            [letters, library_table],
            api_visibility="private",
        )
        remove_btn.click(
            remove_letters,
            [letters, library_search],
            [removed_note, letters, library_table, areas, about],
            api_visibility="private",
        )
        outputs = [box, chat, turns, sources]
        box.submit(respond, inputs, outputs, api_visibility="private")
        send.click(respond, inputs, outputs, api_visibility="private")

        # Stop: the model's draft is dropped and the question answered offline at once.
        # Stop: the answer being written drops its draft and answers offline (a flag it reads
        # between tokens; not a cancel, which would leave the model's thread running the queue).
        def stop_writing(request: gr.Request) -> None:
            stops.stop(request.session_hash or "")

        stop.click(
            stop_writing,
            None,
            None,
            queue=False,
            api_visibility="private",
        )
        clear_btn.click(clear, None, [chat, turns, sources], api_visibility="private")
        chat.like(rate, [turns], status, api_visibility="private")
        send_note.click(comment, [note, rating, turns], [note, status], api_visibility="private")
        export_btn.click(export, [turns], export_file, api_visibility="private")
        add.click(
            add_letters,
            [files],
            [added, areas, about],
            api_visibility="private",
            show_progress_on=[added],  # under the button, not over the filters or the footer
        )
        letters.change(
            lambda chosen: show_choice(shared.assistant.catalog, chosen),
            [letters],
            [choice, clear_choice],
            api_visibility="private",
        )
        clear_choice.click(
            lambda: ([], "", gr.update(visible=False)),
            None,
            [letters, choice, clear_choice],
            api_visibility="private",
        )
        history_btn.click(
            show_history, [history_area], [history_table, history_plot], api_visibility="private"
        )
        history_area.change(
            show_history, [history_area], [history_table, history_plot], api_visibility="private"
        )
        gr.api(api_ask, api_name="ask")
    return page


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


CHOOSE_AREA = "Choose an area to see every inspection of it in the index."


def show_choice(catalog: Catalog, chosen: list[str] | None) -> tuple[str, Any]:
    """The letters the next questions are restricted to, in words beside the question box, and
    the button that lifts the restriction (shown only while there is one)."""
    note = choice_note(catalog, chosen)
    return note, gr.update(visible=bool(note))


def _index_at_start(folder: Path, shared: Shared) -> IngestReport:
    with shared.lock:
        return ingest([folder], shared.assistant.settings, show_progress=False)


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


def launch_options() -> dict[str, Any]:
    """Look and feel, passed to ``launch`` (Gradio 6 takes them there)."""
    return {"css": CSS, "theme": theme(), "head": SOURCES_SCRIPT}


def theme() -> gr.themes.Base:
    """Gradio's Soft theme with text and controls dark enough for 4.5:1 contrast (WCAG AA)."""
    return gr.themes.Soft(primary_hue="blue", neutral_hue="slate").set(
        block_label_text_color="*primary_800",
        block_title_text_color="*primary_800",
        block_label_background_fill="*primary_50",
        block_title_background_fill="*primary_50",
        block_info_text_color="*neutral_600",
        body_text_color_subdued="*neutral_600",
        input_placeholder_color="*neutral_500",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        checkbox_label_background_fill_selected="*primary_700",
        checkbox_label_text_color_selected="white",
        link_text_color="*primary_700",
        link_text_color_visited="*primary_800",
        link_text_color_hover="*primary_800",
        link_text_color_active="*primary_800",
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


def _answer_at(turns: list[Answer], index: Any) -> Answer | None:
    """The answer behind a chat message index (user and assistant messages alternate)."""
    position = index[0] if isinstance(index, list | tuple) else index
    if not isinstance(position, int):
        return None
    turn = position // 2
    return turns[turn] if 0 <= turn < len(turns) else None
