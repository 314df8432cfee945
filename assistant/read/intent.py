"""What a question asks for beyond a passage: facts about an inspection itself, a list or a theme
across the corpus, an area's history; and where a question holds two questions.

Pure functions of the question's text, so every rule is tested on its own.
"""

from __future__ import annotations

import re

from assistant.lexical import grades_named, stems
from assistant.records import QuantityTarget

# A question about the inspection itself, by the fact it wants (keys of records.FACT_LABELS).
_IT = r"(?:the |this |that |its |their )?(?:inspection|visit|jtai|ilacs|sif|fieldwork|it|review)"
FACT_QUESTIONS: dict[str, re.Pattern[str]] = {
    "fieldwork": re.compile(
        r"\bwhen (?:did|was|were)\b.{0,50}?\b(?:inspection|visit|jtai|ilacs|sif|fieldwork|"
        r"inspected|visited|inspectors)\b|"
        r"\b(?:inspection|fieldwork|visit|on-?site) dates?\b|\bwhat dates?\b|\bon what dates?\b|"
        r"\btake place\b|\btook place\b|"
        r"\bhow long did .{0,30}(?:inspection|visit) (?:last|take)\b",
        re.I,
    ),
    "published": re.compile(
        r"\b(?:when|what date) (?:was|is) (?:the |this |that )?(?:letter|report)\b.{0,30}?"
        r"\b(?:published|dated|sent|written|issued)\b|\bpublication date\b|"
        r"\bdate (?:of|on) (?:the |this )?letter\b|\bwhen was .{0,60}? published\b",
        re.I,
    ),
    "inspectorates": re.compile(
        r"\b(?:which|what) (?:inspectorates?|agencies|organisations|bodies|regulators)\b.{0,40}?"
        r"\b(?:took part|carried out|were involved|inspected|conducted|involved|did)\b|"
        r"\bwho (?:carried out|conducted|did) (?:the |this )?(?:joint )?(?:inspection|jtai)\b|"
        r"\binspectorates?\b",
        re.I,
    ),
    "lead_inspector": re.compile(
        r"\blead inspectors?\b|\bwho led\b|"
        r"\bwho (?:was|were) in charge of\b",
        re.I,
    ),
    "inspectors": re.compile(
        r"\bwho (?:were|was) the inspectors?\b|\bwhich inspectors\b|\binspection team\b|"
        r"\bwho (?:inspected|carried out|conducted|visited)\b|\bnames? of the inspectors\b|"
        r"\bhow many inspectors\b|\bwho (?:were|was) (?:his|her) majesty",
        re.I,
    ),
    "signatories": re.compile(
        r"\bwho signed\b|\bsignator|\bsigned (?:by|the|this|off)\b|\bsign(?:ed)? off\b|"
        r"\bput (?:their|his|her|a) names? to\b|\bwhose (?:name|signature)\b|\bwho wrote\b|"
        r"\bwho (?:is|was) the letter from\b|\bsignature\b",
        re.I,
    ),
    "theme": re.compile(
        r"\bthemes?\b|\bfocus(?:ed)?\s+(?:of|on)\s+(?:the\s+|this\s+|that\s+|its\s+)?(?:[\w\u2019']+\s+)"
        r"{0,3}?(?:jtai|inspection|visit|letter|report|review)\b|"
        r"\b(?:its|their|the (?:inspection|visit|jtai|review).s)\s+focus\b|\bwhat focus\b|"
        rf"\bwhat (?:was|is|were) {_IT}\b (?:about|on|looking at|into)\b|"
        rf"\bwhat did {_IT} (?:look at|focus on|examine|consider|cover|review)\b|"
        r"\bwhat was (?:it|this|that) (?:about|on)\b",
        re.I,
    ),
    "previous": re.compile(
        r"\b(?:previous|last|prior|earlier) (?:[\w-]+ ){0,3}?"
        r"(?:inspection|judgement)\b.{0,60}?\b(?:when|date|judged|judgement|graded|rated|outcome)\b|"
        r"\b(?:when|what date|how was|what was) .{0,60}?\b(?:previous|last|prior) "
        r"(?:[\w-]+ ){0,3}?inspection\b|\bdates? of (?:the )?previous inspection\b",
        re.I,
    ),
    "judgement": re.compile(
        r"\bjudge[ds]?\b|\bjudgements?\b|\bgrade[sd]?\b|\brated\b|\brating\b|"
        r"\boverall effectiveness\b",
        re.I,
    ),
    "outcome": re.compile(r"\b(?:inspection )?outcome\b", re.I),
}


