"""Write metrics.json, report.md and report.html (with matplotlib plots) for an evaluation run."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from assistant.evals.runner import QuestionResult

LLM_ONLY = (
    "written_sentences_removed",
    "written_citations",
    "citation_precision_strict_unverified",
)
# Figures kept as {group: {part: value}} in metrics.json, shown as group.part.
NESTED = ("answer_words.p50", "answer_words.p90", "latency_ms.p50", "latency_ms.p95")
HEADLINE = (
    "evidence_recall_at_k",
    "hit_at_k",
    "mrr",
    "key_fact_accuracy",
    "abstention_rate",
    "false_abstention_rate",
    "citation_precision",
    "citation_recall",
    "citation_precision_strict",
    "citation_recall_strict",
    *LLM_ONLY,
)
DEFINITIONS = """\
- **evidence recall@k**: share of evidence quotes found in the top k passages (one passage holds
  the quote whole after GOLDSET normalisation, or two adjacent passages of one document hold it
  across their join); a passage's text here includes its section heading. With `doc` set, only
  that document's passages count.
- **hit@k / MRR**: a question hits when any of its quotes is in the top k; MRR is 1/rank of the
  first passage holding one (0 when none).
- **key-fact accuracy**: share of answerable questions whose answer holds one alternative of
  every key fact (whole words, after normalisation); an abstention holds none.
- **abstention / false abstention**: share of unanswerable questions the system declines, and of
  answerable ones it wrongly declines.
- **citation precision / recall** (offline, no LLM judge): a citation supports the sentence that
  carries it when the cited passage holds at least 80% of the sentence's content words (stop
  words aside) and every number the sentence states, or holds one of the question's evidence
  quotes. Precision: supported citations / citations. Recall: answer sentences with a supporting
  citation / answer sentences.
- **strict citation precision / recall** (`assistant/evals/judge.py`, its own code, not the
  answerer's checks): a citation supports its sentence only when the text of the passage it
  cites, as given with the answer, holds at least 80% of the sentence's content words (as
  stems), every number (digits or number words), every name (capitalised words inside the
  sentence), and the same sense (a negation on one side only fails). No gold quote counts, and
  a citation to a passage not given supports nothing. These take the plain names after one
  release.
- **written sentences removed / strict citation precision unverified** (LLM mode only): the
  share of the model's sentences the verifier removed, the [n] markers the model wrote (n/a:
  none), and the strict judge's precision on the model's text before verification (each [n]
  judged against the n-th passage it was given).
