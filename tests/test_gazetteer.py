"""Canonical areas: whatever a letter or a person calls an authority, one name."""

from __future__ import annotations

import pytest

from assistant.gazetteer import canonical_area, everyday_names, name_key
from assistant.ingest.metadata import area_of, corrected_letter_date, first_authority
from assistant.read.areas import AreaMatcher


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("City of Bradford Metropolitan District Council", "Bradford"),
        ("Bradford Metropolitan", "Bradford"),
        ("Barnet Local Authority", "Barnet"),
        ("Durham\u2019s", "Durham"),
        ("County Durham", "Durham"),
        ("Newcastle", "Newcastle upon Tyne"),
        ("Newcastle City Council", "Newcastle upon Tyne"),
        ("the London Borough of Merton", "Merton"),
        ("Stockton on Tees Borough Council", "Stockton-on-Tees"),
        ("Hull City Council", "Kingston upon Hull"),
        ("Kingston upon Thames", "Kingston upon Thames"),
        ("Central Bedfordshire Council", "Central Bedfordshire"),
        ("Bedford Borough Council", "Bedford"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
        ("London Corporation", "City of London"),
        ("East Riding Local Authority", "East Riding of Yorkshire"),
        ("Findings", None),
        ("1", None),
    ],
)
def test_canonical_area(text: str, area: str | None) -> None:
    assert canonical_area(text) == area


def test_name_key_ignores_spelling() -> None:
    assert name_key("Stockton-On-Tees") == name_key("Stockton on Tees") == "stockton-on-tees"
    assert name_key("Brighton & Hove") == name_key("Brighton and Hove")


def test_area_from_a_title_over_two_lines_past_the_addressee_street() -> None:
    opening = (
        "4 March 2019 Ms A Canning Group Director 1 Reading Lane London E8 1GQ Dear Ms Canning "
        "Focused visit to London Borough of Hackney local authority children\u2019s\nservices."
    )
    assert area_of("", ["4 March 2019", "1 Reading Lane"], "doc-001", opening) == "Hackney"


def test_area_never_from_ofsteds_address() -> None:
    text = "Ofsted Piccadilly Gate Store Street Manchester M1 2WD Dear Ms X This letter to Wirral"
    assert first_authority(text) == "Wirral"


def test_unknown_title_is_not_a_place() -> None:
    assert area_of("Findings", [], "report (3)", "Nothing here names a council.") == "Unknown"


def test_letter_dated_before_its_visit_gets_the_next_year() -> None:
    assert corrected_letter_date("2019-01-21", "2019-12-19") == "2020-01-21"
    assert corrected_letter_date("2019-01-21", "2018-12-19") == "2019-01-21"
    assert corrected_letter_date(None, "2019-12-19") is None


def test_everyday_names() -> None:
    assert {"Stockton", "Stockton on Tees"} <= everyday_names("Stockton-on-Tees")
    assert "Kingston" not in everyday_names("Kingston upon Thames")


@pytest.mark.parametrize(
    ("question", "found", "missing"),
    [
        ("What did inspectors say about support for reading in Wirral?", ["Wirral"], []),
        ("What did the Reading focused visit find?", [], ["Reading"]),
        ("how did bury do", [], ["Bury"]),
        ("Did schools send referrals promptly in Wirral?", ["Wirral"], []),
        ("What about Newcastle?", [], ["Newcastle upon Tyne"]),
    ],
)
def test_place_words_count_only_as_names(
    question: str, found: list[str], missing: list[str]
) -> None:
    matcher = AreaMatcher(["Wirral", "Stockton-on-Tees"])
    areas, unknown, _ = matcher.find(question)
    assert areas == found and unknown == missing
