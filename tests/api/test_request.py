"""The one request model of the page's API, the plain API and the command line."""

from __future__ import annotations

import time
from typing import Any

import pytest

from assistant.api.request import parse_request
from assistant.errors import RequestError
from assistant.settings import Settings

QUESTION = "What did the inspectors think of early help in Leeds?"


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"areas": "Leeds"}, "areas", "expected a list, got str"),
        ({"types": "JTAI"}, "types", "expected a list, got str"),
        ({"letters": "jtai-leeds-2019-01"}, "letters", "expected a list, got str"),
        ({"areas": ["Leeds"] * 51}, "areas", "at most 50 items, got 51 (setting max_filter_items)"),
        ({"areas": ["x" * 201]}, "areas[0]", "at most 200 characters (setting max_filter_chars)"),
        ({"types": ["JTAI", 7]}, "types[1]", "valid string, got int"),
        ({"question": 42}, "question", "valid string, got int"),
        ({"question": ["what", "now"]}, "question", "valid string, got list"),
        ({"question": "why " * 300}, "question", "the limit is 1,000 (setting max_question_chars)"),
        ({"year_from": "last year"}, "year_from", "expected a whole number"),
        ({"year_from": 2019.5}, "year_from", "expected a whole number"),
        ({"year_to": 3000}, "year_to", "less than or equal to 2100"),
        ({"year_from": 1066}, "year_from", "greater than or equal to 1990"),
        ({"year_from": 2022, "year_to": 2020}, "request", "year_from (2022) is after year_to"),
        ({"since": "2020"}, "since", "expected an ISO date (YYYY-MM-DD)"),
        ({"mode": "oracle"}, "mode", "'grounded' or 'llm'"),
        ({"polarity": "mixed"}, "polarity", "'strength' or 'improvement'"),
        ({"k": 0}, "k", "greater than or equal to 1"),
        ({"k": 500}, "k", "(setting max_k)"),
        ({"conversation": [{"question": "hi"}]}, "conversation[0].answer", "missing"),
        ({"colour": "blue"}, "colour", "not a field of this request"),
    ],
)
def test_each_refusal_names_the_field_and_the_reason(
    change: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(RequestError) as caught:
        parse_request({"question": QUESTION, **change})
    assert caught.value.field == field
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{field}: ")


def test_a_missing_question_is_named() -> None:
    with pytest.raises(RequestError, match=r"^question: missing"):
        parse_request({"areas": ["Leeds"]})


def test_limits_come_from_the_settings() -> None:
    tight = Settings(max_filter_items=2, max_filter_chars=10)
    parse_request({"question": QUESTION, "areas": ["Leeds", "York"]}, tight)
    with pytest.raises(RequestError, match="at most 2 items"):
        parse_request({"question": QUESTION, "areas": ["Leeds", "York", "Hull"]}, tight)
    with pytest.raises(RequestError, match="at most 10 characters"):
        parse_request({"question": QUESTION, "areas": ["Kingston upon Hull"]}, tight)


def test_five_thousand_long_area_names_are_refused_at_once() -> None:
    began = time.perf_counter()
    with pytest.raises(RequestError, match=r"^areas: "):
        parse_request({"question": QUESTION, "areas": ["y" * 1000] * 5000})
    assert time.perf_counter() - began < 0.5


def test_page_labels_and_command_line_words_become_filters() -> None:
    request = parse_request(
        {
            "question": QUESTION,
            "areas": ["Leeds"],
            "types": None,
            "year_from": "2019",
            "year_to": "Any",
            "polarity": "Areas for improvement",
            "mode": "",
        }
    )
    filters = request.filters()
    assert (filters.areas, filters.types, filters.since, filters.until) == (
        ("Leeds",),
        (),
        "2019-01-01",
        None,
    )
    assert filters.polarity == "improvement" and request.mode is None
    dated = parse_request({"question": QUESTION, "since": "2018-03-01", "until": "2019-02-28"})
    assert (dated.filters().since, dated.filters().until) == ("2018-03-01", "2019-02-28")


def test_the_schema_carries_the_limits() -> None:
    from assistant.api.request import limits, request_model

    schema = request_model(limits(Settings())).model_json_schema()
    assert schema["properties"]["areas"]["maxItems"] == 50
    assert schema["properties"]["question"]["maxLength"] == 1000
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    "name", ["max_filter_items", "max_filter_chars", "max_conversation_turns", "max_k"]
)
def test_limit_settings_must_be_positive(name: str) -> None:
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match=name):
        Settings(**{name: 0})


def test_the_command_line_goes_through_the_same_checks(capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    assert main(["ask", "Who led the visit?", "--since", "last spring"]) == 2
    assert "error: since: expected an ISO date (YYYY-MM-DD)" in capsys.readouterr().err
    assert main(["ask", "Who led the visit?", "--area", "q" * 300]) == 2
    assert "error: areas[0]: String should have at most 200 characters" in capsys.readouterr().err
