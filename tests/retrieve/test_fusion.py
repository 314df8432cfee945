import pytest

from assistant.retrieve.fusion import reciprocal_rank_fusion


def test_item_in_both_lists_beats_top_of_one() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "b", "d"]], k=60)
    assert [i for i, _ in fused][:1] == ["b"] or [i for i, _ in fused][:2] == ["c", "b"]
    scores = dict(fused)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 62)
    assert scores["a"] == pytest.approx(1 / 61)


@pytest.mark.parametrize(
    ("rankings", "weights", "first"),
    [
        ([["a"], ["b"]], [1.0, 2.0], "b"),
        ([["a"], ["b"]], [2.0, 1.0], "a"),
        ([["a", "b"], []], None, "a"),
        ([[], []], None, None),
    ],
)
def test_weights_and_empty_lists(rankings, weights, first) -> None:
    fused = reciprocal_rank_fusion(rankings, k=60, weights=weights)
    assert (fused[0][0] if fused else None) == first


def test_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=0)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0])
