"""One file in, one :class:`ParsedDocument` out: the ingestion pipeline for a single document."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest import metadata as md
from assistant.ingest.cleaning import assign_roles
from assistant.ingest.facts import read_facts
from assistant.ingest.passages import build_passages
from assistant.ingest.reader import read_document
from assistant.ingest.sections import INTRODUCTION, split_units
from assistant.records import DocumentMeta, ParsedDocument
from assistant.settings import Settings


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingester_fingerprint() -> str:
    """A hash of the code that turns files into passages: when it changes, the index is stale."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(
        [*root.joinpath("ingest").glob("*.py"), root / "text.py", root / "records.py"]
    ):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def parse_document(
    path: Path,
    *,
    min_chars: int,
    max_chars: int,
    sha256: str | None = None,
    max_text_chars: int = Settings.max_text_chars,
) -> ParsedDocument:
    """Read, clean, structure and cut one document. Raises DocumentError with the reason.
    ``max_text_chars`` caps a text file (the ingest passes its setting)."""
    sha = sha256 or file_hash(path)
    doc_id = path.stem
    pages = read_document(path, max_text_chars)
    title, units = split_units(assign_roles(pages))
    if not units:
        raise DocumentError(str(path), "no paragraphs found after cleaning")
    first_page = pages[0].text
    title = md.document_title(title, [line.text for line in pages[0].lines])
    opening = "\n".join(p.text for p in pages[:2])
    intro = " ".join(u.text for u in units if u.section == INTRODUCTION)[:3000] or opening
    heading_lines = [line.text for line in pages[0].lines[:12]]
    kind = md.inspection_type(title, " ".join(heading_lines), doc_id, opening)
    area = md.area_of(title, heading_lines, doc_id, opening)
    printed = md.letter_date(first_page)
    start, end = md.fieldwork_dates(opening, printed)
    printed = md.corrected_letter_date(printed, end)
    meta = DocumentMeta(
        doc_id=doc_id,
        title=title or f"{kind} {area}",
        area=area,
        inspection_type=kind,
        source=path.name,
        sha256=sha,
        pages=len(pages),
        letter_date=printed,
        fieldwork_start=start,
        fieldwork_end=end,
        inspectorates=md.inspectorates(intro, kind),
        theme=(md.theme(title, area) or md.theme(intro, area)) if kind == "JTAI" else None,
        judgements=md.judgements(opening) if kind in {"ILACS", "SIF"} else (),
        outcome=md.send_outcome(first_page) if kind == "area SEND" else None,
    )
    meta = replace(meta, facts=read_facts(meta, units))
    passages = build_passages(doc_id, units, min_chars, max_chars)
    return ParsedDocument(meta, tuple(passages), tuple(p.text for p in pages))
