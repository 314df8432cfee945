"""The Gradio chat page, laid out: ask, read cited sources, filter, follow up, add and choose
letters, an area's history, rate, export. What each control does is in actions.py."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.library import Library
from assistant.records import INSPECTION_TYPES
from assistant.ui.actions import CHOOSE_AREA, HELPFUL, MODES, NOT_HELPFUL, Actions
from assistant.ui.library import LETTERS_SCRIPT
from assistant.ui.render import CSS, SOURCES_SCRIPT

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
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # the page's own events: not an API


def build_page(library: Library) -> gr.Blocks:
    """The page over ``library`` (and the assistant it holds, swapped when the index
    changes): its layout, each control wired to its handler in :class:`Actions`."""
    settings = library.assistant.settings
    act = Actions(library)
    uploads_allowed = library.uploads_allowed
    area_list, year_list = library.areas(), ["Any", *library.years()]

    # Gradio's own cached files (exports, anything an upload left) are swept hourly once a day
    # old; added letters' copies are deleted at once (Actions.add_letters).
    with gr.Blocks(title="Inspection Assistant", delete_cache=(3600, 86400)) as page:
        turns = gr.State([])
        letters = gr.State([])  # the letters ticked on the Letters tab: asked about alone
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
                            placeholder="Ask about the letters, e.g. What did inspectors find "
                            "about dentists and neglect in Stockton?",
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
                                area_list, multiselect=True, label="Area", elem_id="areas"
                            )
                            types = gr.CheckboxGroup(
                                list(INSPECTION_TYPES), label="Inspection type", elem_id="types"
                            )
                        with gr.Row(visible=bool(settings.llm_base_url)):
                            mode = gr.Radio(
                                list(MODES),
                                value=next(k for k, v in MODES.items() if v == settings.mode),
                                label="Answer with",
                                info="A language model writes the answer, every sentence "
                                "checked against the letters; offline quotes are the letters' "
                                "own sentences.",
                                elem_id="mode",
                            )
                        with gr.Row():
                            year_from = gr.Dropdown(
                                year_list, value="Any", label="From year", elem_id="year-from"
                            )
                            year_to = gr.Dropdown(
                                year_list, value="Any", label="To year", elem_id="year-to"
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
                        rating = gr.Radio([HELPFUL, NOT_HELPFUL], value=HELPFUL, show_label=False)
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
            library_table = gr.HTML(
                act.find_letters("", []), js_on_load=LETTERS_SCRIPT, elem_id="library-table"
            )
            with gr.Row(visible=uploads_allowed):
                remove_btn = gr.Button(
                    "Remove the ticked uploaded letters", variant="stop", elem_id="library-remove"
                )
            removed_note = gr.Markdown(elem_id="library-removed")
        with gr.Tab("Area history", elem_id="tab-history") as history_tab:
            gr.Markdown(
                "Every inspection of an area in the index, oldest first, with what each found."
            )
            with gr.Row():
                history_area = gr.Dropdown(
                    area_list, value=None, label="Area", elem_id="history-area", scale=3
                )
                history_btn = gr.Button("Show", elem_id="history-show", scale=1)
            history_table = gr.HTML(
                f'<div class="notice">{CHOOSE_AREA}</div>', elem_id="history-table"
            )
            history_plot = gr.Plot(label="Judgements over time", elem_id="history-chart")
        about = gr.Markdown(act.about(), elem_id="about")

        index_views = [about, areas, year_from, year_to, history_area, library_table]
        page.load(act.refresh, [letters], index_views, **PRIVATE)

        asked = [box, chat, turns, areas, types, year_from, year_to, polarity, mode, letters]
        answered = [box, chat, turns, sources]
        box.submit(act.respond, asked, answered, **PRIVATE)
        send.click(act.respond, asked, answered, **PRIVATE)
        stop.click(act.stop, None, None, queue=False, **PRIVATE)
        clear_btn.click(act.clear, None, [chat, turns, sources], **PRIVATE)
        chat.like(act.rate, [turns], status, **PRIVATE)
        send_note.click(act.comment, [note, rating, turns], [note, status], **PRIVATE)
        export_btn.click(act.export, [turns], export_file, **PRIVATE)
        add.click(
            act.add_letters,
            [files, letters, library_search],
            [added, areas, about, library_table, year_from, year_to, history_area],
            show_progress_on=[added],  # under the button, not over the filters or the footer
            **PRIVATE,
        )

        chosen_views = [letters, library_table, choice, clear_choice]
        library_search.change(act.find_letters, [library_search, letters], library_table, **PRIVATE)
        library_table.pick(  # every tick counts, however quickly they come
            act.pick_letters,
            [letters, library_search],
            chosen_views,
            trigger_mode="multiple",
            **PRIVATE,
        )
        clear_choice.click(act.clear_letters, [library_search], chosen_views, **PRIVATE)
        removing = gr.State([])  # the letters a first press of Remove named, to confirm
        remove_btn.click(
            act.remove_letters,
            [letters, library_search, removing],
            [removed_note, removing, letters, library_table, areas, about, choice, clear_choice],
            **PRIVATE,
        )

        shown = [history_table, history_plot]
        history_tab.select(
            act.open_history, [history_area, turns], [history_area, *shown], **PRIVATE
        )
        history_btn.click(act.show_history, [history_area], shown, **PRIVATE)
        history_area.input(act.show_history, [history_area], shown, **PRIVATE)
        gr.api(act.api_ask, api_name="ask")
    return page


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
