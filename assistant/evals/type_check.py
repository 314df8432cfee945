"""How well each answer-type reader reads the gold questions' answer types:

    python -m assistant.evals.type_check [--labels FILE ...]

prints, for each labelled split (evals/labels/answer_types-<split>.jsonl: {"id", "type"}, written
blind from the questions by someone who had not read the code) and each reader the setting
``answer_types`` offers (patterns, examples, classifier), the share of questions whose type it
reads as labelled, and the confusions most often made by the default reader.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from assistant.evals.gold import load_gold
from assistant.index.embedder import load_embeddings
from assistant.read.answer_types import TYPERS
from assistant.settings import Settings

LABELS = sorted(Path("evals/labels").glob("answer_types-*.jsonl"))


def labels(path: Path) -> dict[str, str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {row["id"]: row["type"] for row in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", nargs="*", type=Path, default=LABELS)
    args = parser.parse_args(argv)
    settings = Settings.load()
    typers = {name: make(load_embeddings(settings)) for name, make in TYPERS.items()}
    print(f"{'split':<10} {'n':>4} " + " ".join(f"{name:>11}" for name in typers))
    for path in args.labels:
        split = path.stem.removeprefix("answer_types-")
        wanted = labels(path)
        questions = {q.id: q.question for q in load_gold(Path("evals/gold") / f"{split}.jsonl")}
        shared = [i for i in questions if i in wanted]
        read = {name: {i: typer(questions[i]) for i in shared} for name, typer in typers.items()}
        right = {
            name: sum(r[i] == wanted[i] for i in shared) / len(shared) for name, r in read.items()
        }
        print(f"{split:<10} {len(shared):>4} " + " ".join(f"{right[n]:>11.3f}" for n in typers))
        default = read[settings.answer_types]
        misses = Counter((wanted[i], default[i]) for i in shared if default[i] != wanted[i])
        common = ", ".join(f"{a}->{b} {n}" for (a, b), n in misses.most_common(4))
        print(f"{'':<10} {settings.answer_types} misreads (labelled->read): {common}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
