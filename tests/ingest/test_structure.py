"""Structure, cleaning and passages on real letters of every type (no model needed)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.ingest.cleaning import assign_roles
from assistant.ingest.loader import parse_document
from assistant.ingest.reader import Line, Page, read_document
from assistant.ingest.sections import Unit, polarity_of, split_units
from assistant.records import ParsedDocument
from tests.conftest import CORPUS, corpus_pdf


@cache
def parsed(doc_id: str) -> ParsedDocument:
    return parse_document(corpus_pdf(doc_id), min_chars=200, max_chars=900)


def sections(doc: ParsedDocument) -> list[str]:
    out: list[str] = []
    for p in doc.passages:
        if p.section not in out:
            out.append(p.section)
    return out


@pytest.mark.parametrize(
    ("doc_id", "kind", "area", "expected_sections"),
    [
        (
            "jtai-stockton-on-tees-2018-01",
            "JTAI",
            "Stockton-on-Tees",
            [
                "Introduction",
                "Key Strengths",
                "Case study: highly effective practice",
                "Areas for improvement",
                "Case study: areas for improvement",
                "Next steps",
            ],
        ),
        (
            "jtai-bromley-2025-03",
            "JTAI",
            "Bromley",
            [
                "Headline findings",
                "What needs to improve?",
                "Strengths",
                "Main findings",
                "Next steps",
            ],
        ),
        (
            "ilacs-stockton-on-tees-2023-05",
            "ILACS",
            "Stockton-on-Tees",
            [
                "Judgements",
                "Summary",
                "What needs to improve?",
                "The experiences and progress of care leavers: requires improvement to be good",
            ],
        ),
        (
            "ilacs-stockton-on-tees-2019-07",
            "ILACS",
            "Stockton-on-Tees",
            [
                "Summary",
                "What needs to improve",
                "The experiences and progress of children who need help and protection: "
                "Requires improvement to be good",
                "The experiences and progress of children in care and care leavers: "
                "Requires improvement to be good",
                "The impact of leaders on social work practice with children and families: "
                "Requires improvement to be good",
            ],
        ),
        (
            "focused-visit-plymouth-2023-01",
            "focused visit",
            "Plymouth",
            ["Headline findings", "Areas for priority action", "Main findings"],
        ),
        (
            "area-send-hartlepool-2023-05",
            "area SEND",
            "Hartlepool",
            [
                "Inspection outcome",
                "What is the area partnership doing that is effective?",
                "Areas for improvement",
            ],
        ),
        (
            "sif-south-tyneside-2017-11",
            "SIF",
            "South Tyneside",
            ["Executive summary", "Recommendations"],
        ),
    ],
)
def test_type_area_and_sections(
    doc_id: str, kind: str, area: str, expected_sections: list[str]
) -> None:
    doc = parsed(doc_id)
    assert doc.meta.inspection_type == kind
    assert doc.meta.area == area
    found = sections(doc)
    for section in expected_sections:
        assert section in found, f"{section!r} not in {found}"
    ordered = [s for s in found if s in expected_sections]
    assert ordered == [s for s in expected_sections if s in ordered], "sections out of order"


def test_jtai_metadata() -> None:
    meta = parsed("jtai-stockton-on-tees-2018-01").meta
    assert meta.letter_date == "2018-01-15"
    assert (meta.fieldwork_start, meta.fieldwork_end) == ("2017-11-20", "2017-11-24")
    assert meta.inspectorates == ("Ofsted", "CQC", "HMICFRS", "HMI Probation")
    assert meta.theme == "abuse and neglect"
    assert meta.title.startswith("Joint targeted area inspection of the multi-agency response")


def test_ilacs_judgements_and_send_outcome() -> None:
    ilacs = parsed("ilacs-stockton-on-tees-2023-05").meta
    assert ("Overall effectiveness", "Requires improvement to be good") in ilacs.judgements
    assert len(ilacs.judgements) == 5
    assert (ilacs.fieldwork_start, ilacs.fieldwork_end) == ("2023-03-06", "2023-03-17")
    send = parsed("area-send-hartlepool-2023-05").meta
    assert send.outcome and "positive experiences and outcomes" in send.outcome


@pytest.mark.parametrize(
    ("section", "polarity"),
    [
        ("Key Strengths", "strength"),
        ("Strengths", "strength"),
        ("Case study: highly effective practice", "strength"),
        ("Practice study: effective practice", "strength"),
        ("Areas for improvement", "improvement"),
        ("Area for priority action", "improvement"),
        ("Case study: areas for priority action and improvement", "improvement"),
        ("What needs to improve in this area of social work practice?", "improvement"),
        ("What does the area partnership need to do better?", "improvement"),
        ("What is the area partnership doing that is effective?", "strength"),
        (
            "The experiences and progress of care leavers: requires improvement to be good",
            "neutral",
        ),
        ("Main findings", "neutral"),
        ("Next steps", "neutral"),
        ("Priority and immediate action", "improvement"),
        ("The experiences and progress of children in care and care leavers are: good", "neutral"),
        (
            "The graded judgement for adoption performance is that it requires improvement",
            "neutral",
        ),
    ],
)
def test_polarity_of_sections(section: str, polarity: str) -> None:
    assert polarity_of(section) == polarity


def test_bullets_are_units_and_glyphs_are_gone() -> None:
    doc = parsed("jtai-stockton-on-tees-2018-01")
    strengths = [p for p in doc.passages if p.section == "Key Strengths"]
    assert len(strengths) >= 15
    assert all(p.polarity == "strength" for p in strengths)
    assert not any("\uf06e" in p.text or "\u25fc" in p.text for p in doc.passages)


def test_furniture_is_removed_and_asides_kept_apart() -> None:
    doc = parsed("jtai-stockton-on-tees-2018-01")
    text = "\n".join(p.text for p in doc.passages if p.kind != "aside")
    assert "Martin Gray, Director" not in text  # addressee block
    assert "Yours sincerely" not in text
    asides = {p.section: p.text for p in doc.passages if p.kind == "aside"}
    assert "Martin Gray, Director" in asides["Letterhead"]  # kept for "who was it sent to"
    assert "Eleanor Schooling" in asides["Signature"]  # and "who signed it"
    assert "Piccadilly Gate" not in "\n".join(asides.values())  # Ofsted's sidebar is furniture
    assert "The Children Act 2004" not in asides["Signature"]  # a footnote stays a footnote
    ilacs = parsed("ilacs-stockton-on-tees-2023-05")
    body = [p for p in ilacs.passages if p.section not in {"Introduction", "Title"}]
    assert not any(
        "Inspection of Stockton-on-Tees local authority children" in p.text for p in body
    )  # running header


def test_footnote_marker_removed_and_footnote_kept() -> None:
    doc = parsed("jtai-stockton-on-tees-2018-01")
    intro = next(p for p in doc.passages if p.section == "Introduction")
    assert "Stockton-On-Tees. This inspection" in intro.text
    notes = [p for p in doc.passages if p.kind == "footnote"]
    assert any("section 20 of the Children Act 2004" in p.text for p in notes)


def test_paragraph_runs_on_across_page_break() -> None:
    doc = parsed("jtai-stockton-on-tees-2018-01")
    joined = [
        p
        for p in doc.passages
        if "acts as the \u2018front door\u2019 for referrals for children" in p.text
    ]
    assert joined and joined[0].page_start == 1 and joined[0].page_end == 2


def test_hyphenated_line_breaks_are_joined() -> None:
    doc = parsed("jtai-stockton-on-tees-2018-01")
    text = " ".join(p.text for p in doc.passages)
    assert "multi-agency" in text and "multi- agency" not in text


@pytest.mark.parametrize(
    "doc_id",
    [
        "jtai-stockton-on-tees-2018-01",
        "ilacs-stockton-on-tees-2023-05",
        "focused-visit-plymouth-2023-01",
        "jtai-bromley-2025-03",
    ],
)
def test_passages_hold_whole_sentences_within_one_section(doc_id: str) -> None:
    doc = parsed(doc_id)
    body = [
        p
        for p in doc.passages
        if p.section not in {"Introduction", "Judgements"}
        and p.kind not in {"footnote", "aside", "Title"}
    ]
    for p in body:
        assert len(p.text) <= 900
        assert p.text[:1].isupper() or p.text[:1].isdigit() or p.text[:1] in "\u2018'\"(", p.text[
            :60
        ]
        assert p.text.rstrip()[-1] in ".:;?!)\u2019'\"", p.text[-60:]


def test_char_spans_point_at_the_passage_on_its_page() -> None:
    doc = parsed("jtai-stockton-on-tees-2018-01")
    for p in doc.passages:
        if p.page_start != p.page_end or p.kind == "footnote":
            continue
        page = doc.page_texts[p.page_start - 1]
        span = page[p.char_start : p.char_end]
        first_words = " ".join(p.text.split()[:3])
        assert " ".join(span.split()).startswith(first_words) or first_words in " ".join(
            span.split()
        ), (span[:80], first_words)


def test_ids_change_with_content(tmp_path: Path) -> None:
    a = tmp_path / "letter.txt"
    a.write_text("Key strengths\n\n" + "The hub works well for children. " * 20, encoding="utf-8")
    first = parse_document(a, min_chars=200, max_chars=900)
    a.write_text("Key strengths\n\n" + "The hub works badly for children. " * 20, encoding="utf-8")
    second = parse_document(a, min_chars=200, max_chars=900)
    assert {p.id for p in first.passages}.isdisjoint({p.id for p in second.passages})


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
        ("empty.txt", b"", "no readable text"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type"),
        ("latin.txt", "caf\u00e9 ".encode("latin-1") * 100, "cannot read as UTF-8"),
    ],
)
def test_bad_files_name_the_file_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        parse_document(path, min_chars=200, max_chars=900)
    assert name in str(info.value) and reason in str(info.value)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path, algorithm: str) -> None:
    from pypdf import PdfReader, PdfWriter

    source = PdfReader(corpus_pdf("focused-visit-plymouth-2023-01"))
    for password, name in (("", "open.pdf"), ("secret", "locked.pdf")):
        writer = PdfWriter(clone_from=source)
        writer.encrypt(user_password=password, owner_password="owner", algorithm=algorithm)
        writer.write(tmp_path / name)
    doc = parse_document(tmp_path / "open.pdf", min_chars=200, max_chars=900)
    assert doc.meta.area == "Plymouth" and len(doc.passages) > 20
    with pytest.raises(DocumentError, match="encrypted with a password"):
        parse_document(tmp_path / "locked.pdf", min_chars=200, max_chars=900)


# Synthetic pages: each row is (style, text); a row starts a new block (a blank line above it)
# unless its style is "more" (the next line of the heading above).
_STYLES = {
    "title": (20.0, True),
    "large": (14.0, True),
    "bold": (12.0, True),
    "body": (12.0, False),
}


def _synthetic(rows: list[tuple[str, str]]) -> list[Unit]:
    lines, text, y, style = [], "", 780.0, "body"
    for kind, row in rows:
        if kind != "more":
            style = kind
        size, bold = _STYLES[style]
        y -= 16 if kind == "more" else 30
        lines.append(Line(1, len(text), len(text) + len(row), row, size, bold, y, kind != "more"))
        text += row + "\n"
    _, units = split_units(assign_roles([Page(1, text, tuple(lines))]))
    return [u for u in units if u.kind in {"paragraph", "bullet"}]


def _labels(units: list[Unit]) -> list[tuple[str, str, str]]:
    return [(u.section, u.polarity, u.text[:24]) for u in units]


@pytest.mark.parametrize("judgement_style", ["large", "bold"])
def test_ilacs_judgement_sections_after_the_improvement_list_are_their_own(
    judgement_style: str,
) -> None:
    """The list of what needs to improve ends at the first judgement heading, however large it
    is drawn and even when it ends with a full stop; the judgements mix praise and criticism."""
    units = _synthetic(
        [
            ("title", "Inspection of Exampletown local authority children\u2019s services"),
            ("large", "Summary"),
            ("body", "Services for children in Exampletown have improved since the last visit."),
            ("large", "What needs to improve in this local authority?"),
            ("body", "\u25fc The timeliness of assessments for children in need of help."),
            ("body", "\u25fc The quality of supervision for social workers in every team."),
            (judgement_style, "The experiences and progress of children who need help and"),
            ("more", "protection: requires improvement to be good."),
            ("body", "Families get a swift and well-judged response from the front door team."),
            (
                judgement_style,
                "The experiences and progress of children in care and care leavers: good",
            ),
            ("body", "Care leavers are very well supported by personal advisers who know them."),
            (judgement_style, "The impact of leaders on social work practice with children and"),
            ("more", "families: good"),
            ("body", "Leaders know their services well and act quickly when practice slips."),
        ]
    )
    need_help = "The experiences and progress of children who need help and protection"
    assert _labels(units) == [
        ("Summary", "neutral", "Services for children in"),
        (
            "What needs to improve in this local authority?",
            "improvement",
            "The timeliness of assess",
        ),
        (
            "What needs to improve in this local authority?",
            "improvement",
            "The quality of supervisi",
        ),
        (f"{need_help}: requires improvement to be good", "neutral", "Families get a swift and"),
        (
            "The experiences and progress of children in care and care leavers: good",
            "neutral",
            "Care leavers are very we",
        ),
        (
            "The impact of leaders on social work practice with children and families: good",
            "neutral",
            "Leaders know their servi",
        ),
    ]


def test_a_question_list_ends_at_the_next_heading_but_a_statement_holds_topics() -> None:
    """ "What needs to improve?" is answered by its list: a bold heading after the list opens a
    section of its own. "Areas for improvement" holds topics, which keep its polarity, and so
    does a question heading with no list of its own yet."""
    units = _synthetic(
        [
            ("bold", "Joint targeted area inspection of Exampleshire"),
            ("bold", "What needs to improve?"),
            ("body", "\u25fc The recording of the partnership\u2019s decisions and their reasons."),
            ("bold", "Exampleshire Safeguarding Children Partnership"),
            ("body", "The partners know their area well and challenge each other effectively."),
            ("bold", "Areas for improvement"),
            ("body", "\u25fc Not all referrals from schools include the family\u2019s consent."),
            ("bold", "Leadership and management"),
            ("body", "Leaders do not yet receive enough data about children who go missing."),
            ("bold", "Key strengths"),
            (
                "body",
                "\u25fc Practitioners in the front door build strong relationships with families.",
            ),
            ("bold", "What needs to improve in this area of practice?"),
            ("bold", "Help for children at home"),
            ("body", "Plans for children at home do not say who will do what and by when."),
        ]
    )
    assert _labels(units) == [
        ("What needs to improve?", "improvement", "The recording of the par"),
        ("Exampleshire Safeguarding Children Partnership", "neutral", "The partners know their "),
        ("Areas for improvement", "improvement", "Not all referrals from s"),
        (
            "Areas for improvement: Leadership and management",
            "improvement",
            "Leaders do not yet recei",
        ),
        ("Key strengths", "strength", "Practitioners in the fro"),
        (
            "What needs to improve in this area of practice?: Help for children at home",
            "improvement",
            "Plans for children at ho",
        ),
    ]


def test_judgement_headings_in_a_text_file(tmp_path: Path) -> None:
    """In a text file nothing is bold: a judgement heading is known by its colon and grade."""
    path = tmp_path / "ilacs-exampletown-2024-01.txt"
    path.write_text(
        "Inspection of Exampletown local authority children\u2019s services\n\n"
        "What needs to improve in this local authority?\n\n"
        "\u25fc The timeliness of assessments for children in need of help and protection.\n\n"
        "The experiences and progress of children in care and care leavers: good\n\n"
        + "Care leavers are very well supported by personal advisers who know them well. " * 4
        + "\n",
        encoding="utf-8",
    )
    doc = parse_document(path, min_chars=10, max_chars=900)
    by_section = {p.section: p.polarity for p in doc.passages}
    assert by_section["What needs to improve in this local authority?"] == "improvement"
    judgement = "The experiences and progress of children in care and care leavers: good"
    assert by_section[judgement] == "neutral"


def test_praise_for_care_leavers_is_not_an_area_for_improvement() -> None:
    """The Stockton-on-Tees ILACS report of 2019 draws its judgement headings with a full stop;
    they were read as bold sentences and the list's polarity ran on over all three judgements."""
    doc = parsed("ilacs-stockton-on-tees-2019-07")
    passage = next(
        p for p in doc.passages if "care leaving team continues to offer a strong" in p.text
    )
    assert passage.polarity == "neutral"
    assert passage.section.startswith("The experiences and progress of children in care")
    improvement = [p for p in doc.passages if p.polarity == "improvement"]
    assert improvement and {p.section for p in improvement} == {"What needs to improve"}


