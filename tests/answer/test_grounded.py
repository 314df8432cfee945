"""The grounded answerer: sentence selection and abstention on a small in-memory catalog, and
end to end with the real model and a real Chroma store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer.grounded import GroundedAnswerer
from assistant.evals.metrics import cited_sentences, supports
from assistant.index.catalog import Catalog
from assistant.read.areas import AreaMatcher
from assistant.read.reader import understand
from assistant.records import DocumentMeta, Passage, ScoredPassage
from assistant.retrieve.filters import Filters
from assistant.service import Assistant, Conversation
from assistant.settings import Settings
from assistant.text import normalise

META = DocumentMeta(
    "jtai-x-2020-01", "JTAI of Exampleshire", "Exampleshire", "JTAI", "x.pdf", "0" * 64, 5
)
TEXTS = [
    (
        "Key strengths",
        "strength",
        "Dentists in Exampleshire are trained to spot neglect. They refer promptly to the hub.",
    ),
    (
        "Areas for improvement",
        "improvement",
        "Attendance at conferences is low. Between April and September, just eight of 222 children attended.",
    ),
    (
        "Introduction",
        "neutral",
        "This letter summarises the findings of the joint inspection in Exampleshire.",
    ),
    (
        "Main findings",
        "neutral",
        "Police officers attend strategy meetings and share information quickly.",
    ),
]


OTHER = DocumentMeta("jtai-y-2021-01", "JTAI of Otherton", "Otherton", "JTAI", "y.pdf", "1" * 64, 5)


def catalog() -> Catalog:
    passages = [
        Passage(f"p{i}", META.doc_id, i, text, section, polarity, 1, 1, 0, len(text))  # type: ignore[arg-type]
        for i, (section, polarity, text) in enumerate(TEXTS)
    ]
    # Another letter sharing the template sentence, so it is known as template text.
    template = "This letter summarises the findings of the joint inspection in Otherton."
    passages.append(
        Passage("q0", OTHER.doc_id, 0, template, "Introduction", "neutral", 1, 1, 0, 70)
    )
    docs = {META.doc_id: META, OTHER.doc_id: OTHER}
    return Catalog("model", {}, docs, passages, {META.doc_id: ["page"], OTHER.doc_id: ["page"]})


def ask(question: str) -> tuple[str, bool]:
    cat = catalog()
    plan = understand(question, AreaMatcher(["Exampleshire"]), [META])
    own = [p for p in cat.passages if p.doc_id == META.doc_id]
    passages = [ScoredPassage(p, META, 1.0 / (i + 1), i + 1) for i, p in enumerate(own)]
    draft = GroundedAnswerer(cat, Settings()).answer(plan, passages)
    if draft.abstained:
        assert not draft.citations
        return draft.text, True
    for sentence, markers in cited_sentences(draft.text):
        assert markers, f"uncited sentence: {sentence}"
        for n in markers:
            citation = next(c for c in draft.citations if c.n == n)
            passage = cat.passages[cat.position[citation.passage_id]]
            assert supports(sentence, passage.text)
    return draft.text, draft.abstained


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How many children attended conferences in Exampleshire?",
            "just eight of 222 children attended",
        ),
        (
            "What did inspectors say about dentists and neglect?",
            "Dentists in Exampleshire are trained to spot neglect",
        ),
        ("Do police officers go to strategy meetings?", "Police officers attend strategy meetings"),
    ],
)
def test_selects_the_sentence_that_answers(question: str, expected: str) -> None:
    text, abstained = ask(question)
    assert not abstained and expected in text


@pytest.mark.parametrize(
    "question",
    [
        "How many dentists work in Exampleshire?",  # a number the letter does not give
        "What grade did Exampleshire get?",  # a JTAI gives no grades
        "Who chaired the safeguarding board in Exampleshire?",  # no named person
        "What did inspectors say about eating disorders and CAMHS waiting lists?",  # not covered
    ],
)
def test_abstains_when_the_thing_asked_is_not_there(question: str) -> None:
    text, abstained = ask(question)
    assert (
        abstained and "The letters in the index do not say" in text
    ) or "do not give grades" in text


def test_template_sentences_are_not_answers() -> None:
    text, _ = ask("What did the joint inspection find in Exampleshire?")
    assert "This letter summarises" not in text


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("What did inspectors say about dentists and neglect in Exampleshire?", "2024"),
        (
            "What did inspectors say about dentists and neglect in Exampleshire, oldest first?",
            "2020",
        ),
    ],
)
def test_one_areas_letters_are_quoted_newest_first_unless_asked(question: str, first: str) -> None:
    older = replace(META, letter_date="2020-01-10")
    newer = replace(META, doc_id="jtai-x-2024-03", letter_date="2024-03-01")
    texts = [
        (older, "Dentists in Exampleshire are trained to spot neglect and refer to the hub."),
        (newer, "Dentists in Exampleshire still spot neglect and refer children quickly."),
    ]
    passages = [
        Passage(f"d{i}", doc.doc_id, 0, text, "Main findings", "neutral", 1, 1, 0, len(text))
        for i, (doc, text) in enumerate(texts)
    ]
    cat = Catalog("model", {}, {d.doc_id: d for d, _ in texts}, passages, {})
    plan = understand(question, AreaMatcher(["Exampleshire"]), [older, newer])
    # The older letter ranks first, so relevance alone would quote it first.
    ranked = [
        ScoredPassage(p, d, 1.0 / (i + 1), i + 1)
        for i, (p, (d, _)) in enumerate(zip(passages, texts, strict=True))
    ]
    draft = GroundedAnswerer(cat, Settings()).answer(plan, ranked)
    assert draft.text.count("**Exampleshire, JTAI") == 2
    assert draft.text.startswith(f"**Exampleshire, JTAI {first}:**")


# End to end with the real model and a real Chroma store ------------------------------------


@pytest.fixture(scope="module")
def assistant(sample_index: Path) -> Assistant:
    return Assistant.open(Settings(index_dir=sample_index))


def check_citations(assistant: Assistant, answer_text: str, citations: tuple) -> None:  # type: ignore[type-arg]
    for sentence, markers in cited_sentences(answer_text):
        assert markers, f"uncited sentence: {sentence}"
    for c in citations:
        passage = assistant.catalog.passages[assistant.catalog.position[c.passage_id]]
        assert normalise(c.sentence) in normalise(passage.search_text)
        assert passage.page_start <= c.page <= passage.page_end


@pytest.mark.integration
def test_figure_with_page(assistant: Assistant) -> None:
    answer = assistant.ask(
        "How many children attended their child protection conference in Stockton?"
    )
    assert not answer.abstained
    assert "eight of 222" in answer.text
    assert any(c.doc == "jtai-stockton-on-tees-2018-01" and c.page == 9 for c in answer.citations)
    check_citations(assistant, answer.text, answer.citations)


@pytest.mark.integration
def test_grade_from_the_judgement_table(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What was the overall effectiveness grade in Stockton-on-Tees' 2023 ILACS?"
    )
    assert not answer.abstained
    assert "requires improvement to be good" in answer.text.lower()
    check_citations(assistant, answer.text, answer.citations)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            "What did inspectors report on neglect in Leeds in their joint targeted area inspection?",
            "Leeds",
        ),
        ("Which grade was Stockton-on-Tees given in its 2018 JTAI?", "not give grades"),
        ("What grade did Hartlepool get in its ILACS inspection?", "no ILACS"),
    ],
)
def test_abstains_with_the_reason_and_the_nearest_passages(
    assistant: Assistant, question: str, reason: str
) -> None:
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations
    assert reason in answer.text
    # The nearest passages near enough to show, or none and the answer says so.
    assert answer.passages or "No passage in the letters comes near the question" in answer.text


@pytest.mark.integration
def test_filters_restrict_the_sources(assistant: Assistant) -> None:
    answer = assistant.ask("What works well?", Filters(types=("area SEND",), polarity="strength"))
    assert answer.passages
    assert {sp.passage.doc_id for sp in answer.passages} == {"area-send-hartlepool-2023-05"}
    assert {sp.passage.polarity for sp in answer.passages} == {"strength"}


@pytest.mark.integration
def test_follow_up_keeps_the_area(assistant: Assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("What did inspectors find about dentists and neglect in Stockton?")
    assert "dentist" in first.text.lower()
    second = chat.ask("and what about the police there?")
    assert second.plan.areas == ("Stockton-on-Tees",)
    assert {sp.doc.area.lower().replace(" ", "-") for sp in second.passages} == {"stockton-on-tees"}
    assert "police" in second.text.lower()
    check_citations(assistant, second.text, second.citations)


@pytest.mark.integration
def test_a_follow_up_on_a_new_topic_finds_that_topic_in_the_same_area(
    assistant: Assistant,
) -> None:
    """Searched with the last question's topic alone, a follow-up found only that topic and
    was declined; its own words are searched too."""
    chat = Conversation(assistant)
    chat.ask("How many children came to their own child protection conferences in Stockton?")
    second = chat.ask("and what about dentists?")
    assert not second.abstained and "dentists" in second.text
    assert "dentist" in second.retrieved[0].passage.text.lower()  # its own topic, first
    assert {sp.doc.area for sp in second.passages} == {"Stockton-on-Tees"}
    check_citations(assistant, second.text, second.citations)
