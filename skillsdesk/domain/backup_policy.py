"""Which backups to keep, and when to make the next one (RELIABILITY.md §1.2, G6).

The thinning follows Anki (``rslib/src/collection/backup.rs``, ``BackupFilter``): walking from
the newest backup to the oldest, everything made today or yesterday is kept; then the newest
backup of each earlier day, until ``daily`` days are kept; then the newest of each earlier week,
until ``weekly`` weeks; then the newest of each earlier month, until ``monthly`` months; anything
older goes. With the defaults (12, 10, 9) that reaches back about a year. Days, weeks and months
are counted in UTC so the answer never depends on the laptop's time zone.

Pure functions over instants: the service passes the clock in, so the tests can run 400 days in
a moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

MIN_INTERVAL = dt.timedelta(minutes=30)
# How far ahead ``ages_out_on`` looks before giving up (a policy that keeps more than this is
# reported as "not within three years").
_HORIZON_DAYS = 3 * 366


@dataclass(frozen=True)
class RotationPolicy:
    daily: int = 12
    weekly: int = 10
    monthly: int = 9
    min_interval: dt.timedelta = MIN_INTERVAL

    def __post_init__(self) -> None:
        if min(self.daily, self.weekly, self.monthly) < 0:
            raise ValueError("a rotation policy keeps zero or more backups per stage")


DEFAULT_POLICY = RotationPolicy()


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("backup times must carry a time zone")
    return moment.astimezone(dt.UTC)


def _day(moment: dt.datetime) -> int:
    return _utc(moment).date().toordinal()


def _week(moment: dt.datetime) -> int:
    return _day(moment) // 7


def _month(moment: dt.datetime) -> int:
    day = _utc(moment).date()
    return day.year * 12 + day.month


def to_delete(made_at: Sequence[dt.datetime], now: dt.datetime,
              policy: RotationPolicy = DEFAULT_POLICY,
              protected: dt.datetime | None = None) -> set[dt.datetime]:
    """The backup times (out of ``made_at``) that the policy no longer keeps.

    ``protected`` (the newest verified backup) is never in the answer, whatever the policy says.
    """
    daily, weekly, monthly = policy.daily, policy.weekly, policy.monthly
    yesterday = _day(now) - 1
    last_day = last_week = last_month = 1 << 62
    obsolete: set[dt.datetime] = set()
    for moment in sorted(made_at, key=_utc, reverse=True):
        if _day(moment) >= yesterday:
            stage, keep = "recent", True
        elif daily > 0:
            stage, keep = "daily", _day(moment) < last_day
        elif weekly > 0:
            stage, keep = "weekly", _week(moment) < last_week
        elif monthly > 0:
            stage, keep = "monthly", _month(moment) < last_month
        else:
            stage, keep = "none", False
        if not keep:
            obsolete.add(moment)
            continue
        last_day, last_week, last_month = _day(moment), _week(moment), _month(moment)
        if stage == "daily":
            daily -= 1
        elif stage == "weekly":
            weekly -= 1
        elif stage == "monthly":
            monthly -= 1
    if protected is not None:
        obsolete.discard(protected)
    return obsolete


def backup_due(newest: dt.datetime | None, now: dt.datetime, changed: bool,
               policy: RotationPolicy = DEFAULT_POLICY) -> bool:
    """An automatic backup is due when something changed and the last one is old enough."""
    if not changed:
        return False
    return newest is None or _utc(now) - _utc(newest) >= policy.min_interval


def ages_out_on(made_at: Sequence[dt.datetime], now: dt.datetime,
                policy: RotationPolicy = DEFAULT_POLICY) -> dt.date | None:
    """The first day on which none of the backups in ``made_at`` is kept any more.

    Assumes SkillsDesk keeps making at least one backup a day from ``now`` on (at the same time
    of day), which is the slowest the old ones can disappear. None when there is nothing to age
    out or the policy keeps them beyond three years.
    """
    old = {_utc(m) for m in made_at}
    if not old:
        return None
    kept = set(old)
    for days in range(1, _HORIZON_DAYS):
        moment = _utc(now) + dt.timedelta(days=days)
        kept.add(moment)
        kept -= to_delete(sorted(kept), moment, policy, protected=moment)
        if not kept & old:
            return moment.date()
    return None
