"""Reading area names as people type them: misspelt names, county short forms, nicknames, and
words that only look like a place."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.read.areas import AreaMatcher, edit_distance

INDEXED = ["Stockton-on-Tees", "Solihull", "Hartlepool", "Hertfordshire", "North Yorkshire"]
LETTER_WORDS = {"survey", "lead", "servic", "children"}  # stems the letters use


@pytest.fixture(scope="module")
def matcher() -> AreaMatcher:
    return AreaMatcher(INDEXED, vocabulary=LETTER_WORDS)


@pytest.mark.parametrize(
    ("question", "areas", "unknown", "read"),
    [
        ("What did they say about early help in Stocton?", ["Stockton-on-Tees"], [], ["Stocton"]),
        ("any news on solihul care leavers", ["Solihull"], [], ["solihul"]),
        ("Hartlepol's SEND findings", ["Hartlepool"], [], ["Hartlepol"]),
        ("What did inspectors say about Herts?", ["Hertfordshire"], [], []),
        ("is north yorks any good at fostering", ["North Yorkshire"], [], []),
        ("What happened in Brum?", [], ["Birmingham"], []),
        ("What about Wolverhamton's front door?", [], ["Wolverhampton"], ["Wolverhamton"]),
        # Words the letters use, and words far from any name, are never places.
        ("What did the Survey of young carers show?", [], [], []),
        ("What did the inspection find about neglect?", [], [], []),
    ],
)
def test_areas_as_people_write_them(
    matcher: AreaMatcher, question: str, areas: list[str], unknown: list[str], read: list[str]
) -> None:
    reading = matcher.read(question)
    assert (reading.areas, reading.unknown) == (areas, unknown)
    assert [written for written, _ in reading.misspelt] == read
    for written in read:
        assert written not in reading.rest  # the name does not pull the search towards letterheads


def test_a_word_a_slip_too_far_from_a_name_is_only_suggested(matcher: AreaMatcher) -> None:
    reading = matcher.read("What did they find about help for families in Solihhuul?")
    assert reading.areas == [] and reading.near == [("Solihhuul", "Solihull")]
    assert matcher.read("What did they find in Kensington?").near == []  # a known area, not near


def test_a_slip_is_one_edit_and_an_adjacent_swap_is_one() -> None:
    assert edit_distance("hartelpool", "hartlepool", 2) == 1
    assert edit_distance("solihul", "solihull", 2) == 1
    assert edit_distance("bolton", "boston", 0) == 1  # over the limit: limit + 1


@pytest.mark.integration
def test_a_misspelt_area_is_answered_and_said(sample_index: Path) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings

    answer = Assistant.open(Settings(index_dir=sample_index)).ask(
        "what did inspectors find about dentists and neglect in stokton"
    )
    assert not answer.abstained
    assert answer.notes[0] == "Read \u201cstokton\u201d as Stockton-on-Tees."
    assert {c.doc for c in answer.citations} == {"jtai-stockton-on-tees-2018-01"}


@pytest.mark.integration
def test_a_place_too_far_from_any_name_is_declined_with_a_suggestion(sample_index: Path) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings

    answer = Assistant.open(Settings(index_dir=sample_index)).ask(
        "How are care leavers supported in Hartpoool?"
    )
    assert answer.abstained and not answer.citations
    assert "no letter for \u201cHartpoool\u201d; did you mean Hartlepool?" in answer.text
