"""Questions about the inspection before another: the reader turns the plan to the area's
earlier letter in the index, or, with none there, to the named letter's own account of it."""

from __future__ import annotations

from dataclasses import replace

from assistant.read.areas import AreaMatcher
from assistant.read.intent import previous_asked
from assistant.read.reader import understand
from assistant.records import DocumentMeta, QueryPlan


def doc(doc_id: str, kind: str, date: str, graded: bool = False) -> DocumentMeta:
    meta = DocumentMeta(
        doc_id, doc_id, "Exampleshire", kind, f"{doc_id}.pdf", "0", 5, fieldwork_start=date
    )
    return replace(meta, judgements=(("Overall effectiveness", "Good"),)) if graded else meta


DOCS = [
    doc("sif16", "SIF", "2016-03-01", graded=True),
    doc("jtai18", "JTAI", "2018-02-01"),
    doc("ilacs19", "ILACS", "2019-05-20", graded=True),
    doc("fv22", "focused visit", "2022-09-12"),
    doc("ilacs23", "ILACS", "2023-03-06", graded=True),
]
MATCHER = AreaMatcher(["Exampleshire"])


def read(question: str) -> QueryPlan:
    return understand(question, MATCHER, DOCS)


def test_previous_is_the_one_before_not_the_first() -> None:
    assert previous_asked("What did Exampleshire's prior ILACS find about care leavers?")
    assert not previous_asked("When was Exampleshire last inspected?")
    plan = read("What did Exampleshire's prior ILACS find about care leavers?")
    assert plan.doc_ids == ("ilacs19",) and not plan.earliest
    assert "care" in plan.keywords and "prior" not in plan.keywords
    assert any("ilacs19" not in r and "ILACS of 2019" in r for r in plan.readings)


def test_a_grade_before_a_visit_comes_from_the_last_graded_inspection() -> None:
    plan = read("How was Exampleshire judged at the inspection before its 2022 focused visit?")
    assert plan.doc_ids == ("ilacs19",)
    assert plan.facts == ("judgement",)


def test_a_date_before_a_letter_is_the_one_just_before_whatever_its_type() -> None:
    plan = read("When was the inspection before the Exampleshire 2019 ILACS?")
    assert plan.doc_ids == ("jtai18",)
    plan = read("When did Exampleshire's previous inspection before the 2022 focused visit happen?")
    assert plan.doc_ids == ("ilacs19",) and plan.facts == ("fieldwork",)


def test_both_parts_of_a_two_part_question_are_about_the_earlier_inspection() -> None:
    plan = read(
        "When was Exampleshire's previous inspection before the 2022 focused visit, and what "
        "was it judged?"
    )
    assert [p.doc_ids for p in plan.parts] == [("ilacs19",), ("ilacs19",)]
    assert plan.parts[1].facts == ("judgement",)


def test_an_earlier_type_not_in_the_index_is_asked_of_the_named_letter() -> None:
    # No JTAI before 2018 here: the 2018 letter's own account of the earlier one is wanted.
    plan = read("When was Exampleshire's previous JTAI, before the 2018 one?")
    assert plan.doc_ids == ("jtai18",) and "previous" in plan.facts
    graded = read("What grade did Exampleshire get at its previous JTAI, before the 2018 one?")
    assert graded.doc_ids == ("jtai18",) and "judgement" not in graded.facts
