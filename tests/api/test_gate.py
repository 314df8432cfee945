"""First come, first served."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.api.gate import FairGate


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_waiters_get_the_slots_in_arrival_order_and_never_more_at_once(slots: int) -> None:
    gate, lock = FairGate(slots), threading.Lock()
    order: list[int] = []
    inside, most = [0], [0]

    def work(n: int) -> None:
        with gate:
            with lock:
                order.append(n)
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.01)
            with lock:
                inside[0] -= 1

    holders = [gate.__enter__() for _ in range(slots)]  # every slot taken: all queue
    threads = []
    for n in range(9):
        threads.append(threading.Thread(target=work, args=(n,)))
        threads[-1].start()
        while gate.waiting < n + 1:  # arrived, in this order
            time.sleep(0.001)
    for holder in holders:
        holder.__exit__(None, None, None)
    for thread in threads:
        thread.join()
    assert most[0] == slots
    # Handed over in arrival order: each batch of `slots` holds the next arrivals.
    assert [sorted(order[i : i + slots]) for i in range(0, 9, slots)] == [
        list(range(i, min(i + slots, 9))) for i in range(0, 9, slots)
    ]
