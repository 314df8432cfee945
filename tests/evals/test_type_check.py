"""The answer-type check: labels for every gold question, and the command printing each
reader's agreement with them (real embedding model)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.evals.gold import load_gold
from assistant.evals.type_check import LABELS, labels, main
from assistant.read.answer_types import ANSWER_TYPES

ROOT = Path(__file__).resolve().parents[2]


def test_every_gold_question_is_labelled_with_a_known_type() -> None:
    assert {p.stem.removeprefix("answer_types-") for p in LABELS} >= {"dev", "holdout2"}
    for path in LABELS:
        split = path.stem.removeprefix("answer_types-")
        wanted = labels(path)
        assert {q.id for q in load_gold(ROOT / "evals/gold" / f"{split}.jsonl")} == set(wanted)
        assert set(wanted.values()) <= set(ANSWER_TYPES)


@pytest.mark.integration
def test_the_check_prints_each_readers_agreement(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--labels", str(ROOT / "evals/labels/answer_types-dev.jsonl")]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("dev"))
    shares = [float(x) for x in re.findall(r"\b[01]\.\d{3}\b", row)]
    assert len(shares) == 3 and all(0 <= s <= 1 for s in shares)
    assert shares[0] >= 0.7  # the default rules read most dev questions' types as labelled
