"""What kind of thing a question asks for: its answer type.

Two readers of the same labels, chosen by the setting ``answer_types``:

- ``patterns``: hand-written rules over the question's words;
- ``examples``: the labelled example questions in ``examples.jsonl`` (written for this module,
  in practitioners' own words), embedded with the embedding model the index already loads; a
  question takes the type most of its nearest examples have.

Measured on the gold splits with ``assistant eval --set answer_types=...`` (see the issue notes
in the README's "Reading a question"); the default is the one that carried over better to
questions it was not tuned on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

# The kinds of answer, as the answer steps test sentences for them.
NUMBER, PERSON, DATE, GRADE = "number", "person", "date", "grade"
YES_NO, LIST, EXPLANATION = "yes_no", "list", "explanation"
ANSWER_TYPES = (NUMBER, PERSON, DATE, GRADE, YES_NO, LIST, EXPLANATION)
# Types whose answer is a thing a sentence holds or not (a figure, a name, a date, a grade):
# a sentence without one does not answer, however well it matches the topic.
TYPED = frozenset({NUMBER, PERSON, DATE, GRADE})

EXAMPLES = Path(__file__).with_name("examples.jsonl")

AnswerTyper = Callable[[str], str]


_GRADE_Q = re.compile(
    r"\b(grade[ds]?|judge(d|ment)s?|rated|rating|overall effectiveness|(inspection )?outcome)\b",
    re.I,
)
_NUMBER_Q = re.compile(
    r"\b(how many|how much|how long|how often|what (number|proportion|percentage|share|rate)|"
    r"percentage|proportion|rate|average|per cent|%|figure|number of)\b",
    re.I,
)
_DATE_Q = re.compile(r"^\s*(when|on what date|what dates?|what year)\b", re.I)
# A question about a role's holder wants a named individual, not a body.
_INDIVIDUAL_Q = re.compile(
    r"\bwho\s+(chair(s|ed)?|led|leads|head(s|ed)?|was the (chair|director|head|lead)|is the "
    r"(chair|director|head|lead)|signed|wrote)\b|\bname of the (chair|director|head|lead|"
    r"inspector)\b",
    re.I,
)
_PERSON_Q = re.compile(
    rf"{_INDIVIDUAL_Q.pattern}|\b(?:called|named|known as)\b|\b(?:name|title) of (?:the|its|their|this)\b|"
    r"\bwhich (?:[\w-]+ ){0,2}?(?:university|universities|college|hospital|charity|charities|organisation|company|"
    r"provider|system|software|tool|app|trust|school|academy|project|team|service|unit|panel|"
    r"board|group|agency|agencies|body|bodies|programme|scheme|initiative|hub|forum|network|"
    r"partners?|inspectorates?)\b",
    re.I,
)
_LIST_Q = re.compile(
    r"^\s*(list|name|give)\b|\beverything\b|\b(all|every|each) (?:of )?(?:the )?(?:\w+ ){0,3}?(points?|areas?|"
    r"actions?|items?|recommendations?|priorities|things|letters|inspections)\b",
    re.I,
)
_YES_NO_Q = re.compile(
    r"^\s*(?:and\s+)?(did|does|do|is|are|was|were|has|have|had|can|could|will)\b", re.I
)


def pattern_type(question: str) -> str:
    """The answer type by hand-written rules.

    >>> pattern_type("How many social workers left last year?"), pattern_type("Is there a MASH?")
    ('number', 'yes_no')
    """
    if _GRADE_Q.search(question):
        return GRADE
    if _NUMBER_Q.search(question):
        return NUMBER
    if _DATE_Q.match(question):
        return DATE
    if _PERSON_Q.search(question):
        return PERSON
    if _LIST_Q.search(question):
        return LIST
    if _YES_NO_Q.match(question):
        return YES_NO
    return EXPLANATION


def wants_individual(question: str) -> bool:
    """Whether a question asks who holds a role ("who chaired the board"): a named person,
    where a body or a team's name does not answer.

    >>> wants_individual("Who chaired the board?"), wants_individual("What is the team called?")
    (True, False)
    """
    return bool(_INDIVIDUAL_Q.search(question))


def load_examples(path: Path = EXAMPLES) -> list[tuple[str, str]]:
    """(question, type) pairs; a line with an unknown type is an error naming the line."""
    pairs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["type"] not in ANSWER_TYPES:
            raise ValueError(f"{path}:{n}: unknown answer type {row['type']!r}")
        pairs.append((row["text"], row["type"]))
    return pairs


def vote(labels: Sequence[str], similarities: Sequence[float]) -> str:
    """The label with the most similarity among the nearest examples (ties: the nearest's).

    >>> vote(["list", "number", "number"], [0.9, 0.5, 0.5])
    'number'
    """
    weight: dict[str, float] = {}
    for label, sim in zip(labels, similarities, strict=True):
        weight[label] = weight.get(label, 0.0) + sim
    best = max(weight.values())
    return next(label for label in labels if weight[label] == best)


class ExampleTyper:
    """The answer type of the nearest labelled examples (cosine, normalised embeddings)."""

    def __init__(
        self, embeddings: Embeddings, examples: Sequence[tuple[str, str]], k: int = 5
    ) -> None:
        self.embeddings = embeddings
        self.labels = [label for _, label in examples]
        self.matrix = _normalised(embeddings.embed_documents([text for text, _ in examples]))
        self.k = k

    def __call__(self, question: str) -> str:
        query = _normalised([self.embeddings.embed_query(question)])[0]
        sims = self.matrix @ query
        nearest = np.argsort(-sims)[: self.k]
        return vote([self.labels[i] for i in nearest], [float(sims[i]) for i in nearest])


def _normalised(vectors: list[list[float]]) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


class ClassifierTyper:
    """A softmax classifier over the examples' embeddings, trained when built (under a second
    for a few hundred examples)."""

    def __init__(
        self, embeddings: Embeddings, examples: Sequence[tuple[str, str]], steps: int = 2000
    ) -> None:
        self.embeddings = embeddings
        x = _normalised(embeddings.embed_documents([text for text, _ in examples]))
        self.weights, self.bias = train_softmax(
            x,
            np.array([ANSWER_TYPES.index(label) for _, label in examples]),
            len(ANSWER_TYPES),
            steps,
        )

    def __call__(self, question: str) -> str:
        query = _normalised([self.embeddings.embed_query(question)])[0]
        return ANSWER_TYPES[int(np.argmax(query @ self.weights + self.bias))]


def train_softmax(
    x: np.ndarray, y: np.ndarray, classes: int, steps: int, rate: float = 0.5, decay: float = 1e-3
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by gradient descent: (weights, bias)."""
    weights = np.zeros((x.shape[1], classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    for _ in range(steps):
        z = x @ weights + bias
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(y)), y] -= 1.0
        weights -= rate * (x.T @ p / len(y) + decay * weights)
        bias -= rate * p.mean(axis=0)
    return weights, bias


_BUILT: dict[tuple[int, str], tuple[Embeddings, AnswerTyper]] = {}


def _built(
    kind: str, make: Callable[[Embeddings, list[tuple[str, str]]], AnswerTyper]
) -> Callable[[Embeddings], AnswerTyper]:
    def typer(embeddings: Embeddings) -> AnswerTyper:
        """Built once per loaded model (the model object is loaded once too)."""
        held = _BUILT.get((id(embeddings), kind))
        if held is None or held[0] is not embeddings:
            held = _BUILT[(id(embeddings), kind)] = (embeddings, make(embeddings, load_examples()))
        return held[1]

    return typer


TYPERS: dict[str, Callable[[Embeddings], AnswerTyper]] = {
    "patterns": lambda _embeddings: pattern_type,
    "examples": _built("examples", ExampleTyper),
    "classifier": _built("classifier", ClassifierTyper),
}
