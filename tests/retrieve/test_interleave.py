"""Two result lists taken in turn: a follow-up's own search beside the one with the last topic."""

from assistant.records import DocumentMeta, Passage, ScoredPassage
from assistant.retrieve.planner import interleave


def _hit(pid: str) -> ScoredPassage:
    doc = DocumentMeta("d", "t", "A", "JTAI", "d.pdf", "0" * 64, 1)
    return ScoredPassage(Passage(pid, "d", 0, "text", "s", "neutral", 1, 1, 0, 4), doc, 1.0)


def test_lists_are_taken_in_turn_each_passage_once_up_to_k() -> None:
    own = [_hit("a"), _hit("b"), _hit("c")]
    merged = [_hit("b"), _hit("x")]
    assert [h.passage.id for h in interleave([own, merged], 10)] == ["a", "b", "x", "c"]
    assert [h.passage.id for h in interleave([own, merged], 2)] == ["a", "b"]
    assert interleave([[], []], 5) == []
