"""Document metadata read from the document's own words: type, area, dates, judgements.

Pure functions over text, so every rule is unit-tested; the file name is only a fallback
(an uploaded letter may be called anything).
"""

from __future__ import annotations

import re
from datetime import date

from assistant.gazetteer import canonical_area, gazetteer_entries

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s+(\d{{4}})\b", re.I)
GRADES = r"(?:requires improvement to be good|requires improvement|good|outstanding|inadequate)"

_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"area send inspection|local area partnership report", re.I), "area SEND"),
    (re.compile(r"focused visit", re.I), "focused visit"),
    (re.compile(r"joint targeted area inspection", re.I), "JTAI"),
    (
        re.compile(r"inspection of services for children in need of help and protection", re.I),
        "SIF",
    ),
    (re.compile(r"inspection of .{0,60}children.s (social care )?services", re.I), "ILACS"),
)
_PREFIX_TYPES = {
    "jtai": "JTAI",
    "ilacs": "ILACS",
    "sif": "SIF",
    "focused-visit": "focused visit",
    "area-send": "area SEND",
}
_AREA_RULES = (
    re.compile(r"area send inspection of (.+?) local area partnership", re.I),
    re.compile(r"focused visit to (.+?) children.s services", re.I),
    re.compile(r"joint targeted area inspection of (?!the\b)(.+?)$", re.I),
    re.compile(
        r"joint targeted area inspection of the multi-agency response to .+ in (.+?)$", re.I
    ),
    re.compile(r"inspection of (.+?) local authority children.s services", re.I),
    re.compile(r"^(.+?) (?:metropolitan )?(?:borough|county|city|district) council$", re.I),
    re.compile(r"^(.+?) council$", re.I),
)
_COUNCIL = re.compile(
    r"\s+((metropolitan )?borough|county|city|district|royal borough)?\s*(council)?$", re.I
)
_SMALL_WORDS = {"on", "upon", "and", "with", "in", "the", "of", "under", "le", "by"}