_FIELDWORK_WORDS = re.compile(
    r"take place|took place|carried out|fieldwork|on-?site|inspected|visited|inspectors (?:visit|"
    r"were)",
    re.I,
)


def facts_asked(question: str) -> tuple[str, ...]:
    """The inspection facts a question asks about, in the order of FACT_QUESTIONS.

    >>> facts_asked("When did the inspection take place, and who led it?")
    ('fieldwork', 'lead_inspector')
    """
    found = tuple(name for name, pattern in FACT_QUESTIONS.items() if pattern.search(question))
    if ("published" in found or "previous" in found) and not _FIELDWORK_WORDS.search(question):
        # "when was the JTAI letter sent", "when was the previous inspection"
        found = tuple(f for f in found if f != "fieldwork")
    if "lead_inspector" in found:
        found = tuple(f for f in found if f != "inspectors")  # "who led" is not "who took part"
    return found


# Where a second question begins: ", and what ...", "; how ...", "? When ...".
_SECOND = re.compile(
    r"(?:,\s*and\s+|\s+and\s+(?=(?:what|when|who|which|how|where|why|whether)\b)|;\s*|\?\s+|,\s*"
    r"(?=(?:what|when|who|which|how|where|why)\b))"
    r"(?=(?:also\s+)?(?:(?:up to|at|in|for|by|from|with|to|on)\s+)?(?:what|when|who|which|how|"
    r"where|why|whether|did|was|were|is|are|does|do|has|have|had|list|name|give)\b)",
    re.I,
)


_ASKS = re.compile(
    r"^\s*(?:and\s+|also\s+)?(?:(?:up to|at|in|for|by|from|with|to|on)\s+)?"
    r"(?:what|when|who|whom|whose|which|how|where|why|whether|did|was|"
    r"were|is|are|does|do|has|have|had|can|could|list|name|give|describe|tell)\b",
    re.I,
)


def split_parts(question: str) -> list[str]:
    """The questions a question holds: "When did it take place, and what was it about?" is two.

    A part must be a question of its own (a question word or a verb after the break); "How many
    girls and boys ..." stays one.

    >>> split_parts("When did the JTAI take place, and what was its theme?")
    ['When did the JTAI take place?', 'what was its theme?']
    """
    text = question.strip()
    cuts = [m for m in _SECOND.finditer(text) if m.start() > 12]
    if not cuts:
        return [text]
    parts, start = [], 0
    for m in cuts:
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    parts = [p.strip(" ,;") for p in parts]
    # "In the Exampleton case study, how soon ...": a phrase that asks nothing
    # belongs to the question after it.
    merged: list[str] = []
    for part in parts:
        if merged and not _ASKS.search(merged[-1]):
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    parts = merged
    parts = [p if p.endswith("?") else p + "?" for p in parts if len(p.split()) >= 2]
    return parts if len(parts) > 1 else [text]


_LIST = re.compile(
    r"^\s*(?:which|what|list|name|how many)\b.{0,30}?\b(?:areas?|local authorities|authorities|places|"
    r"towns|cities|counties|boroughs|las|"
    r"councils|letters|jtais?|inspections|reports|visits|partnerships|documents)\b|"
    r"^\s*(?:list|name) (?:all |every |the )?|\ball (?:the )?(?:jtais|letters|inspections|reports|"
    r"areas)\b",
    re.I,
)
_THEME = re.compile(
    r"^\s*what do (?:the |most |many )?(?:[\w-]+ ){0,2}(?:letters|reports|inspections|jtais|visits)\b|"
    r"\b(?:commonly|common|most often|often|typically|usually|frequently|recurring|across "
    r"(?:the )?(?:letters|areas|inspections|reports|jtais)|in (?:many|most) (?:letters|areas)|"
    r"how many (?:letters|areas|inspections|reports) (?:mention|raise|say|find|criticise|praise))\b",
    re.I,
)
_HISTORY = re.compile(
    r"\bhow (?:has|have|did) .{2,60}? (?:changed|improved|progressed|developed|moved|declined|"
    r"got better|got worse)\b|\bover time\b|\bhistory\b|\btrajectory\b|\bover the years\b|"
    r"\b(?:changed|improved|progressed) (?:since|between|over)\b|\b(?:every|each) inspection\b|"
    r"\ball (?:the |its |their )?inspections\b",
    re.I,
)


