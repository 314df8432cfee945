"""Facts about the inspection itself, each with the words and page of the document that state it.

When it took place, when the letter was sent, who inspected, who led and who signed it, its
theme or focus, the previous inspection, the judgements and the area SEND outcome. Each fact
keeps a verbatim quote from one unit of the document, so an answer can cite the passage that
holds it; a fact the document does not state is simply absent (never guessed).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable

from assistant.ingest.metadata import DATE, MONTHS, iso
from assistant.ingest.sections import ASIDE_SECTIONS, Unit
from assistant.records import ASIDE, TITLE, DocumentMeta, Fact
from assistant.text import split_sentences

# A person's name: two to four capitalised words ("Lyndsey McGeary", "Sean O\u2019Kelly",
# "Jessica Taylor-Beirne").
_WORD = r"[A-Z][a-z]*(?:[\u2019'-]?[A-Z][a-z]+)*"  # each repeat starts with a capital: linear
_NAME = rf"{_WORD}(?:[ -](?:{_WORD}|[A-Z]\.?)){{1,3}}"
_LEAD = (  # names are matched case-sensitively: they are written with capitals
    re.compile(rf"(?i:lead inspector):\s*({_NAME})"),
    re.compile(rf"({_NAME}),?\s+(?:HMI,?\s+)?(?:Ofsted\s+|CQC\s+)?(?:HMI\s+)?(?i:lead inspector)"),
    re.compile(rf"({_NAME}),?\s+(?:Her|His) Majesty.s Inspector(?: \(HMI\))?,? (?:and )?(?i:lead)"),
    re.compile(rf"(?i:lead inspector)\s+(?:was\s+)?({_NAME})"),
)
# Words that follow a name in these documents but are not part of it.
_NOT_NAME = re.compile(r"\s+(Her|His|Majesty|HMI|Ofsted|CQC|Lead|Inspector|Social|National)\b.*$")
_NOT_NAME_START = re.compile(r"^((Ofsted|CQC|HMI|Her|His|Majesty.s|Inspectors?)\s+)+")
_HMI = re.compile(r"(Her|His) Majesty.s Inspectors?( \(HMIs?\))?")
_INSPECTORS = re.compile(
    r"\b(the )?inspectors (for this (visit|inspection) )?were\b|\binspection team\b|"
    r"\bMajesty.s Inspectors?\b.{0,40}\bwere\b|\b(visit|inspection) was (conducted|carried out|"
    r"led) by\b|\binspectors? (were|was) [A-Z]",
    re.I,
)
_INSPECTORATE_WORDS = re.compile(
    r"Ofsted|Care Quality Commission|\bCQC\b|HMICFRS|Inspectorate of Constabulary|HMIC\b|"
    r"HMI Probation|Inspectorate of Probation|Majesty.s Inspector|\bHMIs?\b",
    re.I,
)
_FIELDWORK_CUE = re.compile(
    r"inspection dates?|took place|\bbetween\b|\bon\b|\bfrom\b|carried out|undertook|visit to",
    re.I,
)
_PREVIOUS = re.compile(
    r"\b(previous|last|prior|most recent)\b[^.]{0,40}\b(inspection|visit|ILACS|SIF|judgement)|"
    r"\bdates? of (the )?previous inspection",
    re.I,
)
_FOCUS = re.compile(
    r"\b(inspectors|the visit|this visit|the inspection)\b[^.]{0,30}\b(looked at|considered|"
    r"evaluated|focused on|reviewed|examined)\b",
    re.I,
)
_GRADE_WORDS = re.compile(r"\b(outstanding|good|requires improvement|inadequate)\b", re.I)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _sentences(units: Iterable[Unit]) -> Iterable[tuple[Unit, str]]:
    for unit in units:
        for sentence in split_sentences(_fold(unit.text)):
            yield unit, sentence


def _page(unit: Unit, quote: str) -> int:
    """The page of the unit's line where the quote begins."""
    probe = _fold(quote)[:25]
    for rl in unit.lines:
        if probe[:12] and probe[:12] in _fold(rl.line.text):
            return rl.line.page
    return unit.lines[0].line.page if unit.lines else 1


