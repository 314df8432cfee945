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
