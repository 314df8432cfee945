"""The Chroma vector store: embedded on disk by default, a Chroma server when configured.

Which of the two is a one-line switch in :func:`chroma_client`; everything else talks to the
LangChain ``Chroma`` vector store, with the embedding function always passed explicitly (Chroma's
own default would try to download a model).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from assistant.errors import IndexMismatchError
from assistant.index.embedder import identity_note
from assistant.records import DocumentMeta, Passage
from assistant.settings import Settings

# Chroma rejects more than about 5,461 records in one upsert; stay well under.
ADD_BATCH = 256


@contextmanager
def chroma_server(folder: Path, port: int, timeout: float = 60.0) -> Iterator[int]:
    """A real Chroma server (`chroma run`, shipped in the chromadb wheel) storing in ``folder``
    on 127.0.0.1:``port``, once it answers; stopped on exit. For the tests and the bench."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(folder / "data")]
    with (folder / "server.log").open("w") as log:
        proc = subprocess.Popen(
            [*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:  # the client connects when made
                chromadb.HttpClient(
                    host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
                ).heartbeat()
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    log_text = (folder / "server.log").read_text()
                    raise RuntimeError(f"chroma run did not start:\n{log_text}") from None
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def chroma_client(settings: Settings) -> Any:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    path = Path(settings.index_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def open_store(settings: Settings, embeddings: Embeddings, identity: str) -> Chroma:
    """The passages collection, refusing one built with another embedding model."""
    client = chroma_client(settings)
    store = Chroma(
        client=client,
        collection_name=settings.collection,
        embedding_function=embeddings,
        collection_metadata={"hnsw:space": "cosine", "embedding_model": identity},
        # A larger search breadth keeps approximate search close to exact at this size.
        collection_configuration={
            "hnsw": {"space": "cosine", "ef_search": 400, "ef_construction": 400}
        },
    )
    built_with = (store._collection.metadata or {}).get("embedding_model")
    if built_with and built_with != identity:
        raise IndexMismatchError(
            f"the vector store in {settings.index_dir} was built with {built_with}, "
            f"but this installation embeds with {identity}{identity_note(built_with, identity)}; "
            "rebuild it with "
            f"'python -m assistant ingest --rebuild'"
        )
    return store


def chroma_metadata(passage: Passage, doc: DocumentMeta) -> dict[str, Any]:
    """Flat metadata Chroma can filter on."""
    day = (doc.date or "0000-00-00").replace("-", "")
    return {
        "doc_id": passage.doc_id,
        "area": doc.area,
        "type": doc.inspection_type,
        "date": int(day),
        "polarity": passage.polarity,
        "section": passage.section,
        "page": passage.page_start,
    }


def add_passages(
    store: Chroma, items: Sequence[tuple[Passage, DocumentMeta]], progress: Any = None
) -> None:
    for start in range(0, len(items), ADD_BATCH):
        batch = items[start : start + ADD_BATCH]
        store.add_texts(
            texts=[p.search_text for p, _ in batch],
            metadatas=[chroma_metadata(p, d) for p, d in batch],
            ids=[p.id for p, _ in batch],
        )
        if progress is not None:
            progress.update(len(batch))


def stored_ids(store: Chroma) -> set[str]:
    return set(store._collection.get(include=[])["ids"])


def delete_ids(store: Chroma, ids: Iterable[str]) -> None:
    ids = list(ids)
    for start in range(0, len(ids), ADD_BATCH * 8):
        store.delete(ids=ids[start : start + ADD_BATCH * 8])


def embeddings_of(store: Chroma) -> Embeddings:
    """The embedding model a store was opened with (open_store always gives one)."""
    embeddings = store.embeddings
    if embeddings is None:
        raise TypeError("the vector store was opened without an embedding model")
    return embeddings
