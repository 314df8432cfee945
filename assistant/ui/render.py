"""HTML for the page: the answer with clickable [n] markers and the source cards.

Pure functions, so escaping is tested directly: every piece of letter or question text goes
through ``html.escape`` before it meets markup, so a letter can never inject markup or script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import quote

from assistant.answer.base import NEAREST, NO_NEAR, NOT_FOUND
from assistant.answer.evidence import addresses_assistant
from assistant.records import Answer, Citation, DocumentMeta, ScoredPassage
from assistant.text import split_sentences

_MARKER = re.compile(r"\[(\d+)\]")


# Inline, so no style of the chat's own outranks it: a link at 4.5:1 contrast, also through the
# bubble's 80% opacity.
CITE_STYLE = "color:#0a3d91;font-weight:700;text-decoration:underline"


def answer_html(answer: Answer, filters_text: str = "", turn: int = 1, cards: str = "") -> str:
    """The answer as chat content: escaped text, bold group headings, and each [n] a link to
    this turn's card ``#source-<turn>-<n>``, its quoted sentence shown on hover or focus.
    ``cards``: the answer's source cards, shown under it on a phone (where the panel is not)."""
    quoted = {c.n: " \u2026 ".join(c.sentences or (c.sentence,)) for c in answer.citations}
    text = html.escape(answer.text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = _MARKER.sub(
        lambda m: (
            f'<a class="cite" style="{CITE_STYLE}" href="#source-{turn}-{m.group(1)}" '
            f'title="{html.escape(quoted.get(int(m.group(1)), ""))}">[{m.group(1)}]</a>'
        ),
        text,
    )
    text = text.replace("\n", "<br>")
    notes = "".join(
        f'<div class="note">{html.escape(note)}</div>'
        for note in answer.notes
        if note not in answer.text
    )
    extra = (
        f'<div class="scope">Searched with {html.escape(filters_text)}</div>'
        if filters_text
        else ""
    )
    by = f'<div class="by">Answered by: {html.escape(answered_by_label(answer.answered_by))}</div>'
    under = f'<div class="inline-sources">{cards}</div>' if cards else ""
    copy = (
        f'<a class="copy-cite" style="{CITE_STYLE}" href="#copy-{turn}">Copy with citations</a>'
        # One element a line: the chat's Markdown folds the newlines of a block of text.
        '<div class="cite-copy" style="display:none">'
        + "".join(
            f'<span class="line">{html.escape(line)}</span>'
            for line in citation_text(answer).split("\n")
        )
        + "</div>"
        if answer.citations
        else ""
    )
    return f'<div class="answer turn-{turn}">{text}{notes}{extra}{by}{copy}{under}</div>'


def citation_text(answer: Answer) -> str:
    """The answer as plain text with its [n] markers, then its sources as a short reference
    list, ready to paste into a report or an improvement plan."""
    body = re.sub(r"\*\*(.+?)\*\*", r"\1", answer.text).strip()
    refs = []
    for c in answer.citations:
        doc = next((sp.doc for sp in answer.passages if sp.passage.id == c.passage_id), None)
        what = f"{doc.area}, {doc.inspection_type}, {dates_text(doc)}" if doc else c.doc
        refs.append(f"[{c.n}] {c.title} ({what}), page {c.page}, \u201c{c.section}\u201d.")
    return body + "\n\nSources:\n" + "\n".join(refs)


def answered_by_label(answered_by: str) -> str:
    """'llm (smollm2)' -> 'language model smollm2, checked against the letters'."""
    if answered_by.startswith("llm"):
        model = answered_by[len("llm") :].strip(" ()")
        return f"language model {model}, every sentence checked against the letters"
    if "fallback" in answered_by:
        return "offline quotes (the language model's answer could not be used)"
    return "offline quotes from the letters"


def streaming_html(text: str, seconds: float = 0.0) -> str:
    """A model's answer as it arrives: a draft in a box of its own, escaped, saying how long it
    has been writing and that nothing in it is checked yet (the checked answer replaces it)."""
    body = html.escape(text).replace("\n", "<br>")
    return (
        '<div class="draft"><div class="checking">Draft, not yet checked: writing for '
        f"{seconds:.0f} s. Every sentence is checked against the letters before it is shown as "
        "the answer; Stop gives the offline answer now.</div>"
        f'<div class="draft-text">{body}</div></div>'
    )


def highlight(passage_text: str, *sentences: str) -> str:
    """The passage, escaped, with the supporting sentences marked."""
    escaped = html.escape(passage_text)
    for sentence in dict.fromkeys(sentences):
        target = html.escape(sentence)
        if sentence and target in escaped:
            escaped = escaped.replace(target, f"<mark>{target}</mark>", 1)
    return escaped


def pdf_link(source: str, page: int) -> str:
    """A link Gradio serves (the corpus and upload folders are allowed paths), opened at a page."""
    path = str(Path(source).resolve())
    return f"/gradio_api/file={quote(path)}#page={page}"


# What kind of passage a card holds, in plain words, from its section's heading (first match).
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"priority action|immediate action", re.I), "Area for priority action"),
    (
        re.compile(r"case study|practice study|child's journey|children's experiences", re.I),
        "Case study",
    ),
    (re.compile(r"what needs to improve|need to do better|improve", re.I), "What needs to improve"),
    (re.compile(r"^judgements?$|judgement|graded", re.I), "Judgement"),
    (re.compile(r"recommendation", re.I), "Recommendation"),
)


