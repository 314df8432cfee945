import pytest

from assistant.answer.evidence import holds_answer_type, redundant, template_key
from assistant.lexical import coverage, focus_terms, idf_table


def test_focus_terms_drop_the_question_frame_and_dates() -> None:
    terms = focus_terms(
        "What did inspectors find about dentists and neglect in the 2018 JTAI in March?"
    )
    assert terms == ["dentist", "neglect"]


def test_coverage_weights_rare_words() -> None:
    idf = idf_table(["dentists neglect", "neglect neglect", "neglect children", "neglect schools"])
    terms = focus_terms("dentists and neglect")
    assert coverage(terms, "The dentists were trained.", idf) > coverage(
        terms, "Neglect is common.", idf
    )
    assert coverage(terms, "Dentists spot neglect.", idf) == pytest.approx(1.0)
    assert coverage([], "anything", idf) == 0.0


@pytest.mark.parametrize(
    ("kind", "sentence", "ok"),
    [
        ("number", "Just eight of 222 attended.", True),
        ("number", "The panel meets weekly.", True),
        ("number", "Attendance is low.", False),
        ("grade", "Overall effectiveness: requires improvement to be good", True),
        ("grade", "Leaders are ambitious.", False),
        ("date", "The visit took place on 9 December 2025.", True),
        ("date", "The visit was recent.", False),
        ("explanation", "Anything.", True),
        ("person", "They work with the Awaken team.", True),
        ("person", "The visit was recent.", False),
    ],
)
def test_holds_answer_type(kind: str, sentence: str, ok: bool) -> None:
    assert holds_answer_type(kind, sentence) is ok


def test_template_key_ignores_names_and_numbers() -> None:
    a = template_key(
        "This letter summarises the findings of the focused visit to Plymouth children's services on 13 December 2022."
    )
    b = template_key(
        "This letter summarises the findings of the focused visit to Stockton-on-Tees children's services on 21 September 2022."
    )
    assert a == b


def test_redundant() -> None:
    assert redundant("The hub is effective and well run.", "The hub is well run and effective.")
    assert not redundant("The hub is effective.", "Dentists identify neglect.")


@pytest.mark.parametrize(
    ("question", "sentence", "ok"),
    [
        (
            "How many children attended?",
            "Just eight of 222 children who could have attended did attend.",
            True,
        ),
        ("How many girls were identified?", "To date, over 700 people have been trained.", False),
        (
            "How many weeks do children wait?",
            "Children wait beyond 20 days for assessments.",
            False,
        ),
        ("How many weeks do children wait?", "Children wait up to 14 weeks for CAMHS.", True),
        (
            "How long do children wait for a health check?",
            "They wait six weeks, not 20 days.",
            True,
        ),
        ("How long do children wait for a health check?", "They wait far too long.", False),
        ("What percentage of plans were reviewed?", "Most plans were reviewed.", True),
        ("What percentage of plans were reviewed?", "Plans were reviewed in 2022.", False),
        (
            "How many families used the weekly one-stop-shop?",
            "The weekly one-stop-shop opens each Tuesday.",
            False,
        ),
        ("How many social workers joined?", "Twelve newly qualified social workers joined.", True),
    ],
)
def test_number_questions_want_the_quantity_asked_for(
    question: str, sentence: str, ok: bool
) -> None:
    from assistant.answer.evidence import counts_target
    from assistant.read.intent import quantity_target

    assert counts_target(sentence, quantity_target(question)) is ok
