"""Declines by answer type, end to end on a small real index (real model, real Chroma): when the
letters discuss the topic but do not give the kind of thing asked, the answer says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings


@pytest.fixture(scope="module")
def assistant(sample_index: Path) -> Assistant:
    return Assistant.open(Settings(index_dir=sample_index))


@pytest.mark.integration
def test_a_count_the_letter_does_not_give_is_declined_as_such(assistant: Assistant) -> None:
    answer = assistant.ask("How many dentists work in Stockton-on-Tees?")
    assert answer.abstained and not answer.citations
    assert "Stockton-on-Tees, JTAI, November 2017" in answer.text
    assert "discuss" in answer.text and "no figure" in answer.text


@pytest.mark.integration
def test_a_role_holder_the_letter_does_not_name_is_declined_as_such(assistant: Assistant) -> None:
    answer = assistant.ask("Who chaired Hartlepool's SEND partnership board?")
    assert answer.abstained
    assert "does not name the person who held that role" in answer.text


@pytest.mark.integration
def test_a_decline_holds_only_passages_near_the_question_or_says_there_are_none(
    assistant: Assistant,
) -> None:
    far = assistant.ask("What is the weather like in Paris this spring?")
    assert far.abstained and far.passages == ()
    assert "No passage in the letters comes near the question" in far.text
    assert "listed below" not in far.text
    near = assistant.ask("How many dentists work in Stockton-on-Tees?")
    assert near.abstained and near.passages and "listed below" in near.text
    assert all(
        "dent" in sp.passage.search_text.lower() or "Stockton" in sp.doc.area
        for sp in near.passages
    )


@pytest.mark.integration
def test_a_letter_of_a_year_the_index_lacks_is_declined_not_answered_from_another(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("What did Stockton-on-Tees' 2020 ILACS find about care leavers?")
    assert answer.abstained and not answer.citations
    assert "no 2020 ILACS document for Stockton-on-Tees (it holds: ILACS 2023)" in answer.text
    # A year beside a figure ("in 2016-17") is not the letter's: within a year of it, answered.
    near = assistant.ask("What did Stockton-on-Tees' 2022 ILACS say about foster homes?")
    assert not near.abstained
