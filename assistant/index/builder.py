"""Incremental ingestion: add new letters, re-index changed ones, drop deleted ones.

A manifest of content hashes (in the catalog) decides what to do; nothing changed means
nothing is read, embedded or written. A bad file is reported by name and reason and the rest
of the batch goes on. The catalog swap is the commit point (see catalog.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from tqdm import tqdm

from assistant.errors import AssistantError, DocumentError, IndexMismatchError, IndexWriteError
from assistant.index.catalog import Catalog
from assistant.index.catalog_store import CatalogStore, catalog_store
from assistant.index.embedder import LazyEmbeddings, identity_note, model_identity
from assistant.index.vectors import add_passages, delete_ids, open_store, stored_ids
from assistant.ingest.loader import file_hash, ingester_fingerprint, parse_document
from assistant.ingest.reader import SUPPORTED_SUFFIXES
from assistant.records import ParsedDocument
from assistant.settings import Settings
from assistant.text import normalise

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    reread: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, doc id kept)
    documents: int = 0
    passages: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.reread)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.reread:
            parts.append(f"{len(self.reread)} re-read (the ingester changed)")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicates skipped")
        return (
            f"{', '.join(parts)}; index holds {self.documents} documents, "
            f"{self.passages} passages ({self.seconds:.1f} s)"
        )


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[tuple[str, str]]]:
    """(files to ingest, folders scanned, problems): folders are searched recursively."""
    files: list[Path] = []
    folders: list[Path] = []
    problems: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            folders.append(path.resolve())
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                )
            )
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                problems.append(
                    (str(path), f"unsupported file type {path.suffix or '(none)'}; use PDF or .txt")
                )
        else:
            problems.append((str(path), "no such file or folder"))
    return files, folders, problems


Job = tuple[Path, str, int, int, int]  # path, hash, passage min and max chars, text limit


def _parse(job: Job) -> ParsedDocument | DocumentError:
    path, sha, min_chars, max_chars, max_text_chars = job
    try:
        return parse_document(
            path,
            min_chars=min_chars,
            max_chars=max_chars,
            sha256=sha,
            max_text_chars=max_text_chars,
        )
    except DocumentError as exc:
        return exc
    except Exception as exc:  # a broken file must not stop the batch
        return DocumentError(str(path), f"could not be read ({type(exc).__name__}: {exc})")


def page_count(path: Path) -> int | None:
    """A PDF's page count from its page tree, before any text is read (None when it cannot be
    opened: the reader then names the reason)."""
    if path.suffix.lower() != ".pdf":
        return None
    try:
        return len(PdfReader(path).pages)
    except Exception:  # a broken file is the reader's to report
        return None


def _die_with_parent() -> None:
    """In a reading worker: end when the ingest that started it ends, however it ends (a
    SIGKILL gives the parent no chance to stop its pool). Linux only; elsewhere a no-op."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def parse_all(jobs: list[Job], show: bool) -> list[ParsedDocument | DocumentError]:
    bar = tqdm(total=len(jobs), desc="Reading letters", unit="doc", disable=not show or not jobs)
    results: list[ParsedDocument | DocumentError] = []
    if len(jobs) > 2 and (multiprocessing.cpu_count() or 1) > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=min(4, multiprocessing.cpu_count()),
            mp_context=context,
            initializer=_die_with_parent,
        ) as pool:
            for result in pool.map(_parse, jobs):
                results.append(result)
                bar.update(1)
    else:
        for job in jobs:
            results.append(_parse(job))
            bar.update(1)
    bar.close()
    return results


