"""Letters added from the page: checked, given ids of their own, indexed, and reported line by
line. Nothing a failed batch stored is left behind to break the next one, nor anything an add
cut short (the app killed while it indexed): see :func:`settle_uploads`, run at start."""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.answer.compose import doc_label
from assistant.index.builder import IngestReport
from assistant.index.catalog import Catalog
from assistant.ingest.loader import file_hash
from assistant.ingest.reader import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)
Indexer = Callable[[Path], tuple[IngestReport, Catalog]]  # indexes uploads: report, new catalog
# Names the add in progress stored, written before the first is stored and removed once the
# add is settled: a journal left at start names an add the app never finished.
JOURNAL = ".adding-{}.json"


def add_uploads(
    files: Sequence[str], uploads: Path, catalog: Catalog, max_file_mb: int, index: Indexer
) -> list[str]:
    """Store the acceptable files in ``uploads`` and index that folder; one line per outcome.

    An upload never replaces or shadows a letter already held: it gets its own id. A file the
    reader refuses is removed again; if indexing itself fails, every file this batch stored is
    removed and the reason given, so the index and the uploads folder stay as they were.
    """
    uploads.mkdir(parents=True, exist_ok=True)
    problems, accepted, notes = [], [], []
    picked: list[tuple[Path, Path]] = []  # (the file chosen, where it is stored)
    held = {d.sha256: d.doc_id for d in catalog.documents.values()}
    taken = set(catalog.documents) | {p.stem for p in uploads.iterdir() if _letter(p)}
    for name in files:
        path = Path(name)
        reason = check_upload(path, max_file_mb)
        if reason:
            problems.append(f"{path.name}: {reason}")
            continue
        digest = file_hash(path)
        if digest in held:
            notes.append(f"{path.name} is already in the index as {held[digest]}")
            continue
        target = uploads / upload_name(path.name, taken)
        if target.stem != path.stem:
            notes.append(
                f"{path.name} is indexed as {target.stem}: a letter named {path.stem} is already held"
            )
        taken.add(target.stem)
        held[digest] = target.stem
        picked.append((path, target))
    lines = [f"Skipped {p}" for p in problems] + notes
    if not picked:
        return lines
    journal = uploads / JOURNAL.format(uuid.uuid4().hex)
    journal.write_text(json.dumps([target.name for _, target in picked]), encoding="utf-8")
    try:
        try:
            for path, target in picked:
                _store(path, target)
                accepted.append(target)
            report, catalog = index(uploads)
        except Exception as exc:  # any failure: reported, and the batch undone
            log.exception("indexing uploads failed")
            for path in accepted:
                path.unlink(missing_ok=True)
            names = ", ".join(target.name for _, target in picked)
            return [f"Could not index {names}: {exc}. Nothing was added.", *lines]
        for path_name, reason in report.failed:
            lines.append(f"Skipped {Path(path_name).name}: {reason}")
            Path(path_name).unlink(missing_ok=True)
    finally:
        journal.unlink(missing_ok=True)
    added = [  # what was read from each letter: its id comes only from its file's name
        f"{doc_id} ({doc_label(catalog.documents[doc_id])})"
        if doc_id in catalog.documents
        else doc_id
        for doc_id in report.added + report.updated
    ]
    if added:
        lines.insert(0, f"Added {', '.join(added)}: ready to ask about.")
    return lines


def settle_uploads(uploads: Path, catalog: Catalog, index: Callable[[Path], IngestReport]) -> bool:
    """At start: finish what an add cut short left in ``uploads``, logging each file; True when
    it indexed anything (the caller then reloads).

    A file an unfinished add stored (named in a journal) that the index does not hold is
    removed: its add never said "Added", and indexing it now could repeat what stopped the app
    (a letter too large for memory). So is a partial copy. Any other letter the index does not
    hold was added and then lost from the index (rebuilt or deleted since): it is indexed again,
    as the page had said it was. Either way the next upload sees only what the index holds,
    and a letter uploaded again gets its own plain id.
    """
    if not uploads.is_dir():
        return False
    held = {Path(source).resolve() for source in catalog.sources.values()}
    unfinished: set[str] = set()
    journals = sorted(uploads.glob(JOURNAL.format("*")))
    for journal in journals:
        try:
            unfinished.update(json.loads(journal.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            log.warning("could not read %s; its files are kept", journal)
    for aside in sorted(uploads.glob(".*.removing")):  # a removal the app did not finish
        letter = aside.with_name(aside.name[1 : -len(".removing")])
        if letter.resolve() in held:
            os.replace(aside, letter)
            log.warning("kept %s: the app stopped before its removal was indexed", letter)
        else:
            aside.unlink(missing_ok=True)
    for partial in sorted(uploads.glob(".*.partial")):
        partial.unlink(missing_ok=True)
        log.warning("removed %s: a copy an earlier add did not finish", partial)
    for name in sorted(unfinished):
        path = uploads / Path(name).name
        if path.is_file() and path.resolve() not in held:
            path.unlink()
            log.warning(
                "removed %s: the app stopped before it was indexed, so it was never added", path
            )
    for journal in journals:
        journal.unlink(missing_ok=True)
    lost = sorted(p.name for p in uploads.iterdir() if _letter(p) and p.resolve() not in held)
    if not lost:
        return False
    log.warning("indexing letters added earlier that the index does not hold: %s", lost)
    try:
        report = index(uploads)
    except Exception:  # the page still starts; the next add or start tries again
        log.exception("could not index %s", lost)
        return False
    # As on the page: a file the reader refuses, or a second copy of a letter held, is removed.
    for path_name, reason in report.failed:
        Path(path_name).unlink(missing_ok=True)
        log.warning("removed %s: %s", path_name, reason)
    for path_name, kept in report.duplicates:
        Path(path_name).unlink(missing_ok=True)
        log.warning("removed %s: the same letter as %s, which is kept", path_name, kept)
    return True


def _letter(path: Path) -> bool:
    """A letter stored in the uploads folder (not a journal or a partial copy)."""
    return (
        path.is_file()
        and not path.name.startswith(".")
        and path.suffix.lower() in SUPPORTED_SUFFIXES
    )


def _store(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` in one rename: a copy cut short is never a letter."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def upload_name(name: str, taken: set[str]) -> str:
    """A file name for an upload whose stem (its document id) no letter already has:
    'report (3).pdf' stays; a second 'jtai-x.pdf' becomes 'jtai-x-upload-2.pdf'."""
    path = Path(name)
    stem, suffix = path.stem, path.suffix.lower()
    n = 1
    candidate = stem
    while candidate in taken:
        n += 1
        candidate = f"{stem}-upload-{n}"
    return candidate + suffix


def check_upload(path: Path, max_mb: int) -> str | None:
    """Why a file cannot be added, or None."""
    suffix = path.suffix.lower()
    if suffix not in {".pdf", ".txt"}:
        return "not a PDF or text file"
    if not path.is_file():
        return "no such file"
    try:
        size = path.stat().st_size
        if size == 0:
            return "the file is empty"
        if size > max_mb * 1024 * 1024:
            return f"larger than the {max_mb} MB limit (setting max_file_mb)"
        if suffix == ".pdf":
            with path.open("rb") as file:
                if not file.read(1024).lstrip().startswith(b"%PDF"):
                    return "does not look like a PDF (no %PDF header)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None
