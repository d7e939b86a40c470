"""Failed sign-ins slow down the next attempt, on an injected clock."""

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.throttle import Backoff, SignInThrottle, SignInThrottled


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_default_schedule_reaches_at_least_30_seconds_by_the_fifth_failure() -> None:
    backoff = Backoff()
    assert [backoff.delay_after(n) for n in range(0, 8)] == [0, 0, 0, 8, 16, 32, 60, 60]
    assert backoff.delay_after(10_000) == 60  # no overflow for absurd counts


def test_a_doubling_schedule_from_one_second() -> None:
    backoff = Backoff(free_failures=0, first_delay=1, cap=60)
    assert [backoff.delay_after(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_waiting_is_checked_before_the_next_attempt() -> None:
    clock = Clock()
    throttle = SignInThrottle(Backoff(free_failures=0, first_delay=1, cap=60), clock)
    throttle.check("head")
    assert throttle.failed("head") == 1
    with pytest.raises(SignInThrottled) as early:
        throttle.check("head")
    assert isinstance(early.value, UserError)
    assert early.value.message == "Too many failed attempts. Wait 1 second before trying again."
    clock.now += 0.4
    assert throttle.seconds_to_wait("HEAD ") == pytest.approx(0.6)
    clock.now += 0.6
    throttle.check("head")
    assert throttle.failed("head") == 2
    clock.now += 1.5
    with pytest.raises(SignInThrottled, match="Wait 1 second"):
        throttle.check("head")
    for _attempt in range(5):
        clock.now += 100
        throttle.failed("head")
    with pytest.raises(SignInThrottled, match="Wait 60 seconds"):
        throttle.check("head")


def test_logins_are_counted_apart_and_success_clears() -> None:
    clock = Clock()
    throttle = SignInThrottle(clock=clock)
    for _attempt in range(3):
        throttle.failed("head")
    assert throttle.failures("Head") == 3
    throttle.check("teacher1")  # another login is not held up
    with pytest.raises(SignInThrottled, match="Wait 8 seconds"):
        throttle.check("head")
    clock.now += 8
    throttle.succeeded("head")
    assert throttle.failures("head") == 0 and throttle.seconds_to_wait("head") == 0


def test_unknown_logins_are_throttled_like_real_ones() -> None:
    throttle = SignInThrottle(clock=Clock())
    for _attempt in range(3):
        throttle.failed("no-such-person")
    with pytest.raises(SignInThrottled):
        throttle.check("no-such-person")
