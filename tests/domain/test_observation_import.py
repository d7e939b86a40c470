"""Bulk observation history: loose headers, defaults, words for levels and settings, bad rows."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.observation_import import (
    LEVELS,
    MAX_NOTE,
    SETTINGS,
    parse_observations,
)
from skillsdesk.domain.tabular import read_table, read_table_bytes

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures" / "imports"
TODAY = dt.date(2025, 12, 1)
HEADER = "Adno,Skill,Step,Date,Setting,Level,Note,Observer\n"


def parse_text(text: str, today: dt.date = TODAY):  # noqa: ANN201 - ParsedObservations
    return parse_observations(read_table_bytes(text.encode("utf-8"), "obs.csv"), today=today)


def test_constants() -> None:
    assert LEVELS == {1: "with help", 2: "independently", 3: "secured"}
    assert SETTINGS == ("classroom", "lunchtime", "playground", "trip", "employer", "home",
                        "online")


def test_observations_csv() -> None:
    parsed = parse_observations(read_table(FIXTURES / "observations.csv"), today=TODAY)
    first, second, third, fourth = parsed.records
    assert (first.line, first.admission_number, first.skill, first.step) == (2, "00123",
                                                                            "Listening", 3)
    assert first.observed_on == dt.date(2025, 10, 14)
    assert (first.setting, first.level, first.observer) == ("classroom", 2, "JE")
    assert (second.setting, second.level) == ("lunchtime", 1)
    assert second.note == "Asked the lunchtime supervisor for help.\nUsed a full sentence."
    assert third.line == 5  # the note above runs over two lines
    assert third.observed_on == dt.date(2025, 10, 20)  # an Excel serial number
    assert (third.setting, third.level, third.note, third.observer) == ("classroom", 2, None,
                                                                         None)
    assert (fourth.step, fourth.setting, fourth.level) == (4, "trip", 3)
    assert parsed.invalid_lines == frozenset({7})
    fields = {p.field for p in parsed.problems}
    assert fields == {"Step", "Date", "Setting", "Level"}
    assert all(p.line == 7 for p in parsed.problems)


def test_observations_xlsx_with_other_header_names() -> None:
    parsed = parse_observations(read_table(FIXTURES / "observations.xlsx"), today=TODAY)
    assert parsed.problems == ()
    assert parsed.columns["date"] == "Observed On"
    assert parsed.columns["level"] == "How"
    first, second, third = parsed.records
    assert (first.admission_number, first.skill, first.step) == ("5001", "LIS", 2)
    assert (first.observed_on, first.setting, first.level) == (dt.date(2025, 10, 14),
                                                               "playground", 3)
    assert (second.step, second.setting, second.level) == (0, "classroom", 2)
    assert (third.admission_number, third.observed_on, third.setting) == ("00503",
                                                                          dt.date(2025, 11, 22),
                                                                          "home")
    assert third.observer == "Mrs Ó Briain"


def test_setting_and_level_default_when_columns_are_absent() -> None:
    parsed = parse_text("Adno,Skill,Step,Date,Teacher Notes\n1,TW,2,01/09/2025,x\n")
    record = parsed.records[0]
    assert (record.setting, record.level, record.note, record.observer) == ("classroom", 2,
                                                                              None, None)
    assert parsed.ignored_columns == ("Teacher Notes",)


@pytest.mark.parametrize(
    ("word", "level"),
    [("with help", 1), ("Help", 1), ("supported", 1), ("1", 1), ("Independently", 2),
     ("independent", 2), ("2", 2), ("Secured", 3), ("secure", 3), ("3", 3), ("", 2)],
)
def test_level_words(word: str, level: int) -> None:
    assert parse_text(HEADER + f"1,TW,2,01/09/2025,,{word},,\n").records[0].level == level


@pytest.mark.parametrize(
    ("word", "setting"),
    [("Classroom", "classroom"), ("class", "classroom"), ("lesson", "classroom"),
     ("Lunchtime", "lunchtime"), ("lunch", "lunchtime"), ("dinner", "lunchtime"),
     ("playground", "playground"), ("Break", "playground"), ("outside", "playground"),
     ("trip", "trip"), ("Visit", "trip"), ("employer", "employer"),
     ("Employer activity", "employer"), ("work", "employer"), ("home", "home"),
     ("Online", "online"), ("", "classroom")],
)
def test_setting_words(word: str, setting: str) -> None:
    assert parse_text(HEADER + f"1,TW,2,01/09/2025,{word},,,\n").records[0].setting == setting


@pytest.mark.parametrize(("text", "step"), [("0", 0), ("7", 7), ("99", 99), ("3.0", 3),
                                             ("Step 5", 5), (" 4 ", 4)])
def test_steps(text: str, step: int) -> None:
    assert parse_text(HEADER + f"1,TW,{text},01/09/2025,,,,\n").records[0].step == step


@pytest.mark.parametrize("text", ["", "100", "-1", "2.5", "two", "3a"])
def test_bad_steps(text: str) -> None:
    parsed = parse_text(HEADER + f"1,TW,{text},01/09/2025,,,,\n")
    assert parsed.records == ()
    assert parsed.problems[0].field == "Step" and parsed.problems[0].line == 2


@pytest.mark.parametrize(
    ("text", "needle"),
    [("02/12/2025", "future"), ("31/12/1999", "2000"), ("", "blank"), ("31/02/2025", "read"),
     ("12/31/2025", "read")],
)
def test_bad_dates(text: str, needle: str) -> None:
    parsed = parse_text(HEADER + f"1,TW,2,{text},,,,\n")
    assert parsed.records == ()
    assert needle in parsed.problems[0].message


def test_today_and_first_of_2000_are_allowed() -> None:
    parsed = parse_text(HEADER + "1,TW,2,01/12/2025,,,,\n2,TW,2,2000-01-01,,,,\n")
    assert len(parsed.records) == 2


def test_note_cap() -> None:
    ok = "a" * MAX_NOTE
    parsed = parse_text(HEADER + f"1,TW,2,01/09/2025,,,{ok},\n2,TW,2,01/09/2025,,,{ok}b,\n")
    assert [r.admission_number for r in parsed.records] == ["1"]
    assert parsed.problems[0].line == 3 and "20000" in parsed.problems[0].message


def test_blank_required_cells_are_all_reported() -> None:
    parsed = parse_text(HEADER + ",,,,,,Kind to a friend,\n1,TW,2,01/09/2025,,,,\n")
    assert {p.field for p in parsed.problems} == {"Adno", "Skill", "Step", "Date"}
    assert parsed.invalid_lines == frozenset({2})


def test_missing_columns_are_named() -> None:
    with pytest.raises(UserError) as caught:
        parse_text("Pupil,Skill,Notes\n1,TW,x\n")
    message = caught.value.message
    for needle in ("obs.csv", "admission number", "step", "date", '"Step Number"',
                   '"Observation Date"', '"Pupil"'):
        assert needle in message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.text(max_size=10),
                                   st.sampled_from(['"', ",", "\n", "3", "01/09/2025", "45000",
                                                    "Step 2", "lunch", "secured"])),
                         max_size=9), max_size=6))
def test_random_rows_raise_only_user_error(rows: list[list[str]]) -> None:
    text = HEADER + "\n".join(",".join(row) for row in rows)
    try:
        parsed = parse_text(text)
    except UserError:
        return
    assert all(problem.line is not None for problem in parsed.problems)
    for record in parsed.records:
        assert record.setting in SETTINGS and record.level in LEVELS
        assert dt.date(2000, 1, 1) <= record.observed_on <= TODAY