def _fact(name: str, value: str, unit: Unit, quote: str) -> Fact:
    return Fact(name, _fold(value), _page(unit, quote), _fold(quote))


def read_facts(meta: DocumentMeta, units: list[Unit]) -> tuple[Fact, ...]:
    """Every fact the document states about its own inspection, in a fixed order."""
    body = [u for u in units if u.kind not in (ASIDE, TITLE)]
    opening = body[:12]
    facts: list[Fact] = []
    facts += _published(meta, units)
    facts += _fieldwork(meta, opening)
    facts += _inspectorates(meta, body)
    facts += _people(units)
    facts += _signatories(units)
    facts += _theme(meta, units, opening)
    facts += _previous(body)
    facts += _judgements(meta, body)
    facts += _outcome(meta, body)
    return tuple(facts)


def _dates_in(text: str) -> list[str]:
    out = []
    for m in DATE.finditer(text):
        day = iso(int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3)))
        if day:
            out.append(day)
    return out


def _published(meta: DocumentMeta, units: list[Unit]) -> list[Fact]:
    if not meta.letter_date:
        return []
    letterhead = [u for u in units if u.section == ASIDE_SECTIONS["letterhead"]]
    for unit, sentence in _sentences(
        letterhead + [u for u in units if re.search(r"published", u.text, re.I)][:3]
    ):
        for m in DATE.finditer(sentence):
            printed = iso(int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3)))
            if printed and printed[:7] == meta.letter_date[:7]:
                published = re.search(
                    r"report published:?\s*" + re.escape(m.group(0)), sentence, re.I
                )
                quote = published.group(0) if published else m.group(0)
                return [_fact("published", meta.letter_date, unit, quote)]
    return []


def _fieldwork(meta: DocumentMeta, opening: list[Unit]) -> list[Fact]:
    if not meta.fieldwork_start:
        return []
    years = {meta.fieldwork_start[:4], (meta.fieldwork_end or meta.fieldwork_start)[:4]}
    month = calendar.month_name[int(meta.fieldwork_start[5:7])]
    for unit, sentence in _sentences(opening):
        dated = any(y in sentence for y in years) or month in sentence  # "16 May and 20 May"
        if _FIELDWORK_CUE.search(sentence) and dated:
            if not re.search(r"\d{1,2}\s", sentence):
                continue
            quote = re.split(r"\s+dates? of (?:the )?previous inspection", sentence, flags=re.I)[0]
            value = meta.fieldwork_start
            if meta.fieldwork_end and meta.fieldwork_end != meta.fieldwork_start:
                value += f" to {meta.fieldwork_end}"
            return [_fact("fieldwork", value, unit, quote)]
    return []


def _inspectorates(meta: DocumentMeta, body: list[Unit]) -> list[Fact]:
    """The sentence naming the inspectorates: for a joint inspection, one that names two or
    more (the opening first, then anywhere in the text)."""
    joint = len(meta.inspectorates) > 1
    for unit, sentence in _sentences(body):
        found = {m.group(0).lower() for m in _INSPECTORATE_WORDS.finditer(sentence)}
        if (joint and len(found) >= 2) or (not joint and found):
            return [_fact("inspectorates", ", ".join(meta.inspectorates), unit, sentence)]
    return []


