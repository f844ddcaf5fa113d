"""The pacer: the rate, a Retry-After pause, and a refused call's slot handed back (never past the burst)."""

from __future__ import annotations

from bot.services.employees.survey_pacer import Pacer


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(seconds, 1e-9)  # a real sleep always takes some time


def _pacer(clock: Clock, burst: float = 2.0) -> Pacer:
    return Pacer(rate=10, burst=burst, clock=clock.now, sleep=clock.sleep)


def test_sends_at_the_rate_after_the_burst() -> None:
    clock = Clock()
    pacer = _pacer(clock)
    for _ in range(12):
        pacer.acquire()
    assert abs(clock.t - 1.0) < 1e-6  # 2 at once, then 10 at 10/s


def test_a_refused_call_gives_its_slot_back_and_a_pause_is_honoured() -> None:
    clock = Clock()
    pacer = _pacer(clock)
    for _ in range(3):
        pacer.acquire()
    start = clock.t
    pacer.refund()  # the third call met a 500: Slack did not count it
    pacer.acquire()
    assert clock.t - start < 1e-6  # its retry goes at once
    pacer.pause(1.0)
    pacer.acquire()
    assert clock.t >= start + 1.0  # nothing before Retry-After


def test_refunds_never_exceed_the_burst() -> None:
    clock = Clock()
    pacer = _pacer(clock)
    pacer.acquire()
    for _ in range(5):
        pacer.refund()
    for _ in range(2):
        pacer.acquire()
    assert clock.t < 1e-6
    pacer.acquire()
    assert abs(clock.t - 0.1) < 1e-6  # the third waits: the bucket held 2 at most


def test_after_a_pause_the_refilled_slots_are_taken_together_never_more_than_asked() -> None:
    clock = Clock()
    pacer = Pacer(rate=10, burst=8, clock=clock.now, sleep=clock.sleep)
    assert pacer.take(3) == 3  # the burst is there: three at once
    assert pacer.take(20) == 5  # the rest of it, no more
    assert pacer.take(20) == 1 and abs(clock.t - 0.1) < 1e-6  # then one at a time, at the rate
    pacer.pause(0.5)
    assert pacer.take(20) == 5  # the pause refilled five: the sender catches up in one claim
    assert abs(clock.t - 0.6) < 1e-6
