"""The naive LangChain RAG the assistant is measured against, built over the same corpus.

The letters (pypdf text of each document) split with RecursiveCharacterTextSplitter (1,000
characters, 200 overlap), the same embedding model in Chroma, plain similarity top-k, and the
top passages as the answer, each of their sentences citing the chunk it comes from. It never
abstains.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from langchain_chroma import Chroma
from langchain_text_splitters import RecursiveCharacterTextSplitter
from pypdf import PdfReader
from tqdm import tqdm

from assistant.index.catalog import Catalog
from assistant.index.embedder import load_embeddings
from assistant.index.vectors import ADD_BATCH, chroma_client
from assistant.records import Answer, Citation, DocumentMeta, Passage, ScoredPassage
from assistant.retrieve.filters import Filters, allowed_docs
from assistant.settings import Settings
from assistant.text import split_sentences


class NaiveBaseline:
    name = "baseline"

    def __init__(self, settings: Settings, catalog: Catalog, show_progress: bool = True) -> None:
        self.catalog = catalog
        self.chunks: dict[str, Passage] = {}
        embeddings = load_embeddings(settings)
        fingerprint = hashlib.sha256(
            "".join(sorted(d.sha256 for d in catalog.documents.values())).encode()
        ).hexdigest()[:12]
        self.store = Chroma(
            client=chroma_client(settings),
            collection_name=f"baseline-{fingerprint}",
            embedding_function=embeddings,
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        texts, metas, ids = [], [], []
        for doc_id, source in sorted(catalog.sources.items()):
            path = Path(source)
            if path.suffix.lower() == ".pdf":
                text = "\n".join((page.extract_text() or "") for page in PdfReader(path).pages)
            else:
                text = path.read_text(encoding="utf-8")
            for n, chunk in enumerate(splitter.split_text(text)):
                chunk_id = f"{doc_id}#naive-{n:04d}"
                self.chunks[chunk_id] = Passage(
                    chunk_id, doc_id, n, chunk, "", "neutral", 1, 1, 0, 0
                )
                texts.append(chunk)
                metas.append({"doc_id": doc_id})
                ids.append(chunk_id)
        existing = set(self.store._collection.get(include=[])["ids"])
        todo = [i for i, chunk_id in enumerate(ids) if chunk_id not in existing]
        started = time.perf_counter()
        bar = tqdm(
            total=len(todo),
            desc="Baseline: embedding chunks",
            unit="chunk",
            disable=not show_progress or not todo,
        )
        for start in range(0, len(todo), ADD_BATCH):
            batch = todo[start : start + ADD_BATCH]
            self.store.add_texts(
                [texts[i] for i in batch], [metas[i] for i in batch], ids=[ids[i] for i in batch]
            )
            bar.update(len(batch))
        bar.close()
        self.build_seconds = time.perf_counter() - started

    def ask(self, question: str, filters: Filters | None = None, k: int | None = None) -> Answer:
        k = k or 5
        t0 = time.perf_counter()
        allowed = allowed_docs(self.catalog, filters or Filters())
        where: dict[str, Any] | None = (
            {"doc_id": {"$in": sorted(allowed) or ["-"]}} if allowed is not None else None
        )
        hits = self.store.similarity_search_with_score(question, k=k, filter=where)
        passages = []
        for rank, (doc, distance) in enumerate(hits, start=1):
            chunk = self.chunks[str(doc.id)]
            meta: DocumentMeta = self.catalog.doc(chunk.doc_id)
            passages.append(ScoredPassage(chunk, meta, 1.0 - float(distance), rank))
        # Every sentence cites the chunk it comes from, so citation figures compare fairly.
        # (A piece with no full stop of its own, an address block say, gets one after its
        # marker, so it reads, and parses, as a sentence of its own.)
        text = " ".join(
            f"{sentence} [{sp.rank}]" + ("" if sentence[-1:] in ".!?" else ".")
            for sp in passages
            for sentence in split_sentences(" ".join(sp.passage.text.split()))
        )
        citations = tuple(
            Citation(
                sp.rank, sp.passage.id, sp.passage.doc_id, sp.doc.title, 1, "", sp.passage.text
            )
            for sp in passages
        )
        elapsed = (time.perf_counter() - t0) * 1000
        return Answer(question, text, False, citations, tuple(passages), {"total": elapsed})
