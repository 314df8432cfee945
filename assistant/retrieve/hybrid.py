"""Hybrid retrieval: dense (Chroma) and keyword (BM25) candidates fused by weighted RRF.

A standard LangChain ``BaseRetriever`` (``invoke(query, k=...)`` returns ``Document``s whose
metadata names the letter, its area, type, date, section, page, polarity and score), and
:meth:`HybridRetriever.search` returning typed :class:`ScoredPassage` records for the chain, the
CLI, the page and the evals. Only passages the catalog lists are returned, so a half-written run
of the vector store is never visible.
"""

from __future__ import annotations

from typing import Any

import httpx
import numpy as np
from langchain_chroma import Chroma
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.errors import IndexUnavailableError
from assistant.index.catalog import Catalog
from assistant.index.opened import open_index
from assistant.records import ASIDE_KINDS, ScoredPassage
from assistant.retrieve.filters import Filters, allowed_docs, chroma_where, passage_matches
from assistant.retrieve.fusion import reciprocal_rank_fusion
from assistant.settings import Settings


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval over the catalog's passages.

    Example::

        retriever = open_retriever(Settings.load(), k=3)
        retriever.invoke("dentists and neglect in Stockton")  # -> 3 Documents
        retriever.invoke("dentists and neglect in Stockton", k=1)  # -> 1 Document
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    catalog: Catalog
    store: Chroma
    settings: Settings
    filters: Filters = Filters()
    k: int | None = None  # documents returned by invoke; None: settings.k

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> list[Document]:
        found = self.search(query, filters or self.filters, k or self.k or self.settings.k)
        return [to_document(sp) for sp in found]

    def dense(self, query: str, filters: Filters, n: int) -> list[tuple[str, float]]:
        allowed = allowed_docs(self.catalog, filters)
        if allowed is not None and not allowed:
            return []
        try:
            hits = self.store.similarity_search_with_score(
                query, k=n, filter=chroma_where(allowed, filters)
            )
        except httpx.TransportError as exc:  # only a Chroma server is reached over HTTP
            where = f"{self.settings.chroma_host}:{self.settings.chroma_port}"
            raise IndexUnavailableError(
                f"the index server at {where} cannot be reached; try again in a moment"
            ) from exc
        return [
            (doc.id or "", 1.0 - float(distance))
            for doc, distance in hits
            if doc.id in self.catalog.position
        ]

    def keyword(self, query: str, filters: Filters, n: int) -> list[tuple[str, float]]:
        assert self.catalog.keyword is not None
        allowed = allowed_docs(self.catalog, filters)
        mask = self.catalog.mask(allowed)
        if filters.polarity:
            polarity = np.array([p.polarity == filters.polarity for p in self.catalog.passages])
            mask = polarity if mask is None else mask & polarity
        hits = self.catalog.keyword.search(query, n, mask)
        return [(self.catalog.passages[i].id, score) for i, score in hits]

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        k: int | None = None,
        keywords: str | None = None,
        asides: bool = False,
    ) -> list[ScoredPassage]:
        """Top k passages. ``keywords`` is the text for BM25 (default: the query). Letterheads,
        signature blocks, back matter and titles come back only with ``asides``."""
        filters = filters or self.filters
        k = k or self.settings.k
        n = self.settings.candidates
        dense = self.dense(query, filters, n)
        keyword = self.keyword(keywords or query, filters, n)
        fused = reciprocal_rank_fusion(
            [[i for i, _ in dense], [i for i, _ in keyword]],
            k=self.settings.rrf_k,
            weights=[self.settings.dense_weight, self.settings.keyword_weight],
        )
        out: list[ScoredPassage] = []
        for passage_id, score in fused:
            passage = self.catalog.passages[self.catalog.position[str(passage_id)]]
            if not passage_matches(passage, filters) or (
                passage.kind in ASIDE_KINDS and not asides
            ):
                continue
            out.append(
                ScoredPassage(passage, self.catalog.doc(passage.doc_id), score, len(out) + 1)
            )
            if len(out) == k:
                break
        return out


def to_document(sp: ScoredPassage) -> Document:
    """A passage as a LangChain ``Document``: its text, and where it comes from as metadata."""
    meta: dict[str, Any] = {
        "passage_id": sp.passage.id,
        "doc": sp.passage.doc_id,
        "title": sp.doc.title,
        "area": sp.doc.area,
        "type": sp.doc.inspection_type,
        "date": sp.doc.date,
        "section": sp.passage.section,
        "polarity": sp.passage.polarity,
        "page": sp.passage.page_start,
        "score": sp.score,
        "rank": sp.rank,
    }
    return Document(page_content=sp.passage.text, metadata=meta, id=sp.passage.id)


def open_retriever(
    settings: Settings, k: int | None = None, filters: Filters | None = None
) -> HybridRetriever:
    """The retriever over the index in ``settings.index_dir``, for your own LangChain code."""
    catalog, store = open_index(settings)
    return HybridRetriever(
        catalog=catalog, store=store, settings=settings, k=k, filters=filters or Filters()
    )