def passage_kind(section: str, polarity: str) -> str:
    """The card's label: "Area for priority action", "Case study", "What needs to improve",
    "Strength"...; "" for an ordinary finding.

    >>> passage_kind("Case study: highly effective practice", "strength")
    'Case study'
    >>> passage_kind("Areas for priority action", "improvement")
    'Area for priority action'
    >>> passage_kind("Key strengths", "strength"), passage_kind("Introduction", "neutral")
    ('Strength', '')
    """
    for pattern, kind in _KINDS:
        if pattern.search(section):
            return kind
    return {"strength": "Strength", "improvement": "Area for improvement"}.get(polarity, "")


def source_card(
    sp: ScoredPassage, citation: Citation | None, source: str | None, turn: int = 1
) -> str:
    doc, passage = sp.doc, sp.passage
    page = citation.page if citation else passage.page_start
    label = f"[{citation.n}]" if citation else f"#{sp.rank}"
    # The panel's card has the id [n] links to; the copy under the answer (phones) has none.
    anchor = f' id="source-{turn}-{citation.n}"' if citation and turn else ""
    number = f" n-{citation.n}" if citation else ""  # (the chat's sanitiser drops data-*)
    body = (
        highlight(passage.text, *(citation.sentences or (citation.sentence,)))
        if citation
        else highlight(passage.text)
    )
    link = (
        f'<a class="pdf" href="{html.escape(pdf_link(source, page))}" target="_blank" rel="noopener">'
        f"Open the letter at page {page}</a>"
        if source
        else ""
    )
    meta = " · ".join(
        html.escape(x)
        for x in (
            doc.area,
            doc.inspection_type,
            dates_text(doc),
            passage.section,
            f"page {page}",
        )
        if x
    )
    kind = passage_kind(passage.section, passage.polarity)
    badge = f'<span class="badge {passage.polarity}">{kind}</span>' if kind else ""
    if any(addresses_assistant(s) for s in split_sentences(passage.text)):
        badge += (
            '<div class="flag">This passage speaks to the reader or to an AI assistant '
            "(an instruction, not an inspection finding).</div>"
        )
    return (
        f'<div class="source{number}"{anchor}><div class="head"><span class="label">{label}</span> '
        f"<strong>{html.escape(doc.title)}</strong> {badge}</div>"
        f'<div class="meta">{meta}</div><p class="text">{body}</p>{link}</div>'
    )