- **latency**: retrieval plus answer per question, p50 and p95, in one process with a warm model.
"""


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def write_report(
    out: Path,
    split: str,
    gold_files: Sequence[str],
    summary: dict[str, Any],
    results: Sequence[QuestionResult],
    baseline: dict[str, Any] | None = None,
    baseline_results: Sequence[QuestionResult] | None = None,
    context: dict[str, Any] | None = None,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = dict(summary)
    data["split"] = split
    data["gold_files"] = list(gold_files)
    data["context"] = context or {}
    if baseline is not None:
        data["baseline"] = baseline
    (out / "metrics.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    (out / "questions.jsonl").write_text(
        "\n".join(json.dumps(asdict(r), ensure_ascii=False) for r in results) + "\n",
        encoding="utf-8",
    )
    plots = _plots(out, summary, results, baseline)
    md = _markdown(
        split, gold_files, summary, results, baseline, baseline_results, plots, context or {}
    )
    (out / "report.md").write_text(md, encoding="utf-8")
    (out / "report.html").write_text(_html(md, plots), encoding="utf-8")


def _table(summary: dict[str, Any], baseline: dict[str, Any] | None) -> list[str]:
    rows = (
        ["| metric | assistant | baseline | ratio |", "|---|---|---|---|"]
        if baseline
        else ["| metric | value |", "|---|---|"]
    )
    names = [*HEADLINE, *NESTED]
    for name in names:
        if name in NESTED:
            group, part = name.split(".")
            ours = summary.get(group, {}).get(part)
            theirs = baseline.get(group, {}).get(part) if baseline else None
        else:
            ours = summary.get(name)
            theirs = baseline.get(name) if baseline else None
            if ours is None and name in LLM_ONLY:
                continue  # measured in LLM mode only
        if baseline:
            ratio = (
                (ours / theirs)
                if isinstance(ours, float) and isinstance(theirs, float) and theirs
                else None
            )
            rows.append(f"| {name} | {_fmt(ours)} | {_fmt(theirs)} | {_fmt(ratio)} |")
        else:
            rows.append(f"| {name} | {_fmt(ours)} |")
    return rows


def _markdown(
    split: str,
    gold_files: Sequence[str],
    summary: dict[str, Any],
    results: Sequence[QuestionResult],
    baseline: dict[str, Any] | None,
    baseline_results: Sequence[QuestionResult] | None,
    plots: list[str],
    context: dict[str, Any],
) -> str:
    lines = [
        "# Evaluation report",
        "",
        f"Split: **{split}** ({', '.join(gold_files)}); {summary['questions']} questions "
        f"({summary['answerable']} answerable, {summary['unanswerable']} unanswerable); k = {summary['k']}.",
        "",
    ]
    for key, value in context.items():
        lines.append(f"- {key}: {value}")
    lines += ["", "## Headline", "", *_table(summary, baseline), ""]
    for title, key in (
        ("By document type", "by_doc_type"),
        ("By question kind", "by_kind"),
        ("By route", "by_route"),
    ):
        lines += [
            f"## {title}",
            "",
            "| group | n | hit@k | MRR | key facts | abstention | false abst. | cit. precision |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, g in summary.get(key, {}).items():
            lines.append(
                f"| {name} | {g['questions']} | {_fmt(g['hit_at_k'])} | {_fmt(g['mrr'])} | {_fmt(g['key_fact_accuracy'])} | "
                f"{_fmt(g['abstention_rate'])} | {_fmt(g['false_abstention_rate'])} | {_fmt(g['citation_precision'])} |"
            )
        lines.append("")
    lines += (
        ["## Plots", ""]
        + [f"![{p}]({p})" for p in plots]
        + ["", "## Definitions", "", DEFINITIONS, "## Questions", ""]
    )
    lines += ["| id | kind | question | answer | citations | missed |", "|---|---|---|---|---|---|"]
    for r in results:
        cites = "; ".join(f"[{c['n']}] {c['doc']} p.{c['page']}" for c in r.citations)
        missed = []
        if r.answerable and r.missed_evidence:
            missed.append("evidence: " + " / ".join(r.missed_evidence))
        if r.missed_facts:
            missed.append("facts: " + " / ".join("|".join(f) for f in r.missed_facts))
        if not r.answerable and not r.abstained:
            missed.append("should have abstained")
        answer = ("(abstained) " if r.abstained else "") + r.answer
        lines.append(
            f"| {r.id} | {r.category} | {_cell(r.question)} | {_cell(answer, 400)} | {_cell(cites)} | {_cell('; '.join(missed))} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str, limit: int = 0) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text[:limit] + "…" if limit and len(text) > limit else text


def _plots(
    out: Path,
    summary: dict[str, Any],
    results: Sequence[QuestionResult],
    baseline: dict[str, Any] | None,
) -> list[str]:
    names = list(HEADLINE)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    xs = range(len(names))
    ours = [summary.get(n) or 0.0 for n in names]
    if baseline:
        theirs = [baseline.get(n) or 0.0 for n in names]
        ax.bar([x - 0.2 for x in xs], ours, 0.4, label="assistant", color="#2b6cb0")
        ax.bar([x + 0.2 for x in xs], theirs, 0.4, label="naive baseline", color="#bbbbbb")
        ax.legend()
    else:
        ax.bar(list(xs), ours, color="#2b6cb0")
    ax.set_xticks(
        list(xs), [n.replace("_", " ") for n in names], rotation=25, ha="right", fontsize=8
    )
    ax.set_ylim(0, 1.05)
    ax.set_title("Metrics")
    fig.tight_layout()
    fig.savefig(out / "metrics.png", dpi=110)
    plt.close(fig)

    groups = summary["by_doc_type"]
    fig, ax = plt.subplots(figsize=(9, 3.4))
    labels = list(groups)
    ax.bar(
        [i - 0.2 for i in range(len(labels))],
        [groups[g]["hit_at_k"] or 0 for g in labels],
        0.4,
        label="hit@k",
    )
    ax.bar(
        [i + 0.2 for i in range(len(labels))],
        [groups[g]["key_fact_accuracy"] or 0 for g in labels],
        0.4,
        label="key facts",
    )
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_title("By document type")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "by_doc_type.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist([r.latency_ms for r in results], bins=30, color="#2b6cb0")
    ax.set_xlabel("ms per question (retrieval + answer)")
    ax.set_title("Latency")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)
    plt.close(fig)
    return ["metrics.png", "by_doc_type.png", "latency.png"]


def _html(md: str, plots: list[str]) -> str:
    """A self-contained page: the Markdown tables rendered as HTML tables, text escaped."""
    body: list[str] = []
    in_table = False
    for line in md.splitlines():
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")]
            if set("".join(cells)) <= set("-| "):
                continue
            tag = "th" if not in_table else "td"
            if not in_table:
                body.append("<table>")
                in_table = True
            body.append(
                "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"
            )
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("!["):
            src = line[line.index("(") + 1 : -1]
            body.append(f"<img src='{html.escape(src)}' alt='{html.escape(src)}'>")
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{html.escape(line.lstrip('# '))}</h{level}>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    if in_table:
        body.append("</table>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 6px;"
        "vertical-align:top}th{background:#f0f4f8}img{max-width:100%}"
    )
    return f"<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report</title><style>{style}</style></head><body>{''.join(body)}</body></html>"
