"""Typed records shared by ingestion, the index, answering, the CLI, the page and the evals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Polarity = Literal["strength", "improvement", "neutral"]
# The section heading under which the ingester puts a report's judgement table.
JUDGEMENTS = "Judgements"
POLARITIES: tuple[Polarity, ...] = ("strength", "improvement", "neutral")

INSPECTION_TYPES = ("JTAI", "ILACS", "SIF", "focused visit", "area SEND")
# Passage kinds that are not the letter's findings (letterhead, signature, back matter, title):
# searchable for questions about the letter itself, kept out of ordinary answers.
ASIDE = "aside"
TITLE = "Title"
ASIDE_KINDS = frozenset({ASIDE, TITLE})


FACT_LABELS = {
    "published": "Letter dated / report published",
    "fieldwork": "When the inspection took place",
    "inspectorates": "Inspectorates",
    "lead_inspector": "Lead inspector",
    "inspectors": "Inspectors",
    "signatories": "Signed by",
    "theme": "Theme or focus",
    "previous": "Previous inspection",
    "judgement": "Judgement",
    "outcome": "Inspection outcome",
    "priority_action": "Area for priority action",
}


@dataclass(frozen=True)
class Fact:
    """One thing a document states about its own inspection, and where: ``quote`` is the
    document's own words (white space folded), printed on ``page``."""

    name: str  # a key of FACT_LABELS
    value: str  # dates as ISO ("2019-09-09 to 2019-09-20"), the rest as stated
    page: int
    quote: str

    @property
    def label(self) -> str:
        return FACT_LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class DocumentMeta:
    """What one inspection document is: who, what, when, and the judgements it states."""

    doc_id: str
    title: str
    area: str
    inspection_type: str
    source: str  # file name inside the corpus folder it was ingested from
    sha256: str
    pages: int
    letter_date: str | None = None  # ISO date printed on the letter or report
    fieldwork_start: str | None = None  # ISO dates of the inspection itself
    fieldwork_end: str | None = None
    inspectorates: tuple[str, ...] = ()
    theme: str | None = None
    judgements: tuple[tuple[str, str], ...] = ()  # (judgement, grade) as the document states
    outcome: str | None = None  # area SEND inspection outcome
    facts: tuple[Fact, ...] = ()  # what it states about the inspection, each with its quote

    @property
    def date(self) -> str | None:
        """The date used to order and filter inspections: fieldwork start, else the letter."""
        return self.fieldwork_start or self.letter_date

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentMeta:
        data = dict(data)
        data["inspectorates"] = tuple(data.get("inspectorates", ()))
        data["judgements"] = tuple(tuple(j) for j in data.get("judgements", ()))
        data["facts"] = tuple(Fact(**f) for f in data.get("facts", ()))
        return cls(**data)

    def facts_named(self, name: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.name == name)


@dataclass(frozen=True)
class Passage:
    """A retrievable unit: whole paragraphs or bullets of one section, never a cut sentence.

    ``char_start`` is an offset into the extracted text of ``page_start`` and ``char_end`` into
    that of ``page_end`` (see ``Catalog.page_text``), so a page can highlight the passage.
    """

    id: str
    doc_id: str
    ordinal: int  # position in the document, for neighbours
    text: str
    section: str
    polarity: Polarity
    page_start: int
    page_end: int
    char_start: int
    char_end: int
    kind: str = "paragraph"  # paragraph | bullet | footnote | table

    @property
    def search_text(self) -> str:
        """What is embedded, keyword-indexed and matched against evidence: the section heading
        travels with the text (FINDINGS.md: list items share no words with their heading)."""
        return f"{self.section}\n{self.text}" if self.section else self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(**data)


@dataclass(frozen=True)
class ParsedDocument:
    """A document after ingestion: its metadata, its passages and its extracted page texts."""

    meta: DocumentMeta
    passages: tuple[Passage, ...]
    page_texts: tuple[str, ...]


@dataclass(frozen=True)
class ScoredPassage:
    """A passage as retrieval returns it, with its document and a score (higher is better)."""

    passage: Passage
    doc: DocumentMeta
    score: float
    rank: int = 0


@dataclass(frozen=True)
class Citation:
    """The [n] marker of an answer: which passage, and the sentence of it that supports the claim."""

    n: int
    passage_id: str
    doc: str
    title: str
    page: int
    section: str
    sentence: str  # the sentence that best answers the question
    sentences: tuple[str, ...] = ()  # every sentence the answer quotes from this passage


@dataclass(frozen=True)
class Written:
    """What a language model wrote, before verification, and the passage texts it was given
    (its [n] name them in order): kept so the evaluation can judge the model before and after."""

    text: str
    given: tuple[str, ...]
    sentences: int
    removed: int