def ingest(
    paths: list[Path],
    settings: Settings,
    *,
    rebuild: bool = False,
    show_progress: bool = True,
    wait: bool = True,
    notify: Callable[[str], None] | None = None,
) -> IngestReport:
    """Bring the index in line with ``paths``, holding the index's write lock from the read of
    the catalog to its commit (waiting up to ``write_wait_seconds`` for another ingest, saying
    so through ``notify``, or refusing at once when ``wait`` is False)."""
    catalogs = catalog_store(settings)
    wait_seconds = settings.write_wait_seconds if wait else 0.0
    with catalogs.writing(wait_seconds, notify or log.warning):
        return _ingest(paths, settings, catalogs, rebuild, show_progress)


def _ingest(
    paths: list[Path],
    settings: Settings,
    catalogs: CatalogStore,
    rebuild: bool,
    show_progress: bool,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    identity = model_identity(settings)
    passage_settings: dict[str, Any] = {
        "min_chars": settings.passage_min_chars,
        "max_chars": settings.passage_max_chars,
        "ingester": ingester_fingerprint(),  # code changes make every document stale
    }
    index_dir = Path(settings.index_dir)
    if rebuild:
        catalogs.drop()
    old = None if rebuild else catalogs.load()
    # Under the write lock nobody else saves; the save still checks the version it read.
    based_on = old.version if old is not None else catalogs.version()
    if old is not None and old.embedding_model != identity:
        raise IndexMismatchError(
            f"{catalogs.where} was built with {old.embedding_model}, not {identity}"
            f"{identity_note(old.embedding_model, identity)}; "
            "run 'python -m assistant ingest --rebuild' to rebuild it"
        )
    reusable = old is not None and old.passage_settings == passage_settings

    files, folders, problems = find_files(paths)
    report.failed.extend(problems)
    seen: dict[str, Path] = {}
    # One letter under two names is stored once: the name already held (or met first) is kept.
    by_content: dict[str, str] = {}
    if old is not None:
        for d in old.documents.values():
            if Path(old.sources.get(d.doc_id, d.source)).exists():
                by_content.setdefault(d.sha256, d.doc_id)
    jobs: list[Job] = []
    for path in files:
        doc_id = path.stem
        if doc_id in seen:
            report.failed.append(
                (str(path), f"same name as {seen[doc_id]}; document ids must be unique")
            )
            continue
        seen[doc_id] = path
        try:
            too_big = path.stat().st_size > settings.max_file_mb * 1024 * 1024
            sha = "" if too_big else file_hash(path)
        except OSError as exc:
            report.failed.append((str(path), f"cannot read: {exc}"))
            continue
        if too_big:
            del seen[doc_id]
            report.failed.append(
                (
                    str(path),
                    f"larger than the {settings.max_file_mb} MB limit (setting max_file_mb)",
                )
            )
            continue
        kept = by_content.setdefault(sha, doc_id)
        if kept != doc_id:
            report.duplicates.append((str(path), kept))
            del seen[doc_id]
            continue
        if (
            reusable
            and old is not None
            and doc_id in old.documents
            and old.documents[doc_id].sha256 == sha
        ):
            report.unchanged.append(doc_id)
        elif (pages := page_count(path)) is not None and pages > settings.max_pages:
            del seen[doc_id]
            report.failed.append(
                (
                    str(path),
                    f"{pages} pages, over the {settings.max_pages}-page limit (setting max_pages)",
                )
            )
        else:
            jobs.append(
                (
                    path,
                    sha,
                    settings.passage_min_chars,
                    settings.passage_max_chars,
                    settings.max_text_chars,
                )
            )

    removed = []
    if old is not None:
        for doc_id, source in old.sources.items():
            if doc_id in seen:
                continue
            parent = Path(source).parent
            # A letter whose file is gone is dropped, unless the index is shared through a
            # server: another process (another machine) may have added it from its own disk.
            gone = not Path(source).exists() and not settings.chroma_host
            if any(parent == f or f in parent.parents for f in folders) or gone:
                removed.append(doc_id)

    if old is not None and not reusable:
        # The ingester or passage settings changed: letters ingested from elsewhere (uploads)
        # are re-read from their sources too, not dropped because this run did not name them.
        for doc_id, source in old.sources.items():
            path = Path(source)
            if doc_id not in seen and doc_id not in removed and path.exists():
                seen[doc_id] = path
                jobs.append(
                    (
                        path,
                        file_hash(path),
                        settings.passage_min_chars,
                        settings.passage_max_chars,
                        settings.max_text_chars,
                    )
                )

    parsed: list[ParsedDocument] = []
    for result in parse_all(jobs, show_progress):
        if isinstance(result, DocumentError):
            report.failed.append((result.path, result.reason))
            log.info("skipped %s", result)  # the CLI and page name it
        else:
            parsed.append(result)
    parsed = _without_copies(parsed, old, report, seen)
    for doc in parsed:
        before = old.documents.get(doc.meta.doc_id) if old is not None else None
        if before is None:
            report.added.append(doc.meta.doc_id)
        elif before.sha256 != doc.meta.sha256:
            report.updated.append(doc.meta.doc_id)
        else:
            report.reread.append(doc.meta.doc_id)  # same file, read again by changed code
    report.removed = sorted(removed)

    if rebuild:
        _drop_collection(settings)
    store = open_store(settings, LazyEmbeddings(settings), identity)
    catalog = _next_catalog(
        old if reusable else None, parsed, report, identity, passage_settings, seen
    )
    existing = stored_ids(store)
    wanted = set(catalog.position)
    # Ids come from passage content: only passages the store lacks are embedded (new or changed
    # text, or a store emptied by hand), then the catalog swap commits, then strays go.
    missing = [catalog.passages[catalog.position[i]] for i in sorted(wanted - existing)]
    try:
        if missing:
            bar = tqdm(
                total=len(missing),
                desc="Embedding passages",
                unit="passage",
                disable=not show_progress,
            )
            add_passages(store, [(p, catalog.doc(p.doc_id)) for p in missing], bar)
            bar.close()
        if missing or report.changed or old is None or not reusable or existing - wanted:
            catalogs.save(catalog, based_on)
        else:
            catalogs.tidy()
    except Exception as exc:
        # Nothing was committed: the passages this run embedded go again (best effort: they
        # are invisible without the catalog, and the next ingest removes any left).
        with contextlib.suppress(Exception):
            delete_ids(store, [p.id for p in missing])
        if isinstance(exc, AssistantError) or not _is_write_failure(exc):
            raise
        raise IndexWriteError(
            f"could not write the index in {catalogs.where}: {_reason(exc)}; nothing was "
            "changed (free some space, then run the ingest again)"
        ) from exc
    delete_ids(store, existing - wanted)
    sync_documents(document_store(index_dir), catalog)
    report.documents = len(catalog.documents)
    report.passages = len(catalog.passages)
    report.seconds = time.perf_counter() - started
    return report


SHINGLE = 8  # words per shingle
SAME_TEXT = 0.8  # share of the shorter text's shingles found in the other: the same letter


def shingles(texts: Iterable[str]) -> set[int]:
    """A text's runs of SHINGLE words (letters and digits only, lower case), hashed: the same
    letter as a PDF and as a text file share nearly all, whatever the line breaks."""
    words = re.findall(r"[a-z0-9]+", normalise(" ".join(texts)))
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(max(0, len(words) - SHINGLE + 1))}


