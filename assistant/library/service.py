"""Letters as one service beside :class:`~assistant.service.Assistant`: list them, add and remove
uploaded ones, give an area's history. The page, the command line and the API call it; a change
reloads the shared assistant, so the next question is answered from the letters as they are."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answer.history import area_history
from assistant.index.builder import IngestReport, ingest
from assistant.index.catalog import Catalog
from assistant.library.letters import LibraryRow, library_rows, removable
from assistant.library.uploads import add_uploads, settle_uploads
from assistant.records import HistoryEntry
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.shared import Shared

log = logging.getLogger(__name__)
ADDING_OFF = "Adding letters is turned off on this server."
REMOVING_OFF = "Removing letters is turned off on this server."


@dataclass
class Library:
    """The letters in the index. Uploaded letters are kept in ``<data_dir>/uploads`` and indexed
    from there; shipped ones (the corpus) are listed but never removed."""

    shared: Shared
    uploads_allowed: bool = True

    @classmethod
    def open(cls, settings: Settings, uploads_allowed: bool | None = None) -> Library:
        allowed = settings.uploads if uploads_allowed is None else uploads_allowed
        return cls(Shared(Assistant.open(settings)), allowed)

    @property
    def assistant(self) -> Assistant:
        return self.shared.assistant

    @property
    def catalog(self) -> Catalog:
        return self.shared.assistant.catalog

    @property
    def uploads(self) -> Path:
        return Path(self.assistant.settings.data_dir) / "uploads"

    def letters(self, query: str = "") -> list[LibraryRow]:
        """Every letter, newest first; with ``query``, those whose area, type, dates or id hold
        each of its words."""
        return library_rows(self.catalog, self.uploads, query)

    def areas(self) -> list[str]:
        return sorted(self.catalog.areas.values())

    def years(self) -> list[str]:
        """Every year from the earliest inspection or letter to the latest."""
        dates = [
            x
            for d in self.catalog.documents.values()
            for x in (d.fieldwork_start, d.letter_date)
            if x
        ]
        if not dates:
            return []
        first, last = min(int(d[:4]) for d in dates), max(int(d[:4]) for d in dates)
        return [str(y) for y in range(first, last + 1)]

    def summary(self) -> str:
        """'66 letters (2016 to 2025), 6,093 passages'."""
        years = self.years()
        span = f" ({years[0]} to {years[-1]})" if years else ""
        catalog = self.catalog
        return f"{len(catalog.documents)} letters{span}, {len(catalog.passages):,} passages"

    def history(self, area: str) -> list[HistoryEntry]:
        """Every inspection of ``area`` in the index, oldest first (none: an empty list)."""
        return area_history(self.catalog, area)

    def settle(self) -> bool:
        """At start: finish or undo what an add cut short left in the uploads folder, and index
        letters added earlier that the index no longer holds; True when it reloaded."""
        changed = settle_uploads(self.uploads, self.catalog, self._index_quietly)
        if changed:
            self.shared.reload()
        return changed

    def add(self, files: Sequence[str | Path], show_progress: bool = False) -> list[str]:
        """Store and index each acceptable file; one plain line per outcome (added, skipped and
        why, already held). A failed batch leaves the index and the uploads folder as they were."""
        if not self.uploads_allowed:
            return [ADDING_OFF]
        if not files:
            return ["Choose one or more PDF letters first."]

        def index(folder: Path) -> tuple[IngestReport, Catalog]:
            with self.shared.lock:
                report = ingest([folder], self.assistant.settings, show_progress=show_progress)
            self.shared.reload()
            return report, self.catalog

        settings = self.assistant.settings
        return add_uploads(
            [str(f) for f in files], self.uploads, self.catalog, settings.max_file_mb, index
        )

    def remove(self, doc_ids: Sequence[str]) -> list[str]:
        """Remove uploaded letters (their passages are no longer searched); a shipped letter or
        an id the index does not hold is named and kept. If the index cannot be rewritten, the
        letters' files are put back and the reason given."""
        if not self.uploads_allowed:
            return [REMOVING_OFF]
        if not doc_ids:
            return ["Choose one or more uploaded letters first."]
        catalog = self.catalog  # one view of the index throughout, whatever reloads meanwhile
        known = [d for d in doc_ids if d in catalog.documents]
        lines = [f"{d} is not in the index." for d in doc_ids if d not in catalog.documents]
        gone, kept = removable(library_rows(catalog, self.uploads), known)
        lines += [f"{d} was shipped with the assistant and stays." for d in kept]
        if not gone:
            return lines
        moved = []  # (the letter, where it waits until the index no longer holds it)
        try:
            for doc_id in gone:
                path = Path(catalog.sources[doc_id])
                if path.is_file():
                    aside = path.with_name(f".{path.name}.removing")
                    os.replace(path, aside)
                    moved.append((path, aside))
            self._index_quietly(self.uploads)
        except Exception as exc:  # any failure: reported, and the letters put back
            log.exception("removing %s failed", gone)
            for path, aside in moved:
                os.replace(aside, path)
            return [f"Could not remove {', '.join(gone)}: {exc}. Nothing was removed.", *lines]
        for _, aside in moved:
            aside.unlink(missing_ok=True)
        self.shared.reload()
        noun = "its" if len(gone) == 1 else "their"
        return [f"Removed {', '.join(gone)}: {noun} passages are no longer searched.", *lines]

    def _index_quietly(self, folder: Path) -> IngestReport:
        with self.shared.lock:
            return ingest([folder], self.assistant.settings, show_progress=False)
