"""``python -m assistant eval``: run gold sets, write the report, check thresholds."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from assistant.evals import runner
from assistant.evals.gold import GoldError, load_gold
from assistant.evals.report import LLM_ONLY, write_report
from assistant.service import Assistant
from assistant.settings import Settings


def metric_value(summary: dict[str, Any], name: str) -> float | None:
    value: Any = summary
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            raise GoldError(f"unknown metric '{name}'")
        value = value[part]
    return value if isinstance(value, int | float) else None


def check_thresholds(
    summary: dict[str, Any], minimums: list[str], maximums: list[str]
) -> list[str]:
    """Failures, one line each, for METRIC=VALUE thresholds."""
    failures = []
    for specs, sign in ((minimums, ">="), (maximums, "<=")):
        for spec in specs:
            name, _, raw = spec.partition("=")
            try:
                limit = float(raw)
            except ValueError as exc:
                raise GoldError(f"threshold '{spec}' must be METRIC=NUMBER") from exc
            value = metric_value(summary, name)
            ok = value is not None and (value >= limit if sign == ">=" else value <= limit)
            if not ok:
                failures.append(f"{name} = {value} is not {sign} {limit}")
    return failures


def with_docs(settings: Settings, folders: list[str], show: bool) -> Settings:
    """Settings for an index of the corpus plus extra documents (letters a gold split is about
    that the shipped corpus lacks), kept apart from the main index. It starts as a copy of the
    main index, so only the extra documents are embedded, and is updated incrementally."""
    from assistant.index.builder import ingest

    for folder in folders:
        if not Path(folder).is_dir():
            raise GoldError(f"--with-docs {folder}: no such folder")
    main = Path(settings.index_dir)
    suffix = "with-" + "-".join(Path(f).resolve().name for f in folders)
    extra = main.parent / f"{main.name}-{suffix}"
    changed = settings.replace(index_dir=extra)
    if settings.chroma_host:
        changed = changed.replace(collection=f"{settings.collection}-{suffix}")
    elif not extra.exists() and (main / "catalog").exists():
        shutil.copytree(main, extra, symlinks=True)
    report = ingest(
        [Path(settings.corpus_dir), *(Path(f) for f in folders)], changed, show_progress=show
    )
    for path, reason in report.failed:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    return changed


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    questions = [q for path in args.gold for q in load_gold(Path(path))]
    if args.with_docs:
        settings = with_docs(settings, args.with_docs, not args.quiet)
    split = ", ".join(sorted({Path(p).stem for p in args.gold}))
    if args.mode:
        settings = settings.replace(answer_mode=args.mode)
    assistant = Assistant.open(settings)
    catalog = assistant.catalog
    missing = sorted({q.doc for q in questions if q.doc and q.doc not in catalog.documents})
    if missing:
        print(
            f"note: {len(missing)} gold documents are not in the index: {', '.join(missing[:5])}",
            file=sys.stderr,
        )

    def doc_type(doc: str | None) -> str:
        if doc is None:
            return "cross-document"
        return catalog.documents[doc].inspection_type if doc in catalog.documents else "not indexed"

    assistant.ask("warm up the model")
    show = not args.quiet
    results = runner.run(assistant, questions, args.k, doc_type, "assistant", show)
    summary = runner.summarise(results, args.k)
    context: dict[str, Any] = {
        "index": str(settings.index_dir),
        "documents": len(catalog.documents),
        "passages": len(catalog.passages),
        "embedding model": catalog.embedding_model,
        "answered by": settings.mode
        + (
            f" ({settings.llm_model or 'default'} at {settings.llm_base_url})"
            if settings.mode == "llm"
            else ""
        ),
    }
    baseline_summary = baseline_results = None
    if args.compare == "baseline":
        from assistant.evals.baseline import NaiveBaseline

        started = time.perf_counter()
        baseline = NaiveBaseline(settings, catalog, show_progress=show)
        context["baseline chunks"] = len(baseline.chunks)
        context["baseline build seconds"] = round(time.perf_counter() - started, 1)
        baseline.ask("warm up the model")
        baseline_results = runner.run(baseline, questions, args.k, doc_type, "baseline", show)
        baseline_summary = runner.summarise(baseline_results, args.k)
    out = Path(args.out)
    write_report(
        out, split, args.gold, summary, results, baseline_summary, baseline_results, context
    )
    _print(summary, baseline_summary, out)
    failures = check_thresholds(summary, args.min, args.max)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def _print(summary: dict[str, Any], baseline: dict[str, Any] | None, out: Path) -> None:
    from assistant.evals.report import NESTED

    names = [*runner_keys(), *NESTED]
    print(
        f"{'metric':36} {'assistant':>10}" + (f" {'baseline':>10} {'ratio':>7}" if baseline else "")
    )
    for name in names:
        ours = metric_value(summary, name) if name in summary or "." in name else None
        if ours is None and name in LLM_ONLY:
            continue
        line = f"{name:36} {_num(ours):>10}"
        if baseline:
            theirs = metric_value(baseline, name) if name.split(".")[0] in baseline else None
            ratio = ours / theirs if ours is not None and theirs else None
            line += f" {_num(theirs):>10} {_num(ratio):>7}"
        print(line)
    print(f"report: {out / 'report.html'}")


def runner_keys() -> list[str]:
    from assistant.evals.report import HEADLINE

    return list(HEADLINE)


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
