"""The library's rows: every document, newest first, searchable, uploaded ones marked."""

from pathlib import Path

from assistant.index.catalog import Catalog
from assistant.library.letters import library_rows, removable
from assistant.records import DocumentMeta
from assistant.ui.library import choice_note, letters_table, toggle


def _doc(doc_id: str, area: str, letter: str) -> DocumentMeta:
    return DocumentMeta(doc_id, "t", area, "JTAI", f"{doc_id}.pdf", "0" * 64, 7, letter)


def test_rows_newest_first_searchable_and_marked_by_origin(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    old, new = (
        _doc("jtai-a-2017-01", "Aton", "2017-01-09"),
        _doc("report (3)", "B<b>", "2024-05-01"),
    )
    catalog = Catalog("m", {}, documents={old.doc_id: old, new.doc_id: new})
    catalog.sources = {old.doc_id: "/corpus/jtai-a-2017-01.pdf", new.doc_id: str(uploads / "x.pdf")}
    rows = library_rows(catalog, uploads)
    assert [r.doc_id for r in rows] == ["report (3)", "jtai-a-2017-01"]
    assert [r.uploaded for r in rows] == [True, False]
    assert [r.doc_id for r in library_rows(catalog, uploads, "aton 2017")] == ["jtai-a-2017-01"]
    assert library_rows(catalog, uploads, "leeds") == []
    table = letters_table(rows, [])
    assert "B&lt;b&gt;" in table and "No letter matches" in letters_table([], [])
    assert removable(rows, ["report (3)", "jtai-a-2017-01"]) == (["report (3)"], ["jtai-a-2017-01"])


def test_a_report_without_a_letter_date_is_published_not_stated_and_choices_are_named(
    tmp_path: Path,
) -> None:
    report = DocumentMeta(
        "ilacs-x-2023-05",
        "t",
        "Exampleshire",
        "ILACS",
        "x.pdf",
        "0" * 64,
        20,
        fieldwork_start="2023-03-06",
    )
    letter = _doc("jtai-a-2017-01", "Aton", "2017-01-09")
    catalog = Catalog("m", {}, documents={report.doc_id: report, letter.doc_id: letter})
    catalog.sources = {}
    rows = library_rows(catalog, tmp_path)
    assert [r.published for r in rows] == ["not stated", "2017-01-09"]
    assert choice_note(catalog, [report.doc_id, letter.doc_id]) == (
        "Asking only about 2 letters: Exampleshire ILACS 2023, Aton JTAI 2017."
    )
    assert choice_note(catalog, []) == ""


def test_five_hundred_letters_are_shown_a_page_at_a_time_with_the_ticks_kept(
    tmp_path: Path,
) -> None:
    docs = [_doc(f"jtai-area{i:03d}-2020-01", f"Area {i:03d}", "2020-01-09") for i in range(500)]
    catalog = Catalog("m", {}, documents={d.doc_id: d for d in docs})
    catalog.sources = {}
    rows = library_rows(catalog, tmp_path)
    chosen = toggle([], [rows[30].doc_id, rows[0].doc_id], True)
    second = letters_table(rows, chosen, page=1)
    assert second.count('class="pick"') == 25  # one page, not 500 tick boxes
    assert "Letters 26 to 50 of 500, page 2 of 20 \u00b7 2 ticked" in second
    assert f'data-doc="{rows[30].doc_id}" aria-label="Ask only about Area' in second
    assert second.count(" checked") == 1 and 'data-page="0">Previous' in second
    assert 'data-page="20" disabled>Next' in letters_table(rows, [], page=99)  # the last page
    assert toggle(chosen, [rows[30].doc_id], False) == [rows[0].doc_id]
    whole = [r.doc_id for r in rows[:25]]
    assert 'class="pick-page" aria-label="Ask only about every letter on this page" checked' in (
        letters_table(rows, toggle(chosen, whole, True))
    )
