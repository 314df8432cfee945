"""A letter's whole list of points: the pure pieces, and the route end to end on a small real
index (real model, real Chroma)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.lists import is_list, point_lists
from assistant.records import Passage
from assistant.service import Assistant
from assistant.settings import Settings


def passage(ordinal: int, text: str, section: str, polarity: str = "improvement") -> Passage:
    return Passage(
        f"d#{ordinal}",
        "d",
        ordinal,
        text,
        section,
        polarity,
        1,
        1,
        0,
        len(text),
        "bullet",  # type: ignore[arg-type]
    )


def test_a_short_list_is_read_item_by_item_in_the_letters_order() -> None:
    letter = [
        passage(0, "Leaders know their services well.", "Strengths", "strength"),
        passage(
            1,
            "Timeliness of return home interviews.\nThe quality of plans.",
            "What needs to improve?",
        ),
        passage(2, "Oversight of supervision by managers.", "What needs to improve?"),
        passage(3, "Leaders act on audits.", "The impact of leaders", "neutral"),
    ]
    (found,) = point_lists(letter)
    assert found.heading == "What needs to improve?" and not found.priority
    assert [text for _, text in found.items] == [
        "Timeliness of return home interviews.",
        "The quality of plans.",
        "Oversight of supervision by managers.",
    ]


def test_a_lead_in_is_not_a_point_and_priority_lists_are_known() -> None:
    letter = [
        passage(
            0,
            "The council must act on the following:\nThe screening of risk at the front door.\n"
            "The timeliness of strategy meetings.",
            "Areas for priority action",
        )
    ]
    (found,) = point_lists(letter)
    assert found.priority and len(found.items) == 2


def test_a_long_section_of_findings_is_no_list_and_nothing_is_quoted_whole() -> None:
    findings = [
        passage(
            i,
            f"Finding number {i} about the work of the partnership here.",
            "Areas for improvement",
        )
        for i in range(20)
    ]
    study = [
        passage(
            30,
            "A case study of one family and the help it got.",
            "Case study: areas for improvement",
        )
    ]
    assert point_lists(findings + study) == []
    assert not is_list(["Hartlepool Borough Council", "www.example.gov.uk"])
    assert is_list(["Quality of supervision.", "Management oversight."])


@pytest.fixture(scope="module")
def assistant(sample_index: Path) -> Assistant:
    return Assistant.open(Settings(index_dir=sample_index))


@pytest.mark.integration
def test_asking_what_must_get_better_quotes_every_point(assistant: Assistant) -> None:
    answer = assistant.ask("tell me everything stockton's 2023 ILACS says has to get better")
    assert answer.route == "whole list"
    assert answer.text.count("\n- ") == 4
    for point in ("Sufficiency of suitable foster homes", "Frontline management oversight"):
        assert point in answer.text
    assert {c.doc for c in answer.citations} == {"ilacs-stockton-on-tees-2023-05"}


@pytest.mark.integration
def test_a_topic_narrower_than_the_list_is_answered_from_passages(assistant: Assistant) -> None:
    answer = assistant.ask("What needs to improve about foster homes in Stockton-on-Tees?")
    assert answer.route == "passages"


@pytest.mark.integration
def test_priority_actions_alone_when_those_are_asked(assistant: Assistant) -> None:
    answer = assistant.ask("Plymouth focused visit: what were the priority actions?")
    assert answer.route == "whole list"
    assert "Areas for priority action" in answer.text and answer.text.count("\n- ") == 2


@pytest.mark.integration
def test_which_letters_set_priority_actions_is_read_from_their_structure(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("Which letters in the index gave areas for priority action?")
    assert answer.route == "list"
    assert answer.text.startswith("**1 letter sets areas for priority action")
    assert {c.doc for c in answer.citations} == {"focused-visit-plymouth-2023-01"}


@pytest.mark.integration
def test_a_theme_asked_in_everyday_words_finds_the_letter(assistant: Assistant) -> None:
    answer = assistant.ask("Which places had a JTAI looking at neglect?")
    assert answer.route == "list"
    assert {c.doc for c in answer.citations} == {"jtai-stockton-on-tees-2018-01"}


@pytest.mark.integration
def test_an_areas_history_holds_each_letters_priority_actions(assistant: Assistant) -> None:
    from assistant.answer.history import area_history

    (visit,) = area_history(assistant.catalog, "Plymouth")
    assert len(visit.priorities) == 2
    assert all(f.name == "priority_action" and f.page >= 1 for f in visit.priorities)
    (jtai, _ilacs) = area_history(assistant.catalog, "Stockton-on-Tees")
    assert jtai.priorities == ()