def dates_text(doc: DocumentMeta) -> str:
    """'inspected 29 November 2022, published 10 January 2023': both, where the letter gives
    both (a visit late in one year is often published in the next)."""
    visit = _when(doc.fieldwork_start)
    letter = _when(doc.letter_date)
    if visit and letter:
        return f"inspected {visit}, published {letter}"
    return f"inspected {visit}" if visit else letter


def _when(iso: str | None) -> str:
    """'2018-01-15' -> '15 January 2018'."""
    if not iso:
        return ""
    when = date.fromisoformat(iso)
    return f"{when.day} {when:%B %Y}"


def sources_html(answer: Answer, sources: dict[str, str], turn: int = 1) -> str:
    """Cards for the cited passages; for a decline, the notice and the nearest passages the
    answer holds (the same the chat, the export and ``ask --json`` give)."""
    if answer.abstained:
        notice = f"{NOT_FOUND} {NEAREST if answer.passages else NO_NEAR}"
        cards = [source_card(sp, None, sources.get(sp.passage.doc_id)) for sp in answer.passages]
        return f'<div class="notice">{notice}</div>' + "".join(cards)
    by_id = {sp.passage.id: sp for sp in answer.passages}
    cards = [
        source_card(by_id[c.passage_id], c, sources.get(c.doc), turn)
        for c in answer.citations
        if c.passage_id in by_id
    ]
    return "".join(cards) or '<div class="notice">No sources.</div>'


def turns_sources_html(answers: Sequence[Answer], sources: dict[str, str]) -> str:
    """Every turn's sources, each turn in its own group; the last is shown, and clicking an
    earlier answer or one of its [n] shows that answer's own (SOURCES_SCRIPT)."""
    groups = []
    for turn, answer in enumerate(answers, start=1):
        hidden = "" if turn == len(answers) else " hidden"
        groups.append(
            f'<section class="turn-sources" data-turn="{turn}"{hidden}>'
            f'<div class="turn-label">Sources of answer {turn}</div>'
            f"{sources_html(answer, sources, turn)}</section>"
        )
    return "".join(groups)


def markdown_export(turns: list[Answer]) -> str:
    """The conversation as Markdown: each question, its answer, then its sources, one item per
    citation with every sentence quoted from it, with blank lines where Markdown needs them."""
    lines = ["# Inspection Assistant conversation", ""]
    for answer in turns:
        lines += [f"## {answer.question}", "", answer.text.replace("\n", "\n\n"), ""]
        lines += [f"> Note: {note}" for note in answer.notes if note not in answer.text]
        if answer.notes:
            lines.append("")
        if answer.citations:
            lines += ["### Sources", ""]
            for c in answer.citations:
                lines.append(f"- [{c.n}] {c.title} ({c.doc}), page {c.page}, {c.section}")
                for sentence in c.sentences or (c.sentence,):
                    lines.append(f"  > \u201c{sentence}\u201d")
            lines.append("")
        elif answer.abstained:
            lines += ["### Nearest passages", ""] if answer.passages else [f"> {NO_NEAR}", ""]
            for sp in answer.passages:
                lines.append(
                    f"- {sp.doc.title} ({sp.passage.doc_id}), page {sp.passage.page_start}"
                )
            lines.append("")
    return "\n".join(lines)


