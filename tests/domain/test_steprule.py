import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillsdesk.domain.steprule import (
    INDEPENDENTLY,
    SECURED,
    WITH_HELP,
    Seen,
    StepRule,
    current_steps,
    next_step,
    summarise,
)

DAY = dt.date(2026, 10, 1)


def seen(step: int, level: int, day: int = 0, setting: str = "classroom", skill: str = "s") -> Seen:
    return Seen("p", skill, step, level, DAY + dt.timedelta(days=day), setting)


def test_secured_judgement_secures_at_once() -> None:
    assert current_steps(summarise([seen(3, SECURED)]), StepRule()) == {("p", "s"): 3}


def test_independent_on_two_days_secures_but_one_day_twice_does_not() -> None:
    same_day = [seen(2, INDEPENDENTLY, 0), seen(2, INDEPENDENTLY, 0)]
    assert current_steps(summarise(same_day), StepRule()) == {}
    two_days = [seen(2, INDEPENDENTLY, 0), seen(2, INDEPENDENTLY, 3)]
    assert current_steps(summarise(two_days), StepRule()) == {("p", "s"): 2}


def test_with_help_never_counts_towards_securing() -> None:
    helped = [seen(1, WITH_HELP, d) for d in range(5)]
    assert current_steps(summarise(helped), StepRule()) == {}


def test_settings_rule_needs_different_settings() -> None:
    rule = StepRule(independent_days=2, min_settings=2)
    one_place = [seen(1, INDEPENDENTLY, 0), seen(1, INDEPENDENTLY, 1)]
    assert current_steps(summarise(one_place), rule) == {}
    two_places = [seen(1, INDEPENDENTLY, 0), seen(1, INDEPENDENTLY, 1, "lunchtime")]
    assert current_steps(summarise(two_places), rule) == {("p", "s"): 1}


def test_current_is_the_highest_secured_step() -> None:
    items = [seen(1, SECURED), seen(4, SECURED), seen(6, WITH_HELP)]
    assert current_steps(summarise(items), StepRule()) == {("p", "s"): 4}


def test_next_step() -> None:
    assert next_step(None) == 0
    assert next_step(None, lowest=1) == 1
    assert next_step(4) == 5
    assert next_step(15, highest=15) is None


def test_rule_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        StepRule(independent_days=0)


observations = st.lists(
    st.builds(
        Seen,
        pupil=st.sampled_from(["a", "b"]),
        skill=st.sampled_from(["x", "y"]),
        step=st.integers(0, 6),
        level=st.sampled_from([WITH_HELP, INDEPENDENTLY, SECURED]),
        on=st.dates(DAY, DAY + dt.timedelta(days=20)),
        setting=st.sampled_from(["classroom", "lunchtime", "trip"]),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(observations, st.integers(1, 4), st.integers(1, 3))
def test_rule_matches_its_plain_definition(items: list[Seen], days: int, places: int) -> None:
    rule = StepRule(days, places)
    expected: dict[tuple[str, str], int] = {}
    for pupil in "ab":
        for skill in "xy":
            for step in range(7):
                mine = [o for o in items if (o.pupil, o.skill, o.step) == (pupil, skill, step)]
                independent = [o for o in mine if o.level >= INDEPENDENTLY]
                secured = any(o.level == SECURED for o in mine) or (
                    len({o.on for o in independent}) >= days
                    and len({o.setting for o in independent}) >= places)
                if secured:
                    expected[(pupil, skill)] = step
    assert current_steps(summarise(items), rule) == expected


@settings(max_examples=100, deadline=None)
@given(observations, observations)
def test_more_evidence_never_lowers_the_current_step(first: list[Seen], more: list[Seen]) -> None:
    before = current_steps(summarise(first), StepRule())
    after = current_steps(summarise(first + more), StepRule())
    for key, step in before.items():
        assert after[key] >= step
