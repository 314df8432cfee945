"""The BM25 keyword index (bm25s), persisted beside the vector store.

FINDINGS.md: keyword search alone matches dense search on this corpus (names, figures and
initiatives are exact words), so it is a full partner in retrieval, not an afterthought.
"""

from __future__ import annotations

import logging
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

# bm25s sets its own logger to DEBUG when imported, so "Building index from tokens" reached
# the command line's stderr at the default verbosity: put it back under the root's level.
logging.getLogger("bm25s").setLevel(logging.NOTSET)
_STEMMER = Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    out = bm25s.tokenize(
        texts, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return [list(tokens) for tokens in out]


class KeywordIndex:
    """BM25 over passages, addressed by position in the catalog's passage list."""

    def __init__(self, model: bm25s.BM25, size: int) -> None:
        self.model = model
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        model = bm25s.BM25()
        if texts:
            model.index(tokenize(texts), show_progress=False)
        return cls(model, len(texts))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.size:
            self.model.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> KeywordIndex:
        if size == 0:
            return cls(bm25s.BM25(), 0)
        model = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0)
        return cls(model, size)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(position, score) of the best k passages with a positive score, within ``mask``."""
        if not self.size:
            return []
        tokens = tokenize([query])[0]
        if not tokens:
            return []
        scores = self.model.get_scores(tokens)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(((int(i), float(scores[i])) for i in top), key=lambda x: -x[1])
        return [(i, s) for i, s in ranked if s > 0]