# Clicking [n] shows that answer's sources and scrolls the sources panel (not the page) to the
# card; clicking anywhere in an answer shows its sources.
SOURCES_SCRIPT = """
<script>
document.addEventListener("click", (event) => {
  const copy = event.target.closest("a.copy-cite");
  if (copy) {  // the answer with its sources as a reference list, to the clipboard
    event.preventDefault();
    const lines = copy.closest(".answer")?.querySelectorAll(".cite-copy .line") || [];
    const text = Array.from(lines, (l) => l.textContent).join("\\n");
    window.__copied = text;
    const done = () => { copy.textContent = "Copied with citations"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, done);
    } else {
      const area = document.createElement("textarea");
      area.value = text; document.body.appendChild(area); area.select();
      try { document.execCommand("copy"); } catch (e) {}
      area.remove(); done();
    }
    return;
  }
  const cite = event.target.closest("a.cite");
  const answer = event.target.closest("#chat .answer");
  if (!cite && !answer) return;
  let turn = null;
  if (cite) {
    const m = (cite.getAttribute("href") || "").match(/^#source-(\\d+)-(\\d+)$/);
    if (m) turn = m[1];
    event.preventDefault();
  } else {
    const m = answer.className.match(/turn-(\\d+)/);
    if (m) turn = m[1];
  }
  if (!turn) return;
  const panel = document.querySelector("#sources");
  if (!panel) return;
  panel.querySelectorAll(".turn-sources").forEach((g) => { g.hidden = g.dataset.turn !== turn; });
  panel.querySelectorAll(".source.selected").forEach((c) => c.classList.remove("selected"));
  if (!cite) return;
  let card = document.getElementById(cite.getAttribute("href").slice(1));
  if (!card || card.offsetParent === null) {
    // On a phone the panel is hidden: the copy of the card under the answer.
    const n = cite.getAttribute("href").split("-").pop();
    const under = cite.closest(".answer")?.querySelector(`.inline-sources .n-${n}`);
    if (under) {
      document.querySelectorAll(".source.selected").forEach((c) => c.classList.remove("selected"));
      under.classList.add("selected");
      under.scrollIntoView({block: "nearest"});
    }
    return;
  }
  card.classList.add("selected");
  const box = panel.closest(".sources-box") || panel;
  if (card === card.closest(".turn-sources")?.querySelector(".source")) {
    box.scrollTop = 0;  // the first card: with the panel's heading above it
  } else {
    box.scrollTop += card.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
  }
  const top = box.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight - 100) box.scrollIntoView({block: "nearest"});
});
// Gradio labels each chat message with its raw content (our HTML): give screen readers the
// text instead. Its footer's icons repeat the link text beside them ("Settings" twice): the
// icon is decoration.
const plainLabels = () => {
  document.querySelectorAll("#chat [aria-label*='<']").forEach((el) => {
    const label = el.getAttribute("aria-label");
    const text = new DOMParser().parseFromString(label, "text/html").body.textContent;
    el.setAttribute("aria-label", text.replace(/\\s+/g, " ").trim());
  });
  // On a phone the chart scrolls sideways in its box: reachable from the keyboard too.
  document.querySelectorAll("#history-chart .matplotlib:not([tabindex])").forEach((box) => {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Judgements over time (scrolls sideways)");
  });
  document.querySelectorAll("footer img[alt]:not([alt=''])").forEach((img) => {
    const said = img.closest("a, button")?.textContent.trim() || "";
    if (said.includes(img.alt)) img.alt = "";
  });
};
new MutationObserver(plainLabels).observe(document.documentElement, {
  subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"],
});
</script>
"""


