"""Answer types: the hand-written rules, and the learned readers' logic over labelled examples
(a toy embedding here; the real model is measured by `assistant eval --set`, see the notes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from assistant.read.answer_types import (
    ANSWER_TYPES,
    ClassifierTyper,
    ExampleTyper,
    load_examples,
    pattern_type,
    vote,
    wants_individual,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how many social workers had left the front door team?", "number"),
        ("What share of care leavers were in work or training?", "number"),
        ("Which therapy service do looked-after children in Exampleshire get?", "person"),
        ("which agencies took part in the joint inspection?", "person"),
        ("Who headed the safeguarding partnership?", "person"),
        ("when were inspectors on site in Exampleshire", "date"),
        ("How was Exampleshire rated overall?", "grade"),
        ("Was there a backlog of assessments at the front door?", "yes_no"),
        ("List every area for priority action", "list"),
        ("tell me everything the letter said must change", "list"),
        ("why were strategy meetings delayed in Exampleshire?", "explanation"),
    ],
)
def test_pattern_types(question: str, kind: str) -> None:
    assert pattern_type(question) == kind


def test_a_role_holder_wants_an_individual_a_team_does_not() -> None:
    assert wants_individual("who chaired the board at the time?")
    assert not wants_individual("Which team works with exploited teenagers?")


class Letters(Embeddings):
    """A toy embedding: counts of a few telling words (enough to test the readers' logic)."""

    WORDS = ("many", "who", "when", "grade", "list", "why")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        words = text.lower().split()
        return [float(words.count(w)) + 0.01 for w in self.WORDS]


EXAMPLES = [
    ("how many staff", "number"),
    ("how many children", "number"),
    ("who led it", "person"),
    ("who chaired it", "person"),
    ("when was it", "date"),
    ("what grade was given", "grade"),
    ("list the points", "list"),
    ("why did it happen", "explanation"),
]


def test_the_nearest_examples_and_the_classifier_read_the_same_labels() -> None:
    for typer in (ExampleTyper(Letters(), EXAMPLES, k=2), ClassifierTyper(Letters(), EXAMPLES)):
        assert typer("how many visits were there") == "number"
        assert typer("who signed the letter") == "person"
        assert typer("why was it late") == "explanation"


def test_a_vote_weighs_nearness() -> None:
    assert vote(["date", "grade", "grade"], [0.9, 0.3, 0.3]) == "date"
    assert vote(["date", "grade", "grade"], [0.5, 0.4, 0.4]) == "grade"


def test_the_shipped_examples_cover_every_type(tmp_path: Path) -> None:
    kinds = {kind for _, kind in load_examples()}
    assert kinds == set(ANSWER_TYPES)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "how many?", "type": "count"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1: unknown answer type 'count'"):
        load_examples(bad)
