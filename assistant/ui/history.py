"""The page's area history: every inspection of an area in date order, as a table of linked
documents and a chart of judgements over time. Pure functions of the history entries."""

from __future__ import annotations

import html
from typing import Any

from assistant.records import GRADE_ORDER, HistoryEntry
from assistant.ui.render import pdf_link

LEVELS = {n: g.capitalize() for g, n in GRADE_ORDER.items()}


def _dates(entry: HistoryEntry) -> str:
    doc = entry.doc
    inspected = doc.fieldwork_start or ""
    if doc.fieldwork_end and doc.fieldwork_end != doc.fieldwork_start:
        inspected += f" to {doc.fieldwork_end}"
    parts = [f"inspected {inspected}" if inspected else ""]
    if doc.letter_date:
        parts.append(f"published {doc.letter_date}")
    return ", ".join(p for p in parts if p)


def history_html(entries: list[HistoryEntry], sources: dict[str, str]) -> str:
    """A table: when, what, theme, what it concluded (each fact linked to its page)."""
    if not entries:
        return '<div class="notice">No inspections of that area in the index.</div>'
    rows = []
    for entry in entries:
        doc = entry.doc
        source = sources.get(doc.doc_id)
        title = html.escape(doc.title)
        if source:
            title = (
                f'<a href="{html.escape(pdf_link(source, 1))}" target="_blank" '
                f'rel="noopener">{title}</a>'
            )
        found = []
        # Every judgement (or the outcome, or the theme) and every area for priority action.
        for fact in (*entry.headline, *entry.priorities):
            text = html.escape(fact.value)
            if fact.name == "priority_action":
                text = f"<b>{html.escape(fact.label)}:</b> {text}"
            if source:
                href = html.escape(pdf_link(source, fact.page))
                text += f' <a class="pdf" href="{href}" target="_blank" rel="noopener">p. {fact.page}</a>'
            found.append(f"<li>{text}</li>")
        rows.append(
            "<tr>"
            f"<td>{html.escape(_dates(entry))}</td>"
            f"<td>{html.escape(doc.inspection_type)}</td>"
            f"<td>{title}<br><span class='meta'>{html.escape(doc.theme or '')}</span></td>"
            f"<td><ul>{''.join(found)}</ul></td>"
            "</tr>"
        )
    head = "<tr><th>When</th><th>Type</th><th>Document</th><th>What it found</th></tr>"
    # In a box of its own that scrolls sideways on a narrow screen, not cut off by the page.
    return f'<div class="history-wrap"><table class="history">{head}{"".join(rows)}</table></div>'


def history_chart(entries: list[HistoryEntry]) -> Any:
    """Overall judgements (ILACS, SIF) and area SEND outcomes over time, 1 (inadequate) to 4
    (outstanding; an area SEND outcome of positive experiences is drawn at good, inconsistent at
    requires improvement, systemic failings at inadequate); other inspections as marks on the
    time line. A matplotlib figure."""
    import matplotlib

    matplotlib.use("Agg")
    from datetime import date

    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    def when(entry: HistoryEntry) -> float:
        return float(mdates.date2num(date.fromisoformat(entry.doc.date or "")))

    dated = [e for e in entries if e.doc.date]
    graded = [e for e in dated if e.level]
    others = [e for e in dated if not e.level]
    fig, ax = plt.subplots(figsize=(8, 3))
    if graded:
        ax.plot([when(e) for e in graded], [e.level or 0 for e in graded], marker="o")
        for e in graded:
            ax.annotate(
                e.doc.inspection_type,
                (when(e), e.level or 0),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=8,
            )
    if others:
        ax.scatter(
            [when(e) for e in others],
            [0.5] * len(others),
            marker="|",
            s=200,
            color="#57606a",
            label="no grade (JTAI, focused visit)",
        )
        ax.legend(loc="lower right", fontsize=8)
    ax.set_ylim(0, 4.6)
    ax.set_yticks([1, 2, 3, 4], [LEVELS[n] for n in (1, 2, 3, 4)], fontsize=8)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    if dated:
        years = [int((e.doc.date or "")[:4]) for e in dated]
        ax.set_xlim(
            float(mdates.date2num(date(min(years), 1, 1))),
            float(mdates.date2num(date(max(years) + 1, 1, 1))),
        )
        ax.set_title(f"{dated[0].doc.area}: overall judgement over time")
    fig.tight_layout()
    return fig
