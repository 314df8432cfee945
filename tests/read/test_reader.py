"""Question understanding: areas and aliases, unknown areas, types, dates, polarity, answer type."""

from __future__ import annotations

import pytest

from assistant.gazetteer import everyday_names as aliases
from assistant.read.answer_types import pattern_type as answer_type
from assistant.read.areas import AreaMatcher
from assistant.read.reader import polarity_wanted, understand
from assistant.records import DocumentMeta

AREAS = [
    "Stockton-on-Tees",
    "Windsor and Maidenhead",
    "Bedford",
    "Central Bedfordshire",
    "Southend-on-Sea",
    "Plymouth",
    "Durham",
]


def doc(doc_id: str, area: str, kind: str, date: str) -> DocumentMeta:
    return DocumentMeta(
        doc_id, doc_id, area, kind, f"{doc_id}.pdf", "0" * 64, 3, fieldwork_start=date
    )


DOCS = [
    doc("jtai-stockton-on-tees-2018-01", "Stockton-on-Tees", "JTAI", "2017-11-20"),
    doc("ilacs-stockton-on-tees-2019-07", "Stockton on Tees", "ILACS", "2019-05-20"),
    doc("ilacs-stockton-on-tees-2023-05", "Stockton-on-Tees", "ILACS", "2023-03-06"),
    doc("jtai-plymouth-2020-01", "Plymouth", "JTAI", "2019-11-18"),
    doc("focused-visit-plymouth-2023-01", "Plymouth", "focused visit", "2022-12-13"),
    doc("jtai-durham-2018-08", "Durham", "JTAI", "2018-07-09"),
]
MATCHER = AreaMatcher(AREAS)


@pytest.mark.parametrize(
    ("question", "found", "missing"),
    [
        ("What did inspectors find about dentists in Stockton-On-Tees?", ["Stockton-on-Tees"], []),
        ("How does Stockton's hub work?", ["Stockton-on-Tees"], []),
        ("What about Windsor?", ["Windsor and Maidenhead"], []),
        ("What about Southend", ["Southend-on-Sea"], []),
        ("Compare Bedford and Central Bedfordshire", ["Central Bedfordshire", "Bedford"], []),
        ("What did the JTAI find about neglect in Leeds?", [], ["Leeds"]),
        ("Devon and Cornwall Police in Plymouth", ["Plymouth"], ["Cornwall", "Devon"]),
        ("What is a strength of early help?", [], []),
    ],
)
def test_area_matching(question: str, found: list[str], missing: list[str]) -> None:
    areas, unknown, stripped = MATCHER.find(question)
    assert areas == found
    assert unknown == missing
    for area in found:
        assert area.lower() not in stripped.lower()


def test_aliases() -> None:
    assert "Stockton" in aliases("Stockton-on-Tees")
    assert "Windsor" in aliases("Windsor and Maidenhead")
    assert "Kingston" not in aliases("Kingston upon Thames")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many children attended?", "number"),
        ("What percentage of plans were reviewed?", "number"),
        ("What grade did Solihull get?", "grade"),
        ("How was overall effectiveness judged?", "grade"),
        ("When did the inspection take place?", "date"),
        ("What did inspectors say about dentists?", "explanation"),
        ("Who did the area for priority action focus on?", "explanation"),
        ("Who chaired the safeguarding board?", "person"),
    ],
)
def test_answer_type(question: str, kind: str) -> None:
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    ("question", "polarity"),
    [
        ("What are the strengths of the hub?", "strength"),
        ("What works well in Bristol?", "strength"),
        ("What needs to improve in Medway?", "improvement"),
        ("Which areas for priority action were set?", "improvement"),
        ("What were the weaknesses?", "improvement"),
        ("What did inspectors find about neglect?", None),
        ("What are the strengths and weaknesses?", None),
    ],
)
def test_polarity(question: str, polarity: str | None) -> None:
    assert polarity_wanted(question) == polarity


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        (
            "What did the 2023 ILACS say about care leavers in Stockton?",
            ("ilacs-stockton-on-tees-2023-05",),
        ),
        ("What did the latest inspection of Stockton find?", ("ilacs-stockton-on-tees-2023-05",)),
        ("What did the JTAI of Stockton find about neglect?", ("jtai-stockton-on-tees-2018-01",)),
        (
            "How did the ILACS grades in Stockton change between 2019 and 2023?",
            ("ilacs-stockton-on-tees-2019-07", "ilacs-stockton-on-tees-2023-05"),
        ),
        ("What did the focused visit to Plymouth find?", ("focused-visit-plymouth-2023-01",)),
        ("What did inspectors find about neglect?", ()),
    ],
)
def test_documents_chosen(question: str, docs: tuple[str, ...]) -> None:
    assert understand(question, MATCHER, DOCS).doc_ids == docs


def test_follow_up_keeps_area_and_topic() -> None:
    first = understand(
        "What did inspectors find about dentists and neglect in Stockton?", MATCHER, DOCS
    )
    follow = understand("and what about the police there?", MATCHER, DOCS, previous=first)
    assert follow.follow_up and follow.areas == ("Stockton-on-Tees",)
    assert "police" in follow.search_text and "neglect" in follow.search_text
    other = understand("And in Durham?", MATCHER, DOCS, previous=first)
    assert other.areas == ("Durham",) and "dentists" in other.search_text


def test_a_new_question_does_not_inherit() -> None:
    first = understand("What did inspectors find about dentists in Stockton?", MATCHER, DOCS)
    fresh = understand(
        "What did the JTAI in Durham say about domestic abuse notifications to schools?",
        MATCHER,
        DOCS,
        first,
    )
    assert fresh.areas == ("Durham",) and "dentists" not in fresh.search_text
