"""How well documents' metadata is read from their own text, against a manifest of what each
file is (area, type, publication date): ``python -m assistant check-metadata DIR --manifest CSV``.

With ``--opaque`` the files are first copied under names that say nothing (``doc-001.pdf``), as
users' downloads are named, so that nothing can come from the file name.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.errors import DocumentError
from assistant.gazetteer import canonical_area, name_key
from assistant.records import DocumentMeta, ParsedDocument

REPORTS = {"ILACS", "SIF", "area SEND"}  # reports, not letters: some print no publication date
_TYPE_WORDS = (
    ("focused visit", "focused visit"),
    ("area send", "area SEND"),
    ("joint targeted", "JTAI"),
    ("jtai", "JTAI"),
    ("single inspection", "SIF"),
    ("sif", "SIF"),
    ("ilacs", "ILACS"),
)


def type_of_label(label: str) -> str:
    """A manifest's type label in the index's words ('ILACS focused visit letter' -> 'focused
    visit'); the more specific words first."""
    low = label.lower()
    return next((kind for words, kind in _TYPE_WORDS if words in low), label)


@dataclass(frozen=True)
class Expected:
    file: str
    area: str
    inspection_type: str
    published: str  # ISO date


def read_manifest(path: Path) -> list[Expected]:
    """Rows of a manifest with columns file, area (or local_area), type (or document_type) and
    date (or published)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for row in rows:
        out.append(
            Expected(
                file=row["file"],
                area=row.get("area") or row.get("local_area") or "",
                inspection_type=type_of_label(row.get("type") or row.get("document_type") or ""),
                published=_iso(row.get("date") or row.get("published") or ""),
            )
        )
    return out


def _iso(text: str) -> str:
    """'2024-09-03' stays; '3 September 2024' and '3 Sep 2024' become '2024-09-03'."""
    for form in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text.strip(), form).date().isoformat()
        except ValueError:
            continue
    return text


def mismatches(meta: DocumentMeta | None, expected: Expected) -> list[str]:
    """What the reader got wrong for one document, one line per field."""
    if meta is None:
        return ["could not be read"]
    problems = []
    want_area = canonical_area(expected.area) or expected.area
    if name_key(meta.area) != name_key(want_area):
        problems.append(f"area {meta.area!r}, expected {want_area!r}")
    if meta.inspection_type != expected.inspection_type:
        problems.append(f"type {meta.inspection_type!r}, expected {expected.inspection_type!r}")
    if not re.match(r"\d{4}-\d{2}", expected.published):
        return problems  # the manifest does not know when it was published
    # Every inspection ends within months before publication (reports print only these dates).
    lag = _months(meta.fieldwork_end, expected.published)
    if lag is None or not 0 <= lag <= 6:
        problems.append(
            f"fieldwork {meta.fieldwork_start!r} to {meta.fieldwork_end!r}, "
            f"published {expected.published[:7]!r}"
        )
    prints_date = not (expected.inspection_type in REPORTS and not meta.letter_date)
    if prints_date and (meta.letter_date or "")[:7] != expected.published[:7]:
        problems.append(f"published {meta.letter_date!r}, expected {expected.published[:7]!r}")
    return problems


def _months(start: str | None, end: str) -> int | None:
    if not start or not end:
        return None
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7])


@dataclass(frozen=True)
class CheckResult:
    expected: Expected
    meta: DocumentMeta | None
    problems: tuple[str, ...]


def agreement(results: list[CheckResult], field: str) -> tuple[int, int]:
    """(right, out of) for ``field`` (area, type, fieldwork; published: the letters, which
    print their date)."""
    pool = [
        r
        for r in results
        if field != "published"
        or not (r.expected.inspection_type in REPORTS and not (r.meta and r.meta.letter_date))
    ]
    wrong = sum(1 for r in pool if any(p.split()[0] in {field, "could"} for p in r.problems))
    return len(pool) - wrong, len(pool)


def check_folder(
    folder: Path, manifest: Path, *, opaque: bool, min_chars: int, max_chars: int, show: bool
) -> list[CheckResult]:
    expected = [e for e in read_manifest(manifest) if (folder / e.file).exists()]
    parsed = parse_files(
        [folder / e.file for e in expected],
        opaque=opaque,
        min_chars=min_chars,
        max_chars=max_chars,
        show=show,
    )
    return check_parsed(expected, parsed)


def parse_files(
    paths: list[Path], *, opaque: bool, min_chars: int, max_chars: int, show: bool
) -> list[ParsedDocument | DocumentError]:
    """Each file read as the ingester reads it (in parallel), in order; with ``opaque``, from
    copies named doc-001.pdf..., so that nothing can come from a file name."""
    from assistant.index.builder import parse_all
    from assistant.ingest.loader import file_hash
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for i, source in enumerate(paths, start=1):
            if opaque:
                target = Path(tmp) / f"doc-{i:03d}{source.suffix}"
                shutil.copyfile(source, target)
                source = target
            sources.append(source)
        limit = Settings().max_text_chars
        jobs = [(p, file_hash(p), min_chars, max_chars, limit) for p in sources]
        return parse_all(jobs, show)


def check_parsed(
    expected: list[Expected], parsed: list[ParsedDocument | DocumentError]
) -> list[CheckResult]:
    results = []
    for e, doc in zip(expected, parsed, strict=True):
        meta = None if isinstance(doc, Exception) else doc.meta
        results.append(CheckResult(e, meta, tuple(mismatches(meta, e))))
    return results


def report(results: list[CheckResult]) -> str:
    """Agreement per field, then every mismatch, one document a line."""
    parts = []
    for field, label in (
        ("area", "canonical area"),
        ("type", "type"),
        ("published", "publication month (letters)"),
        ("fieldwork", "inspection dates (within 6 months before publication)"),
    ):
        right, total = agreement(results, field)
        if total:
            parts.append(f"{label} {right}/{total} ({right / total:.1%})")
    lines = [f"{len(results)} documents: " + ", ".join(parts)]
    lines += [f"  {r.expected.file}: {'; '.join(r.problems)}" for r in results if r.problems]
    return "\n".join(lines)
