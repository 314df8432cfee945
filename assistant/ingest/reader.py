"""Read a document into pages of lines, keeping each line's font size, weight and position.

pypdf's ``extract_text(visitor_text=...)`` hands the visitor exactly the pieces it concatenates
into the page text, so every character of the extracted text gets the font it was drawn with.
That lets later steps tell headings (bold), running headers and footnotes (small) and footnote
markers (small digits inside a line) from body text without guessing from words alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from assistant.errors import DocumentError

logging.getLogger("pypdf").setLevel(logging.ERROR)

SUPPORTED_SUFFIXES = (".pdf", ".txt")


@dataclass(frozen=True)
class Line:
    """One line of a page's extracted text."""

    page: int  # 1-based
    start: int  # offsets into the page's extracted text
    end: int
    text: str  # footnote markers removed, ends stripped
    size: float  # dominant font size (0 when unknown)
    bold: bool
    y: float | None  # baseline, from the page bottom; None when unknown
    blank_before: bool = False  # a blank line separates it from the line above


@dataclass(frozen=True)
class Page:
    number: int
    text: str
    lines: tuple[Line, ...]


@dataclass
class _Glyph:
    size: float = 0.0
    bold: bool = False
    y: float | None = None


def read_document(path: Path, max_text_chars: int | None = None) -> list[Page]:
    """Pages of a PDF (or of a text file, pages split on form feeds). A text file longer than
    ``max_text_chars`` is refused before it is cut into lines (PDFs are capped by pages)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            str(path), f"unsupported file type {suffix or '(none)'}; use PDF or .txt"
        )
    pages = _read_pdf(path) if suffix == ".pdf" else _read_text(path, max_text_chars)
    if sum(len(line.text) for page in pages for line in page.lines) < 200:
        raise DocumentError(str(path), "no readable text (a scanned image or an empty file?)")
    return pages


def _read_text(path: Path, max_chars: int | None = None) -> list[Page]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(str(path), f"cannot read as UTF-8 text: {exc}") from exc
    if max_chars is not None and len(raw) > max_chars:
        raise DocumentError(
            str(path),
            f"{len(raw):,} characters, over the {max_chars:,}-character limit "
            "(setting max_text_chars)",
        )
    return [
        _page(number, text, [_Glyph()] * len(text))
        for number, text in enumerate(raw.split("\f"), start=1)
    ]


def _read_pdf(path: Path) -> list[Page]:
    try:
        reader = PdfReader(path)
        # Many published PDFs are encrypted with an empty user password (permissions only):
        # they open without one. Only a PDF that needs a password is refused.
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(str(path), "the PDF is encrypted with a password")
        pages = []
        for number, pdf_page in enumerate(reader.pages, start=1):
            glyphs: list[_Glyph] = []
            text = pdf_page.extract_text(visitor_text=_visitor(glyphs)) or ""
            if len(glyphs) != len(text):  # never seen; fall back to text without fonts
                glyphs = [_Glyph()] * len(text)
            pages.append(_page(number, text, glyphs))
    except DocumentError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(str(path), f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise DocumentError(str(path), "the PDF has no pages")
    return pages


def _visitor(glyphs: list[_Glyph]) -> Callable[..., None]:
    """A pypdf text visitor that records, for every character, the font it is drawn with."""

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        name = str(font.get("/BaseFont", "")).lower() if isinstance(font, dict) else ""
        scale = abs(tm[3] * cm[3]) if tm and cm else 1.0
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] if tm and cm else None
        glyph = _Glyph(abs(size) * scale, "bold" in name or "black" in name, y)
        glyphs.extend([glyph] * len(text))

    return visit


def _page(number: int, text: str, glyphs: list[_Glyph]) -> Page:
    lines: list[Line] = []
    offset = 0
    blank = False
    for raw in text.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        line = _line(number, text, glyphs, start, end)
        if line is None:
            blank = blank or not raw.strip()
            continue
        lines.append(replace(line, blank_before=blank) if blank and lines else line)
        blank = False
    return Page(number, text, tuple(lines))


def _line(number: int, text: str, glyphs: list[_Glyph], start: int, end: int) -> Line | None:
    chars = [(text[i], glyphs[i]) for i in range(start, end)]
    visible = [g for c, g in chars if not c.isspace()]
    if not visible:
        return None
    sizes = Counter(round(g.size, 1) for g in visible)
    size = sizes.most_common(1)[0][0]
    # Footnote markers: digits drawn noticeably smaller than the line, right after a word.
    kept = []
    for i, (c, g) in enumerate(chars):
        small = size > 0 and g.size < 0.8 * size
        if small and c.isdigit() and i > 0 and not chars[i - 1][0].isspace():
            continue
        kept.append(c)
    clean = "".join(kept).strip()
    if not clean:
        return None
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    trail = len(text[start:end]) - len(text[start:end].rstrip())
    bold = all(g.bold for g in visible)
    y = next((g.y for g in visible if g.y), None)
    return Line(number, start + lead, end - trail, clean, size, bold, y)