def iso(day: int, month: int, year: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def inspection_type(title: str, heading: str, doc_id: str = "", opening: str = "") -> str:
    """The inspection type from the title and heading lines, then the opening of the letter,
    else from a corpus-style file name."""
    for text in (title, heading):
        for pattern, kind in _TYPE_RULES:
            if pattern.search(text):
                return kind
    body = letter_body(re.sub(r"\s+", " ", opening))[:400]  # a title run over two lines
    for pattern, kind in _TYPE_RULES:
        if pattern.search(body):
            return kind
    for prefix, kind in _PREFIX_TYPES.items():
        if doc_id.startswith(prefix + "-"):
            return kind
    return "other"


def tidy_area(name: str) -> str:
    """Canonical spelling: 'Stockton-On-Tees Borough Council' -> 'Stockton-on-Tees'."""
    name = _COUNCIL.sub("", re.sub(r"\s+", " ", name).strip(" .,:;")).strip()
    name = re.sub(r"^(the )?(london borough of|royal borough of|city of)\s+", "", name, flags=re.I)
    parts = re.split(r"([\s-])", name)
    out = []
    for i, part in enumerate(parts):
        low = part.lower()
        if i > 0 and low in _SMALL_WORDS:
            out.append(low)
        elif part.isupper() and len(part) <= 3:
            out.append(part)
        else:
            out.append(
                part[:1].upper() + part[1:].lower() if part.isupper() or part.islower() else part
            )
    return "".join(out).replace("&", "and")


def area_of(title: str, heading_lines: list[str], doc_id: str = "", opening: str = "") -> str:
    """The local area a document is about, as the gazetteer's canonical name.

    The title and heading lines are read first ("Focused visit to Bradford local authority
    children's services"); then the opening text, where the first authority named is the one
    the letter is about (Ofsted's own address sidebar aside). A corpus-style file name is the
    last resort, and an unknown name is kept tidied, never guessed.
    """
    raw = ""
    for text in [title, *heading_lines]:
        text = re.sub(r"\s+", " ", text).strip()
        for pattern in _AREA_RULES:
            match = pattern.search(text)
            if match:
                raw = raw or match.group(1)
                found = canonical_area(match.group(1))
                if found:
                    return found
    flat = re.sub(r"\s+", " ", opening)
    for pattern in _AREA_RULES[:5]:  # the title may run over two lines
        match = pattern.search(flat)
        if match and canonical_area(match.group(1)):
            return canonical_area(match.group(1)) or ""
    # After the salutation, past the addressee's street ("1 Reading Lane"), the first
    # authority named is the letter's own.
    found = first_authority(" ".join([title, letter_body(flat)]))
    if found:
        return found
    if raw:
        return tidy_area(raw)
    slug = re.sub(r"^(jtai|ilacs|sif|focused-visit|area-send)-", "", doc_id)
    slug = re.sub(r"-\d{4}-\d{2}$", "", slug)
    if slug and slug != doc_id:
        return canonical_area(slug.replace("-", " ")) or tidy_area(slug.replace("-", " "))
    return "Unknown"


_OFSTED_ADDRESS = re.compile(
    r"Piccadilly Gate|Store Street|Manchester\s+M1 2WD|Agora|Cumberland Place|Nottingham\s+NG1",
    re.I,
)


# How a letter's or report's title opens, and a title line that runs on to the next.
_TITLE_START = re.compile(
    r"^(joint targeted area inspection|focused visit to|monitoring visit to|inspection of|"
    r"(joint )?(local )?area send inspection|joint inspection)\b",
    re.IGNORECASE,
)
_RUNS_ON = re.compile(r"\b(of|to|in|and|the|for|on|with|from|or)$", re.IGNORECASE)
# The end of an area SEND title, wrapped: "... of East" / "Sussex Local Area Partnership".
_TITLE_TAIL = re.compile(r"^(\S+ ){0,5}partnership$", re.IGNORECASE)


def text_title(lines: list[str]) -> str | None:
    """A text file's title (a PDF's comes from its type sizes): the first of its opening lines
    that opens like one ("Joint targeted area inspection of ...", "Focused visit to ...",
    "Inspection of ..."), with the lines it runs on to. A report's title is given the area named
    on the line before it ("South Tyneside" / "Inspection of services for children ..."). The
    letter's date, its addressees and page numbers are never the title, nor a line of the
    letter's body (one in lower case, with a date or figure, or a sentence).

    >>> text_title(["1", "3 May 2024", "Dear Sam", "Inspection of Exampleshire local",
    ...             "authority children's services", "Inspection dates: 1 to 5 April 2024"])
    "Inspection of Exampleshire local authority children's services"
    """
    lines = [" ".join(line.split()) for line in lines[:40]]
    for i, line in enumerate(lines):
        opens = _TITLE_START.match(line)
        if not opens or not line[:1].isupper() or _FIGURE.search(line) or len(line.split()) > 25:
            continue
        if line.endswith(".") and (opens[0].lower() == "inspection of" or len(line.split()) > 15):
            continue  # a sentence (a visit's title is sometimes printed with a full stop)
        title = line
        for more in lines[i + 1 : i + 4]:
            runs_on = more[:1].islower() or _RUNS_ON.search(title) or _TITLE_TAIL.match(more)
            ends = not more or more.lower() == "and" or _FIGURE.search(more) or ":" in more
            if ends or not runs_on or _TITLE_START.match(more) or title.endswith("."):
                break
            title = f"{title}{more}" if title.endswith("-") else f"{title} {more}"
        before = next((x for x in reversed(lines[:i]) if x), "")
        if title.lower().startswith("inspection of") and canonical_area(before):
            title = f"{before} {title}"  # a council's name over its report's title
        return title.removesuffix(".")
    return None


_FIGURE = re.compile(r"\d")


def document_title(printed: str, lines: list[str]) -> str:
    """The title: the one printed largest (``printed``, from a PDF's type sizes), unless that is
    a bare heading ("Overview", "Findings"; no area in it), when the title line of the text
    (:func:`text_title`) is taken; a text file has only the latter.

    >>> document_title("Overview", ["Focused visit to Exampleshire children's services"])
    "Focused visit to Exampleshire children's services"
    >>> document_title("Durham County Council", ["Inspection of children's services"])
    'Durham County Council'
    """
    bare = len(printed.split()) <= 2 and not canonical_area(printed)
    return (text_title(lines) or printed) if bare else printed


def letter_body(text: str) -> str:
    """A letter's text from its salutation on (the whole text when it has none)."""
    match = re.search(r"\bDear\s", text)
    return text[match.start() :] if match else text


def first_authority(text: str) -> str | None:
    """The authority named first in a text, Ofsted's postal address taken out."""
    text = _OFSTED_ADDRESS.sub(" ", re.sub(r"\s+", " ", text))
    best: tuple[int, int, str] | None = None
    for name, area, pattern in gazetteer_entries():
        match = pattern.search(text)
        if match and (best is None or (match.start(), -len(name)) < best[:2]):
            best = (match.start(), -len(name), area)
    return best[2] if best else None


def date_range(text: str, default_year: int | None = None) -> tuple[str | None, str | None]:
    """Start and end dates of a range as written in the letters.

    >>> date_range("20 and 24 November 2017")
    ('2017-11-20', '2017-11-24')
    >>> date_range("23 May to 16 June 2016")
    ('2016-05-23', '2016-06-16')
    >>> date_range("16 May and 20 May", default_year=2016)
    ('2016-05-16', '2016-05-20')
    """
    tokens = re.findall(rf"\d{{4}}|\d{{1,2}}|{_MONTH}", text, flags=re.I)
    days: list[tuple[int, int | None, int | None]] = []  # (day, month, year)
    for token in tokens:
        if token.isdigit() and len(token) == 4:
            year = int(token)
            days = [(d, m, y if y is not None else year) for d, m, y in days]
        elif token.isdigit():
            days.append((int(token), None, None))
        elif days:
            month = MONTHS[token.lower()]
            days = [(d, m if m is not None else month, y) for d, m, y in days]
    days = [(d, m, y if y is not None else default_year) for d, m, y in days]
    full = [iso(d, m, y) for d, m, y in days if m is not None and y is not None]
    full_dates = [f for f in full if f]
    if not full_dates:
        return None, None
    return full_dates[0], full_dates[-1]


_FIELDWORK = (
    re.compile(r"inspection dates?:\s*(.{5,80})", re.I),
    re.compile(
        rf"\bbetween\s+(\d{{1,2}}(?:\s+{_MONTH})?(?:\s+\d{{4}})?\s+and\s+\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)",
        re.I,
    ),
    re.compile(r"took place (?:from|between|on)\s+(\d{1,2}.{0,50})", re.I),
    re.compile(
        rf"\bon\s+(\d{{1,2}}(?:\s+{_MONTH})?\s+(?:and|to)\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}})", re.I
    ),
    re.compile(r"\bfrom\s+(\d{1,2}.{0,40}?\d{4})", re.I),
    # "on 15 December 2020", "on 15, 16 and 21 July 2025", "on the 15 and 16 of May 2018",
    # "on 29 and 30 September, and 1 October 2020", "on 13 and 14 July" (the letter's year)
    re.compile(
        rf"\b(?:on|between)\s+(?:the\s+)?(\d{{1,2}}(?:st|nd|rd|th)?(?:(?:,\s*|\s+and\s+|\s+to\s+|"
        rf"\s*[-\u2013]\s*)\d{{1,2}}(?:st|nd|rd|th)?)*(?:\s+of)?\s+{_MONTH}(?:\s+\d{{4}})?"
        rf"(?:\s*,?\s*(?:and|to|[-\u2013])?\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH})?(?:\s+\d{{4}})?)",
        re.I,
    ),
)
_RANGE_END = re.compile(
    r"[.;]\s|lead inspector|report published|dates? of (?:the )?previous|it was carried", re.I
)


def fieldwork_dates(text: str, letter_date: str | None) -> tuple[str | None, str | None]:
    """When the inspection took place, from the opening of the document."""
    default_year = int(letter_date[:4]) if letter_date else None
    flat = re.sub(r"\s+", " ", text)
    # An inspection ends before its letter is written (a date after it is another), unless
    # the letter bears last year's number (see corrected_letter_date).
    limits = [letter_date, _next_year(letter_date)] if letter_date else [None]
    for limit in limits:
        for pattern in _FIELDWORK:
            for match in pattern.finditer(flat):
                text = _RANGE_END.split(match.group(1), maxsplit=1)[0]
                years = [default_year]
                if default_year and not re.search(r"\d{4}", text):
                    years.append(default_year - 1)  # a December visit, a January letter
                for year in years:
                    start, end = date_range(text, year)
                    if start and not (limit and (end or start) > limit):
                        return start, end
    return None, None


def _next_year(day: str | None) -> str | None:
    return iso(int(day[8:]), int(day[5:7]), int(day[:4]) + 1) if day else None


def letter_date(first_page: str) -> str | None:
    """The date printed on the letter (before 'Dear'), or the report's publication date."""
    flat = re.sub(r"\s+", " ", first_page)
    published = re.search(r"(?:report )?published:?\s*(.{6,30}?\d{4})", flat, re.I)
    head = flat.split("Dear ", 1)[0] if "Dear " in flat else ""
    for text in (published.group(1) if published else "", head):
        match = DATE.search(text)
        if match:
            return iso(int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3)))
    return None


