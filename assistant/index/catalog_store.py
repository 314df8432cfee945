"""Where the catalog lives: a folder under ``index_dir`` (the default), or the Chroma server
beside the passages' vectors, so several app processes, on one machine or many, share one
index with nothing on their own disks.

Both keep a version that changes with every ingest that changes the index; a process compares
it with the version it loaded to pick up letters another process added (``ui.page`` polls it).
Writers take turns: ``writing()`` holds the store's write lock (write_lock.py) from the read of
the catalog to the save, so two ingests at once both land, one after the other. A save also
names the version it started from and is refused when the index moved since (a writer that
lost its lock), so no ingest can silently undo another's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import IndexMismatchError
from assistant.index.catalog import FORMAT, Catalog, linked_folder, sweep_folders
from assistant.index.keyword import KeywordIndex
from assistant.index.write_lock import LEASE, ServerLease, folder_lock
from assistant.records import DocumentMeta, Passage
from assistant.settings import Settings


class CatalogStore(Protocol):
    where: str  # for messages: the folder or the server

    def load(self) -> Catalog | None: ...

    def save(self, catalog: Catalog, based_on: str | None) -> None: ...

    def version(self) -> str | None: ...

    def drop(self) -> None: ...

    def writing(
        self, wait_seconds: float, notify: Callable[[str], None]
    ) -> AbstractContextManager[None]: ...

    def tidy(self) -> None: ...


class FolderCatalogs:
    """The catalog as files in ``index_dir`` behind an atomically swapped link (catalog.py)."""

    def __init__(self, settings: Settings) -> None:
        self.index_dir = Path(settings.index_dir)
        self.where = str(self.index_dir)

    def load(self) -> Catalog | None:
        return Catalog.load(self.index_dir)

    def save(self, catalog: Catalog, based_on: str | None) -> None:
        _refuse_if_moved(self.where, self.version(), based_on)
        catalog.save(self.index_dir)

    def version(self) -> str | None:
        """The name of the folder the link points at (``catalog`` itself for an index copied
        with its link followed), or None before the first save."""
        folder = linked_folder(self.index_dir)
        return folder.name if folder else None

    def drop(self) -> None:
        """Nothing to do: a rebuild writes a whole new catalog folder."""

    def writing(
        self, wait_seconds: float, notify: Callable[[str], None]
    ) -> AbstractContextManager[None]:
        return folder_lock(self.index_dir, wait_seconds, notify)

    def tidy(self) -> None:
        """Sweep catalog folders a killed save left (under the write lock, when nothing is
        saved: a save sweeps them itself)."""
        current = linked_folder(self.index_dir)
        sweep_folders(self.index_dir, {current.name} if current else set())


HEADER = "__catalog__"
_DOC = "doc:"
_BATCH = 100  # documents fetched per request: each holds its pages and passages


class ServerCatalogs:
    """The catalog as records of a Chroma collection beside the passages: one record per
    document (its metadata, source, page texts and passages, as JSON), and a header record
    listing each document's content hash and the version. The header is the commit point:
    document records are written first, the header then, stale records last; a reader takes
    the documents the header lists and checks their hashes, so it sees one catalog or the
    next, never a mix."""

    def __init__(self, settings: Settings) -> None:
        from assistant.index.vectors import chroma_client

        self.client = chroma_client(settings)
        self.name = f"{settings.collection}-catalog"
        self.where = f"the Chroma server {settings.chroma_host}:{settings.chroma_port}"
        self._collection: Any = None
        self._lease: ServerLease | None = None

    @property
    def collection(self) -> Any:
        if self._collection is None:
            # No embedding function: these records are never searched, and Chroma's default
            # one would try to download a model.
            self._collection = self.client.get_or_create_collection(
                self.name, embedding_function=None
            )
        return self._collection

    def header(self) -> dict[str, Any] | None:
        got = self.collection.get(ids=[HEADER], include=["documents"])
        return json.loads(got["documents"][0]) if got["ids"] else None

    def version(self) -> str | None:
        got = self.collection.get(ids=[HEADER], include=["metadatas"])
        return str(got["metadatas"][0]["version"]) if got["ids"] else None

    def load(self) -> Catalog | None:
        for attempt in range(5):
            header = self.header()
            if header is None:
                return None
            if header.get("format") != FORMAT:
                raise IndexMismatchError(
                    f"{self.where}: index format {header.get('format')} is not {FORMAT}; "
                    "rebuild it with 'python -m assistant ingest --rebuild'"
                )
            records = self._documents(header["documents"])
            if records is not None:
                return _catalog(header, records)
            time.sleep(0.2 * (attempt + 1))  # a save is under way: its header comes next
        raise IndexMismatchError(
            f"{self.where}: the catalog kept changing while it was read; try again"
        )

    def _documents(self, stamps: dict[str, str]) -> list[dict[str, Any]] | None:
        """The listed documents' records, or None when one is missing or not the listed one."""
        ids = [_DOC + d for d in stamps]
        out = []
        for start in range(0, len(ids), _BATCH):
            got = self.collection.get(ids=ids[start : start + _BATCH], include=["documents"])
            for record_id, text in zip(got["ids"], got["documents"], strict=True):
                if stamps.get(record_id[len(_DOC) :]) != _stamp(text):
                    return None
                out.append(json.loads(text))
        return out if len(out) == len(ids) else None

    @contextlib.contextmanager
    def writing(self, wait_seconds: float, notify: Callable[[str], None]) -> Iterator[None]:
        lease = ServerLease(self.collection, self.where)
        with lease.hold(wait_seconds, notify):
            self._lease = lease
            try:
                yield
            finally:
                self._lease = None

    def save(self, catalog: Catalog, based_on: str | None) -> None:
        current = self.header()
        _refuse_if_moved(self.where, current["version"] if current else None, based_on)
        before = (current or {}).get("documents", {})
        texts = {doc_id: _record_text(catalog, doc_id) for doc_id in catalog.documents}
        stamps = {doc_id: _stamp(text) for doc_id, text in texts.items()}
        changed = [d for d in texts if before.get(d) != stamps[d]]
        for start in range(0, len(changed), _BATCH):
            batch = changed[start : start + _BATCH]
            self.collection.upsert(
                ids=[_DOC + d for d in batch],
                documents=[texts[d] for d in batch],
                embeddings=[[1.0]] * len(batch),
                metadatas=[{"stamp": stamps[d]} for d in batch],
            )
        version = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        # The header is the commit point: written only by the lease's holder, and only over
        # the version this save started from.
        if self._lease is not None and not self._lease.held():
            raise IndexMismatchError(
                f"this ingest lost its write lease on {self.where} (it was away longer than "
                "the lease lasts); run it again"
            )
        now = self.version()
        _refuse_if_moved(self.where, now, current["version"] if current else None)
        header = {
            "format": FORMAT,
            "version": version,
            "embedding_model": catalog.embedding_model,
            "passage_settings": catalog.passage_settings,
            "documents": stamps,
        }
        self.collection.upsert(
            ids=[HEADER],
            documents=[json.dumps(header, ensure_ascii=False)],
            embeddings=[[1.0]],
            metadatas=[{"version": version}],
        )
        catalog.version = version
        self.sweep(stamps)

    def tidy(self) -> None:
        header = self.header()
        if header is not None:
            self.sweep(header["documents"])

    def sweep(self, listed: dict[str, str]) -> None:
        """Delete every document record the header does not list: the letters this save
        removed, and any an earlier save left when it stopped after its header."""
        every = self.collection.get(include=[])["ids"]
        stale = [i for i in every if i.startswith(_DOC) and i[len(_DOC) :] not in listed]
        for start in range(0, len(stale), _BATCH * 10):
            self.collection.delete(ids=stale[start : start + _BATCH * 10])

    def drop(self) -> None:
        """Every record but the write lease (which the rebuilding ingest holds)."""
        ids = [i for i in self.collection.get(include=[])["ids"] if i != LEASE]
        for start in range(0, len(ids), _BATCH * 10):
            self.collection.delete(ids=ids[start : start + _BATCH * 10])


