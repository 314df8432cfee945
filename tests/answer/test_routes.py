"""Answers from the facts record, an area's history and the whole corpus, end to end on a small
real index (real model, real Chroma), and the pure pieces they are built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.base import Draft, Reply
from assistant.answer.compose import merge, renumbered
from assistant.evals.metrics import cited_sentences, supports
from assistant.records import Citation, DocumentMeta, Passage, ScoredPassage
from assistant.service import Assistant
from assistant.settings import Settings


@pytest.fixture(scope="module")
def assistant(sample_index: Path) -> Assistant:
    return Assistant.open(Settings(index_dir=sample_index))


def supported(assistant: Assistant, text: str, citations: tuple[Citation, ...]) -> None:
    """Every cited sentence is supported by the passage it cites (the evaluation's test)."""
    by_n = {c.n: c for c in citations}
    for sentence, markers in cited_sentences(text):
        for n in markers:
            passage = assistant.catalog.passages[assistant.catalog.position[by_n[n].passage_id]]
            assert supports(sentence, passage.search_text), (sentence, passage.text[:200])


@pytest.mark.integration
def test_a_two_part_facts_question_answers_both_parts(assistant: Assistant) -> None:
    answer = assistant.ask("When did the Stockton-on-Tees JTAI take place, and what was its theme?")
    assert not answer.abstained
    assert "20 and 24 November 2017" in answer.text and "abuse and neglect" in answer.text
    assert "**When did the Stockton-on-Tees JTAI take place?**" in answer.text
    assert {c.doc for c in answer.citations} == {"jtai-stockton-on-tees-2018-01"}
    assert answer.citations[0].page == 1
    supported(assistant, answer.text, answer.citations)


@pytest.mark.integration
def test_who_led_and_who_signed(assistant: Assistant) -> None:
    led = assistant.ask("Who led Stockton-on-Tees' ILACS inspection in 2023?")
    assert "Joanna Warburton" in led.text and not led.abstained
    signed = assistant.ask("Who signed the Plymouth focused visit letter?")
    assert "Anna Gravelle" in signed.text
    assert signed.citations[0].section == "Signature"
    supported(assistant, signed.text, signed.citations)


@pytest.mark.integration
def test_a_fact_the_letter_does_not_state_is_named(assistant: Assistant) -> None:
    answer = assistant.ask("Who led the Stockton-on-Tees JTAI?")
    assert "does not say who led the inspection" in answer.text
    # What the letter does say stands beside it, cited: who signed it.
    assert any(c.section == "Signature" for c in answer.citations)


@pytest.mark.integration
def test_grades_come_from_the_judgement_table(assistant: Assistant) -> None:
    answer = assistant.ask("What was the overall effectiveness judgement in Stockton's 2023 ILACS?")
    assert "Requires improvement to be good" in answer.text
    assert (
        len(answer.citations) == 1 and answer.citations[0].doc == "ilacs-stockton-on-tees-2023-05"
    )
    assert len(answer.passages) >= 3  # the search results stand beside the cited fact


@pytest.mark.integration
def test_area_history_and_a_how_has_it_changed_question(assistant: Assistant) -> None:
    from assistant.answer.history import area_history

    entries = area_history(assistant.catalog, "Stockton")
    assert [e.doc.inspection_type for e in entries] == ["JTAI", "ILACS"]
    assert entries[1].overall == "Requires improvement to be good" and entries[1].level == 2
    answer = assistant.ask("How has Stockton-on-Tees changed over time?")
    assert "newest first" in answer.text
    assert answer.text.index("ILACS") < answer.text.index("JTAI")
    asked = assistant.ask("How has Stockton-on-Tees changed over time, in chronological order?")
    assert "oldest first" in asked.text
    assert asked.text.index("JTAI") < asked.text.index("ILACS")
    assert {c.doc for c in answer.citations} == {e.doc.doc_id for e in entries}
    supported(assistant, answer.text, answer.citations)


@pytest.mark.integration
def test_a_list_question_reads_every_documents_facts(assistant: Assistant) -> None:
    answer = assistant.ask("Which areas were judged requires improvement to be good overall?")
    assert "Stockton-on-Tees" in answer.text and "Plymouth" not in answer.text
    none = assistant.ask("Which areas were judged inadequate overall?")
    assert none.abstained


@pytest.mark.integration
def test_the_verb_send_is_not_a_document_type(assistant: Assistant) -> None:
    answer = assistant.ask(
        "How quickly do agencies in Stockton-on-Tees send referrals to the front door?"
    )
    assert not any("area SEND" in note for note in answer.notes)
    assert "area SEND" not in answer.plan.types


def _sp(pid: str) -> ScoredPassage:
    meta = DocumentMeta("d", "T", "A", "JTAI", "d.pdf", "0", 1)
    return ScoredPassage(Passage(pid, "d", 0, "x", "s", "neutral", 1, 1, 0, 1), meta, 1.0)


def _cite(n: int, pid: str) -> Citation:
    return Citation(n, pid, "d", "T", 1, "s", "x")


def test_merge_renumbers_citations_across_parts_and_names_what_was_not_found() -> None:
    one = Reply(Draft("A [1]. B [2].", (_cite(1, "p1"), _cite(2, "p2")), False), (_sp("p1"),))
    two = Reply(Draft("C [1].", (_cite(1, "p2"),), False), (_sp("p2"),))
    lost = Reply(Draft("The letters in the index do not say.", (), True), ())
    merged = merge([("Q1?", one), ("Q2?", two), ("Q3?", lost)])
    assert "**Q2?** C [2]." in merged.draft.text  # the same passage keeps one number
    assert "**Q3?** The letters in the index do not say." in merged.draft.text
    assert [c.n for c in merged.draft.citations] == [1, 2]
    assert not merged.draft.abstained
    assert merge([("Q?", lost)]).draft.abstained
    assert renumbered("x [1] y [2]", {1: 3, 2: 1}) == "x [3] y [1]"
