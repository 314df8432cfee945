"""Gold question sets in the format of evals/README.md (JSON Lines)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError


class GoldError(AssistantError):
    """A gold file line that does not follow the format: names the file, line and field."""


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    answerable: bool
    key_facts: tuple[tuple[str, ...], ...]
    evidence: tuple[str, ...]
    reference_answer: str
    doc: str | None = None
    scope: dict[str, Any] = field(default_factory=dict)
    kind: str = ""  # optional extra: figure, named, polarity, cross_document, unanswerable, ...
    source: str = ""  # the gold file it came from

    @property
    def category(self) -> str:
        if self.kind:
            return self.kind
        if not self.answerable:
            return "unanswerable"
        return "cross_document" if self.doc is None else "single_document"


_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "question": str,
    "answerable": bool,
    "key_facts": list,
    "evidence": list,
    "reference_answer": str,
}
_SCOPE_KEYS = {"doc", "area", "type", "since", "until", "polarity"}


def parse_line(data: Any, where: str) -> GoldQuestion:
    if not isinstance(data, dict):
        raise GoldError(f"{where}: a line must be a JSON object")
    for name, kind in _REQUIRED.items():
        if name not in data:
            raise GoldError(f"{where}: missing field '{name}'")
        if not isinstance(data[name], kind):
            raise GoldError(f"{where}: field '{name}' must be {getattr(kind, '__name__', kind)}")
    facts = data["key_facts"]
    if not all(
        isinstance(f, list) and f and all(isinstance(a, str) and a for a in f) for f in facts
    ):
        raise GoldError(f"{where}: field 'key_facts' must be a list of non-empty lists of strings")
    if not all(isinstance(e, str) and e.strip() for e in data["evidence"]):
        raise GoldError(f"{where}: field 'evidence' must be a list of non-empty strings")
    if not data["answerable"] and (facts or data["evidence"]):
        raise GoldError(
            f"{where}: an unanswerable question must have empty 'key_facts' and 'evidence'"
        )
    if data["answerable"] and not data["evidence"]:
        raise GoldError(f"{where}: an answerable question needs 'evidence'")
    doc = data.get("doc")
    if doc is not None and not isinstance(doc, str):
        raise GoldError(f"{where}: field 'doc' must be a string")
    scope = data.get("scope") or {}
    if not isinstance(scope, dict) or set(scope) - _SCOPE_KEYS:
        raise GoldError(f"{where}: field 'scope' may hold only {', '.join(sorted(_SCOPE_KEYS))}")
    if scope.get("polarity") not in (None, "strength", "improvement"):
        raise GoldError(f"{where}: scope.polarity must be 'strength' or 'improvement'")
    return GoldQuestion(
        id=data["id"],
        question=data["question"],
        answerable=data["answerable"],
        key_facts=tuple(tuple(f) for f in facts),
        evidence=tuple(data["evidence"]),
        reference_answer=data["reference_answer"],
        doc=doc,
        scope=scope,
        kind=str(data.get("kind", "")),
    )


def load_gold(path: Path) -> list[GoldQuestion]:
    """All questions of one file; raises GoldError naming the file, line and field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from exc
    questions: list[GoldQuestion] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc.msg})") from exc
        question = parse_line(data, where)
        if question.id in seen:
            raise GoldError(f"{where}: duplicate id '{question.id}'")
        seen.add(question.id)
        questions.append(replace(question, source=path.name))
    if not questions:
        raise GoldError(f"{path}: no questions")
    return questions
