import json
from pathlib import Path

import pytest

from assistant.records import Answer, Citation
from assistant.ui.feedback import record_feedback


def test_ratings_are_appended_with_question_answer_and_citations(tmp_path: Path) -> None:
    answer = Answer("q?", "A. [1]", False, (Citation(1, "p", "doc", "Title", 3, "Sec", "A."),), ())
    path = tmp_path / "data" / "feedback.jsonl"
    record_feedback(path, answer, "up")
    record_feedback(path, answer, "down", " too vague ")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["rating"] for r in rows] == ["up", "down"]
    assert rows[1]["comment"] == "too vague" and rows[1]["citations"][0]["page"] == 3
    assert rows[0]["question"] == "q?" and rows[0]["answer"] == "A. [1]"


def test_rejects_unknown_ratings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rating"):
        record_feedback(tmp_path / "f.jsonl", Answer("q", "a", False, (), ()), "meh")
