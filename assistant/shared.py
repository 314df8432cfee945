"""The assistant every session of the page uses, swapped for a fresh one when the index changes:
by this process (letters added or removed on the page) or by another (an ingest on the command
line, or another app process sharing the Chroma server), noticed within ``refresh_seconds``."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.index.builder import document_store
from assistant.index.catalog_store import CatalogStore, catalog_store
from assistant.service import Assistant

log = logging.getLogger(__name__)


@dataclass
class Shared:
    assistant: Assistant
    lock: threading.Lock = field(default_factory=threading.Lock)
    _catalogs: CatalogStore | None = None

    @property
    def sources(self) -> dict[str, str]:
        """Each document's copy in the index's document store: the only files the page serves."""
        store = document_store(Path(self.assistant.settings.index_dir))
        copies = {p.stem: str(p) for p in store.glob("*") if not p.name.startswith(".")}
        return {d: copies[d] for d in self.assistant.catalog.documents if d in copies}

    @property
    def catalogs(self) -> CatalogStore:
        if self._catalogs is None:
            self._catalogs = catalog_store(self.assistant.settings)
        return self._catalogs

    def reload(self) -> None:
        fresh = Assistant.open(self.assistant.settings, None)
        with self.lock:
            self.assistant = fresh

    def refresh(self) -> bool:
        """Reload when the index's version is not the one loaded; True when it did."""
        now = self.catalogs.version()
        if not now or now == self.assistant.catalog.version:
            return False  # unchanged, or mid-rebuild (no catalog yet): keep answering
        self.reload()
        return True

    def watch(self, seconds: float) -> threading.Thread:
        """Check for changes every ``seconds`` in a background thread, so a question never
        waits for a reload."""

        def loop() -> None:
            while True:
                time.sleep(seconds)
                try:
                    if self.refresh():
                        log.info(
                            "index changed: %d documents", len(self.assistant.catalog.documents)
                        )
                except Exception as exc:  # a server briefly away: try again next time
                    log.warning("could not check the index for changes: %s", exc)

        thread = threading.Thread(target=loop, name="index-watch", daemon=True)
        thread.start()
        return thread
