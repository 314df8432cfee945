"""What a question asks beyond a passage: inspection facts, parts, and how far it reaches."""

from __future__ import annotations

import pytest

from assistant.read.intent import facts_asked, oldest_first, reach, split_parts


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("When did the Stockton JTAI take place?", ("fieldwork",)),
        ("When did inspectors carry out Hartlepool's area SEND inspection?", ("fieldwork",)),
        ("On what dates did Ofsted visit Plymouth?", ("fieldwork",)),
        ("When was the Merton JTAI letter published?", ("published",)),
        ("Which inspectorates took part in the Bexley JTAI?", ("inspectorates",)),
        ("Who led the 2019 ILACS inspection of Durham?", ("lead_inspector",)),
        ("Who was the lead inspector, and who else inspected?", ("lead_inspector",)),
        ("Who were the inspectors on the Bradford focused visit?", ("inspectors",)),
        ("Who signed the Merton letter?", ("signatories",)),
        ("What was the theme of the Croydon JTAI?", ("theme",)),
        ("What did the visit look at?", ("theme",)),
        ("When was Hartlepool's previous inspection?", ("previous",)),
        ("What was the overall effectiveness judgement in Solihull?", ("judgement",)),
        ("What was the outcome of the Hartlepool area SEND inspection?", ("outcome",)),
        # Topical questions ask for no fact about the inspection.
        ("What did inspectors find about dentists and neglect in Stockton?", ()),
        ("What was Operation Raptor's focus in Croydon?", ()),
        ("How did the council respond to the findings of the previous inspection?", ()),
    ],
)
def test_facts_asked(question: str, facts: tuple[str, ...]) -> None:
    assert facts_asked(question) == facts


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "When did the JTAI take place, and what was its theme?",
            ["When did the JTAI take place?", "what was its theme?"],
        ),
        (
            "Which judgement was outstanding, and how was the LSCB judged?",
            ["Which judgement was outstanding?", "how was the LSCB judged?"],
        ),
        (
            "Who led the visit? What did it look at?",
            ["Who led the visit?", "What did it look at?"],
        ),
        # One question, however many "and"s.
        ("How many girls and boys attended their conferences?", None),
        ("What did the police and health services do well?", None),
        # A phrase that asks nothing stays with the question after it.
        ("In Bracknell Forest's practice study, how fast was Jason put on a plan?", None),
    ],
)
def test_split_parts(question: str, parts: list[str] | None) -> None:
    assert split_parts(question) == (parts or [question])


@pytest.mark.parametrize(
    ("question", "areas", "expected"),
    [
        ("How has Stockton-on-Tees' overall judgement changed since 2016?", 1, "history"),
        ("List every inspection of Durham over time", 1, "history"),
        ("Which areas were judged inadequate overall?", 0, "list"),
        ("List the JTAIs on neglect since 2018", 0, "list"),
        ("What do JTAI letters most often criticise about schools?", 0, "theme"),
        ("What do the focused visit letters say about care leavers?", 0, "theme"),
        ("What did each inspection of Durham conclude?", 1, "history"),
        ("What did inspectors find about schools in Bristol?", 1, "passages"),
        ("Which agencies attend strategy meetings in Bristol?", 1, "passages"),
    ],
)
def test_reach(question: str, areas: int, expected: str) -> None:
    assert reach(question, areas) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("List Durham's inspections in chronological order", True),
        ("How has Durham changed, oldest first?", True),
        ("What has Durham done since the first inspection, from earliest to latest?", True),
        ("Show Durham's letters in date order", True),
        ("How has Durham changed over time?", False),
        ("List Durham's inspections in reverse chronological order", False),
        ("What did the first inspection of Durham find?", False),
        ("Which areas were judged inadequate, newest first?", False),
    ],
)
def test_letters_over_time_are_newest_first_unless_asked(question: str, expected: bool) -> None:
    assert oldest_first(question) is expected


def test_a_later_part_reads_as_a_follow_up_of_the_one_before() -> None:
    from assistant.read.areas import AreaMatcher
    from assistant.read.reader import understand

    plan = understand(
        "What does LIST offer in Milton Keynes and when can families use it?",
        AreaMatcher(["Milton Keynes"]),
        [],
    )
    _first, second = plan.parts
    assert second.areas == ("Milton Keynes",)
    assert "LIST" in second.search_text  # "it" is LIST


def test_dates_leave_a_scoped_search_but_a_bare_year_stays() -> None:
    from assistant.retrieve.planner import without_dates

    assert (
        without_dates("the focused visit in March 2024 (letter of April 2024) found")
        == "the focused visit found"
    )
    assert without_dates("children placed there during the 2016 JTAI") == (
        "children placed there during the 2016 JTAI"
    )


def test_a_part_that_points_back_keeps_the_topic_before_it() -> None:
    from assistant.read.areas import AreaMatcher
    from assistant.read.reader import understand

    plan = understand(
        "Which specialist team in Blackpool helps young people at risk of exploitation, "
        "and up to what age can they now get its help?",
        AreaMatcher(["Blackpool"]),
        [],
    )
    _first, second = plan.parts
    assert second.question.startswith("up to what age")
    assert "exploitation" in second.focus and "age" in second.focus


def test_name_questions_want_a_sentence_that_names_something() -> None:
    from assistant.answer.evidence import names_something
    from assistant.read.answer_types import pattern_type as answer_type

    assert answer_type("What is the Children in Care Council in South Tyneside called?") == "person"
    assert answer_type("Which university runs the training in Wokingham?") == "person"
    assert names_something("The council is known as MAGIC, chosen by young people.")
    assert names_something("They work with the Awaken team.")
    assert not names_something("The system is new and staff find it hard to use.")


def test_a_signatory_asked_in_other_words() -> None:
    for question in (
        "Who put their name to the Exampleshire letter?",
        "whose signature is at the end of the visit letter",
        "Who was the letter from?",
    ):
        assert facts_asked(question) == ("signatories",), question
