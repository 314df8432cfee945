"""The verifier's name rule reads possessives as the name."""

from assistant.answer.verify import holds


def test_a_possessive_name_is_the_name() -> None:
    passage = "Children presenting to Solihull’s front door services wait too long."
    assert holds("Children presenting to Solihull’s front door services wait too long.", passage)
    assert holds("Children presenting to Solihull front door services wait too long.", passage)
    assert not holds("Children presenting to Dudley's front door services wait too long.", passage)
