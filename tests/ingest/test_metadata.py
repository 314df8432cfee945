import pytest

from assistant.ingest import metadata as md


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("20 and 24 November 2017", None, ("2017-11-20", "2017-11-24")),
        ("6 to 17 March 2023", None, ("2023-03-06", "2023-03-17")),
        ("23 May to 16 June 2016", None, ("2016-05-23", "2016-06-16")),
        ("13 March 2023 to 17 March 2023", None, ("2023-03-13", "2023-03-17")),
        ("11 September 2017 \u2013 5 October 2017", None, ("2017-09-11", "2017-10-05")),
        ("16 May and 20 May", 2016, ("2016-05-16", "2016-05-20")),
        ("9 and 10 December 2025", None, ("2025-12-09", "2025-12-10")),
        ("no dates here", None, (None, None)),
    ],
)
def test_date_range(text, year, expected) -> None:
    assert md.date_range(text, default_year=year) == expected


@pytest.mark.parametrize(
    ("title", "lines", "doc_id", "area"),
    [
        ("Joint targeted area inspection of Bromley", [], "", "Bromley"),
        (
            "Joint targeted area inspection of the multi-agency response to child sexual abuse in the family in York",
            [],
            "",
            "York",
        ),
        (
            "Inspection of Stockton-on-Tees local authority children\u2019s services",
            [],
            "",
            "Stockton-on-Tees",
        ),
        ("Durham County Council", [], "", "Durham"),
        ("Focused visit to Plymouth City Council children\u2019s services", [], "", "Plymouth"),
        ("Area SEND inspection of Hartlepool Local Area Partnership", [], "", "Hartlepool"),
        ("Something else", [], "jtai-windsor-and-maidenhead-2022-07", "Windsor and Maidenhead"),
    ],
)
def test_area(title, lines, doc_id, area) -> None:
    assert md.area_of(title, lines, doc_id) == area


@pytest.mark.parametrize(
    ("title", "opening", "doc_id", "kind"),
    [
        ("Joint targeted area inspection of Kirklees", "", "x", "JTAI"),
        (
            "Durham County Council",
            "Inspection of children\u2019s social care services",
            "x",
            "ILACS",
        ),
        ("Focused visit to Stockton-on-Tees children\u2019s services", "", "x", "focused visit"),
        ("Area SEND inspection of Hartlepool Local Area Partnership", "", "x", "area SEND"),
        (
            "South Tyneside",
            "Inspection of services for children in need of help and protection, children looked after",
            "x",
            "SIF",
        ),
        ("Untitled", "", "sif-anywhere-2020-01", "SIF"),
        ("Untitled", "", "letter", "other"),
    ],
)
def test_inspection_type(title, opening, doc_id, kind) -> None:
    assert md.inspection_type(title, opening, doc_id) == kind


def test_ilacs_judgement_table() -> None:
    table = (
        "Judgement Grade The impact of leaders on social work practice with children and families "
        "Requires improvement to be good The experiences and progress of children in care Good "
        "Overall effectiveness Inadequate"
    )
    assert md.judgements(table) == (
        (
            "The impact of leaders on social work practice with children and families",
            "Requires improvement to be good",
        ),
        ("The experiences and progress of children in care", "Good"),
        ("Overall effectiveness", "Inadequate"),
    )


def test_sif_judgements_and_overall_sentence() -> None:
    text = (
        "Children\u2019s services in South Tyneside are good 1. Children who need help and protection Good "
        "2.1 Adoption performance Outstanding"
    )
    assert md.judgements(text) == (
        ("Children who need help and protection", "Good"),
        ("Adoption performance", "Outstanding"),
        ("Overall effectiveness", "Good"),
    )


def test_letter_date_and_fieldwork() -> None:
    page = "15 January 2018\nMartin Gray, Director\nDear local partnership\nBetween 20 and 24 November 2017, Ofsted"
    printed = md.letter_date(page)
    assert printed == "2018-01-15"
    assert md.fieldwork_dates(page, printed) == ("2017-11-20", "2017-11-24")


def test_inspectorates_always_include_ofsted_for_joint_inspections() -> None:
    intro = "inspectors from the Care Quality Commission (CQC) and HMICFRS"
    assert md.inspectorates(intro, "JTAI") == ("Ofsted", "CQC", "HMICFRS")
    assert md.inspectorates(intro, "ILACS") == ("Ofsted",)


@pytest.mark.parametrize(
    "doc_id",
    [
        "focused-visit-plymouth-2023-01",  # the letter's date on its first line
        "jtai-hampshire-2017-02",  # a page number, then the date; a title over two lines
        "sif-south-tyneside-2017-11",  # the area on the line before the report's title
        "area-send-hartlepool-2023-05",
        "ilacs-solihull-2023-01",
    ],
)
def test_a_text_copy_of_a_letter_reads_as_its_pdf(doc_id: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same title, area, type and dates from the text alone (a .txt has no type sizes)."""
    from assistant.ingest.loader import parse_document
    from assistant.ingest.reader import read_document
    from tests.conftest import corpus_pdf

    pdf = corpus_pdf(doc_id)
    text = tmp_path / "report (2).txt"  # a name that says nothing
    text.write_text("\f".join(p.text for p in read_document(pdf)), encoding="utf-8")
    a, b = (parse_document(f, min_chars=200, max_chars=1200).meta for f in (pdf, text))
    assert b.title == a.title and not b.title[:1].isdigit()
    assert (b.area, b.inspection_type) == (a.area, a.inspection_type)
    assert (b.letter_date, b.fieldwork_start, b.fieldwork_end) == (
        a.letter_date,
        a.fieldwork_start,
        a.fieldwork_end,
    )


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            [
                "Ofsted",
                "Inspection of Exampleshire children's services of",
                "Inspection dates: 1 May",
            ],
            "Inspection of Exampleshire children's services of",
        ),
        (
            [
                "inspection of the case records, which showed delays",
                "Focused visit to Exampleshire",
            ],
            "Focused visit to Exampleshire",
        ),
        (
            ["Monitoring visit to Exampleshire took place on 3 May 2024 and was the third", "x"],
            None,
        ),
        (
            ["Inspection of Exampleshire,", "The inspectors met leaders"],
            "Inspection of Exampleshire,",
        ),
        (
            ["Durham County Council", "", "Inspection of children's social care services"],
            "Durham County Council Inspection of children's social care services",
        ),
        (
            [
                "Area SEND inspection of North",
                "Northamptonshire Local Area Partnership",
                "Inspection dates",
            ],
            "Area SEND inspection of North Northamptonshire Local Area Partnership",
        ),
        (["Dear Sam", "Thank you for your time."], None),
    ],
)
def test_a_text_title_is_never_a_body_line_a_date_or_a_publisher(
    lines: list[str], title: str | None
) -> None:
    assert md.text_title(lines) == title