@cache
def _units(doc_id: str) -> list[Unit]:
    return split_units(assign_roles(read_document(corpus_pdf(doc_id))))[1]


# Every report and visit letter, and JTAI letters laid out with "What needs to improve?".
_LIST_DOCS = [
    *sorted(
        p.stem
        for pattern in ("ilacs-*.pdf", "sif-*.pdf", "focused-visit-*.pdf", "area-send-*.pdf")
        for p in CORPUS.glob(pattern)
    ),
    "jtai-kirklees-2022-08",
    "jtai-bromley-2025-03",
    "jtai-barnsley-2022-07",
]


@pytest.mark.parametrize("doc_id", _LIST_DOCS)
def test_a_question_list_holds_only_its_list(doc_id: str) -> None:
    """Under "What needs to improve?" (and the like) come an optional lead-in and the list's
    bullets; whatever follows the list is in a section of its own, not labelled by the list."""
    question_lists = set()
    for unit in _units(doc_id):
        if unit.kind not in {"paragraph", "bullet"}:
            continue
        root = unit.section.split("?: ")[0]
        root = root if root.endswith("?") or root == unit.section else f"{root}?"
        is_list = root.lower().startswith("what") and polarity_of(root) != "neutral"
        if not is_list:
            continue
        assert unit.section == root, f"a topic under a list: {unit.section!r}"
        if unit.kind == "bullet":
            question_lists.add(root)
        else:
            assert root not in question_lists, f"text after the list of {root!r}: {unit.text[:60]}"
