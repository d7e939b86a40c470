"""Erasure (G20): every row about the pupil gone, the canary gone from the database and its WAL,
the audit trail says who erased whom and nothing more; leavers' retention period."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from skillsdesk.__main__ import main
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.permissions import Actor, PermissionDenied
from skillsdesk.services.recording import Entry
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage.database import DB_FILE
from skillsdesk.storage.pupil_records import referencing_tables
from tests.conftest import TODAY

CANARY_NAME = ("Zephyrine", "Quillfeather-Oyelaran")
CANARY_NOTE = "tied her shoelaces unprompted on the Wednesday canary trip"
ROLL = f"""Adno,Forename,Surname,Year,Class
1,{CANARY_NAME[0]},{CANARY_NAME[1]},3,3 Oak
2,Bob,Khan,3,3 Oak
"""


def _canaries() -> list[bytes]:
    found = []
    for value in (CANARY_NAME[1], CANARY_NOTE):
        found += [value.encode("utf-8"), value.encode("utf-16-le")]
    return found


@pytest.fixture
def school(services, tmp_path: Path):  # type: ignore[no-untyped-def]
    csv = tmp_path / "roll.csv"
    csv.write_text(ROLL, encoding="utf-8")
    services.pupils.import_file(csv)
    framework = services.frameworks.current()
    pupils = {p.admission_number: p for p in services.school.pupils()}
    code = framework.skills[0].code
    services.recording.record(framework, code, [Entry(pupils["1"].id, 2, 2)], note=CANARY_NOTE)
    services.recording.record(framework, code, [Entry(pupils["2"].id, 3, 2)], note="Bob's note")
    services.targets.set(framework, pupils["1"].id, code, 4, None)
    services.passports.add_family_note(pupils["1"], CANARY_NOTE + " (slip)", TODAY)
    services.drafts.save(None, CANARY_NOTE + " draft", {"pupil_ids": [pupils["1"].id]})
    services.school.save_set("Blue table", [pupils["1"].id, pupils["2"].id])
    return services


def test_erasure_removes_every_row_and_the_canary_bytes(school) -> None:  # type: ignore[no-untyped-def]
    s = school
    staff = s.accounts.add_staff("head", "Head Teacher", "admin")
    head = Actor(staff.id, staff.login, staff.name, staff.role)
    pupil_id = next(p.id for p in s.school.pupils() if p.admission_number == "1")
    db = s.store.path
    assert any(c in db.read_bytes() + _wal(db) for c in _canaries())

    result = s.erasure.erase("1", actor=head)
    assert result.rows["pupil"] == 1 and result.rows["observation"] == 1
    assert result.rows["group_member"] == 2 and result.rows["target"] == 1
    assert result.rows["family_note"] == 1 and result.rows["draft"] == 1
    assert result.backup.reason == "erase" and result.backup.contents.pupils == 2
    assert result.wal_truncated
    assert result.backups_age_out_on is not None and result.backups_age_out_on > TODAY
    with s.store.read() as session:
        for table, column in referencing_tables():
            count = session.execute(text(
                f"SELECT count(*) FROM {table.name} WHERE {column} = :p"),
                {"p": pupil_id.hex}).scalar_one()
            assert count == 0, table.name
        events = audit_repo.browse(session, action="pupil.erase")
        assert len(events) == 1 and events[0].pupil_id == pupil_id
        assert events[0].login == "head" and events[0].role == "admin"
        assert events[0].before is None and events[0].after is None
        assert audit_repo.verify_chain(session) is None
    # The other pupil and their records are untouched; the draft of the erased pupil is gone.
    assert [p.admission_number for p in s.school.pupils()] == ["2"]
    assert [o.note for o in s.observations.list("2")] == ["Bob's note"]
    assert s.drafts.load(None) is None
    data = db.read_bytes() + _wal(db)
    for canary in _canaries():
        assert canary not in data, canary
    assert s.store.quick_check() == "ok"
    with pytest.raises(NotFound):
        s.erasure.erase("1")


def _wal(db: Path) -> bytes:
    wal = Path(f"{db}-wal")
    return wal.read_bytes() if wal.exists() else b""


def test_only_an_admin_may_erase(school) -> None:  # type: ignore[no-untyped-def]
    teacher = Actor(school.school.pupils()[0].id, "t1", "A Teacher", "teacher")
    with pytest.raises(PermissionDenied):
        school.erasure.erase("1", actor=teacher)
    assert len(school.school.pupils()) == 2


def test_leavers_past_the_retention_period(school) -> None:  # type: ignore[no-untyped-def]
    s = school
    with s.store.write() as session:
        session.execute(text("UPDATE pupil SET left_on = '2025-07-18' "
                             "WHERE admission_number = '2'"))
    assert s.erasure.retention_months() == 12
    due = s.erasure.leavers_due(TODAY)
    assert [(d.admission_number, d.due_on) for d in due] == [("2", dt.date(2026, 7, 18))]
    s.erasure.set_retention_months(24)
    assert s.erasure.leavers_due(TODAY) == []
    with pytest.raises(UserError):
        s.erasure.set_retention_months(0)


def test_erase_and_retention_from_the_command_line(tmp_path: Path, plain_school: Path,
                                                   capsys) -> None:
    data = ["--data-dir", str(tmp_path / "s")]
    csv = tmp_path / "roll.csv"
    csv.write_text(ROLL, encoding="utf-8")
    assert main(["pupils", "import", str(csv), *data]) == 0
    assert main(["retention", "--months", "6", "--format", "json", *data]) == 0
    out, err = capsys.readouterr()
    assert "6 months" in err and out.strip().endswith("[]")
    assert main(["erase", "--pupil", "1", "--yes", *data]) == 0
    out = capsys.readouterr().out
    assert "Erased pupil 1" in out and "removed by" in out
    assert main(["erase", "--pupil", "1", "--yes", *data]) == 1
    assert "No pupil has admission number 1" in capsys.readouterr().err
    assert CANARY_NAME[1].encode() not in (tmp_path / "s" / DB_FILE).read_bytes()
