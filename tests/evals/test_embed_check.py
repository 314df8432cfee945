"""The comparison of the two embedding backends: its nearest-neighbour arithmetic."""

from __future__ import annotations

import numpy as np

from assistant.evals.embed_check import neighbour_overlap, top_k


def test_top_k_ranks_by_dot_product() -> None:
    passages = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    queries = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert top_k(queries, passages, 2).tolist() == [[1, 2], [0, 2]]


def test_overlap_counts_shared_neighbours_as_sets() -> None:
    first = np.array([[0, 1, 2, 3], [4, 5, 6, 7]])
    assert neighbour_overlap(first, first[:, ::-1]) == 1.0
    assert neighbour_overlap(first, np.array([[0, 1, 2, 9], [4, 5, 8, 9]])) == 0.625
    assert neighbour_overlap(first[:0], first[:0]) == 1.0
