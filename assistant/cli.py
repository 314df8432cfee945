"""Command line: ``python -m assistant ingest|ask|eval|letters|add|remove|history|...``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from assistant.errors import AssistantError
from assistant.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"index_dir": getattr(args, "index", None)}
    if getattr(args, "data", None):
        overrides["data_dir"] = args.data
    if getattr(args, "k", None) is not None:
        overrides["k"] = args.k
    return Settings.load(**overrides)


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.index.builder import ingest

    settings = _settings(args)
    paths = [Path(p) for p in (args.paths or [str(settings.corpus_dir)])]
    report = ingest(
        paths,
        settings,
        rebuild=args.rebuild,
        show_progress=not args.quiet,
        wait=not args.no_wait,
        notify=lambda message: print(f"{message} ...", file=sys.stderr, flush=True),
    )
    for path, reason in report.failed:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    for path, kept in report.duplicates:
        print(f"skipped {path}: the same content as {kept}, which is kept", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed and not (report.added or report.updated or report.unchanged) else 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.api.request import from_cli
    from assistant.service import Assistant

    settings = _settings(args)
    request = from_cli(args, settings)  # checked like the page's and the plain API's requests
    answer = request.ask(Assistant.open(settings))
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(answer.text)
    for note in answer.notes:
        print(f"note: {note}")
    print(f"answered by: {answer.answered_by}")
    print()
    for c in answer.citations:
        print(f"[{c.n}] {c.title} ({c.doc}), p. {c.page}, {c.section}")
    return 0


def cmd_letters(args: argparse.Namespace) -> int:
    from assistant.library import Library

    rows = Library.open(_settings(args)).letters(" ".join(args.find or []))
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        origin = "uploaded" if r.uploaded else "shipped"
        when = f"inspected {r.visited or '?'}, published {r.published or '?'}"
        print(f"{r.doc_id}\t{r.area}\t{r.inspection_type}\t{when}\t{r.pages} pages\t{origin}")
    print(f"{len(rows)} letters", file=sys.stderr)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Add letters as the page does: stored under the data folder's uploads, then indexed."""
    from assistant.library import Library

    return _outcome(Library.open(_settings(args), uploads_allowed=True).add(args.files), "Added")


def cmd_remove(args: argparse.Namespace) -> int:
    from assistant.library import Library

    lines = Library.open(_settings(args), uploads_allowed=True).remove(args.ids)
    return _outcome(lines, "Removed")


def _outcome(lines: list[str], done: str) -> int:
    """Print the library's lines; 0 when one says it was ``done``, else 1."""
    for line in lines:
        print(line)
    return 0 if any(line.startswith(done) for line in lines) else 1