def _people(units: list[Unit]) -> list[Fact]:
    """The lead inspector and the inspectors, where the document names them. A team table
    (area SEND reports) names the leads among the team: the leads are quoted from it, and the
    whole table answers who the inspectors were."""
    lead: Fact | None = None
    team: Fact | None = None
    inspectors: Fact | None = None
    candidates = [u for u in units if u.section != ASIDE_SECTIONS["back"]]
    for unit, sentence in _sentences(candidates):
        if lead is None:
            for pattern in _LEAD:
                found = [
                    (_NOT_NAME.sub("", _NOT_NAME_START.sub("", m.group(1))), m)
                    for m in pattern.finditer(sentence)
                ]
                found = [
                    (n, m)
                    for n, m in found
                    if len(n.split()) >= 2 and not re.match(r"(The|This|A|An)\b", n)
                ]
                if not found:
                    continue
                value = " and ".join(dict.fromkeys(n for n, _ in found))
                if len(found) > 1:
                    quote = sentence[found[0][1].start() : found[-1][1].end()]
                    team = _fact("inspectors", sentence, unit, sentence)
                else:
                    quote = sentence
                lead = _fact("lead_inspector", value, unit, quote)
                break
        named = re.search(_NAME, _HMI.sub(" ", sentence.split("were", 1)[-1]))
        if inspectors is None and _INSPECTORS.search(sentence) and named:
            inspectors = _fact("inspectors", sentence, unit, sentence)
    if team is None and inspectors is None:
        listed = [u for u in units if re.match(r"(the )?inspection team", u.text, re.I)]
        if listed:
            text = _fold(listed[0].text)
            inspectors = _fact("inspectors", text, listed[0], text)
    return [f for f in (lead, team or inspectors) if f is not None]


def _signatories(units: list[Unit]) -> list[Fact]:
    signature = [u for u in units if u.section == ASIDE_SECTIONS["signature"]]
    if not signature:
        return []
    text = _fold(signature[0].text)
    names = re.sub(r"^yours\s+(sincerely|faithfully),?\s*", "", text, flags=re.I)
    return [_fact("signatories", names, signature[0], text)] if names else []


def _theme(meta: DocumentMeta, units: list[Unit], opening: list[Unit]) -> list[Fact]:
    """A JTAI's theme, stated in its title or opening; a visit's focus, in its opening."""
    if meta.theme:
        key = meta.theme.lower()[:30]
        for unit, sentence in _sentences([u for u in units if u.kind == TITLE] + opening):
            if key in sentence.lower():
                return [_fact("theme", meta.theme, unit, sentence)]
    for unit, sentence in _sentences(opening):
        if _FOCUS.search(sentence):
            return [_fact("theme", sentence, unit, sentence)]
    return []


def _previous(body: list[Unit]) -> list[Fact]:
    """The sentence about the previous inspection that gives its date or its judgement."""
    for unit, sentence in _sentences(body[:40]):
        dated = DATE.search(sentence) or re.search(r"\b(19|20)\d\d\b", sentence)
        judged = _GRADE_WORDS.search(sentence) or re.search(r"previous inspection", sentence, re.I)
        if _PREVIOUS.search(sentence) and dated and judged:
            stated = re.search(r"dates? of (?:the )?previous inspection.*", sentence, re.I)
            quote = stated.group(0) if stated else sentence
            return [_fact("previous", quote, unit, quote)]
    return []


def _judgements(meta: DocumentMeta, body: list[Unit]) -> list[Fact]:
    facts = []
    for name, grade in meta.judgements:
        words = r"\W+".join(re.escape(w) for w in re.findall(r"\w+", name))
        pattern = re.compile(rf"{words}.{{0,120}}?\b{re.escape(grade)}\b", re.I)
        stated = [pattern]
        if name.lower() == "overall effectiveness":  # "Children's services in X are good"
            stated.append(re.compile(rf"Children.s services in .{{2,60}}? are {grade}\b", re.I))
        match = None
        for candidate in stated:
            for unit in body:
                match = candidate.search(_fold(unit.text))
                if match:
                    facts.append(_fact("judgement", f"{name}: {grade}", unit, match.group(0)))
                    break
            if match:
                break
    return facts


def _outcome(meta: DocumentMeta, body: list[Unit]) -> list[Fact]:
    if not meta.outcome:
        return []
    probe = _fold(meta.outcome)[:40]
    for unit in body:
        if probe in _fold(unit.text):
            return [_fact("outcome", meta.outcome, unit, meta.outcome)]
    return []
