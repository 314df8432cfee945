"""A first-come, first-served limit on work done at once."""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class FairGate:
    """At most ``slots`` holders at once; the others wait in arrival order, and a leaving holder
    hands its slot straight to the oldest waiter (a semaphore lets a newcomer take it first,
    which is what makes the slowest replies under load several times the median).

    >>> gate = FairGate(1)
    >>> with gate:
    ...     gate.waiting
    0
    """

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("a gate needs at least one slot")
        self._free = slots
        self._waiters: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def __enter__(self) -> FairGate:
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return self
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # the slot is ours when this is set
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._free += 1
