"""The strict citation judge: a claim is supported only by the text of the passage it cites."""

from __future__ import annotations

import pytest

from assistant.evals.judge import names, numbers, strict_citation_counts, strictly_supports
from assistant.evals.metrics import citation_counts

PASSAGE = (
    "The attendance of children at child protection conferences is low: only eight of 222 "
    "children attended their conference in the last year. Health visitors in Stockton-on-Tees "
    "do not always share records with the hub in time."
)


def test_numbers_read_digits_and_number_words() -> None:
    assert numbers("only eight of 222 children, 1,800 referrals") == {"8", "222", "1800"}


def test_names_are_capitalised_words_inside_a_sentence() -> None:
    assert names("Inspectors met the Stockton-on-Tees police and Cleveland Police.") == {
        "stockton-on-tees",
        "cleveland",
        "police",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Only eight of 222 children attended their conference in the last year.",
        "Health visitors in Stockton-on-Tees do not always share records with the hub in time.",
        "Eight of 222 children attended their child protection conference.",  # a fair paraphrase
    ],
)
def test_a_claim_the_passage_makes_is_supported(sentence: str) -> None:
    assert strictly_supports(sentence, PASSAGE)


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("Only nine of 222 children attended their conference in the last year.", "a number"),
        ("Only eight of 250 children attended their conference in the last year.", "a number"),
        (
            "Health visitors in Hartlepool do not always share records with the hub in time.",
            "a name",
        ),
        ("Health visitors in Stockton-on-Tees always share records with the hub in time.", "sense"),
        ("Children attended conferences; partners praised the new family hubs.", "words"),
    ],
)
def test_a_claim_the_passage_does_not_make_is_not_supported(sentence: str, why: str) -> None:
    assert not strictly_supports(sentence, PASSAGE), why


def test_no_shortcuts_a_gold_quote_or_an_unknown_passage_supports_nothing() -> None:
    answer = "Health visitors in Hartlepool never share records. [1] Leeds is outstanding. [2]"
    cited = {1: PASSAGE}  # [2] names a passage that was not given
    strict = strict_citation_counts(answer, cited)
    assert (strict.citations, strict.supported_citations) == (2, 0)
    assert (strict.sentences, strict.supported_sentences) == (2, 0)
    # The lenient judge counts the first one, because the passage holds a gold quote.
    lenient = citation_counts(answer, cited, evidence=["only eight of 222 children"])
    assert lenient.supported_citations == 1


def test_each_citation_of_a_sentence_is_judged_on_its_own() -> None:
    answer = "Only eight of 222 children attended their conference in the last year. [1][2]"
    counts = strict_citation_counts(answer, {1: PASSAGE, 2: "Dentists identify neglect."})
    assert (counts.citations, counts.supported_citations, counts.supported_sentences) == (2, 1, 1)


def test_possessive_names_and_long_part_headings() -> None:
    passage = "Children presenting to Solihull’s front door services wait too long."
    assert strictly_supports("Children presenting to Solihull's front door services wait.", passage)
    question = (
        "**" + "Which programme run by Hartlepool's integrated team is highlighted " * 3 + "?**"
    )
    counts = strict_citation_counts(f"{question} {passage} [1]", {1: passage})
    assert (counts.sentences, counts.supported_sentences) == (1, 1)  # the heading claims nothing
