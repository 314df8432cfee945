"""Give each line a role: body, heading, footnote, or furniture to drop.

Furniture is what PDF extraction leaves that is not the letter's content: page numbers, running
headers and footers (the same line on several pages) and Ofsted's postal-address sidebar.

The letterhead (date and addressee, before "Dear ..."), the signature block after "Yours
sincerely" and the publisher's back matter are not the letter's findings, but they state facts a
practitioner asks about (when it was sent, who signed it): they are kept, as asides, searchable
for those questions and out of ordinary answers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from assistant.ingest.reader import Line, Page

Role = Literal["body", "heading", "footnote", "drop", "letterhead", "signature", "back"]
ASIDES: tuple[Role, ...] = ("letterhead", "signature", "back")

_PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,3}(\s+of\s+\d{1,3})?$", re.I)
_SIDEBAR = re.compile(
    r"^(ofsted|piccadilly gate|store street|manchester|m1 2wd|agora|6 cumberland place|nottingham|"
    r"ng1 6hj|t 0300 123 \d{4}|textphone[\s\d]*|enquiries@ofsted\.gov\.uk|www\.gov\.uk/ofsted|"
    r"www\.ofsted\.gov\.uk|direct t[\s\d]*|direct f[\s\d]*|\S+@ofsted\.gov\.uk)$",
    re.I,
)
# Where the publisher's back matter (licence, address, copyright) begins.
_BACK_MATTER = re.compile(
    r"^(the office for standards in education|if you would like a copy of this document|"
    r"this publication is available at|\u00a9 crown copyright)",
    re.I,
)
_SALUTATION = re.compile(r"^dear\s+\S", re.I)
_SIGN_OFF = re.compile(r"^yours\s+(sincerely|faithfully)", re.I)
_SENTENCE_END = re.compile(r"[.:;!?)\u2019'\"]$")

# Headings that documents in this corpus use, matched on a whole line; used where the PDF does
# not draw headings in bold (focused visit letters) and for text files.
KNOWN_HEADINGS = re.compile(
    r"^(key strengths?|strengths|areas? for (priority action|improvement)|"
    r"(case|practice) study:.{3,80}|next steps|headline findings|main findings|summary|context|"
    r"what needs to improve.{0,60}\??|areas for priority action|inspection findings|"
    r"recommendations|executive summary|information about this inspection|"
    r"what is the area partnership doing that is effective\??|"
    r"what does the area partnership need to do better\??|inspection outcome|"
    r"information about the local area partnership|local area partnership details|"
    r"judgement grade)[:?]?$",
    re.I,
)

# The grades Ofsted gives an ILACS or SIF judgement.
GRADE = r"(requires improvement( to be good)?|good|outstanding|inadequate)"
# An ILACS judgement heading: the judgement, a colon, its grade ("The experiences and progress
# of children in care and care leavers: good", "...care leavers are: good"). It opens a
# section of its own however it is drawn (in a text file it is a plain line). The colon tells
# it from the rows of the judgement table ("Overall effectiveness Requires improvement").
JUDGEMENT_HEADING = re.compile(rf"^(?-i:[A-Z\u2018'\"]).{{8,200}}?:\s*{GRADE}\.?$", re.I)


# Lines that state a fact about the inspection, however they are drawn: text, not headings.
_STATED_FACT = re.compile(
    r"^(inspection dates?|lead inspector|dates? of (the )?previous inspection|report published|"
    r"publication date|inspection team|(her|his) majesty.s inspector$)\b",
    re.I,
)


@dataclass(frozen=True)
class RoledLine:
    line: Line
    role: Role


def body_size(pages: list[Page]) -> float:
    """The font size most of the document's characters are drawn in."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def body_size_of(lines: list[RoledLine]) -> float:
    """:func:`body_size` over lines already given roles."""
    sizes: Counter[float] = Counter()
    for rl in lines:
        if rl.role == "body":
            sizes[rl.line.size] += len(rl.line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _repeated_furniture(pages: list[Page]) -> set[str]:
    """Lines that open or close several pages (running headers and footers)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        edge = list(page.lines[:4]) + list(page.lines[-2:])
        counts.update({_furniture_key(line.text) for line in edge})
    return {key for key, n in counts.items() if n >= max(2, len(pages) // 3) and len(key) > 1}


def assign_roles(pages: list[Page]) -> list[RoledLine]:
    """Roles for every line of the document, in reading order."""
    size = body_size(pages)
    furniture = _repeated_furniture(pages)
    out: list[RoledLine] = []
    signed_off = back_matter = False
    first_page = pages[0].lines if pages else ()
    has_salutation = any(_SALUTATION.match(line.text) for line in first_page)
    before_salutation = has_salutation
    for page in pages:
        lines = page.lines
        footnote_from = _footnote_start(lines, size)
        for i, line in enumerate(lines):
            text = line.text
            role: Role = "body"
            near_edge = i < 4 or i >= len(lines) - 2
            furniture_line = (
                near_edge and (_PAGE_NUMBER.match(text) or _furniture_key(text) in furniture)
            ) or (page.number == 1 and _SIDEBAR.match(text))
            if furniture_line:
                role = "drop"
            elif before_salutation:
                role = "letterhead"
                if _SALUTATION.match(text):
                    before_salutation = False
            elif i >= footnote_from:
                role = "footnote"
            elif back_matter or _BACK_MATTER.match(text):
                role, back_matter = "back", True
            elif signed_off:
                role = "signature"
            elif _SIGN_OFF.match(text):
                role, signed_off = "signature", True
            elif is_heading(line, size):
                role = "heading"
            elif size and line.size < size - 1.5 and near_edge:
                role = "drop"  # small print at a page edge: a running header we did not match
            out.append(RoledLine(line, role))
    return out


def _footnote_start(lines: tuple[Line, ...], size: float) -> int:
    """Index of the first line of the page's footnotes: a run of small lines closing the page."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if size and 0 < line.size <= size - 1.5 and not _PAGE_NUMBER.match(line.text):
            start = i
        elif _PAGE_NUMBER.match(line.text) and i >= len(lines) - 2:
            continue
        else:
            break
    if start < len(lines) and not re.match(r"^\d", lines[start].text):
        # Footnotes begin with their number; small text that does not is something else.
        first = next((j for j in range(start, len(lines)) if re.match(r"^\d", lines[j].text)), None)
        start = first if first is not None else len(lines)
    return start


def is_heading(line: Line, size: float) -> bool:
    """A bold line at body size or larger that reads like a heading, or a known heading."""
    text = line.text
    if KNOWN_HEADINGS.match(text.strip()) or JUDGEMENT_HEADING.match(text.strip()):
        return True
    if _STATED_FACT.match(text):
        return False
    if size and line.size >= size + 3 and len(text) <= 130:
        return True  # a title drawn large
    if not line.bold or len(text) > 130 or (size and line.size < size - 0.5):
        return False
    return not (text.endswith(".") and len(text.split()) > 8)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))
