"""The page's handlers without a browser, over a real index (a copy of the sample one) through
the Library: ask, tick letters, page through them, add and remove one, open the history."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from assistant.library import Library
from assistant.records import Answer
from assistant.settings import Settings
from assistant.ui.actions import CHOOSE_AREA, Actions, conversation_area

SEND = "area-send-hartlepool-2023-05"
JTAI = "jtai-stockton-on-tees-2018-01"
LETTER = (
    "Joint targeted area inspection of Quayshire\n\nKey strengths\n\n"
    "The Quayshire river patrol checks on every child reported missing near the docks within "
    "one hour, and inspectors read its logs.\n"
    "Quayshire health visitors share each new concern about neglect with the front door on the "
    "same day, so that help starts at once.\n"
)


@pytest.fixture(scope="module")
def act(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Actions]:
    base = tmp_path_factory.mktemp("actions")
    index = base / "index"
    shutil.copytree(sample_index, index)
    settings = Settings(index_dir=index, data_dir=base / "data", letters_per_page=2)
    yield Actions(Library.open(settings, uploads_allowed=True))


def ask(act: Actions, question: str, turns: list[Answer], letters: list[str]) -> list[Answer]:
    *_, (box, chat, turns, sources) = act.respond(
        question, [], turns, [], [], "Any", "Any", "Any", None, letters
    )
    assert box == "" and chat[-1]["role"] == "assistant"
    assert turns[-1].abstained or "source-" in sources
    return turns


def pick(act: Actions, chosen: list[str], **data: Any) -> tuple[list[str], str, str, Any]:
    return act.pick_letters(gr.EventData(None, data), chosen, "")


def test_ticking_letters_restricts_answers_and_is_said_beside_the_question_box(
    act: Actions,
) -> None:
    table = act.find_letters("", [])
    assert "Letters 1 to 2 of 4, page 1 of 2" in table and table.count('class="pick"') == 2
    chosen, table, note, clear = pick(act, [], docs=[SEND], on=True, page=1)
    assert chosen == [SEND] and clear["visible"] is True
    assert "page 2 of 2" in table and "1 ticked" in table
    assert note == "Asking only about 1 letter: Hartlepool area SEND 2023."
    turns = ask(act, "What works well for children in the area?", [], chosen)
    assert {p.doc.doc_id for p in turns[-1].passages} == {SEND}
    chosen, *_ = pick(act, chosen, docs=[], on=False, page=0)  # a move to another page
    assert chosen == [SEND]
    chosen, table, note, clear = pick(act, chosen, docs=[SEND], on=False, page=1)
    assert chosen == [] and note == "" and clear["visible"] is False
    assert act.clear_letters("")[0] == []


def test_the_history_opens_on_the_conversations_area(act: Actions) -> None:
    table, chart = act.show_history(None)
    assert CHOOSE_AREA in table and chart is None
    turns = ask(act, "How many children attended their conference in Stockton-on-Tees?", [], [])
    assert conversation_area(turns) == "Stockton-on-Tees"
    area, table, chart = act.open_history(None, turns)
    assert area["value"] == "Stockton-on-Tees" and JTAI in table and chart is not None
    area, table, _ = act.open_history("Hartlepool", turns)  # an area already chosen stays
    assert area["value"] == "Hartlepool" and "Stockton" not in table
    assert act.open_history(None, [])[1].count(CHOOSE_AREA) == 1


def test_a_letter_added_is_answerable_listed_and_removable_and_a_shipped_one_stays(
    act: Actions, tmp_path: Path
) -> None:
    letter = tmp_path / "report (3).txt"
    letter.write_text(LETTER, encoding="utf-8")
    message, areas, about, table, years, _, _ = act.add_letters(
        [str(letter)], [SEND], "quayshire", progress=lambda *a, **k: None
    )
    assert "Added report (3)" in message and "Quayshire" in areas["choices"]
    assert about.startswith("5 letters") and 'data-doc="report (3)"' in table
    assert "Any" in years["choices"]
    question = "How quickly does the Quayshire river patrol check on a missing child?"
    assert "one hour" in ask(act, question, [], [])[-1].text
    assert "uploaded" in act.find_letters("quayshire", [])
    ticked = ["report (3)", SEND, "no-such-letter"]
    message, pending, *unchanged = act.remove_letters(ticked, "", [])
    assert all(u == gr.update() for u in unchanged)
    assert "Remove 1 uploaded letter (Quayshire JTAI)? " in message  # asked first
    assert pending == ["report (3)"] and "Quayshire" in act.library.areas()
    message, pending, left, table, areas, about, note, _ = act.remove_letters(ticked, "", pending)
    assert (
        pending == []
        and "Quayshire" not in table
        and 'data-doc="area-send-hartlepool-2023-05"' in table
    )
    assert "Removed report (3)" in message
    assert f"{SEND} was shipped with the assistant and stays" in message
    assert "no-such-letter is not in the index" in message
    assert left == [SEND] and note.startswith("Asking only about 1 letter")
    assert "Quayshire" not in areas["choices"] and about.startswith("4 letters")
    assert ask(act, question, [], [])[-1].abstained


def test_with_uploads_off_nothing_is_added_or_removed(act: Actions, tmp_path: Path) -> None:
    off = Actions(Library(act.library.shared, uploads_allowed=False))
    letter = tmp_path / "x.txt"
    letter.write_text(LETTER, encoding="utf-8")
    assert "turned off" in off.add_letters([str(letter)], [], "", lambda *a, **k: None)[0]
    assert "turned off" in off.remove_letters([SEND], "")[0]
    assert len(off.library.letters()) == 4


def test_a_removal_the_index_cannot_take_puts_the_letter_back(
    act: Actions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = tmp_path / "jtai-quayshire-2025-01.txt"
    letter.write_text(LETTER, encoding="utf-8")
    assert "Added" in act.add_letters([str(letter)], [], "", lambda *a, **k: None)[0]
    stored = act.library.uploads / letter.name

    def fails(folder: Path) -> None:
        raise OSError("the disk is full")

    monkeypatch.setattr(act.library, "_index_quietly", fails)
    lines = act.library.remove([letter.stem])
    assert lines == [f"Could not remove {letter.stem}: the disk is full. Nothing was removed."]
    assert stored.is_file() and not list(act.library.uploads.glob(".*.removing"))
    monkeypatch.undo()
    assert act.library.remove([letter.stem])[0].startswith(f"Removed {letter.stem}")
    assert not stored.exists() and letter.stem not in act.library.catalog.documents
