"""The metadata check against a manifest: what counts as right, and the report."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.errors import DocumentError
from assistant.evals.metadata_check import (
    CheckResult,
    Expected,
    agreement,
    mismatches,
    read_manifest,
    report,
    type_of_label,
)
from assistant.records import DocumentMeta, ParsedDocument


def meta(**kw: object) -> DocumentMeta:
    base: dict[str, object] = dict(
        doc_id="doc-001",
        title="t",
        area="Bradford",
        inspection_type="focused visit",
        source="doc-001.pdf",
        sha256="x",
        pages=5,
        letter_date="2021-02-12",
    )
    base.update(kw)
    return DocumentMeta(**base)  # type: ignore[arg-type]


def test_type_labels() -> None:
    assert type_of_label("ILACS focused visit letter") == "focused visit"
    assert type_of_label("Area SEND inspection report") == "area SEND"
    assert type_of_label("JTAI letter") == "JTAI"


def test_mismatches_by_field() -> None:
    e = Expected("a.pdf", "Bradford", "focused visit", "2021-02-12")
    assert mismatches(meta(fieldwork_start="2020-12-15", fieldwork_end="2020-12-15"), e) == []
    assert mismatches(meta(area="Bradford Metropolitan"), e)  # must be the canonical name
    assert (
        mismatches(meta(), Expected("a.pdf", "Bradford Metropolitan", "focused visit", "?")) == []
    )
    assert mismatches(meta(area="Leeds"), e)[0].startswith("area")
    assert mismatches(meta(letter_date="2021-03-01"), e)[-1].startswith("published")
    assert mismatches(meta(), e)[0].startswith("fieldwork")
    assert mismatches(None, e) == ["could not be read"]


def test_reports_without_a_printed_date_are_checked_on_their_inspection_dates() -> None:
    e = Expected("a.pdf", "Durham", "area SEND", "2024-09-03")
    ok = meta(area="Durham", inspection_type="area SEND", letter_date=None)
    assert mismatches(ok, e)[0].startswith("fieldwork")  # no dates read at all
    dated = meta(
        area="Durham",
        inspection_type="area SEND",
        letter_date=None,
        fieldwork_start="2024-06-24",
        fieldwork_end="2024-06-28",
    )
    assert mismatches(dated, e) == []


def test_manifest_and_report(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        "file,local_area,document_type,published\na.pdf,Barnet,JTAI letter,18 Jul 2022\n",
        encoding="utf-8",
    )
    [row] = read_manifest(path)
    assert row == Expected("a.pdf", "Barnet", "JTAI", "2022-07-18")
    results = [CheckResult(row, meta(area="Leeds"), ("area 'Leeds', expected 'Barnet'",))]
    assert agreement(results, "area") == (0, 1)
    assert "a.pdf: area 'Leeds'" in report(results)


def test_the_shipped_corpus_under_opaque_names_agrees_with_its_manifest(
    corpus_parsed: dict[str, ParsedDocument | DocumentError],
) -> None:
    """Every letter in corpus/, read from a copy named doc-001.pdf..., for its canonical area,
    type, publication month and inspection dates; a failure lists every mismatch."""
    from assistant.evals.metadata_check import check_parsed
    from tests.conftest import CORPUS

    expected = read_manifest(CORPUS / "manifest.csv")
    results = check_parsed(expected, [corpus_parsed[Path(e.file).stem] for e in expected])
    assert len(results) == 66
    for field in ("area", "type", "published", "fieldwork"):
        right, total = agreement(results, field)
        assert right == total, report(results)


def test_check_folder_reads_opaque_copies(tmp_path: Path) -> None:
    """The command's own path: copies under opaque names, read and compared."""
    from assistant.evals.metadata_check import check_folder
    from tests.conftest import CORPUS

    doc = "focused-visit-plymouth-2023-01"
    rows = [line for line in (CORPUS / "manifest.csv").read_text().splitlines() if doc in line]
    header = (CORPUS / "manifest.csv").read_text().splitlines()[0]
    (tmp_path / "manifest.csv").write_text("\n".join([header, *rows]) + "\n")
    shutil.copy(CORPUS / f"{doc}.pdf", tmp_path)
    [result] = check_folder(
        tmp_path, tmp_path / "manifest.csv", opaque=True, min_chars=200, max_chars=900, show=False
    )
    assert result.meta is not None and result.meta.doc_id == "doc-001" and not result.problems
