"""The history view's pure pieces: the table (escaped, linked to pages) and the chart."""

from __future__ import annotations

from assistant.records import DocumentMeta, Fact, HistoryEntry
from assistant.ui.history import history_chart, history_html


def entry(doc_id: str, kind: str, start: str, judgements=(), theme=None) -> HistoryEntry:  # type: ignore[no-untyped-def]
    facts = tuple(Fact("judgement", f"{n}: {g}", 1, f"{n} {g}") for n, g in judgements)
    doc = DocumentMeta(
        doc_id,
        f"<b>{doc_id}</b>",
        "Exampleshire",
        kind,
        f"{doc_id}.pdf",
        "0",
        9,
        fieldwork_start=start,
        fieldwork_end=start,
        judgements=tuple(judgements),
        theme=theme,
        facts=facts,
    )
    return HistoryEntry(doc, facts)


ENTRIES = [
    entry("jtai-x", "JTAI", "2018-01-10", theme="abuse and neglect"),
    entry("ilacs-x", "ILACS", "2019-05-20", [("Overall effectiveness", "Inadequate")]),
    entry("ilacs-y", "ILACS", "2023-03-06", [("Overall effectiveness", "Good")]),
]


def test_history_table_is_escaped_and_links_each_fact_to_its_page() -> None:
    out = history_html(ENTRIES, {"ilacs-x": "/tmp/ilacs-x.pdf"})
    assert "<b>jtai-x</b>" not in out and "&lt;b&gt;jtai-x&lt;/b&gt;" in out
    assert out.count("<tr>") == 4  # a header and three inspections
    assert "ilacs-x.pdf#page=1" in out
    assert out.index("jtai-x") < out.index("ilacs-y")


def test_levels_and_chart() -> None:
    assert [e.level for e in ENTRIES] == [None, 1, 3]
    fig = history_chart(ENTRIES)
    ax = fig.axes[0]
    assert list(ax.lines[0].get_ydata()) == [1, 3]
    assert "Exampleshire" in ax.get_title()
    assert history_html([], {}).startswith('<div class="notice">')


def test_a_row_holds_every_judgement_and_every_priority_action() -> None:
    six = [(f"Judgement {n}", "Requires improvement") for n in range(1, 7)]
    graded = entry("sif-x", "SIF", "2016-03-01", six)
    visit = entry("fv-x", "focused visit", "2022-09-12")
    points = tuple(
        Fact("priority_action", text, 2, text)
        for text in ("The screening of risk at the front door.", "The quality of plans.")
    )
    visit = HistoryEntry(visit.doc, visit.headline, points)
    out = history_html([graded, visit], {"fv-x": "/tmp/fv-x.pdf"})
    assert all(f"Judgement {n}: Requires improvement" in out for n in range(1, 7))
    assert "Area for priority action:</b> The screening of risk at the front door." in out
    assert "The quality of plans." in out and "fv-x.pdf#page=2" in out
