import pytest

from assistant.evals import metrics as m

P = m.Retrieved


def passages() -> list[m.Retrieved]:
    return [
        P("doc-a", 3, "Heading\nJust eight of 222 children attended."),
        P("doc-b", 0, "The hub is well run. Staff know the"),
        P("doc-b", 1, "children well and act quickly."),
        P("doc-a", 7, "Multi-\nagency work is strong."),
    ]


@pytest.mark.parametrize(
    ("quote", "doc", "rank"),
    [
        ("just EIGHT of 222", None, 1),
        ("just eight of 222", "doc-b", None),  # wrong document
        ("staff know the children well", None, 3),  # across the join of adjacent passages
        ("staff know the children well", "doc-b", 3),
        ("multi-agency work", None, 4),  # hyphen before a line break joined
        ("heading just eight", None, 1),  # the heading is part of the indexed text
        ("not there at all", None, None),
        ("strong. staff know", None, None),  # passages 4 and 2 are not adjacent
    ],
)
def test_quote_rank(quote: str, doc: str | None, rank: int | None) -> None:
    assert m.quote_rank(quote, passages(), doc) == rank


def test_hit_and_reciprocal_rank() -> None:
    assert m.hit([None, 3], k=3) and not m.hit([None, 4], k=3) and not m.hit([], k=5)
    assert m.reciprocal_rank([None, 4, 2]) == 0.5
    assert m.reciprocal_rank([None]) == 0.0


@pytest.mark.parametrize(
    ("answer", "facts", "ok"),
    [
        ("Just eight of 222 attended [1].", [["eight", "8"], ["222"]], True),
        ("Just 8 of 222 attended.", [["eight", "8"], ["222"]], True),
        ("1,800 children attended.", [["8"]], False),  # whole words only
        ("Requires improvement to be good", [["requires improvement"]], True),
        ("It is \u2018good\u2019.", [["good"]], True),
        ("No figure given.", [["222"]], False),
        ("Anything", [], True),
    ],
)
def test_key_facts(answer: str, facts: list[list[str]], ok: bool) -> None:
    assert m.key_facts_hit(answer, facts) is ok


@pytest.mark.parametrize(
    ("sentence", "passage", "evidence", "ok"),
    [
        (
            "Just eight of 222 children attended.",
            "Between April and September, just eight of 222 children attended.",
            (),
            True,
        ),
        (
            "Just eight of 300 children attended.",
            "just eight of 222 children attended",
            (),
            False,
        ),  # a number not in the passage
        ("The hub has a dedicated police officer.", "The hub is well run.", (), False),
        (
            "Anything at all here.",
            "The hub is well run and says eight.",
            ("hub is well run",),
            True,
        ),
        ("", "whatever", (), True),
    ],
)
def test_supports(sentence: str, passage: str, evidence: tuple[str, ...], ok: bool) -> None:
    assert m.supports(sentence, passage, evidence) is ok


def test_cited_sentences_and_counts() -> None:
    answer = (
        "Just eight of 222 attended [1]. The hub has police officers. [2] Also new staff [1][3]."
    )
    assert m.cited_sentences(answer) == [
        ("Just eight of 222 attended.", [1]),
        ("The hub has police officers.", [2]),
        ("Also new staff.", [1, 3]),
    ]
    counts = m.citation_counts(
        answer,
        {
            1: "just eight of 222 attended",
            2: "the hub has police officers",
            3: "also, new staff arrived",
        },
    )
    assert counts == m.CitationCounts(
        citations=4, supported_citations=3, sentences=3, supported_sentences=3
    )


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 50, 0.0),
        ([5.0], 95, 5.0),
        ([1, 2, 3, 4], 50, 2),
        ([1, 2, 3, 4], 95, 4),
        (list(range(1, 101)), 95, 95),
    ],
)
def test_percentile(values, q, expected) -> None:
    assert m.percentile(values, q) == expected