_OLDEST_FIRST = re.compile(
    r"\b(?:oldest|earliest) (?:first|to (?:the )?(?:newest|latest|most recent))\b|"
    r"(?<!reverse )\bchronological(?:ly| order)?\b|\bin (?:date|time) order\b|\bfrom (?:the )?(?:first|earliest)\b",
    re.I,
)


_ORDER_PHRASE = re.compile(
    rf"{_OLDEST_FIRST.pattern}|\b(?:newest|latest|most recent) first\b|\bin (?:reverse )?"
    r"(?:chronological|date|time) order\b",
    re.I,
)


def without_order(text: str) -> str:
    """The text without words that only say how to order the answer ("oldest first")."""
    return _ORDER_PHRASE.sub(" ", text)


def oldest_first(question: str) -> bool:
    """Whether a question asks for its letters oldest first; answers over time are otherwise
    newest first.

    >>> oldest_first("List Durham's inspections in chronological order")
    True
    >>> oldest_first("How has Durham changed over time?")
    False
    """
    return bool(_OLDEST_FIRST.search(question))


def reach(question: str, named_areas: int) -> str:
    """How far a question reaches: 'history' (one area over time), 'list' (documents matching a
    condition), 'theme' (what many letters say about a topic) or 'passages' (the default)."""
    if named_areas == 1 and _HISTORY.search(question):
        return "history"
    if named_areas == 0 and _THEME.search(question):
        return "theme"
    if named_areas == 0 and _LIST.search(question):
        return "list"
    return "passages"


# What a number question counts.
_COUNTED = re.compile(r"\bhow many\s+((?:\S+\s+){0,5}\S+)", re.I)
_PERCENT_Q = re.compile(r"\b(percentage|per ?cent|proportion|what share|rate)\b", re.I)


def quantity_target(question: str) -> QuantityTarget:
    if re.search(r"\bhow long\b", question, re.I):
        return QuantityTarget("duration")
    if _PERCENT_Q.search(question):
        return QuantityTarget("percent")
    match = _COUNTED.search(question)
    if match:
        # The thing counted: the first words after "how many", verbs aside; the reader passes
        # the question with its area names taken out ("how many Kent police staff" counts
        # police staff, "how many Independent Domestic Violence Advisers" such advisers).
        words = [
            w.strip("?,.")
            for w in match.group(1).split()
            if w.lower().strip("?,.") not in _NOT_UNITS
        ]
        if words and words[0].lower().rstrip("s") in _TIME_UNITS:
            return QuantityTarget("count", frozenset(stems(words[0])))  # "how many weeks"
        return QuantityTarget("count", frozenset(stems(" ".join(words[:2]))))
    return QuantityTarget("any")


_TIME_UNITS = {"minute", "hour", "day", "week", "month", "year"}
_NOT_UNITS = {
    "did",
    "do",
    "does",
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "in",
    "of",
    "the",
    "and",
    "times",
    "more",
    "new",
    "additional",
    "local",
}


# Years bounding a question about many letters, and the grades and outcomes it names.
_SINCE = re.compile(r"\b(?:since|after|from)\s+((?:19|20)\d\d)\b", re.I)
_BEFORE = re.compile(r"\b(?:before|until|up to)\s+((?:19|20)\d\d)\b", re.I)
_OUTCOMES = ("positive", "inconsistent", "widespread", "systemic")  # area SEND outcome words
_OVERALL = re.compile(r"\boverall\b", re.I)