_INSPECTORATES = (
    ("Ofsted", re.compile(r"\bOfsted\b")),
    ("CQC", re.compile(r"\bCQC\b|Care Quality Commission")),
    ("HMICFRS", re.compile(r"HMICFRS|Inspectorate of Constabulary and Fire")),
    ("HMIC", re.compile(r"\bHMIC\b(?!FRS)|Inspectorate of Constabulary(?! and Fire)")),
    ("HMI Probation", re.compile(r"HMI ?Probation|Inspectorate of Probation")),
)


def inspectorates(intro: str, kind: str) -> tuple[str, ...]:
    """Which inspectorates the opening paragraphs say took part."""
    flat = re.sub(r"\s+", " ", intro)
    found = tuple(name for name, pattern in _INSPECTORATES if pattern.search(flat))
    if kind in {"ILACS", "SIF", "focused visit"}:
        return ("Ofsted",)
    if kind == "area SEND":
        return ("Ofsted", "CQC")  # the framework's two inspectorates, whichever the intro names
    return found if "Ofsted" in found else ("Ofsted", *found)  # Ofsted leads every joint inspection


def theme(intro: str, area: str) -> str | None:
    """A JTAI's theme: what the 'multi-agency response to ...' was to (the title first, then
    the opening), without the area it names ("... in the Royal Borough of Windsor")."""
    flat = re.sub(r"\s+", " ", intro)
    match = re.search(
        r"multi-agency (?:identification and )?responses? to (.{5,160}?)(?:\.|$|\s+This\b)",
        flat,
        re.I,
    )
    if not match:
        return None
    found = re.split(r"\s+in\s+(?:the\s+)?(?=[A-Z])", match.group(1))[0]
    return re.sub(r"^the\s+", "", found.strip(" ,")) or None


