"""Sign-in back-off, on an injected clock."""

from __future__ import annotations

from assistant.api.throttle import SignInThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock, **kwargs: float) -> SignInThrottle:
    options = {"failures": 5, "window": 60.0, "lockout": 30.0, "max_lockout": 100.0, **kwargs}
    return SignInThrottle(clock=clock, **options)  # type: ignore[arg-type]


def test_the_fifth_failure_in_the_window_locks_the_client_out() -> None:
    clock = Clock()
    t = throttle(clock)
    assert [t.failed("a") for _ in range(4)] == [0.0] * 4
    assert t.retry_after("a") == 0.0
    assert t.failed("a") == 30.0
    assert t.retry_after("a") == 30.0
    assert t.retry_after("b") == 0.0  # per client
    clock.now += 29
    assert t.retry_after("a") == 1.0
    clock.now += 1
    assert t.retry_after("a") == 0.0


def test_failures_spread_beyond_the_window_do_not_add_up() -> None:
    clock = Clock()
    t = throttle(clock)
    for _ in range(10):
        assert t.failed("a") == 0.0
        clock.now += 20  # four in any 60 s
        assert t.retry_after("a") == 0.0


def test_each_further_lock_out_doubles_up_to_the_cap() -> None:
    clock = Clock()
    t = throttle(clock)
    seen = []
    for _ in range(4):
        for _ in range(4):
            t.failed("a")
        seen.append(t.failed("a"))
        clock.now += seen[-1]
    assert seen == [30.0, 60.0, 100.0, 100.0]


def test_a_right_password_clears_the_record() -> None:
    clock = Clock()
    t = throttle(clock)
    for _ in range(4):
        t.failed("a")
    t.succeeded("a")
    assert t.failed("a") == 0.0


def test_the_table_of_clients_stays_bounded() -> None:
    clock = Clock()
    t = throttle(clock, max_clients=100)
    for n in range(1000):
        t.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(t._clients) <= 100
