"""Cut a document's units into passages: whole paragraphs and bullets, never a cut sentence.

Short units of one section are merged up to ``min_chars``; a unit longer than ``max_chars`` is
cut between sentences. Passages never cross a section.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.ingest.sections import Unit
from assistant.records import Passage
from assistant.text import sentence_spans


@dataclass(frozen=True)
class _Piece:
    """A stretch of a unit's text with where it lies on the pages."""

    text: str
    section: str
    polarity: str
    kind: str
    page_start: int
    page_end: int
    char_start: int
    char_end: int


def _locate(unit: Unit, a: int, b: int) -> _Piece:
    """The piece of ``unit.text`` between offsets a and b, mapped back to page offsets."""
    text = unit.text
    offsets = []  # where each line starts inside unit.text
    position = 0
    for rl in unit.lines:
        found = text.find(rl.line.text.strip()[:20], position)
        offsets.append(found if found >= 0 else position)
        position = max(position, offsets[-1])
    first = max(i for i, o in enumerate(offsets) if o <= a) if offsets else 0
    last = max(i for i, o in enumerate(offsets) if o <= max(a, b - 1)) if offsets else 0
    start_line, end_line = unit.lines[first].line, unit.lines[last].line
    char_start = min(start_line.end, start_line.start + max(0, a - offsets[first]))
    char_end = min(end_line.end, end_line.start + max(0, b - offsets[last]))
    return _Piece(
        text[a:b].strip(),
        unit.section,
        unit.polarity,
        unit.kind,
        start_line.page,
        end_line.page,
        char_start,
        char_end,
    )


def _pieces(unit: Unit, max_chars: int) -> list[_Piece]:
    text = unit.text
    if len(text) <= max_chars:
        return [_locate(unit, 0, len(text))]
    pieces, start, end = [], 0, 0
    for a, b in sentence_spans(text):
        if end > start and b - start > max_chars:
            pieces.append(_locate(unit, start, end))
            start = a
        end = b
    pieces.append(_locate(unit, start, len(text)))
    return pieces


def passage_id(doc_id: str, search_text: str, seen: dict[str, int]) -> str:
    """An id from the passage's own content: unchanged passages keep their id (and embedding)
    when a document or the ingester changes, changed ones get a new one."""
    digest = hashlib.sha1(search_text.encode("utf-8")).hexdigest()[:16]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{doc_id}#{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")


def build_passages(doc_id: str, units: list[Unit], min_chars: int, max_chars: int) -> list[Passage]:
    """Passages of one document, in reading order."""
    pieces = [piece for unit in units for piece in _pieces(unit, max_chars)]
    merged: list[_Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.section == piece.section
            and (len(last.text) < min_chars or len(piece.text) < min_chars // 2)
            and len(last.text) + len(piece.text) + 1 <= max_chars
        ):
            merged[-1] = _Piece(
                f"{last.text}\n{piece.text}",
                last.section,
                last.polarity,
                last.kind if last.kind == piece.kind else "paragraph",
                last.page_start,
                piece.page_end,
                last.char_start,
                piece.char_end,
            )
        else:
            merged.append(piece)
    seen: dict[str, int] = {}
    return [
        Passage(
            id=passage_id(doc_id, f"{p.section}\n{p.text}" if p.section else p.text, seen),
            doc_id=doc_id,
            ordinal=n,
            text=p.text,
            section=p.section,
            polarity=p.polarity,  # type: ignore[arg-type]
            page_start=p.page_start,
            page_end=p.page_end,
            char_start=p.char_start,
            char_end=p.char_end,
            kind=p.kind,
        )
        for n, p in enumerate(merged)
        if p.text
    ]
