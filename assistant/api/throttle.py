"""Sign-in back-off per client, shared by the page's login route and the plain API's HTTP Basic
check: guessing passwords gets slower the longer it goes on, and a right password sent while a
client is locked out is refused like any other (it is not even compared)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Client:
    failures: list[float] = field(default_factory=list)  # times of recent wrong passwords
    locked_until: float = 0.0
    lockouts: int = 0  # in a row, without a right password between them


class SignInThrottle:
    """After ``failures`` wrong passwords from one client within ``window`` seconds, refuse it
    for ``lockout`` seconds; each further lock-out doubles that, up to ``max_lockout``. A right
    password clears the client's record. Thread-safe; ``clock`` is injectable for tests.

    >>> now = [0.0]
    >>> t = SignInThrottle(failures=2, window=60, lockout=10, clock=lambda: now[0])
    >>> t.failed("10.0.0.1"), t.failed("10.0.0.1")
    (0.0, 10.0)
    >>> t.retry_after("10.0.0.1"), t.retry_after("10.0.0.2")
    (10.0, 0.0)
    >>> now[0] = 10.0; t.retry_after("10.0.0.1")
    0.0
    """

    def __init__(
        self,
        failures: int = 5,
        window: float = 300.0,
        lockout: float = 30.0,
        max_lockout: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.failures, self.window = failures, window
        self.lockout, self.max_lockout = float(lockout), float(max_lockout)
        self.clock, self.max_clients = clock, max_clients
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()

    def refusal(self, client: str) -> tuple[int, str] | None:
        """(whole seconds to wait, the message) while ``client`` is locked out, else None."""
        wait = self.retry_after(client)
        if not wait:
            return None
        seconds = math.ceil(wait)
        return seconds, f"too many failed sign-ins from this address: try again in {seconds} s"

    def retry_after(self, client: str) -> float:
        """Seconds until ``client`` may try again; 0 when it may now."""
        with self._lock:
            record = self._clients.get(client)
            return max(0.0, record.locked_until - self.clock()) if record else 0.0

    def failed(self, client: str) -> float:
        """Record a wrong password; the lock-out it starts (0 when none)."""
        with self._lock:
            now = self.clock()
            record = self._clients.get(client)
            if record is None:
                self._forget_idle(now)
                record = self._clients[client] = _Client()
            record.failures = [t for t in record.failures if now - t < self.window] + [now]
            if len(record.failures) < self.failures:
                return 0.0
            seconds = min(self.lockout * 2**record.lockouts, self.max_lockout)
            record.lockouts += 1
            record.failures.clear()
            record.locked_until = now + seconds
            return seconds

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)

    def _forget_idle(self, now: float) -> None:
        """Drop clients with nothing recent, so a stream of one-off addresses cannot grow the
        table without bound; past ``max_clients``, the oldest go first."""
        if len(self._clients) < self.max_clients:
            return
        idle = self.window + self.max_lockout
        for key, record in list(self._clients.items()):
            last = max([record.locked_until, *record.failures])
            if now - last > idle:
                del self._clients[key]
        while len(self._clients) >= self.max_clients:
            del self._clients[next(iter(self._clients))]