@dataclass(frozen=True)
class Answer:
    """The result of asking: the text with [n] markers, its citations, and what was retrieved."""

    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    passages: tuple[ScoredPassage, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # e.g. "Leeds is not in the index"
    plan: Any = None  # the QueryPlan the question was read as (kept for follow-up questions)
    answered_by: str = "grounded"  # which answerer wrote it: grounded, or llm (<model>)
    written: tuple[Written, ...] = ()  # a model's text before verification, per question part
    route: str = "passages"  # which route answered (answer/router.py); parts joined with "+"
    # What retrieval returned (the evaluation's retrieved list); ``passages`` is what is shown:
    # the same but for a decline, where only the passages near the question are.
    retrieved: tuple[ScoredPassage, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``ask --json`` contract: keep these keys stable, the page and evals read them."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "passages": [
                {
                    "rank": sp.rank,
                    "id": sp.passage.id,
                    "doc": sp.passage.doc_id,
                    "title": sp.doc.title,
                    "area": sp.doc.area,
                    "type": sp.doc.inspection_type,
                    "date": sp.doc.date,
                    "page": sp.passage.page_start,
                    "section": sp.passage.section,
                    "polarity": sp.passage.polarity,
                    "text": sp.passage.text,
                    "score": round(sp.score, 6),
                }
                for sp in self.passages
            ],
            "notes": list(self.notes),
            "answered_by": self.answered_by,
            "route": self.route,
            "scope": _scope(self.plan),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


def _scope(plan: Any) -> dict[str, Any]:
    """How the question was read: the areas, inspections and documents it was scoped to."""
    if plan is None:
        return {}
    return {
        "areas": list(plan.areas),
        "types": list(plan.types),
        "years": list(plan.years),
        "documents": list(plan.doc_ids),
        "polarity": plan.polarity,
        "answer_type": plan.answer_type,
        "follow_up": plan.follow_up,
    }


GRADE_ORDER = {"inadequate": 1, "requires improvement": 2, "good": 3, "outstanding": 4}


@dataclass(frozen=True)
class HistoryEntry:
    """One inspection in an area's history: what, when, and what it concluded, each with the
    fact (quote and page) that states it."""

    doc: DocumentMeta
    headline: tuple[Fact, ...]  # the overall judgement or outcome, else the theme or focus
    priorities: tuple[Fact, ...] = ()  # its areas for priority action, each with its page

    @property
    def overall(self) -> str | None:
        """The overall grade, where the document gives one ('Requires improvement')."""
        for name, grade in self.doc.judgements:
            if name.lower().startswith("overall"):
                return grade
        return None

    @property
    def level(self) -> int | None:
        """The overall grade or area SEND outcome on one scale, 1 (worst) to 4, for charts."""
        if self.overall:
            grade = self.overall.lower()
            return next((n for name, n in GRADE_ORDER.items() if grade.startswith(name)), None)
        outcome = (self.doc.outcome or "").lower()
        if "positive" in outcome:
            return 3
        if "inconsistent" in outcome:
            return 2
        if "widespread" in outcome or "systemic" in outcome:
            return 1
        return None

    def to_json(self) -> dict[str, object]:
        """As ``history --json`` prints it and ``/api/history/{area}`` returns it."""
        doc = self.doc
        return {
            "doc": doc.doc_id,
            "title": doc.title,
            "type": doc.inspection_type,
            "fieldwork_start": doc.fieldwork_start,
            "fieldwork_end": doc.fieldwork_end,
            "published": doc.letter_date,
            "theme": doc.theme,
            "judgements": [list(j) for j in doc.judgements],
            "outcome": doc.outcome,
            "overall": self.overall,
            "level": self.level,
            "facts": [{"value": f.value, "page": f.page, "quote": f.quote} for f in self.headline],
            "priority_actions": [{"value": f.value, "page": f.page} for f in self.priorities],
        }


@dataclass(frozen=True)
class QuantityTarget:
    """What a number question counts: "how many girls" wants a number of girls, not of people;
    "how long" a duration; "what percentage" a share."""

    kind: str = "any"  # count | percent | duration | any
    units: frozenset[str] = frozenset()  # stems of the thing counted


@dataclass(frozen=True)
class QueryPlan:
    """What retrieval and the answerer need to know about a question."""

    question: str
    search_text: str  # the question with area names removed (they pull in letterheads)
    keywords: str = ""  # search_text without the question's frame, for keyword search
    focus: str = ""  # what the answer must be about: a follow-up's own topic, else the keywords
    areas: tuple[str, ...] = ()
    unknown_areas: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()  # misspelt area names read as areas, said to the reader
    suggestions: tuple[str, ...] = ()  # a place-like word matching no area: "did you mean"
    types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    latest: bool = False
    earliest: bool = False
    oldest_first: bool = False  # letters over time are listed newest first unless asked
    polarity: Polarity | None = None
    answer_type: str = "explanation"  # one of read/answer_types.ANSWER_TYPES
    individual: bool = False  # a person answer must name an individual ("who chaired")
    # A letter's whole list of points asked for ("what needs to improve", "the priority
    # actions"), and whether only its areas for priority action are.
    whole_list: bool = False
    previous: bool = False  # about the inspection before the one named (or the latest)
    priority_only: bool = False
    compare: bool = False
    follow_up: bool = False
    doc_ids: tuple[str, ...] = field(default_factory=tuple)  # documents the plan points at
    facts: tuple[str, ...] = ()  # facts about the inspection asked for (records.FACT_LABELS)
    reach: str = "passages"  # passages | history | list | theme (see intent.reach)
    # What the answer steps test letters and sentences against, read here once:
    since_year: int | None = None  # "since 2018", "after 2019"
    before_year: int | None = None  # "before 2020", "up to 2021"
    grades: frozenset[str] = frozenset()  # grades named ("judged inadequate")
    outcomes: frozenset[str] = frozenset()  # area SEND outcome words named ("widespread")
    overall: bool = False  # the overall judgement asked for
    quantity: QuantityTarget = field(default_factory=QuantityTarget)  # what a number counts
    parts: tuple[QueryPlan, ...] = ()  # the questions a two-part question holds

    @property
    def multi(self) -> bool:
        return len(self.areas) > 1 or len(self.doc_ids) > 1
