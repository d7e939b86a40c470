"""The GUI's start-up order (skillsdesk/app.py): the first window before the heavy imports, and
the start-up check on its own thread still quarantines a damaged database and offers the backup.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from skillsdesk import app as gui
from tests.conftest import TODAY


def test_the_file_names_the_first_window_is_chosen_by_are_the_storage_layers() -> None:
    from skillsdesk.storage.database import DB_FILE
    from skillsdesk.storage.keyslots import KEYS_FILE

    assert (gui.DB_FILE, gui.KEYS_FILE) == (DB_FILE, KEYS_FILE)


SIGN_IN_FIRST = textwrap.dedent("""
    import sys
    from skillsdesk.ui import prompts
    seen = []

    def run(dialog):  # the sign-in dialog: note what is loaded, then close it unanswered
        heavy = ("sqlalchemy", "sqlmodel", "skillsdesk.services.container",
                 "skillsdesk.storage.database", "skillsdesk.ui.main_window")
        seen.append((type(dialog).__name__, [m for m in heavy if m in sys.modules]))
        return 0

    prompts.run = run
    from skillsdesk.__main__ import main
    code = main(["--data-dir", sys.argv[1]])
    print(code, seen)
""")


def test_an_encrypted_school_shows_its_sign_in_before_sqlalchemy_is_imported(
        tmp_path: Path) -> None:
    folder = tmp_path / "school"
    folder.mkdir()
    # The dialog is chosen by the files alone; nothing is read before a password is given.
    (folder / gui.DB_FILE).write_bytes(os.urandom(4096))
    (folder / gui.KEYS_FILE).write_text("{}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", SIGN_IN_FIRST, str(folder)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "0 [('SignInDialog', [])]", result.stdout


def _damaged_with_backup(demo_dir: Path) -> Path:
    from skillsdesk.services.container import open_services
    from skillsdesk.storage.database import DB_FILE

    services = open_services(demo_dir, today=TODAY)
    services.backups.backup()
    services.close()
    db = demo_dir / DB_FILE
    data = bytearray(db.read_bytes())
    data[4096 * 3:4096 * 3 + 64] = b"\xff" * 64  # a table page's header and cell pointers
    db.write_bytes(bytes(data))
    return db


def test_the_check_on_its_thread_quarantines_damage_and_the_backup_is_restored(
        qtbot: Any, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from skillsdesk.storage.instance import acquire_instance_lock

    db = _damaged_with_backup(demo_dir)
    damaged = db.read_bytes()
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text: (
        asked.append(text), QMessageBox.StandardButton.Yes)[1])
    lock = acquire_instance_lock(demo_dir)
    try:
        check = gui.start_check(demo_dir)
        assert check is not None
        services = gui.open_school(demo_dir, check=check)
        try:
            assert len(asked) == 1 and "damaged" in asked[0]
            moved = sorted(demo_dir.glob(f"{db.name}.corrupt-*"))
            assert damaged in [p.read_bytes() for p in moved]  # moved aside byte for byte
            assert services.backups.paused  # no automatic backups until a restart
            assert services.school.pupils()  # the restored school, with its pupils
        finally:
            services.close()
    finally:
        lock.release()


def test_a_refused_restore_leaves_the_damage_aside_and_opens_nothing(
        qtbot: Any, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from skillsdesk.services.backups import CorruptDatabase
    from skillsdesk.storage.instance import acquire_instance_lock

    db = _damaged_with_backup(demo_dir)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a: QMessageBox.StandardButton.No)
    lock = acquire_instance_lock(demo_dir)
    try:
        with pytest.raises(CorruptDatabase):
            gui.open_school(demo_dir, check=gui.start_check(demo_dir))
        assert not db.exists()  # moved aside, not replaced by an empty database
        assert list(demo_dir.glob(f"{db.name}.corrupt-*"))
    finally:
        lock.release()
