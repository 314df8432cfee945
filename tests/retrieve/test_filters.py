"""Filters: a date range finds an inspection by its visit or by its letter."""

from assistant.records import DocumentMeta
from assistant.retrieve.filters import Filters, doc_matches

LATE = DocumentMeta(
    "fv-x-2023-01", "t", "Exampleshire", "focused visit", "x.pdf", "0" * 64, 5,
    letter_date="2023-01-10", fieldwork_start="2022-11-29", fieldwork_end="2022-11-30",
)  # fmt: skip


def test_a_visit_in_one_year_reported_the_next_is_found_by_either() -> None:
    assert doc_matches(LATE, Filters(since="2022-01-01", until="2022-12-31"))
    assert doc_matches(LATE, Filters(since="2023-01-01", until="2023-12-31"))
    assert not doc_matches(LATE, Filters(since="2024-01-01"))
    assert not doc_matches(LATE, Filters(until="2021-12-31"))
    assert doc_matches(LATE, Filters(types=("focused visit",)))
