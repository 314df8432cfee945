"""LangChain's own standard test suite for retrievers, against a real index (real model, real
Chroma), and the retriever dropped into plain LangChain code."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.index.opened import open_index
from assistant.retrieve.filters import Filters
from assistant.retrieve.hybrid import HybridRetriever, open_retriever
from assistant.settings import Settings

pytestmark = pytest.mark.integration


class TestHybridRetrieverStandard(RetrieversIntegrationTests):
    params: ClassVar[dict[str, Any]] = {}

    @pytest.fixture(autouse=True, scope="class")
    def _index(self, sample_index: Path) -> None:
        settings = Settings(index_dir=sample_index)
        catalog, store = open_index(settings)
        type(self).params = {"catalog": catalog, "store": store, "settings": settings}

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return dict(self.params)

    @property
    def retriever_query_example(self) -> str:
        return "dentists and neglect"


def test_documents_carry_where_they_come_from(sample_index: Path) -> None:
    retriever = open_retriever(Settings(index_dir=sample_index), k=2)
    docs = retriever.invoke("What works well for children with SEND in Hartlepool?")
    assert len(docs) == 2
    meta = docs[0].metadata
    assert meta["doc"] == "area-send-hartlepool-2023-05" and meta["area"] == "Hartlepool"
    assert meta["type"] == "area SEND" and meta["date"].startswith("2023-")
    assert {"title", "page", "section", "polarity", "score", "passage_id"} <= set(meta)
    scoped = retriever.invoke("What works well?", filters=Filters(areas=("Stockton-on-Tees",)))
    assert {d.metadata["area"] for d in scoped} == {"Stockton-on-Tees"}
