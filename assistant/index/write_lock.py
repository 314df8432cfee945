"""One writer at a time: an ingest holds the index's write lock from its read of the catalog to
its commit, so a second ingest can never save over the first's letters.

- ``FolderLock``: an exclusive ``flock`` on ``<index>/.write.lock``. The kernel releases it when
  the holder exits, however it exits (a SIGKILL too), so a crash never leaves the index locked.
- ``ServerLease``: Chroma has no transactions, but ``add`` of an id that already exists is
  ignored (the first write wins) and ``delete`` takes a ``where`` clause. A writer adds a lease
  record naming itself and reads it back: only the writer it names holds the lease. The holder
  renews it while it works; a lease whose holder died expires after ``ttl`` seconds and is
  deleted only where it still names that holder, so two writers can never both win.

Both wait (saying so once) up to ``wait_seconds``, or refuse at once when ``wait_seconds`` is 0.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from assistant.errors import IndexBusyError

log = logging.getLogger(__name__)
LOCK_FILE = ".write.lock"
LEASE = "__writer__"
POLL = 0.1


def _owner() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}


def _describe(owner: dict[str, Any]) -> str:
    since = owner.get("since")
    started = time.strftime("%H:%M:%S", time.localtime(since)) if since else "?"
    return f"process {owner.get('pid', '?')} on {owner.get('host', '?')}, since {started}"


def _busy(where: str, owner: dict[str, Any], waited: float) -> IndexBusyError:
    if waited:
        return IndexBusyError(
            f"another ingest ({_describe(owner)}) is still writing to {where} after "
            f"{waited:.0f} s of waiting (setting write_wait_seconds); try again later"
        )
    return IndexBusyError(
        f"another ingest ({_describe(owner)}) is writing to {where}; "
        "run again when it has finished, or without --no-wait to wait for it"
    )


def _waiting(where: str, owner: dict[str, Any], notify: Callable[[str], None]) -> None:
    notify(f"waiting for another ingest ({_describe(owner)}) to finish writing to {where}")


@contextlib.contextmanager
def folder_lock(
    index_dir: Path, wait_seconds: float, notify: Callable[[str], None] = log.warning
) -> Iterator[None]:
    """Hold the index folder's exclusive write lock for the block."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                owner = _read_owner(path)
                waited = time.monotonic() - started
                if wait_seconds <= 0 or waited >= wait_seconds:
                    raise _busy(str(index_dir), owner, waited if wait_seconds > 0 else 0) from None
                if not told:
                    _waiting(str(index_dir), owner, notify)
                    told = True
                time.sleep(POLL)
        # Who holds it, for the message another writer prints (the lock is the flock, not this).
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(_owner()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_owner(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class ServerLease:
    """The write lease on a Chroma collection (see the module's docstring)."""

    def __init__(self, collection: Any, where: str, ttl: float = 30.0) -> None:
        self.collection = collection
        self.where = where
        self.ttl = ttl
        self.token = uuid.uuid4().hex
        self._stop = threading.Event()

    def current(self) -> dict[str, Any] | None:
        got = self.collection.get(ids=[LEASE], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else None

    def held(self) -> bool:
        lease = self.current()
        return lease is not None and lease.get("token") == self.token

    def _try(self) -> dict[str, Any] | None:
        """Take the lease if it is free; None when taken, else the holder's record."""
        mine = {**_owner(), "token": self.token, "expires": time.time() + self.ttl}
        self.collection.add(
            ids=[LEASE], documents=["write lease"], embeddings=[[1.0]], metadatas=[mine]
        )
        lease = self.current()
        if lease is not None and lease.get("token") == self.token:
            return None
        if lease is not None and float(lease.get("expires", 0)) < time.time():
            # Its holder stopped renewing (it died): remove it only if it is still that one.
            log.warning("the write lease of %s expired; taking it over", _describe(lease))
            self.collection.delete(ids=[LEASE], where={"token": lease["token"]})
            return self._try()
        return lease or {}

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                if not self.held():
                    log.error("the write lease on %s was lost", self.where)
                    return
                renewed = {**_owner(), "token": self.token, "expires": time.time() + self.ttl}
                self.collection.update(ids=[LEASE], metadatas=[renewed])
            except Exception as exc:  # the server briefly away: the save checks the lease
                log.warning("could not renew the write lease: %s", exc)

    @contextlib.contextmanager
    def hold(
        self, wait_seconds: float, notify: Callable[[str], None] = log.warning
    ) -> Iterator[None]:
        started = time.monotonic()
        told = False
        while (holder := self._try()) is not None:
            waited = time.monotonic() - started
            if wait_seconds <= 0 or waited >= wait_seconds:
                raise _busy(self.where, holder, waited if wait_seconds > 0 else 0)
            if not told:
                _waiting(self.where, holder, notify)
                told = True
            time.sleep(POLL)
        renewer = threading.Thread(target=self._renew, name="lease-renew", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            self._stop.set()
            renewer.join()
            with contextlib.suppress(Exception):  # a server gone: the lease expires by itself
                self.collection.delete(ids=[LEASE], where={"token": self.token})
