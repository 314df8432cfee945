"""Letters added from the page: checked, given ids of their own, indexed, and reported line by
line. Nothing a failed batch stored is left behind to break the next one."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.answer.compose import doc_label
from assistant.index.builder import IngestReport
from assistant.index.catalog import Catalog
from assistant.ingest.loader import file_hash
from assistant.ui.inputs import check_upload, upload_name

log = logging.getLogger(__name__)
Indexer = Callable[[Path], tuple[IngestReport, Catalog]]  # indexes uploads: report, new catalog


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
    held = {d.sha256: d.doc_id for d in catalog.documents.values()}
    taken = set(catalog.documents) | {p.stem for p in uploads.iterdir()}
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
        shutil.copy(path, target)
        accepted.append(target)
    lines = [f"Skipped {p}" for p in problems] + notes
    if not accepted:
        return lines
    try:
        report, catalog = index(uploads)
    except Exception as exc:  # any failure: reported, and the batch undone
        log.exception("indexing uploads failed")
        for path in accepted:
            path.unlink(missing_ok=True)
        names = ", ".join(p.name for p in accepted)
        return [f"Could not index {names}: {exc}. Nothing was added.", *lines]
    for path_name, reason in report.failed:
        lines.append(f"Skipped {Path(path_name).name}: {reason}")
        Path(path_name).unlink(missing_ok=True)
    added = [  # what was read from each letter: its id comes only from its file's name
        f"{doc_id} ({doc_label(catalog.documents[doc_id])})"
        if doc_id in catalog.documents
        else doc_id
        for doc_id in report.added + report.updated
    ]
    if added:
        lines.insert(0, f"Added {', '.join(added)}: ready to ask about.")
    return lines