CSS = """
.note { color: #9a6700; font-size: 0.88em; margin-top: 6px; }
.by, .checking { color: #3d444d; font-size: 0.8em; margin-top: 4px; }
footer, footer a, footer button, .show-api, .built-with, .settings { color: #3d444d !important; }
.source { border: 1px solid #d8dee4; border-radius: 8px; padding: 10px 12px; margin: 0 0 10px 0; background: #fff; }
a.cite:focus-visible, #question textarea:focus-visible, #question textarea:focus {
  outline: 3px solid #0b57d0 !important; outline-offset: 2px !important;
}
.source.selected { border-color: #1f6feb; box-shadow: 0 0 0 3px #1f6feb33; }
/* The panel scrolls on its own and stays beside the conversation. Gradio lays a column out as a
   wrapping flex column: under a height limit its cards would wrap into a second column off to
   the right, out of sight (the panel looked blank at 1280-1440 px). */
.sources-box { max-height: 78vh; overflow-y: auto; position: sticky; top: 8px;
  align-self: flex-start; flex-wrap: nowrap !important; }
.sources-box > * { flex: none !important; max-width: 100%; }
.inline-sources { display: none; }
/* Gradio dims chat text to 80% opacity: the answer and the cards under it on a phone are shown
   at full contrast (their colours are chosen for 4.5:1 on white). */
#chat .prose.chatbot.md { opacity: 1 !important; }
@media (max-width: 700px) {
  .inline-sources { display: block; margin-top: 10px; }
  .sources-box { display: none !important; }
  /* room for the answer and its cards, with the question box still on the first screen */
  #chat { height: 52vh !important; max-height: none !important; }
  table.history { min-width: 560px; }
  /* the chart keeps a readable size and scrolls sideways in its own box */
  #history-chart .matplotlib, #history-chart .layout { overflow-x: auto; }
  #history-chart img { min-width: 640px; max-width: none !important; }
}
.history-wrap { overflow-x: auto; max-width: 100%; }
/* Links dark enough for 4.5:1 on white at small sizes (the theme's link blue is 4.3:1). */
table.history a, table.library a, .source a { color: #0b57d0 !important; }
#chat .answer a.copy-cite, #chat .answer a.copy-cite:visited, .answer a.copy-cite {
  color: #0a3d91 !important;
}
/* The selected tab's label: Gradio's blue-500 is 3.7:1 on white; blue-700 passes AA. */
button[role=tab][aria-selected=true] { color: #1d4ed8 !important; }
/* Long words (a folder, a model's name) wrap: the footer line must not scroll on a phone. */
#about, #about * { overflow: visible !important; overflow-wrap: anywhere; }
.badge.neutral { background: #eef1f4; color: #3d444d; }
.draft { border: 2px dashed #8c959f; border-radius: 8px; padding: 8px 10px; background: #f6f8fa; }
.draft .draft-text { color: #3d444d; font-style: italic; margin-top: 6px; }
.copy-cite { font-size: 0.8em; margin-top: 4px; display: inline-block; }
.turn-label { color: #57606a; font-size: 0.8em; margin: 0 0 6px 0; }
.source .label { font-weight: 700; color: #1f6feb; }
.source .meta { color: #57606a; font-size: 0.85em; margin: 2px 0 6px 0; }
.source .text { font-size: 0.92em; line-height: 1.45; margin: 0 0 6px 0; white-space: pre-wrap; }
.source mark { background: #fff3b0; padding: 0 2px; }
.source .pdf { font-size: 0.85em; }
.badge { font-size: 0.75em; border-radius: 10px; padding: 1px 8px; margin-left: 4px; }
.badge.strength { background: #dafbe1; color: #116329; }
.badge.improvement { background: #ffebe9; color: #a40e26; }
.flag { background: #ffebe9; border: 1px solid #a40e2655; border-radius: 6px; padding: 4px 8px; margin: 4px 0; font-size: 0.85em; color: #a40e26; }
.notice { background: #fff8c5; border: 1px solid #d4a72c66; border-radius: 8px; padding: 8px 12px; margin-bottom: 10px; }
.scope { color: #57606a; font-size: 0.8em; margin-top: 6px; }
table.history { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.history th, table.history td { border-bottom: 1px solid #d8dee4; padding: 6px 8px; text-align: left; vertical-align: top; }
table.history ul { margin: 0; padding-left: 16px; }
#history-chart .matplotlib { padding-top: 30px; }  /* clear of the block's label */
.letters .table-wrap { overflow: auto; max-height: 65vh; }
table.library { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.library th, table.library td { border-bottom: 1px solid #d8dee4; padding: 4px 8px; text-align: left; }
table.library thead th { position: sticky; top: 0; background: #f6f8fa; }
table.library tr.ticked td { background: #ddf4ff; }
table.library input[type=checkbox] { width: 18px; height: 18px; cursor: pointer; }
.pager { display: flex; align-items: center; gap: 12px; margin: 4px 0 8px 0; }
.pager button { border: 1px solid #8c959f; border-radius: 6px; padding: 2px 12px; background: #fff; color: #1f2328; }
.pager button:disabled { color: #57606a; border-color: #d0d7de; cursor: default; }
.pager .where { color: #3d444d; font-size: 0.9em; }
table.history .meta { color: #57606a; font-size: 0.85em; }
"""
