"""The facts reader on real letters of every type: each fact's value, its page, and a quote that
lies inside one of the document's passages (so an answer can cite it)."""

from __future__ import annotations

from functools import cache

import pytest

from assistant.ingest.loader import parse_document
from assistant.records import ParsedDocument
from assistant.text import normalise
from tests.conftest import corpus_pdf


@cache
def parsed(doc_id: str) -> ParsedDocument:
    return parse_document(corpus_pdf(doc_id), min_chars=200, max_chars=900)


def fact(doc_id: str, name: str) -> tuple[str, int, str]:
    doc = parsed(doc_id)
    found = doc.meta.facts_named(name)
    assert found, f"{doc_id}: no {name} fact in {[f.name for f in doc.meta.facts]}"
    return found[0].value, found[0].page, found[0].quote


@pytest.mark.parametrize(
    ("doc_id", "name", "value", "page"),
    [
        ("jtai-stockton-on-tees-2018-01", "published", "2018-01-15", 1),
        ("jtai-stockton-on-tees-2018-01", "fieldwork", "2017-11-20 to 2017-11-24", 1),
        (
            "jtai-stockton-on-tees-2018-01",
            "inspectorates",
            "Ofsted, CQC, HMICFRS, HMI Probation",
            1,
        ),
        ("jtai-stockton-on-tees-2018-01", "theme", "abuse and neglect", 1),
        ("jtai-bracknell-forest-2019-03", "theme", "sexual abuse in the family", 1),
        ("jtai-east-sussex-2020-04", "theme", "children\u2019s mental health", 1),
        ("ilacs-durham-2019-10", "fieldwork", "2019-09-09 to 2019-09-20", 1),
        ("ilacs-durham-2019-10", "lead_inspector", "Rachel Holden", 1),
        ("ilacs-solihull-2023-01", "judgement", "Overall effectiveness: Inadequate", 1),
        ("sif-south-tyneside-2017-11", "published", "2017-11-24", 1),
        ("sif-south-tyneside-2017-11", "lead_inspector", "Rachel Holden", 33),
        ("focused-visit-plymouth-2023-01", "fieldwork", "2022-12-13 to 2022-12-14", 1),
        ("area-send-hartlepool-2023-05", "fieldwork", "2023-03-13 to 2023-03-17", 1),
        ("area-send-hartlepool-2023-05", "lead_inspector", "Alex Thorp and Lyndsey McGeary", 7),
        ("area-send-hartlepool-2023-05", "inspectorates", "Ofsted, CQC", 1),
    ],
)
def test_fact_values_and_pages(doc_id: str, name: str, value: str, page: int) -> None:
    stated = {(f.value, f.page) for f in parsed(doc_id).meta.facts_named(name)}
    assert (value, page) in stated


@pytest.mark.parametrize(
    ("doc_id", "name", "words"),
    [
        ("jtai-merton-2024-02", "signatories", ["Yvette Stanley", "Sue McAllister"]),
        ("focused-visit-plymouth-2023-01", "inspectors", ["Anna Gravelle", "Joy Howick"]),
        ("focused-visit-plymouth-2023-01", "theme", ["front door"]),
        ("area-send-hartlepool-2023-05", "previous", ["3 to 7 October 2016"]),
        ("area-send-hartlepool-2023-05", "outcome", ["positive experiences"]),
        ("sif-stockton-on-tees-2016-08", "judgement", ["Good"]),
    ],
)
def test_fact_quotes(doc_id: str, name: str, words: list[str]) -> None:
    _, _, quote = fact(doc_id, name)
    assert all(w in quote for w in words), quote


@pytest.mark.parametrize(
    "doc_id",
    [
        "jtai-stockton-on-tees-2018-01",
        "ilacs-stockton-on-tees-2019-07",
        "sif-stockton-on-tees-2016-08",
        "focused-visit-stockton-on-tees-2026-01",
        "area-send-hartlepool-2023-05",
    ],
)
def test_every_quote_lies_in_a_passage(doc_id: str) -> None:
    doc = parsed(doc_id)
    texts = [normalise(p.search_text) for p in doc.passages]
    assert doc.meta.facts
    for f in doc.meta.facts:
        assert any(normalise(f.quote) in t for t in texts), (f.name, f.quote)


def test_a_fact_the_letter_does_not_state_is_absent() -> None:
    # JTAI letters name no lead inspector and give no judgements: nothing is guessed.
    names = {f.name for f in parsed("jtai-stockton-on-tees-2018-01").meta.facts}
    assert "lead_inspector" not in names and "judgement" not in names
    assert "published" not in {f.name for f in parsed("ilacs-durham-2019-10").meta.facts}
