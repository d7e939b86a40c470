import datetime as dt

import pytest

from skillsdesk.domain.calendar import default_terms, school_year_of, term_of
from skillsdesk.domain.yeargroups import (
    YEAR_GROUPS,
    normalise_year_group,
    shift_year_group,
    year_group_label,
)


@pytest.mark.parametrize(("written", "code"), [
    ("Year 3", "3"), ("3", "3"), ("Y3", "3"), ("NC Year 6", "6"), (6.0, "6"), (4, "4"),
    ("Reception", "R"), ("R", "R"), ("YR", "R"), ("Rec", "R"), ("FS2", "R"),
    ("N1", "N1"), ("Nursery 1", "N1"), ("nursery 2", "N2"), ("E1", "E1"),
])
def test_year_groups_as_mis_write_them(written: object, code: str) -> None:
    assert normalise_year_group(written) == code  # type: ignore[arg-type]


@pytest.mark.parametrize("written", ["Year 7", "7", "10", "", None, "Y12", "3.5", 3.5, "abc"])
def test_not_primary(written: object) -> None:
    assert normalise_year_group(written) is None  # type: ignore[arg-type]


def test_labels_and_shifts() -> None:
    assert year_group_label("R") == "Reception"
    assert year_group_label("4") == "Year 4"
    assert shift_year_group("3", -2) == "1"
    assert shift_year_group("6", 1) is None
    assert YEAR_GROUPS.index("R") < YEAR_GROUPS.index("1")


def test_school_year_runs_september_to_august() -> None:
    year = school_year_of(dt.date(2026, 11, 30))
    assert (year.label, year.starts_on, year.ends_on) == (
        "2026/27", dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert school_year_of(dt.date(2027, 8, 31)).label == "2026/27"
    assert school_year_of(dt.date(2099, 9, 1)).label == "2099/00"
    assert [t.name for t in default_terms(year)] == ["Autumn", "Spring", "Summer"]
    assert term_of(dt.date(2027, 2, 1)) == "Spring"
