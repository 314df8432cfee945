"""Ratings of answers, appended one JSON object per line under the data directory."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from assistant.records import Answer

_LOCK = threading.Lock()


def record_feedback(path: Path, answer: Answer, rating: str, comment: str = "") -> dict[str, Any]:
    """Append one rating ('up' or 'down', with an optional comment) for an answer."""
    if rating not in {"up", "down"}:
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    row = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "rating": rating,
        "comment": comment.strip(),
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [
            {"n": c.n, "doc": c.doc, "page": c.page, "section": c.section, "sentence": c.sentence}
            for c in answer.citations
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return row
