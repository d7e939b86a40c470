"""Slowing down repeated failed sign-ins (RELIABILITY.md G15).

After a few free mistakes, each further failure for a login makes the next attempt wait twice as
long as the last, up to a cap: with the defaults, failures 3, 4, 5, 6 mean waits of 8, 16, 32
and 60 seconds. The wait is checked *before* the password is tried, so a script cannot test
passwords faster than the schedule whatever it does. A success clears the login's count.

Counts are kept per login as typed (case-folded), whether or not the login exists, so the delay
never reveals which logins are real. The clock is injected so tests need not sleep.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import ngettext


class SignInThrottled(UserError):
    """Too many failed attempts for this login: try again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        whole = max(1, math.ceil(seconds))
        super().__init__(ngettext(
            "Too many failed attempts. Wait {n} second before trying again.",
            "Too many failed attempts. Wait {n} seconds before trying again.", whole,
        ).format(n=whole))
        self.seconds = seconds


@dataclass(frozen=True)
class Backoff:
    free_failures: int = 2  # typos happen; no wait for the first ones
    first_delay: float = 8.0
    factor: float = 2.0
    cap: float = 60.0

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures in a row."""
        if failures <= self.free_failures:
            return 0.0
        steps = failures - self.free_failures - 1
        # min() before ** would overflow for absurd counts, so stop growing once past the cap.
        delay = self.first_delay
        for _step in range(steps):
            delay *= self.factor
            if delay >= self.cap:
                break
        return min(self.cap, delay)


@dataclass
class _Record:
    failures: int = 0
    last_failure: float = 0.0


@dataclass
class SignInThrottle:
    backoff: Backoff = field(default_factory=Backoff)
    clock: Callable[[], float] = time.monotonic
    _records: dict[str, _Record] = field(default_factory=dict)

    @staticmethod
    def _key(login: str) -> str:
        return login.strip().casefold()

    def failures(self, login: str) -> int:
        record = self._records.get(self._key(login))
        return 0 if record is None else record.failures

    def seconds_to_wait(self, login: str) -> float:
        record = self._records.get(self._key(login))
        if record is None:
            return 0.0
        ready_at = record.last_failure + self.backoff.delay_after(record.failures)
        return max(0.0, ready_at - self.clock())

    def check(self, login: str) -> None:
        """Raise ``SignInThrottled`` if ``login`` must still wait before its next attempt."""
        wait = self.seconds_to_wait(login)
        if wait > 0:
            raise SignInThrottled(wait)

    def failed(self, login: str) -> float:
        """Count a failed attempt; return the seconds before the next one may be tried."""
        record = self._records.setdefault(self._key(login), _Record())
        record.failures += 1
        record.last_failure = self.clock()
        return self.backoff.delay_after(record.failures)

    def succeeded(self, login: str) -> None:
        self._records.pop(self._key(login), None)
