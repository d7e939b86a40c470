"""``skillsdesk backup``, ``restore`` and ``check`` as an admin would script them."""

import json
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite_module

from skillsdesk.__main__ import main
from skillsdesk.storage.database import DB_FILE


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_list_copy_restore_and_check(tmp_path: Path, plain_school: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "s")]
    csv = tmp_path / "p.csv"
    csv.write_text("Adno,Forename,Surname,Year,Class\n1,Ann,Lee,3,3 Oak\n", encoding="utf-8")
    assert run(capsys, "pupils", "import", str(csv), *data)[0] == 0

    code, out, err = run(capsys, "check", *data)
    assert code == 0 and "Result: ok" in out and "Integrity: ok" in out
    assert "synchronous: 2" in out and "WAL-reset bug fixed" in out and "chain intact" in out

    code, out, _err = run(capsys, "backup", *data)
    assert code == 0 and "1 pupils" in out and "checked" in out
    made = out.split("Backed up to ")[1].split(" (")[0]

    code, out, _err = run(capsys, "backup", "--list", "--format", "json", *data)
    rows = json.loads(out)
    assert [r["reason"] for r in rows] == ["manual", "import"] and rows[0]["verified"] is True

    usb = tmp_path / "usb"
    code, out, err = run(capsys, "backup", "--to", str(usb), *data)
    assert code == 0 and "locked away" in err
    copies = list(usb.glob("skillsdesk-*-copy.db"))
    assert len(copies) == 1 and copies[0].with_suffix(".json").exists()
    assert len(json.loads(run(capsys, "backup", "--list", "--format", "json", *data)[1])) == 2

    csv.write_text("Adno,Forename,Surname,Year,Class\n2,Bo,Ray,3,3 Oak\n", encoding="utf-8")
    assert run(capsys, "pupils", "import", str(csv), *data)[0] == 0
    code, out, _err = run(capsys, "restore", made, *data)
    assert code == 0 and "Restored" in out and "kept in the backup" in out
    code, out, _err = run(capsys, "pupils", "list", "--format", "json", *data)
    assert [p["admission_number"] for p in json.loads(out)] == ["1"]

    code, _out, err = run(capsys, "restore", str(tmp_path / "nothing.db"), *data)
    assert code == 1 and "was not restored" in err and "Traceback" not in err


def test_check_reports_a_tampered_audit_trail(tmp_path: Path, plain_school: Path,
                                             capsys) -> None:
    data = ["--data-dir", str(tmp_path / "s")]
    assert run(capsys, "backup", *data)[0] == 0
    conn = sqlite_module.connect(str(tmp_path / "s" / DB_FILE))
    conn.execute("INSERT INTO audit_event (sequence, at, action, entity_type, prev_hash, hash) "
                 "VALUES (1, '2026-01-01 00:00:00', 'pupil.erase', 'pupil', ?, ?)",
                 ("0" * 64, "f" * 64))
    conn.commit()
    conn.close()
    code, out, _err = run(capsys, "check", *data)
    assert code == 1 and "chain BROKEN at event 1" in out and "outside SkillsDesk" in out