def _refuse_if_moved(where: str, now: str | None, based_on: str | None) -> None:
    if now is not None and now != based_on:
        raise IndexMismatchError(
            f"another process changed the index in {where} while this ingest ran; "
            "run it again (it only adds what is still missing)"
        )


def _record_text(catalog: Catalog, doc_id: str) -> str:
    record = {
        "meta": catalog.documents[doc_id].to_dict(),
        "source": catalog.sources.get(doc_id, catalog.documents[doc_id].source),
        "pages": catalog.pages.get(doc_id, []),
        "passages": [catalog.passages[i].to_dict() for i in catalog.by_doc.get(doc_id, [])],
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _stamp(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _catalog(header: dict[str, Any], records: list[dict[str, Any]]) -> Catalog:
    records.sort(key=lambda r: r["meta"]["doc_id"])
    documents = [DocumentMeta.from_dict(r["meta"]) for r in records]
    passages = [Passage.from_dict(p) for r in records for p in r["passages"]]
    catalog = Catalog(
        embedding_model=header["embedding_model"],
        passage_settings=header.get("passage_settings", {}),
        documents={d.doc_id: d for d in documents},
        passages=passages,
        pages={r["meta"]["doc_id"]: r["pages"] for r in records},
        sources={r["meta"]["doc_id"]: r["source"] for r in records},
    )
    catalog.version = header["version"]
    catalog.keyword = KeywordIndex.build([p.search_text for p in passages])
    return catalog


STORES: dict[bool, Callable[[Settings], CatalogStore]] = {
    False: FolderCatalogs,
    True: ServerCatalogs,
}


def catalog_store(settings: Settings) -> CatalogStore:
    """The server's catalog when a Chroma server is configured, else the index folder's."""
    return STORES[bool(settings.chroma_host)](settings)