def same_text(a: set[int], b: set[int]) -> bool:
    """Whether two shingle sets are one letter's (most of the shorter held by the longer)."""
    return bool(a and b) and len(a & b) >= SAME_TEXT * min(len(a), len(b))


def _without_copies(
    parsed: list[ParsedDocument], old: Catalog | None, report: IngestReport, seen: dict[str, Path]
) -> list[ParsedDocument]:
    """New documents whose text is a letter already held (or met earlier in this run), in
    another format or with other bytes (a .txt copy of a PDF), are reported as duplicates and
    not added: answers would quote the letter twice."""
    held: list[tuple[str, str, set[int] | None]] = []  # (doc id, area, shingles when computed)
    if old is not None:
        held = [(d.doc_id, d.area, None) for d in old.documents.values()]
    kept: list[ParsedDocument] = []
    for doc in parsed:
        is_new = old is None or doc.meta.doc_id not in old.documents
        mine = shingles(p.text for p in doc.passages) if is_new else None
        twin = None
        for i, (doc_id, area, theirs) in enumerate(held if mine is not None else []):
            if doc_id == doc.meta.doc_id or (doc.meta.area and area and area != doc.meta.area):
                continue
            if theirs is None and old is not None and doc_id in old.documents:
                theirs = shingles(old.passages[j].text for j in old.by_doc.get(doc_id, []))
                held[i] = (doc_id, area, theirs)
            if mine is not None and theirs is not None and same_text(mine, theirs):
                twin = doc_id
                break
        if twin is not None:
            report.duplicates.append((str(seen.pop(doc.meta.doc_id, doc.meta.source)), twin))
            continue
        kept.append(doc)
        held.append((doc.meta.doc_id, doc.meta.area, mine))
    return kept


