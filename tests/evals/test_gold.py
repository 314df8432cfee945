"""Gold files: the schema of every line, and every evidence quote against the ingester's text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.evals.gold import GoldError, load_gold
from assistant.evals.metrics import Retrieved, has_fact, quote_rank
from assistant.records import ParsedDocument
from tests.conftest import CORPUS, ROOT, SPLIT_DOCS

GOLD = sorted((ROOT / "evals" / "gold").glob("*.jsonl"))


def doc_path(doc_id: str) -> Path:
    return next(
        (
            d / f"{doc_id}.pdf"
            for d in (CORPUS, *SPLIT_DOCS.values())
            if (d / f"{doc_id}.pdf").exists()
        ),
        CORPUS / f"{doc_id}.pdf",
    )


@pytest.fixture(scope="module")
def passages(
    corpus_parsed: dict[str, ParsedDocument | DocumentError],
) -> dict[str, list[Retrieved]]:
    """Each document's passages as the ingester cuts them, under its real id."""
    out = {}
    for doc_id, doc in corpus_parsed.items():
        assert not isinstance(doc, DocumentError), doc
        out[doc_id] = [Retrieved(doc_id, p.ordinal, p.search_text) for p in doc.passages]
    return out


def test_gold_files_exist_and_split() -> None:
    names = {p.name for p in GOLD}
    assert {"dev.jsonl", "test.jsonl"} <= names
    dev = {q.id for q in load_gold(ROOT / "evals/gold/dev.jsonl")}
    test = {q.id for q in load_gold(ROOT / "evals/gold/test.jsonl")}
    assert dev and test and not dev & test, "the splits must not share questions"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_schema_and_evidence(path: Path, passages: dict[str, list[Retrieved]]) -> None:
    questions = load_gold(path)
    # The corpus's letters, and this split's own extra letters (evals/docs/<split>/).
    own = SPLIT_DOCS.get(path.stem)
    extra = {p.stem for folder in SPLIT_DOCS.values() for p in folder.glob("*.pdf")}
    mine = {p.stem for p in own.glob("*.pdf")} if own else set()
    everything = [
        p for doc, ps in sorted(passages.items()) if doc not in extra or doc in mine for p in ps
    ]
    problems = []
    for q in questions:
        if q.doc is not None and not doc_path(q.doc).exists():
            problems.append(f"{q.id}: unknown doc {q.doc}")
            continue
        pool = passages[q.doc] if q.doc else everything
        for quote in q.evidence:
            if quote_rank(quote, pool, q.doc) is None:
                problems.append(f"{q.id}: evidence not in the ingested text: {quote!r}")
        for fact in q.key_facts:
            if not has_fact(q.reference_answer, fact):
                problems.append(f"{q.id}: key fact {fact} not in its reference answer")
    assert not problems, "\n".join(problems)


def test_coverage_of_the_whole_set() -> None:
    questions = [q for path in GOLD for q in load_gold(path)]
    assert len(questions) >= 150
    docs = {q.doc for q in questions if q.doc}
    assert len(docs) >= 30
    kinds = {Path(CORPUS / f"{d}.pdf").stem.split("-")[0] for d in docs}
    assert {"jtai", "ilacs", "sif", "focused", "area"} <= kinds
    assert sum(1 for q in questions if q.answerable and q.doc is None) >= 20
    assert sum(1 for q in questions if not q.answerable) >= 0.2 * len(questions)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        (json.dumps({"id": "x"}), "missing field 'question'"),
        (
            json.dumps(
                {
                    "id": "x",
                    "question": "q",
                    "answerable": "yes",
                    "key_facts": [],
                    "evidence": [],
                    "reference_answer": "",
                }
            ),
            "field 'answerable' must be bool",
        ),
        (
            json.dumps(
                {
                    "id": "x",
                    "question": "q",
                    "answerable": False,
                    "key_facts": [["a"]],
                    "evidence": [],
                    "reference_answer": "",
                }
            ),
            "unanswerable question must have empty",
        ),
        (
            json.dumps(
                {
                    "id": "x",
                    "question": "q",
                    "answerable": True,
                    "key_facts": [[]],
                    "evidence": ["e"],
                    "reference_answer": "",
                }
            ),
            "key_facts",
        ),
        (
            json.dumps(
                {
                    "id": "x",
                    "question": "q",
                    "answerable": True,
                    "key_facts": [],
                    "evidence": ["e"],
                    "reference_answer": "",
                    "scope": {"colour": 1},
                }
            ),
            "scope",
        ),
    ],
)
def test_bad_lines_name_file_line_and_field(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert "bad.jsonl:1" in str(info.value) and message in str(info.value)
