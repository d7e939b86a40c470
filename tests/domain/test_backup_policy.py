"""Backup thinning like Anki's: 12 daily, 10 weekly, 9 monthly, newest verified always kept."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillsdesk.domain.backup_policy import (
    DEFAULT_POLICY,
    RotationPolicy,
    ages_out_on,
    backup_due,
    to_delete,
)

START = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)


def simulate(days: int, per_day: tuple[int, ...] = (8, 12, 15)) -> tuple[list[dt.datetime],
                                                                         dt.datetime]:
    """A school day after day: a backup at each hour in ``per_day``, thinned after each one."""
    kept: list[dt.datetime] = []
    now = START
    for day in range(days):
        for hour in per_day:
            now = START.replace(hour=hour) + dt.timedelta(days=day)
            kept.append(now)
            doomed = to_delete(kept, now, protected=now)
            kept = [k for k in kept if k not in doomed]
    return kept, now


def test_four_hundred_days_keep_the_anki_shape() -> None:
    kept, now = simulate(400)
    days = {k.date() for k in kept}
    # Today and yesterday whole, then one a day for 12 days, 10 weeks, 9 months.
    assert sum(1 for k in kept if k.date() == now.date()) == 3
    assert sum(1 for k in kept if k.date() == now.date() - dt.timedelta(days=1)) == 3
    assert len(days) == 2 + 12 + 10 + 9
    assert len(kept) == 6 + 12 + 10 + 9
    oldest = min(kept)
    assert dt.timedelta(days=300) < now - oldest < dt.timedelta(days=400)
    # One per day beyond yesterday: the newest of that day.
    for day in days - {now.date(), now.date() - dt.timedelta(days=1)}:
        same_day = [k for k in kept if k.date() == day]
        assert len(same_day) == 1 and same_day[0].hour == 15


def test_the_newest_verified_backup_is_never_deleted() -> None:
    old = START - dt.timedelta(days=900)
    now = START
    assert to_delete([old], now, RotationPolicy(0, 0, 0)) == {old}
    assert to_delete([old], now, RotationPolicy(0, 0, 0), protected=old) == set()


def test_a_laptop_left_for_months_keeps_its_last_backups() -> None:
    made = [START - dt.timedelta(days=200 + d) for d in range(30)]
    kept = set(made) - to_delete(made, START)
    newest_twelve = set(sorted(made)[-12:])
    assert newest_twelve <= kept  # the daily stage counts backups, not calendar days
    older = sorted(set(made) - newest_twelve, reverse=True)
    weeks = {m.toordinal() // 7 for m in older} - {min(newest_twelve).toordinal() // 7}
    assert len(kept - newest_twelve) == len(weeks)  # then the newest of each earlier week


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=600 * 24), min_size=1, max_size=80),
       st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
def test_never_keeps_more_than_the_policy_allows(hours: list[int], daily: int, weekly: int,
                                                 monthly: int) -> None:
    now = START + dt.timedelta(days=600)
    made = sorted({now - dt.timedelta(hours=h) for h in hours})
    policy = RotationPolicy(daily, weekly, monthly)
    kept = set(made) - to_delete(made, now, policy, protected=max(made))
    recent = {m for m in made if m.date() >= now.date() - dt.timedelta(days=1)}
    assert recent <= kept
    assert len(kept - recent - {max(made)}) <= daily + weekly + monthly
    assert max(made) in kept


def test_a_backup_is_due_after_30_minutes_only_when_something_changed() -> None:
    newest = START
    assert not backup_due(newest, START + dt.timedelta(minutes=29), changed=True)
    assert backup_due(newest, START + dt.timedelta(minutes=30), changed=True)
    assert not backup_due(newest, START + dt.timedelta(hours=5), changed=False)
    assert backup_due(None, START, changed=True)


def test_when_todays_backups_age_out() -> None:
    kept, now = simulate(400)
    date = ages_out_on(kept, now)
    assert date is not None
    # The oldest monthly one goes within about a year; nothing lasts longer than that.
    assert now.date() < date <= now.date() + dt.timedelta(days=366)
    later = list(kept)
    for day in range(1, (date - now.date()).days + 1):
        moment = now + dt.timedelta(days=day)
        later.append(moment)
        doomed = to_delete(later, moment, protected=moment)
        later = [k for k in later if k not in doomed]
    assert not set(kept) & set(later)
    assert ages_out_on([], now) is None


def test_times_must_carry_a_zone() -> None:
    with pytest.raises(ValueError):
        to_delete([dt.datetime(2026, 1, 1)], START)
    assert DEFAULT_POLICY.daily == 12 and DEFAULT_POLICY.weekly == 10
    assert DEFAULT_POLICY.monthly == 9
