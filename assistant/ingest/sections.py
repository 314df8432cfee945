"""Recover a document's structure: its title, its sections, and the units inside them.

A unit is a paragraph or a bullet: the smallest piece passages are built from. Paragraph breaks
come from blank lines, from a vertical gap larger than the line spacing, from bullet glyphs and
numbered paragraphs; a unit runs on across a page break while its sentence is unfinished.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field, replace

from assistant.ingest.cleaning import (
    ASIDES,
    GRADE,
    JUDGEMENT_HEADING,
    KNOWN_HEADINGS,
    RoledLine,
    body_size_of,
    ends_sentence,
)
from assistant.ingest.reader import Line
from assistant.records import ASIDE, JUDGEMENTS, TITLE, Polarity

# Bullet glyphs: symbol-font private-use characters (Wingdings), squares, dots.
BULLET = re.compile(r"^[\ue000-\uf8ff\u25fc\u25aa\u25a0\u2022\u25cf\u2023\u2043\u25e6\u27a2]\s*")
_NUMBERED = re.compile(r"^\d{1,3}\.\s+(?=[A-Z\u2018'\"])")
INTRODUCTION = "Introduction"
FOOTNOTES = "Footnotes"
SUMMARY = "Summary"
CONTENTS = "Contents"
# Sections of the asides: kept for questions about the letter itself, out of ordinary answers.
ASIDE_SECTIONS = {"letterhead": "Letterhead", "signature": "Signature", "back": "Back matter"}
_TOC_ENTRY = re.compile(r"^.{3,120}\s\d{1,3}$")


@dataclass
class Unit:
    """A paragraph or bullet with the spans of the lines it came from."""

    kind: str  # paragraph | bullet | footnote | aside | title
    section: str
    polarity: Polarity
    lines: list[RoledLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines([rl.line.text for rl in self.lines])


def join_lines(texts: list[str]) -> str:
    """Join wrapped lines: a hyphen at a line end is kept and joined ("multi-" + "agency")."""
    out = ""
    for text in texts:
        text = text.strip()
        if not out:
            out = text
        elif out.endswith("-") and not out.endswith(" -"):
            out += text
        else:
            out += " " + text
    return out


# (pattern on the section heading, polarity). First match wins; order matters.
_POLARITY_RULES: tuple[tuple[re.Pattern[str], Polarity], ...] = (
    (
        re.compile(
            r"improve|(priority|immediate) action|better\??$|weakness|concern|^recommendations$",
            re.I,
        ),
        "improvement",
    ),
    (
        re.compile(r"strength|highly effective|effective practice|doing that is effective", re.I),
        "strength",
    ),
)


# ILACS headings end with the grade ("...: requires improvement to be good"): not a polarity.
_GRADE_SUFFIX = re.compile(
    r":?\s*(are:?\s*)?(requires improvement( to be good)?|good|outstanding|inadequate)\.?$", re.I
)


def polarity_of(section: str) -> Polarity:
    """Strength, area for improvement or neutral, from the section heading alone.

    >>> polarity_of("Case study: areas for improvement"), polarity_of("Key Strengths")
    ('improvement', 'strength')
    """
    section = _GRADE_SUFFIX.sub("", section)
    for pattern, polarity in _POLARITY_RULES:
        if pattern.search(section):
            return polarity
    return "neutral"


def _clean_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":")


# A heading that gives a judgement and its grade: ILACS ("The experiences and progress of
# children in care: good"), SIF ("The experiences and progress of children looked after and
# achieving permanence Requires improvement", "The graded judgement for adoption performance is
# that it requires improvement.", "The Local Safeguarding Children Board is good"). Matched on
# headings only (bold or large lines): in body text the table rows would match too.
_GRADED_HEADING = re.compile(
    r"^(the )?(experiences? and progress of|impact of leaders|leadership, management and "
    rf"governance|overall effectiveness|graded judgement)\b.{{0,200}}\b{GRADE}\.?$|"
    rf"^.{{10,200}}?(:|\b(are|is|it)\b:?)\s*{GRADE}\.?$",
    re.I,
)


def _is_judgement(text: str) -> bool:
    return bool(JUDGEMENT_HEADING.match(text) or _GRADED_HEADING.match(text))


def _is_major(lines: list[RoledLine], size: float) -> bool:
    text = join_lines([rl.line.text for rl in lines])
    return (
        bool(KNOWN_HEADINGS.match(text))
        or _is_judgement(text)
        or max(rl.line.size for rl in lines) >= size + 1.5
    )


def _reads_as_sentence(text: str) -> bool:
    # A judgement heading may end with a full stop ("...protection: Requires improvement to be
    # good."): still a heading.
    return text.endswith(".") and len(text.split()) > 8 and not _is_judgement(text)


_QUESTION = re.compile(r"^(what|how|which|where|why)\b|\?$", re.I)


def _closes_list(major: str, answered: bool) -> bool:
    """Whether the next heading closes the section ``major`` rather than naming a topic in it.

    A question heading with a polarity ("What needs to improve?", "What is the area partnership
    doing that is effective?") is answered by the list right under it (``answered``): the next
    heading after that list starts a section of its own (a JTAI's partnership section, an ILACS
    judgement), which must not take the list's polarity. A statement heading ("Areas for
    improvement") may hold topics ("Areas for improvement: Leadership and management").
    """
    return answered and polarity_of(major) != "neutral" and bool(_QUESTION.search(major))


_RENAMED = {"judgement grade": JUDGEMENTS}


def split_units(lines: list[RoledLine]) -> tuple[str, list[Unit]]:
    """The document title (its first heading) and its units, each under its section.

    Known headings and large ones open a section; a smaller bold heading under a section
    with a polarity (a topic under "Areas for improvement") keeps that polarity.
    """
    size = body_size_of(lines)
    spacing = _line_spacing(lines)
    title = ""
    major, section = INTRODUCTION, INTRODUCTION
    polarity: Polarity = "neutral"
    units: list[Unit] = []
    current: Unit | None = None  # the body unit lines are joining
    note: Unit | None = None  # the footnote lines are joining
    heading: list[RoledLine] = []
    previous: RoledLine | None = None
    has_body = True  # whether the current section has any text yet
    answered = False  # whether the major section has text of its own, before any subheading

    def flush_heading() -> None:
        nonlocal major, section, polarity, title, heading, current, has_body, answered
        if not heading:
            return
        text = _clean_heading(join_lines([rl.line.text for rl in heading]))
        if _reads_as_sentence(text):
            # A bold sentence inside the text, not a heading.
            current = Unit("paragraph", section, polarity, list(heading))
            units.append(current)
            has_body = True
            answered = answered or section == major
        elif not title and not KNOWN_HEADINGS.match(text) and not _is_judgement(text):
            title = text
            units.append(Unit(TITLE, TITLE, "neutral", list(heading)))
        elif _is_major(heading, size) or _closes_list(major, answered):
            text = _RENAMED.get(text.lower(), text)
            if _is_judgement(text):
                text = text.rstrip(".")
            if not has_body and section not in (INTRODUCTION, JUDGEMENTS, SUMMARY):
                # A heading with nothing under it but another heading ("The LSCB", "The LSCB
                # requires improvement", then "Executive summary") still says something.
                major = section = f"{section} {text}"
            else:
                major = section = text
            polarity = polarity_of(text)
            has_body = answered = False
        else:
            own = polarity_of(text)
            major_polarity = polarity_of(major)
            if own == "neutral" and major_polarity != "neutral":
                section, polarity = f"{major}: {text}", major_polarity
            else:
                section, polarity = text, own
            has_body = False
        heading = []

    for rl in lines:
        line = rl.line
        if rl.role == "drop" or (section == CONTENTS and _TOC_ENTRY.match(line.text)):
            continue
        if rl.role in ASIDES:
            flush_heading()
            aside = ASIDE_SECTIONS[rl.role]
            if not (units and units[-1].kind == ASIDE and units[-1].section == aside):
                units.append(Unit(ASIDE, aside, "neutral"))
            units[-1].lines.append(rl)
            current, note, previous = None, None, rl
            continue
        if rl.role == "heading":
            joins = previous is not None and previous.role == "heading" and _close(previous, rl)
            if not joins or KNOWN_HEADINGS.match(line.text):
                flush_heading()
            heading.append(rl)
            current = None
            previous = rl
            continue
        flush_heading()
        text = line.text
        if rl.role == "footnote":
            if note is None or re.match(r"^\d", text):
                note = Unit("footnote", FOOTNOTES, "neutral")
                units.append(note)
            note.lines.append(RoledLine(_strip_marker(line, "footnote"), rl.role))
            continue
        note = None
        if BULLET.match(text):
            kind = "bullet"
        elif current is None or _breaks(previous, rl, spacing):
            kind = "paragraph"
        else:
            kind = ""  # runs on
        if kind:
            current = Unit(kind, section, polarity)
            units.append(current)
            has_body = True
            answered = answered or section == major
        assert current is not None
        current.lines.append(RoledLine(_strip_marker(line, kind), rl.role))
        previous = rl
        if major == JUDGEMENTS and text.lower().startswith("overall effectiveness"):
            # The judgement table ends with the overall grade; the summary follows unheaded.
            major = section = SUMMARY
            current = None
    flush_heading()
    units = [u for u in units if u.text]
    # A footnote drawn mid-paragraph at a page foot sits between the two halves: put it after.
    return title, sorted(units, key=lambda u: u.kind == "footnote")


def _strip_marker(line: Line, kind: str) -> Line:
    text = line.text
    if kind == "bullet":
        text = BULLET.sub("", text, count=1)
    elif kind == "footnote":
        text = re.sub(r"^\d{1,2}\s*", "", text)
    else:
        text = _NUMBERED.sub("", text, count=1) if _NUMBERED.match(text) else text
    return replace(line, text=text)


def _line_spacing(lines: list[RoledLine]) -> float:
    gaps = []
    for a, b in itertools.pairwise(lines):
        la, lb = a.line, b.line
        if (
            la.page == lb.page
            and la.y is not None
            and lb.y is not None
            and a.role == b.role == "body"
        ):
            gap = la.y - lb.y
            if 0 < gap < 40:
                gaps.append(round(gap, 1))
    return statistics.median(gaps) if gaps else 0.0


def _gap(a: RoledLine, b: RoledLine, spacing: float) -> bool:
    """True when b sits further below a than ordinary line spacing (a blank line between)."""
    la, lb = a.line, b.line
    if la.page != lb.page:
        return False
    if lb.blank_before:
        return True
    return la.y is not None and lb.y is not None and spacing > 0 and (la.y - lb.y) > 1.45 * spacing


def _close(a: RoledLine, b: RoledLine) -> bool:
    """Two heading lines one under the other with no blank line between (spacing scales with size)."""
    la, lb = a.line, b.line
    if la.page != lb.page or lb.blank_before:
        return False
    if la.y is None or lb.y is None:
        return True
    return 0 < la.y - lb.y <= 1.6 * max(la.size, lb.size, 1.0)


def _breaks(previous: RoledLine | None, rl: RoledLine, spacing: float) -> bool:
    if previous is None or previous.role != "body":
        return True
    line, prev = rl.line, previous.line
    if prev.page != line.page:
        # Across a page break a unit runs on while its sentence is unfinished.
        return ends_sentence(prev.text) and (
            line.text[:1].isupper() or bool(_NUMBERED.match(line.text))
        )
    if _gap(previous, rl, spacing):
        return True
    return bool(_NUMBERED.match(line.text)) and ends_sentence(prev.text)
