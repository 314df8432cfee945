"""A minimal chat page over the assistant: the answer with [n] markers and its sources."""

from __future__ import annotations

import html

import gradio as gr

from assistant.records import Answer
from assistant.service import Assistant


def render_sources(answer: Answer) -> str:
    """Cited passages as escaped HTML: letter text can never inject markup into the page."""
    cited = {c.passage_id: c for c in answer.citations}
    rows = []
    for sp in answer.passages:
        citation = cited.get(sp.passage.id)
        text = html.escape(sp.passage.text)
        if citation:
            sentence = html.escape(citation.sentence)
            text = text.replace(sentence, f"<mark>{sentence}</mark>", 1)
        label = f"[{citation.n}] " if citation else ""
        rows.append(
            f"<div class='source'><b>{label}{html.escape(sp.doc.title)}</b><br>"
            f"<small>{html.escape(sp.doc.area)} · {html.escape(sp.doc.inspection_type)} · "
            f"{html.escape(sp.doc.date or '')} · {html.escape(sp.passage.section)} · "
            f"page {sp.passage.page_start}</small><p>{text}</p></div>"
        )
    return "\n".join(rows)


def build_page(assistant: Assistant) -> gr.Blocks:
    with gr.Blocks(title="Inspection Assistant") as page:
        gr.Markdown("## Inspection Assistant\nAsk about the inspection letters in the index.")
        chat = gr.Chatbot(height=420)
        box = gr.Textbox(
            placeholder="e.g. What did inspectors find about dentists and neglect in Stockton?"
        )
        sources = gr.HTML()

        def respond(
            question: str, history: list[dict[str, str]]
        ) -> tuple[str, list[dict[str, str]], str]:
            answer = assistant.ask(question)
            history = [
                *history,
                {"role": "user", "content": question},
                {"role": "assistant", "content": answer.text},
            ]
            return "", history, render_sources(answer)

        box.submit(respond, [box, chat], [box, chat, sources], api_name="ask")
    return page
