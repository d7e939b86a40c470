"""The new academic year: pupils move up, Year 6 leave, new classes, history untouched."""

import datetime as dt
from pathlib import Path

import pytest

from skillsdesk.__main__ import main
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.rollover import ClassMove, next_class_name, unique_names
from skillsdesk.services.container import open_services
from skillsdesk.services.recording import Entry
from skillsdesk.storage import audit as audit_repo
from tests.conftest import TODAY

LAST_YEAR = dt.date(2026, 6, 15)
ROLL = """Adno,Forename,Surname,Year,Class
1,Amara,Okafor,R,R Ash
2,Bryn,Jones,R,R Ash
3,Cai,Evans,3,3 Oak
4,Dora,Nowak,3,3 Oak
5,Eli,Khan,4,Kestrels
6,Fay,Lee,6,6 Elm
7,Gus,Wu,6,6 Elm
"""


@pytest.mark.parametrize(("name", "old", "new", "expected"), [
    ("3 Oak", "3", "4", "4 Oak"), ("Year 3 Oak", "3", "4", "Year 4 Oak"),
    ("Y3 Oak", "3", "4", "Y4 Oak"), ("3A", "3", "4", "4A"), ("R Ash", "R", "1", "1 Ash"),
    ("YR Ash", "R", "1", "Y1 Ash"), ("N2 Foxes", "N2", "R", "R Foxes"),
    ("Robins", "R", "1", "Robins"), ("Kestrels", "4", "5", "Kestrels"),
    ("13 Club", "1", "2", "13 Club"), ("Year R", "R", "1", "Year 1"),
])
def test_class_names_follow_their_year_group(name: str, old: str, new: str,
                                             expected: str) -> None:
    assert next_class_name(name, old, new) == expected


def test_two_classes_never_get_one_name() -> None:
    moves = [ClassMove("3 Oak", "4 Oak", "3", "4", 20), ClassMove("4 Oak", "4 Oak", "4", "5", 3)]
    assert [m.new_name for m in unique_names(moves)] == ["4 Oak", "4 Oak (5)"]


@pytest.fixture
def last_year(tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    services = open_services(folder, today=LAST_YEAR)
    try:
        csv = tmp_path / "roll.csv"
        csv.write_text(ROLL, encoding="utf-8")
        services.pupils.import_file(csv)
        framework = services.frameworks.current()
        fay = next(p for p in services.school.pupils() if p.admission_number == "6")
        services.recording.record(framework, framework.skills[0].code, [Entry(fay.id, 4, 3)],
                                  observed_on=dt.date(2026, 6, 10), note="Year 6 play")
    finally:
        services.close()
    return folder


def test_rollover_moves_up_sets_classes_and_keeps_history(last_year: Path) -> None:
    services = open_services(last_year, today=TODAY)
    try:
        before_old = {g.name: g.pupil_count for g in services.school.classes("2025/26")}
        observations = services.observations.count()
        plan = services.rollover.rollover(dry_run=True)
        assert plan.from_year == "2025/26" and plan.to_year == "2026/27"
        assert plan.moving_up == 5 and plan.leavers == 2
        assert services.school.classes("2026/27") == []  # a dry run changes nothing
        assert [b.reason for b in services.backups.list()] == ["import"]

        done = services.rollover.rollover()
        assert done.backup is not None and done.backup.reason == "rollover"
        new = {g.name: (g.year_group, g.pupil_count) for g in services.school.classes("2026/27")}
        assert new == {"1 Ash": ("1", 2), "4 Oak": ("4", 2), "Kestrels": ("5", 1)}
        on_roll = {p.admission_number: (p.year_group, p.class_name)
                   for p in services.school.pupils()}
        assert on_roll == {"1": ("1", "1 Ash"), "2": ("1", "1 Ash"), "3": ("4", "4 Oak"),
                           "4": ("4", "4 Oak"), "5": ("5", "Kestrels")}
        # Leavers are kept, with a leaving date; last year is exactly as it was.
        leavers = services.erasure.leavers_due(dt.date(2027, 9, 1))
        assert {(d.admission_number, d.left_on) for d in leavers} == {
            ("6", dt.date(2026, 8, 31)), ("7", dt.date(2026, 8, 31))}
        assert {g.name: g.pupil_count for g in services.school.classes("2025/26")} == before_old
        assert services.observations.count() == observations
        assert [o.note for o in services.observations.list("6")] == ["Year 6 play"]
        with services.store.read() as session:
            events = audit_repo.browse(session, action="school.rollover")
        assert len(events) == 1 and events[0].after["leavers"] == 2

        with pytest.raises(UserError, match="already has classes"):
            services.rollover.rollover()
    finally:
        services.close()


def test_rollover_needs_an_earlier_year(services) -> None:
    with pytest.raises(UserError, match="no classes in an earlier year"):
        services.rollover.rollover(dry_run=True)


def test_rollover_from_the_command_line(last_year: Path, capsys, monkeypatch) -> None:
    import skillsdesk.services.school as school_module

    monkeypatch.setattr(school_module.SchoolService, "today", lambda self: TODAY)
    data = ["--data-dir", str(last_year)]
    assert main(["rollover", "--dry-run", *data]) == 0
    out = capsys.readouterr().out
    assert "Would move 5 pupils up from 2025/26 to 2026/27" in out and "3 Oak → 4 Oak" in out
    assert "Dry run" in out
    assert main(["rollover", *data]) == 0
    assert "A backup was made first" in capsys.readouterr().out
    assert main(["rollover", *data]) == 1
    assert "already has classes" in capsys.readouterr().err