def _is_write_failure(exc: BaseException) -> bool:
    """A full disk or a file-size limit, from the OS or through the vector store's own
    database ("database or disk is full")."""
    if isinstance(exc, OSError):
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text or "file too large" in text


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(
        exc
    ).__name__


def document_store(index_dir: Path) -> Path:
    """The index's own copies of the ingested documents, named by id: the only files the page
    serves (nothing that merely sits beside a letter)."""
    return Path(index_dir) / "documents"


def sync_documents(store: Path, catalog: Catalog) -> None:
    """Copy each indexed document into the store as <doc_id><suffix> (a new or changed one
    replaced in one rename) and remove copies of documents no longer indexed."""
    store.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for doc_id, doc in catalog.documents.items():
        source = Path(catalog.sources.get(doc_id, doc.source))
        target = store / f"{doc_id}{source.suffix.lower()}"
        wanted.add(target.name)
        if source.exists() and (not target.exists() or file_hash(target) != doc.sha256):
            partial = target.with_name(f".{target.name}.partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
    for stale in store.iterdir():
        if stale.name not in wanted:
            stale.unlink(missing_ok=True)


def _next_catalog(
    old: Catalog | None,
    parsed: list[ParsedDocument],
    report: IngestReport,
    identity: str,
    passage_settings: dict[str, Any],
    seen: dict[str, Path],
) -> Catalog:
    documents, passages, pages, sources = {}, {}, {}, {}
    if old is not None:
        dropped = set(report.removed) | {d.meta.doc_id for d in parsed}
        for doc_id, meta in old.documents.items():
            if doc_id in dropped:
                continue
            documents[doc_id] = meta
            passages[doc_id] = [old.passages[i] for i in old.by_doc.get(doc_id, [])]
            pages[doc_id] = old.pages[doc_id]
            sources[doc_id] = str(seen[doc_id].resolve()) if doc_id in seen else old.sources[doc_id]
    for doc in parsed:
        doc_id = doc.meta.doc_id
        documents[doc_id] = doc.meta
        passages[doc_id] = list(doc.passages)
        pages[doc_id] = list(doc.page_texts)
        sources[doc_id] = str(seen[doc_id].resolve())
    order = sorted(documents)
    return Catalog(
        embedding_model=identity,
        passage_settings=passage_settings,
        documents={d: documents[d] for d in order},
        passages=[p for d in order for p in passages[d]],
        pages={d: pages[d] for d in order},
        sources={d: sources[d] for d in order},
    )


def _drop_collection(settings: Settings) -> None:
    from assistant.index.vectors import chroma_client

    client = chroma_client(settings)
    try:
        client.delete_collection(settings.collection)
    except Exception:  # absent already
        log.debug("no collection to drop")