def year_bounds(question: str) -> tuple[int | None, int | None]:
    """("since 2018", "before 2021") as (2018, 2021); None where the question sets no bound.

    >>> year_bounds("Which areas were inspected since 2019 and before 2022?")
    (2019, 2022)
    """
    since, before = _SINCE.search(question), _BEFORE.search(question)
    return (int(since.group(1)) if since else None, int(before.group(1)) if before else None)


def grades_asked(question: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """The grades, area SEND outcome words and "overall" a question names."""
    outcomes = frozenset(w for w in _OUTCOMES if re.search(rf"\b{w}\b", question, re.I))
    return frozenset(grades_named(question)), outcomes, bool(_OVERALL.search(question))


# Words that name a letter's list of points, or frame a question asking for one: a question with
# no other topic ("What must Lewisham get better at?") asks for the whole list.
_LIST_FRAME = frozenset(
    stems(
        "area areas priority priorities action actions improve improvement improvements improving "
        "need needs needed better weakness weaknesses recommendation recommendations must should "
        "point points item items thing things list every all each say said says set identified "
        "get got make made do done main key full whole complete out what fix fixing work "
        "focused visit jtai ilacs sif send joint targeted inspection local authority children "
        "services recent latest last newest current first earliest previous most one everything "
        "tell has have having"
    )
)
_PRIORITY = re.compile(r"\bpriorit(?:y|ies)\b", re.I)


def whole_list_asked(answer_type: str, improvement: bool, topic: list[str]) -> bool:
    """Whether a question about what needs to improve asks for the letter's whole list: it asks
    for a list, or names no topic beyond the list's own words (``topic``: its focus terms).

    >>> from assistant.lexical import focus_terms
    >>> whole_list_asked("explanation", True, focus_terms("areas for priority action, latest visit"))
    True
    >>> whole_list_asked("explanation", True, focus_terms("improve CAMHS waiting times"))
    False
    """
    if not improvement:
        return False
    return answer_type == "list" or not [t for t in topic if t not in _LIST_FRAME]


def priority_only(question: str) -> bool:
    """Whether a list question asks for the areas for priority action alone."""
    return bool(_PRIORITY.search(question))


# The inspection before another: "the previous inspection", "its prior ILACS", "the last
# inspection before the focused visit" ("last" alone is the latest).
_PREVIOUS = re.compile(
    r"\b(?:previous|prior|preceding|earlier)\s+(?:[\w'-]+\s+){0,3}?(?:inspections?|visits?|"
    r"judgements?|ilacs|sif|jtai|reports?|letters?|grades?|ratings?|outcomes?)\b|"
    r"\b(?:last|latest|most recent)\s+(?:[\w'-]+\s+){0,3}?(?:inspection|ilacs|sif|judgement)\s+"
    r"(?:before|prior to|ahead of|preceding)\b|"
    r"\b(?:inspection|ilacs|sif|judgement|grade)s?\s+(?:before|prior to|preceding)\s+"
    r"(?:the|this|that|its|their|[A-Z])",
    re.I,
)


def previous_asked(question: str) -> bool:
    """Whether a question asks about the inspection before the one it names (or before the
    area's latest).

    >>> previous_asked("What was Hull judged at its previous inspection?")
    True
    >>> previous_asked("What grade did the inspection before the 2023 ILACS give?")
    True
    >>> previous_asked("When was Hull's last inspection?")
    False
    """
    return bool(_PREVIOUS.search(question))


def previous_phrase(question: str) -> str:
    """The words that point at the inspection before ("previous area SEND inspection"), where
    a type named is the earlier inspection's own."""
    match = _PREVIOUS.search(question)
    return match.group(0) if match else ""


def without_previous(text: str) -> str:
    """The text without its words that point at the inspection before ("previous ILACS"):
    they choose the letter, they are not the topic."""
    text = _BEFORE_WORDS.sub(" ", _PREVIOUS.sub(" ", text))
    return re.sub(r"\s+", " ", text).strip()


_BEFORE_WORDS = re.compile(r"\b(?:previous|prior|preceding|earlier|before)\b", re.I)
