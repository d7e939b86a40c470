"""`skillsdesk staff passwd|role|remove|reset` on an encrypted school."""

import json
from pathlib import Path

import pytest

from skillsdesk.storage.keyslots import new_recovery_key
from tests.cli.test_accounts_cli import PASSWORD, cheap_argon, run  # noqa: F401 - fixture

TEACHER_PW = "Orchard-Bicycle-77"


@pytest.fixture
def school(tmp_path: Path, capsys, monkeypatch) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(tmp_path / "school")]
    monkeypatch.setenv("SKILLSDESK_PASSWORD", PASSWORD)
    code, out, _err = run(capsys, "init", "--school", "Moorside", "--admin", "head", *data)
    assert code == 0
    recovery = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    monkeypatch.setenv("SKILLSDESK_NEW_PASSWORD", TEACHER_PW)
    assert run(capsys, "staff", "add", "teacher1", "--name", "Cerys Hughes", "--role",
               "teacher", "--user", "head", *data)[0] == 0
    return data, recovery


def test_staff_change_their_password_and_admins_manage_roles(school, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data, _key = school
    monkeypatch.setenv("SKILLSDESK_PASSWORD", TEACHER_PW)
    monkeypatch.setenv("SKILLSDESK_NEW_PASSWORD", "Willow-Harbour-314")
    code, out, err = run(capsys, "staff", "passwd", "--user", "teacher1", *data)
    assert code == 0 and "teacher1" in out, err
    code, _out, err = run(capsys, "staff", "list", "--user", "teacher1", *data)
    assert code == 1 and "not right" in err and "Traceback" not in err
    monkeypatch.setenv("SKILLSDESK_PASSWORD", "Willow-Harbour-314")
    code, _out, err = run(capsys, "staff", "role", "teacher1", "admin", "--user", "teacher1", *data)
    assert code == 1 and "cannot" in err  # a teacher may not change roles
    monkeypatch.setenv("SKILLSDESK_PASSWORD", PASSWORD)
    assert run(capsys, "staff", "role", "teacher1", "support", "--user", "head", *data)[0] == 0
    code, _out, err = run(capsys, "staff", "remove", "head", "--user", "head", *data)
    assert code == 1 and "yourself" in err
    assert run(capsys, "staff", "remove", "teacher1", "--user", "head", *data)[0] == 0
    code, out, _err = run(capsys, "staff", "list", "--format", "json", "--user", "head", *data)
    people = {p["login"]: p for p in json.loads(out)}
    assert people["teacher1"]["role"] == "support" and people["teacher1"]["active"] is False
    monkeypatch.setenv("SKILLSDESK_PASSWORD", "Willow-Harbour-314")
    code, _out, err = run(capsys, "staff", "list", "--user", "teacher1", *data)
    assert code == 1 and "not right" in err


def test_reset_with_the_recovery_key(school, capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, key = school
    keys = tmp_path / "school" / "skillsdesk.keys"
    before = keys.read_bytes()
    monkeypatch.setenv("SKILLSDESK_NEW_PASSWORD", "Copper-Lighthouse-58")
    monkeypatch.setenv("SKILLSDESK_RECOVERY_KEY", new_recovery_key())
    code, _out, err = run(capsys, "staff", "reset", "head", "--recovery-key", *data)
    assert code == 1 and "recovery key" in err and "Traceback" not in err
    assert keys.read_bytes() == before
    monkeypatch.setenv("SKILLSDESK_RECOVERY_KEY", key)
    code, _out, err = run(capsys, "staff", "reset", "head", "--recovery-key", *data)
    assert code == 0, err
    monkeypatch.setenv("SKILLSDESK_PASSWORD", "Copper-Lighthouse-58")
    assert run(capsys, "staff", "list", "--user", "head", *data)[0] == 0
