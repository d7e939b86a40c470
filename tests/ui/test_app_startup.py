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
from tests.ui.test_refused_save_kept import drop_quit


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
                 "skillsdesk.storage.database", "skillsdesk.ui.main_window",
                 # Slower than Qt's first window too: babel, the version from the installed
                 # metadata, the commands' parsers (most of the domain), the password dialogs.
                 "babel", "importlib.metadata", "skillsdesk.cli.careers",
                 "skillsdesk.domain.careers", "skillsdesk.ui.passwords")
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


WARMED_FIRST = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from skillsdesk import app as gui
    gui.warm_imports()  # what runs on a thread while the password is typed
    before = set(sys.modules)
    from skillsdesk.services.container import open_services
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner
    from pathlib import Path
    window = MainWindow(open_services(Path(sys.argv[1])),
                        QSettings(sys.argv[2], QSettings.Format.IniFormat), TaskRunner())
    window.show()
    app.processEvents()
    assert window.page("classes").pupils.rowCount() > 0
    print(sorted(m for m in set(sys.modules) - before if m.startswith("skillsdesk")))
""")


def test_the_imports_made_while_the_password_is_typed_cover_the_window_and_its_grid(
        demo_dir: Path, tmp_path: Path) -> None:
    """After Sign in, nothing of SkillsDesk is left to import before the class grid shows."""
    result = subprocess.run([sys.executable, "-c", WARMED_FIRST, str(demo_dir),
                             str(tmp_path / "window.ini")],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


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


def test_damage_found_beside_the_open_window_closes_it_offers_the_backup_and_keeps_the_note(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real run_gui on an encrypted school: the window shows while quick_check runs beside
    it; the check finds damage while a note is being typed; the window closes, nothing was
    written to the damaged file, it is moved aside, the backup is offered and restored, and the
    note is there as a draft after signing in again: the window asks "Carry on recording?" as
    soon as the new check has passed, before anybody presses Record."""
    import threading

    from PySide6.QtCore import QItemSelectionModel, QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from skillsdesk.services.demo import build_demo
    from skillsdesk.services.signin import sign_in
    from skillsdesk.storage import recovery
    from skillsdesk.storage.keyslots import OWASP_MINIMUM
    from skillsdesk.ui import prompts
    from skillsdesk.ui.models import PupilTableModel
    from skillsdesk.ui.signin import SignInDialog

    folder = tmp_path / "school"
    build_demo(folder, pupils=12, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    first = sign_in(folder, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    staff_id = first.context.actor.staff_id
    first.backups.backup()
    first.close()
    db = folder / gui.DB_FILE
    before = db.read_bytes()

    release = threading.Event()
    checks: list[str] = []
    sound = recovery.deep_check

    def deep_check(*args: Any, **kwargs: Any) -> str | None:
        checks.append("check")
        if len(checks) == 1:  # the first start finds damage, once the note is being typed
            assert release.wait(10)
            return "SQLite's quick check found damage (test)"
        return sound(*args, **kwargs)

    monkeypatch.setattr(recovery, "deep_check", deep_check)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: None)
    failed: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: failed.append(text))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text: (
        asked.append(text), QMessageBox.StandardButton.Yes)[1])
    app = QApplication.instance()
    signins: list[str] = []
    note = "Waited for a turn on the climbing frame"
    boxes: list[str] = []  # messages through the prompts seam: only "Carry on recording?"
    offered: list[str] = []  # the note in the record dialog opened again after the restore

    def main_window() -> Any:
        return next(w for w in app.topLevelWidgets()
                    if type(w).__name__ == "MainWindow" and w.isVisible())

    def record_a_note() -> None:  # the first window: select two cells and record
        page = main_window().page("classes")
        qtbot.waitUntil(lambda: page.pupils.rowCount() > 1, timeout=10000)
        column = PupilTableModel.FIXED + 2
        page.table.setCurrentIndex(page.proxy.index(0, column))
        page.table.selectionModel().select(page.proxy.index(1, column),
                                           QItemSelectionModel.SelectionFlag.Select)
        page.record_selection()

    def after_second_sign_in() -> None:
        try:
            qtbot.waitUntil(lambda: len(offered) == 1, timeout=10000)
        finally:  # quit even when the offer never comes, so the test fails and never hangs
            app.closeAllWindows()
            app.exit(0)

    def run(dialog: QDialog) -> int:
        if isinstance(dialog, SignInDialog):
            signins.append("signin")
            qtbot.keyClicks(dialog.login, "head")
            qtbot.keyClicks(dialog.password, "skillsdesk-demo")
            dialog.try_sign_in()
            if len(signins) == 1:
                QTimer.singleShot(0, record_a_note)
            else:  # signed in again after the restore: the window offers the note, then quit
                QTimer.singleShot(0, after_second_sign_in)
            return dialog.result()
        if isinstance(dialog, QMessageBox):
            boxes.append(dialog.text())
            return QMessageBox.StandardButton.Yes  # "Carry on recording?"
        if len(signins) == 2:  # offered again after the restore: look, leave it as a draft
            offered.append(dialog.note.toPlainText())
            return QDialog.DialogCode.Rejected
        dialog.show()  # the record dialog, over the first window
        qtbot.keyClicks(dialog.note, note)
        release.set()  # now the check finds the damage
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(prompts, "run", run)
    try:
        assert gui.run_gui(folder) == 0, failed
    finally:  # the Quit left by closing the last window (tests/ui/test_refused_save_kept.py)
        drop_quit(app)
    assert len(signins) == 2 and len(asked) == 1 and "damaged" in asked[0]
    assert len(boxes) == 1 and note in boxes[0] and offered == [note]
    assert len(checks) == 2  # offered once the check after the restore had passed
    moved = sorted(folder.glob(f"{db.name}.corrupt-*"))
    assert [p.read_bytes() for p in moved] == [before]  # no sign-in row, no draft: unchanged
    again = sign_in(folder, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    try:
        assert again.school.pupils()  # the restored backup
        kept = again.drafts.load(staff_id)
        assert kept is not None and kept.text == note
    finally:
        again.close()


def test_the_sign_in_window_names_the_school_the_last_window_showed(
        qtbot: Any, demo_services: Any, tmp_path: Path) -> None:
    """The database's copy of the name is encrypted: the window keeps it in window.ini, where
    the next start's sign-in heading reads it (and a new folder's says SkillsDesk)."""
    from PySide6.QtCore import QSettings

    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.signin import SignInDialog
    from skillsdesk.ui.tasks import TaskRunner

    assert gui.school_shown(tmp_path) == "SkillsDesk"
    demo_services.school.set_name("Larkspur & Lane <Primary>")
    window = MainWindow(demo_services, QSettings(str(tmp_path / "window.ini"),
                                                 QSettings.Format.IniFormat), TaskRunner())
    qtbot.addWidget(window)
    window._settings.sync()
    shown = gui.school_shown(tmp_path)
    assert shown == "Larkspur & Lane <Primary>"
    dialog = SignInDialog(shown, lambda _login, _password: None)
    qtbot.addWidget(dialog)
    assert "Larkspur &amp; Lane &lt;Primary&gt;" in dialog.heading.text()