def judgements(first_pages: str) -> tuple[tuple[str, str], ...]:
    """(judgement, grade) pairs from an ILACS or SIF judgement table."""
    flat = re.sub(r"\s+", " ", first_pages)
    found: list[tuple[str, str]] = []
    ilacs = re.compile(
        rf"(The impact of leaders[a-z ,’']*?|The experiences and progress of [a-z ,’']*?|Overall effectiveness)"
        rf"\s+({GRADES})\b",
        re.I,
    )
    sif = re.compile(rf"\b\d(?:\.\d)?\.?\s+([A-Z][a-z ,’']{{5,80}}?)\s+((?i:{GRADES}))\b")
    for pattern in (ilacs, sif):
        for match in pattern.finditer(flat):
            name = match.group(1).strip(" ,")
            grade = match.group(2)
            pair = (name[:1].upper() + name[1:], grade[:1].upper() + grade[1:].lower())
            if pair not in found and not any(n == pair[0] for n, _ in found):
                found.append(pair)
        if found:
            break
    overall = re.search(rf"Children.s services in .{{2,40}}? are ({GRADES})\b", flat, re.I)
    if overall and not any(n.lower() == "overall effectiveness" for n, _ in found):
        grade = overall.group(1)
        found.append(("Overall effectiveness", grade[:1].upper() + grade[1:].lower()))
    return tuple(found)


def send_outcome(first_page: str) -> str | None:
    """The outcome sentence of an area SEND report."""
    flat = re.sub(r"\s+", " ", first_page)
    match = re.search(r"Inspection outcome\s+(.+?\.)\s", flat)
    return match.group(1) if match else None


def corrected_letter_date(printed: str | None, fieldwork_end: str | None) -> str | None:
    """A letter cannot be dated before its inspection ended: one that is, was written early in
    a new year with the old year's number ("21 January 2019" for a December 2019 visit)."""
    if not printed or not fieldwork_end or printed >= fieldwork_end:
        return printed
    year = int(printed[:4]) + 1
    moved = iso(int(printed[8:]), int(printed[5:7]), year)
    return moved if moved and moved >= fieldwork_end else printed
