"""An encrypted school from the command line: init, signing in, staff with their own passwords."""

import json
from pathlib import Path

import pytest

from skillsdesk.__main__ import main
from skillsdesk.storage.database import DB_FILE
from skillsdesk.storage.engine import is_plain_sqlite
from skillsdesk.storage.keyslots import OWASP_MINIMUM

PASSWORD = "Kettle-Marmalade-42"


@pytest.fixture(autouse=True)
def cheap_argon(monkeypatch: pytest.MonkeyPatch) -> None:
    # The OWASP floor keeps these tests quick; production uses the stronger default.
    import skillsdesk.storage.keyslots as keyslots

    monkeypatch.setattr(keyslots, "DEFAULT_PARAMS", OWASP_MINIMUM)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_sign_in(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(tmp_path / "school")]
    monkeypatch.setenv("SKILLSDESK_PASSWORD", PASSWORD)
    code, out, _err = run(capsys, "init", "--school", "Moorside Primary", "--admin", "mjones",
                          "--name", "Mari Jones", *data)
    assert code == 0 and "Recovery key" in out
    assert not is_plain_sqlite(tmp_path / "school" / DB_FILE)
    code, _out, err = run(capsys, "pupils", "list", *data)
    assert code == 1 and "--user" in err
    code, out, _err = run(capsys, "staff", "list", "--format", "json", "--user", "mjones", *data)
    assert code == 0 and json.loads(out)[0]["login"] == "mjones"
    monkeypatch.setenv("SKILLSDESK_PASSWORD", "not-the-password")
    code, out, err = run(capsys, "staff", "list", "--user", "mjones", *data)
    assert code == 1 and "Traceback" not in err and "not right" in err


def test_a_weak_first_password_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SKILLSDESK_PASSWORD", "password1")
    code, _out, err = run(capsys, "init", "--school", "X", "--admin", "a1",
                          "--data-dir", str(tmp_path / "s"))
    assert code == 1 and err
    assert not (tmp_path / "s" / DB_FILE).exists()


def test_staff_get_their_own_passwords(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(tmp_path / "school")]
    monkeypatch.setenv("SKILLSDESK_PASSWORD", PASSWORD)
    assert run(capsys, "init", "--school", "Moorside", "--admin", "head", *data)[0] == 0
    monkeypatch.setenv("SKILLSDESK_USER", "head")
    monkeypatch.setenv("SKILLSDESK_NEW_PASSWORD", "Orchard-Bicycle-77")
    code, _out, err = run(capsys, "staff", "add", "lunch1", "--name", "Sam Lee",
                          "--role", "lunchtime", *data)
    assert code == 0, err
    monkeypatch.setenv("SKILLSDESK_USER", "lunch1")
    monkeypatch.setenv("SKILLSDESK_PASSWORD", "Orchard-Bicycle-77")
    code, out, _err = run(capsys, "staff", "list", "--format", "json", *data)
    assert code == 0 and {s["login"] for s in json.loads(out)} == {"head", "lunch1"}
    # A lunchtime supervisor may not add staff: the service refuses, not just the GUI.
    code, _out, err = run(capsys, "staff", "add", "ta9", "--name", "Ann Bee", "--role",
                          "support", *data)
    assert code == 1 and "cannot" in err


def test_demo_school_signs_in_as_head(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(tmp_path / "demo")]
    assert run(capsys, "demo", "--pupils", "15", "--years", "1", *data)[0] == 0
    monkeypatch.setenv("SKILLSDESK_PASSWORD", "skillsdesk-demo")
    code, out, _err = run(capsys, "pupils", "list", "--format", "json", "--user", "head", *data)
    assert code == 0 and len(json.loads(out)) == 15
    code, out, _err = run(capsys, "staff", "list", "--format", "json", "--user", "teacher1", *data)
    assert code == 0
