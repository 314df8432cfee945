"""One request to ask a question, checked the same way wherever it comes from: the page's Gradio
API (``/ask``), the plain HTTP API (``POST /api/ask``) and the command line (``ask``).

Every field is bounded by a setting before any work is done, so a request with 5,000 area names
is refused in microseconds instead of holding a worker for half a minute. A string where a list
is expected is refused (never split into characters), and each refusal names the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from assistant.errors import QuestionError, RequestError
from assistant.records import Answer
from assistant.retrieve.filters import Filters
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.service import Assistant

YEARS = (1990, 2100)  # inspections under these regimes began in 2009; letters are not future
# The page's labels and the command line's words for the findings asked about.
POLARITY_WORDS: dict[str, str | None] = {
    "any": None,
    "strength": "strength",
    "strengths": "strength",
    "improvement": "improvement",
    "areas for improvement": "improvement",
}
LIST_FIELDS = ("areas", "types", "letters", "conversation")


class Turn(BaseModel):
    """An earlier question and its answer, for a follow-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    question: StrictStr
    answer: StrictStr


class AskRequest(BaseModel):
    """A question with its filters. Build it with :func:`parse_request`, which applies the
    limits in ``Settings``; the bare class checks types and choices only.

    >>> r = parse_request({"question": "What did Ofsted find in Leeds?", "areas": ["Leeds"]})
    >>> r.filters().areas
    ('Leeds',)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: StrictStr = Field(description="the question, in plain words")
    areas: list[StrictStr] = Field(default=[], description="local areas to search only")
    types: list[StrictStr] = Field(
        default=[], description="inspection types: JTAI, ILACS, SIF, focused visit, area SEND"
    )
    letters: list[StrictStr] = Field(default=[], description="letter ids to search only")
    year_from: int | None = Field(default=None, ge=YEARS[0], le=YEARS[1])
    year_to: int | None = Field(default=None, ge=YEARS[0], le=YEARS[1])
    since: StrictStr | None = Field(default=None, description="ISO date, e.g. 2019-01-01")
    until: StrictStr | None = Field(default=None, description="ISO date")
    polarity: Literal["strength", "improvement"] | None = Field(
        default=None,
        description="only strengths or only areas for improvement ('Any', 'Strengths' and "
        "'Areas for improvement', the page's labels, are read too)",
    )
    mode: Literal["grounded", "llm"] | None = Field(
        default=None, description="who answers (default: the server's setting)"
    )
    k: int | None = Field(default=None, ge=1, description="passages to retrieve")
    conversation: list[Turn] = Field(
        default=[], description="earlier turns, oldest first, for a follow-up question"
    )

    @field_validator(*LIST_FIELDS, mode="before")
    @classmethod
    def _a_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str | bytes | dict):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        return value

    @field_validator("year_from", "year_to", "k", mode="before")
    @classmethod
    def _a_whole_number(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and value.strip().lower() in {"", "any"}):
            return None
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError("expected a whole number")
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError(f"expected a whole number, got {value[:20]!r}")
        return value

    @field_validator("since", "until")
    @classmethod
    def _an_iso_date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected an ISO date (YYYY-MM-DD), got {value[:20]!r}") from None
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise ValueError(f"expected a year from {YEARS[0]} to {YEARS[1]}")
        return day.isoformat()

    @field_validator("polarity", mode="before")
    @classmethod
    def _polarity_word(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in POLARITY_WORDS:
            return POLARITY_WORDS[value.strip().lower()]
        return value

    @field_validator("mode", mode="before")
    @classmethod
    def _mode_word(cls, value: Any) -> Any:
        return None if value == "" else value

    @model_validator(mode="after")
    def _in_order(self) -> AskRequest:
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise ValueError(f"year_from ({self.year_from}) is after year_to ({self.year_to})")
        start, end = self.start, self.end
        if start and end and start > end:
            raise ValueError(f"the date range starts ({start}) after it ends ({end})")
        return self

    @property
    def start(self) -> str | None:
        """The earliest date asked about (``since``, else 1 January of ``year_from``)."""
        return self.since or (f"{self.year_from}-01-01" if self.year_from else None)

    @property
    def end(self) -> str | None:
        return self.until or (f"{self.year_to}-12-31" if self.year_to else None)

    def filters(self) -> Filters:
        return Filters(
            areas=tuple(self.areas),
            types=tuple(self.types),
            since=self.start,
            until=self.end,
            polarity=self.polarity,
            doc_ids=tuple(self.letters),
        )

    def earlier(self) -> list[tuple[str, str]]:
        return [(t.question, t.answer) for t in self.conversation]

    def ask(self, assistant: Assistant) -> Answer:
        """Answer it; a :class:`RequestError` for a field the assistant cannot serve (the mode,
        or the question: empty once its white space is folded)."""
        try:
            if self.mode:
                assistant.answerer_for(self.mode)
        except QuestionError as exc:
            raise RequestError("mode", str(exc)) from None
        try:
            return assistant.ask(
                self.question, self.filters(), self.k, mode=self.mode, conversation=self.earlier()
            )
        except QuestionError as exc:
            raise RequestError("question", str(exc)) from None


def parse_request(data: dict[str, Any], settings: Settings | None = None) -> AskRequest:
    """``data`` checked against the limits in ``settings``; a :class:`RequestError` naming the
    field and the reason (and the setting, for a limit) when it does not pass."""
    model = request_model(limits(settings or Settings()))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise request_error(exc) from None


def limits(settings: Settings) -> tuple[int, ...]:
    return (
        settings.max_question_chars,
        settings.max_filter_items,
        settings.max_filter_chars,
        settings.max_conversation_turns,
        settings.max_answer_chars,
        settings.max_k,
    )


@lru_cache(maxsize=8)
def request_model(bounds: tuple[int, ...]) -> type[AskRequest]:
    """:class:`AskRequest` with the limits of ``bounds`` (see :func:`limits`) written into its
    fields, so they are checked by pydantic and shown in the OpenAPI schema."""
    question_chars, items, item_chars, turns, answer_chars, max_k = bounds
    name = Annotated[str, Field(strict=True, max_length=item_chars)]
    names = Annotated[list[name], Field(max_length=items)]
    turn = create_model(
        "Turn",
        __base__=Turn,
        question=(Annotated[str, Field(strict=True, max_length=question_chars)], ...),
        answer=(Annotated[str, Field(strict=True, max_length=answer_chars)], ...),
    )
    most: dict[str, Any] = {"maxLength": question_chars}
    fields: dict[str, Any] = {
        "question": (
            Annotated[str, AfterValidator(partial(_question_length, limit=question_chars))],
            Field(strict=True, description="the question", json_schema_extra=most),
        ),
        "areas": (names, Field(default=[], description="local areas to search only")),
        "types": (
            names,
            Field(
                default=[],
                description="inspection types: JTAI, ILACS, SIF, focused visit, area SEND",
            ),
        ),
        "letters": (names, Field(default=[], description="letter ids to search only")),
        "k": (int | None, Field(default=None, ge=1, le=max_k, description="passages")),
        "conversation": (
            Annotated[list[turn], Field(max_length=turns)],  # type: ignore[valid-type]
            Field(default=[], description="earlier turns, oldest first, for a follow-up"),
        ),
    }
    return create_model("AskRequest", __base__=AskRequest, **fields)


def _question_length(question: str, limit: int) -> str:
    """The same words as the assistant's own check (:meth:`chain.Pipeline.check_question`)."""
    if len(question) > limit:
        raise ValueError(
            f"the question is {len(question):,} characters long; the limit is {limit:,} "
            "(setting max_question_chars)"
        )
    return question


