"""No gold evaluation question may be copied into the code, the tests or the prompts.

The gold questions (evals/gold/*.jsonl) are read here at test time and never written down: a
rule, a comment, a prompt or a test table that repeats one would tune the assistant to the
exam. Each question is compared, as runs of consecutive words, with every .py file under
assistant/ and tests/, the example questions under assistant/ and every file under prompts/; a
run of RUN or more words shared with any of them fails the test. A run the gold records quote
as the letters' own text (their evidence: a judgement's heading, a letter's title) is document
wording, not the question's, and is allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold"
RUN = 10  # consecutive words

_WORD = re.compile(r"[a-z0-9']+")
_QUOTES = {"\u2018": "'", "\u2019": "'", "\\u2018": "'", "\\u2019": "'"}
_ESCAPE = re.compile(r"\\[a-zA-Z]")  # "\n", "\s" in source text: a break between words


def words(text: str) -> list[str]:
    """Lower-cased words, with curly apostrophes (literal or escaped) read as straight ones.

    >>> words("Children\\u2019s services:\\nA B-C")
    ["children's", 'services', 'a', 'b', 'c']
    """
    for quote, plain in _QUOTES.items():
        text = text.replace(quote, plain)
    return _WORD.findall(_ESCAPE.sub(" ", text).lower())


def gold_questions() -> dict[str, str]:
    """Every gold question, by "<split>:<id>"."""
    questions = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                record = json.loads(line)
                questions[f"{path.stem}:{record.get('id', n)}"] = record["question"]
    return questions


def gold_evidence() -> list[str]:
    """The letters' own sentences the gold records quote as evidence."""
    quoted = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                quoted.extend(json.loads(line).get("evidence") or [])
    return quoted


def question_runs(size: int) -> dict[tuple[str, ...], set[str]]:
    """The gold questions' runs, less those that are the letters' own words."""
    runs = runs_of(gold_questions(), size)
    letters = runs_of({str(n): text for n, text in enumerate(gold_evidence())}, size)
    return {run: keys for run, keys in runs.items() if run not in letters}


def runs_of(questions: dict[str, str], size: int) -> dict[tuple[str, ...], set[str]]:
    """Each run of `size` consecutive words in a question, with the questions holding it."""
    runs: dict[tuple[str, ...], set[str]] = {}
    for key, question in questions.items():
        w = words(question)
        for i in range(len(w) - size + 1):
            runs.setdefault(tuple(w[i : i + size]), set()).add(key)
    return runs


def shared(
    text: str, runs: dict[tuple[str, ...], set[str]], size: int
) -> Iterator[tuple[int, str, set[str]]]:
    """(line, words, questions) for each stretch of `text` that repeats a question's words."""
    located = [(word, n) for n, line in enumerate(text.splitlines(), 1) for word in words(line)]
    w = [word for word, _ in located]
    i = 0
    while i <= len(w) - size:
        keys = runs.get(tuple(w[i : i + size]))
        if not keys:
            i += 1
            continue
        end = i + size  # extend over the whole shared stretch
        found = set(keys)
        while end < len(w) and (more := runs.get(tuple(w[end - size + 1 : end + 1]))):
            found |= more
            end += 1
        yield located[i][1], " ".join(w[i:end]), found
        i = end


def scanned() -> Iterable[Path]:
    here = Path(__file__).resolve()
    folders = (("assistant", "*.py"), ("assistant", "*.jsonl"), ("tests", "*.py"), ("prompts", "*"))
    for folder, pattern in folders:
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path.is_file() and path.resolve() != here and "__pycache__" not in path.parts:
                yield path


def test_the_gold_questions_are_there_to_check() -> None:
    questions = gold_questions()
    assert len(list(GOLD.glob("*.jsonl"))) >= 1
    assert len(questions) >= 100
    assert all(len(words(q)) >= 3 for q in questions.values())


def test_the_check_finds_a_copied_question_and_passes_a_reworded_one() -> None:
    questions = {
        "made-up:1": "How many foster carers in the imaginary borough of Exampleton were "
        "recruited during the year before the visit?"
    }
    runs = runs_of(questions, RUN)
    copied = (
        'QUESTION = (\n    "how many foster carers in the imaginary borough of "\n'
        '    "Exampleton were recruited"\n)'
    )
    assert [(line, keys) for line, _, keys in shared(copied, runs, RUN)] == [(2, {"made-up:1"})]
    reworded = "In Exampleton, how many new foster carers joined in the year up to the visit?"
    assert list(shared(reworded, runs, RUN)) == []


def test_no_gold_question_is_copied_into_code_tests_or_prompts() -> None:
    runs = question_runs(RUN)
    offenders = []
    for path in scanned():
        text = path.read_text(encoding="utf-8", errors="ignore")
        for line, run, keys in shared(text, runs, RUN):
            offenders.append(
                f"{path.relative_to(ROOT)}:{line}: {len(run.split())} words of "
                f"{', '.join(sorted(keys))}: {run!r}"
            )
    if offenders:
        pytest.fail(
            f"{len(offenders)} places repeat {RUN}+ consecutive words of a gold question; "
            "write them in your own words:\n" + "\n".join(offenders),
            pytrace=False,
        )