def cmd_history(args: argparse.Namespace) -> int:
    from assistant.answer.history import trend
    from assistant.library import Library

    entries = Library.open(_settings(args)).history(args.area)
    if not entries:
        print(f"error: the index holds no documents for {args.area}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=1))
        return 0
    print(f"{entries[0].doc.area}: {len(entries)} inspections, oldest first")
    for entry in entries:
        doc = entry.doc
        when = f"{doc.fieldwork_start or '?'} to {doc.fieldwork_end or '?'}"
        published = f", published {doc.letter_date}" if doc.letter_date else ""
        print(f"\n{doc.inspection_type}: inspected {when}{published} ({doc.doc_id})")
        if doc.theme:
            print(f"  theme: {doc.theme}")
        for fact in entry.headline:
            print(f"  {fact.value}  (p. {fact.page})")
        for fact in entry.priorities:
            print(f"  {fact.label}: {fact.value}  (p. {fact.page})")
    steps = trend(entries)
    if steps:
        print(f"\noverall effectiveness: {steps}")
    return 0


def cmd_check_metadata(args: argparse.Namespace) -> int:
    from assistant.evals.metadata_check import check_folder, report

    settings = _settings(args)
    results = check_folder(
        Path(args.folder),
        Path(args.manifest),
        opaque=args.opaque,
        min_chars=settings.passage_min_chars,
        max_chars=settings.passage_max_chars,
        show=not args.quiet,
    )
    print(report(results))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_index(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--index",
            default=os.environ.get("ASSISTANT_INDEX_DIR"),
            help="index folder (default: index/, or $ASSISTANT_INDEX_DIR)",
        )

    p = sub.add_parser("ingest", help="add, update or remove letters in the index")
    p.add_argument("paths", nargs="*", help="PDF or .txt files, or folders (default: corpus/)")
    p.add_argument("--rebuild", action="store_true", help="start the index afresh")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="refuse at once when another ingest is writing the index (default: wait for it, "
        "up to write_wait_seconds)",
    )
    with_index(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--k", type=int, default=None, help="passages to retrieve")
    p.add_argument("--area", action="append", help="restrict to a local area (repeatable)")
    p.add_argument(
        "--type",
        action="append",
        help="inspection type: JTAI, ILACS, SIF, 'focused visit', 'area SEND'",
    )
    p.add_argument("--since", help="inspections on or after this ISO date")
    p.add_argument("--until", help="inspections on or before this ISO date")
    p.add_argument("--polarity", choices=["strength", "improvement"])
    p.add_argument("--doc", action="append", help="restrict to a document id (repeatable)")
    p.add_argument(
        "--mode",
        choices=["grounded", "llm"],
        help="who answers: the offline grounded answerer, or the configured LLM (default: the "
        "LLM when ASSISTANT_LLM_BASE_URL is set)",
    )
    with_index(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="evaluate against gold question sets (GOLDSET.md)")
    p.add_argument("--gold", nargs="+", required=True, help="gold JSONL files")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--out", default="evals/runs/latest", help="report folder")
    p.add_argument("--compare", choices=["baseline"], help="also run the naive LangChain RAG")
    p.add_argument(
        "--mode", choices=["grounded", "llm"], help="answer through this answerer (see ask)"
    )
    p.add_argument(
        "--with-docs",
        nargs="+",
        default=[],
        metavar="DIR",
        help="also index these folders of documents (into INDEX-with-NAME, beside the index)",
    )
    p.add_argument(
        "--min", action="append", default=[], metavar="METRIC=VALUE", help="fail below this"
    )
    p.add_argument(
        "--max", action="append", default=[], metavar="METRIC=VALUE", help="fail above this"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    with_index(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "bench", help="ingest speed, query latency, memory and quality, with the naive baseline"
    )
    p.add_argument("--corpus", help="the letters to ingest (default: corpus/)")
    p.add_argument("--scale", help="a folder of more letters: the same figures with them added")
    p.add_argument(
        "--gold",
        nargs="+",
        default=["evals/gold/dev.jsonl", "evals/gold/test.jsonl"],
        help="gold files: their questions time the queries, and measure hit@5 per split",
    )
    p.add_argument("--out", default="evals/bench", help="where bench.json and bench.md go")
    p.add_argument(
        "--work", help="where the indexes are built, and kept (default: a temporary folder)"
    )
    p.add_argument(
        "--load",
        nargs="+",
        type=int,
        metavar="N",
        help="instead: N clients at once against the real app, through the page's API and the "
        "plain API (several N: one run each)",
    )
    p.add_argument("--seconds", type=float, default=20.0, help="--load: seconds per run")
    p.add_argument(
        "--think", type=float, default=0.0, help="--load: seconds between a client's questions"
    )
    p.add_argument("--api", choices=["page", "api"], action="append", help="--load: only this API")
    with_index(p)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("history", help="every inspection of an area, in date order")
    p.add_argument("area", help="a local area, as the index or people name it")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    with_index(p)
    p.set_defaults(func=cmd_history)

    def with_data(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data",
            help="the app's data folder, whose uploads/ holds added letters (default: data/, or "
            "$ASSISTANT_DATA_DIR): the same as the running page's",
        )

    p = sub.add_parser("letters", help="the letters in the index, newest first")
    p.add_argument(
        "find", nargs="*", help="words each listed letter's area, type, dates or id hold"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list")
    with_index(p)
    with_data(p)
    p.set_defaults(func=cmd_letters)

    p = sub.add_parser(
        "add", help="add letters as the page does (kept in the data folder's uploads/)"
    )
    p.add_argument("files", nargs="+", help="PDF or .txt letters")
    with_index(p)
    with_data(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", help="remove letters added with add or on the page")
    p.add_argument("ids", nargs="+", help="document ids (see letters)")
    with_index(p)
    with_data(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser(
        "check-metadata", help="compare the metadata read from documents with a manifest"
    )
    p.add_argument("folder", help="folder of documents")
    p.add_argument("--manifest", required=True, help="CSV: file, area, type, date")
    p.add_argument(
        "--opaque", action="store_true", help="read copies named doc-001.pdf... (no file names)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_check_metadata)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def cmd_bench(args: argparse.Namespace) -> int:
    import tempfile

    from assistant.evals.bench import run_bench

    if args.load:
        return cmd_load(args)
    settings = Settings.load()
    gold = {Path(g).stem: Path(g) for g in args.gold}
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        run_bench(
            Path(args.corpus or settings.corpus_dir),
            gold,
            Path(args.out),
            Path(args.work or scratch),
            Path(args.scale) if args.scale else None,
        )
    print((Path(args.out) / "bench.md").read_text(encoding="utf-8"))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from assistant.evals.load import APIS, run_load, table

    if any(n < 1 for n in args.load):
        print("error: --load takes client counts of 1 or more", file=sys.stderr)
        return 2
    index = Path(_settings(args).index_dir)
    rows = run_load(
        index,
        args.load,
        args.seconds,
        args.think,
        args.api or APIS,
        show=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print(table(rows))
    for row in rows:
        for problem in row.problems:
            print(f"{row.api}, {row.clients} clients: {problem}", file=sys.stderr)
    return 1 if any(row.errors for row in rows) else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evals.command import run_eval

    return run_eval(args, _settings(args))