# Which setting bounds a field, for the message when a limit is passed.
SETTING_OF = {
    "question": "max_question_chars",
    "areas": "max_filter_items",
    "types": "max_filter_items",
    "letters": "max_filter_items",
    "conversation": "max_conversation_turns",
    "k": "max_k",
}
LIMIT_ERRORS = {"too_long", "string_too_long", "less_than_equal"}


def request_error(exc: ValidationError) -> RequestError:
    return describe_errors(exc.errors(include_url=False))


def describe_errors(errors: Sequence[Any], skip: tuple[str, ...] = ()) -> RequestError:
    """The first problem of a failed validation as one line: the field (``areas[3]``) and the
    reason, with the setting that bounds it when a limit was passed. ``skip``: leading parts of
    the location to drop (FastAPI puts ``body`` first)."""
    error = errors[0]
    loc = tuple(error["loc"])
    while loc and loc[0] in skip:
        loc = loc[1:]
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    field = field or "request"
    reason = str(error["msg"]).removeprefix("Value error, ")
    kind = error["type"]
    if kind == "missing":
        reason = "missing: this field is required"
    elif kind == "extra_forbidden":
        reason = "not a field of this request"
    elif kind == "too_long" and "ctx" in error:
        reason = f"at most {error['ctx']['max_length']} items, got {error['ctx']['actual_length']}"
    elif kind in {"string_type", "int_type", "list_type", "int_parsing", "model_attributes_type"}:
        reason += f", got {type(error.get('input')).__name__}"
    if kind in LIMIT_ERRORS and loc:
        top = str(loc[0])
        setting = SETTING_OF.get(top)
        if top in {"areas", "types", "letters"} and len(loc) > 1:
            setting = "max_filter_chars"
        elif top == "conversation" and len(loc) > 2:
            setting = "max_question_chars" if loc[-1] == "question" else "max_answer_chars"
        if setting:
            reason += f" (setting {setting})"
    return RequestError(field, reason)


def from_cli(args: Any, settings: Settings) -> AskRequest:
    """The command line's ``ask`` arguments as a request, checked like any other."""
    data = {
        "question": args.question,
        "areas": args.area or [],
        "types": args.type or [],
        "letters": args.doc or [],
        "since": args.since,
        "until": args.until,
        "polarity": args.polarity,
        "mode": args.mode,
        "k": args.k,
    }
    return parse_request(data, settings)
