"""RELIABILITY.md G5 beside the start-up check (DESIGN.md §9): a save refused because the
encrypted school's quick_check, running beside the open window, found damage is not lost. It
says nothing (the window closes to offer the backup) and comes back as a draft after the
restore, as a note still being typed in an open record dialog does (tests/ui/test_app_startup.py).
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

from skillsdesk import app as gui
from skillsdesk.domain.steprule import WITH_HELP
from skillsdesk.ui import prompts
from skillsdesk.ui.record_dialog import RecordDialog
from tests.conftest import TODAY
from tests.ui.test_drafts import select_two

NOTE = "Counted the cones back into the bag without being asked"
WAIT = 10  # seconds an event may take before the test fails (never what it measures)


def choose_and_type(qtbot: Any, dialog: RecordDialog, day: dt.date) -> tuple[str, dict[str, Any]]:
    """Every choice away from its default, and the note; returns them as a draft keeps them."""
    dialog.show()
    dialog.step.setCurrentIndex(2)
    qtbot.mouseClick(dialog.levels.button(WITH_HELP), Qt.MouseButton.LeftButton)
    dialog.setting.setCurrentIndex(dialog.setting.findData("playground"))
    dialog.date.setDate(QDate(day.year, day.month, day.day))
    qtbot.keyClicks(dialog.note, NOTE)
    qtbot.mouseClick(dialog.staff_only, Qt.MouseButton.LeftButton)
    typed = dialog.draft_state()
    assert typed[1]["level"] == WITH_HELP and typed[1]["observed_on"] == day.isoformat()
    assert typed[1]["setting"] == "playground" and typed[1]["staff_only"]
    return typed


def drop_quit(app: Any) -> None:
    """Closing the last window inside app.exec() posts a Quit that the loop ends before seeing;
    handled later outside any loop (pytest-qt's teardown), it would stop every later test's
    event loops at once (Qt's quitNow), so it goes with the test that left it."""
    app.removePostedEvents(app, QEvent.Type.Quit)


def press_save(qtbot: Any, dialog: RecordDialog) -> int:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    return dialog.result()


def test_a_save_waiting_at_the_gate_is_kept_until_stored_and_refused_quietly(
        qtbot: Any, window: Any, demo_services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seam: a Save pressed while the check runs is found by what app.run_gui keeps (both
    before its refusal arrives and after), says nothing when refused and opens nothing again;
    once a save is stored there is nothing to keep."""
    from skillsdesk.services.backups import CorruptDatabase
    from skillsdesk.storage.database import WriteGate

    app = QApplication.instance()
    window.recording_as.setCurrentIndex(1)
    staff = window.session.staff
    page = window.page("classes")
    store = demo_services.store
    shown: list[Any] = []
    typed: list[tuple[str, dict[str, Any]]] = []

    def answer(dialog: QDialog) -> int:
        shown.append(dialog)
        if isinstance(dialog, QMessageBox):
            return QMessageBox.StandardButton.Ok
        typed.append(choose_and_type(qtbot, dialog, TODAY - dt.timedelta(days=1)))
        return press_save(qtbot, dialog)

    monkeypatch.setattr(prompts, "run", answer)
    refusal = CorruptDatabase(store.engines.path, "test damage", (), None)
    gate = store.gate = WriteGate()  # the check beside the store is running
    arrived = threading.Event()
    waits = gate.wait
    monkeypatch.setattr(gate, "wait", lambda: (arrived.set(), waits())[1])
    try:
        select_two(page)
        page.record_selection()
        assert arrived.wait(WAIT)  # the save's writes wait at the gate
        kept = [(staff.id, *typed[0])]
        assert gui._typed_drafts(app, window) == kept  # found before its refusal arrives
        gate.failed(refusal)  # the check found damage: the waiting writes are refused
        window._tasks.wait()
        qtbot.waitUntil(lambda: not window._tasks._relays, timeout=WAIT * 1000)  # handled
        app.processEvents()  # and anything it would have opened from the event loop
        assert len(shown) == 1  # no message, the dialog not opened again
        assert gui._typed_drafts(app, window) == kept  # and after it
        assert window.undo_stack.count() == 0

        before = demo_services.observations.count()
        store.gate = WriteGate()  # a check that passes: the next save is stored
        page.record_selection()
        assert len(shown) == 2
        store.gate.passed()
        qtbot.waitUntil(lambda: demo_services.observations.count() == before + 2,
                        timeout=WAIT * 1000)
        qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=WAIT * 1000)
        assert gui._typed_drafts(app, window) == kept  # not the stored one: it settled
    finally:
        for held in (gate, store.gate):  # never leave a write waiting, even when failing
            if held is not None and not held.settled:
                held.failed(refusal)
        window._tasks.wait()
        store.gate = None


def test_an_undo_or_edit_refused_for_damage_says_nothing_other_failures_still_do() -> None:
    """Edits, deletes and undo cannot become drafts; refused by the check they say nothing
    either (the window closes to offer the backup), while a full disk is still reported."""
    import uuid

    from skillsdesk.domain.errors import UserError
    from skillsdesk.services.backups import CorruptDatabase
    from skillsdesk.ui.undo import DeleteCommand

    class Refusing:
        def __init__(self, exc: Exception) -> None:
            self.exc = exc

        def delete(self, _ids: Any) -> None:
            raise self.exc

    class AtOnce:  # the serial runner, without the thread
        def run(self, work: Any, done: Any, failed: Any) -> None:
            try:
                done(work())
            except Exception as exc:
                failed(exc)

    shown: list[Exception] = []
    for exc in (CorruptDatabase(Path("skillsdesk.db"), "test damage", (), None),
                UserError("The disk is full, so the change was not saved.")):
        DeleteCommand(Refusing(exc), [uuid.uuid4()], AtOnce(), lambda _ids: None,
                      shown.append).redo()
    assert [type(e) for e in shown] == [UserError]


def test_a_save_refused_because_the_check_found_damage_comes_back_as_a_draft(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole run_gui on an encrypted school: Save is pressed while quick_check still runs
    beside the window, so the write waits at the gate; the check then finds damage. No error is
    shown, the backup is offered and restored, and right after signing in again, once the new
    check has passed, the window itself offers the observation as a draft with every choice as
    it was (nobody has to press Record for it)."""
    from skillsdesk.services.demo import build_demo
    from skillsdesk.services.signin import sign_in
    from skillsdesk.storage import recovery
    from skillsdesk.storage.keyslots import OWASP_MINIMUM
    from skillsdesk.ui.signin import SignInDialog

    folder = tmp_path / "school"
    build_demo(folder, pupils=12, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    first = sign_in(folder, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    staff_id = first.context.actor.staff_id
    first.backups.backup()
    first.close()

    released = [threading.Event(), threading.Event()]  # the first check, the one after
    checks: list[str] = []
    sound = recovery.deep_check

    def deep_check(*args: Any, **kwargs: Any) -> str | None:
        checks.append("check")
        assert released[min(len(checks), 2) - 1].wait(WAIT)
        if len(checks) == 1:  # the first finds damage, once Save has been pressed
            return "SQLite's quick check found damage (test)"
        return sound(*args, **kwargs)

    monkeypatch.setattr(recovery, "deep_check", deep_check)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    failed: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: failed.append(text))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text: (
        asked.append(text), QMessageBox.StandardButton.Yes)[1])
    app = QApplication.instance()
    signins: list[str] = []
    boxes: list[str] = []  # every message shown through the prompts seam
    typed: list[tuple[str, dict[str, Any]]] = []

    def main_window() -> Any:
        return next(w for w in app.topLevelWidgets()
                    if type(w).__name__ == "MainWindow" and w.isVisible())

    def record() -> None:  # select two cells of the class grid and record
        page = main_window().page("classes")
        qtbot.waitUntil(lambda: page.pupils.rowCount() > 1, timeout=WAIT * 1000)
        select_two(page)
        page.record_selection()

    def after_second_sign_in() -> None:
        # The window has offered what the database held when it opened (nothing yet: the kept
        # draft is written behind the check); let the check pass: the window offers it then.
        assert boxes == []
        released[1].set()
        try:
            qtbot.waitUntil(lambda: len(typed) == 2, timeout=WAIT * 1000)
        finally:  # quit even when something above fails, so the test fails and never hangs
            app.closeAllWindows()
            app.exit(0)

    def run(dialog: QDialog) -> int:
        if isinstance(dialog, SignInDialog):
            signins.append("signin")
            qtbot.keyClicks(dialog.login, "head")
            qtbot.keyClicks(dialog.password, "skillsdesk-demo")
            dialog.try_sign_in()
            if len(signins) == 1:
                QTimer.singleShot(0, record)
            else:  # after the window's own offer of a draft (queued behind this one)
                QTimer.singleShot(0, lambda: QTimer.singleShot(0, after_second_sign_in))
            return dialog.result()
        if isinstance(dialog, QMessageBox):
            boxes.append(dialog.text())
            return QMessageBox.StandardButton.Yes  # "Carry on recording?"
        if not typed:  # the first window, the check still running: choose, type, Save
            assert isinstance(dialog, RecordDialog) and not released[0].is_set()
            typed.append(choose_and_type(qtbot, dialog, TODAY - dt.timedelta(days=1)))
            QTimer.singleShot(0, released[0].set)  # once the save has gone to the gate
            return press_save(qtbot, dialog)
        typed.append(dialog.draft_state())  # offered again after the restore: look, leave it
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(prompts, "run", run)
    try:
        assert gui.run_gui(folder) == 0, failed
    finally:
        drop_quit(app)
    assert len(signins) == 2 and len(asked) == 1 and "damaged" in asked[0]
    assert failed == [] and warned == []  # no error, no "something went wrong"
    assert len(boxes) == 1 and NOTE in boxes[0]  # only "Carry on recording?", with the note
    assert len(typed) == 2  # the saved dialog and the one offered after the restore, no other
    assert typed[1] == typed[0]  # note, pupils, skill, step, level, setting, date as typed
    again = sign_in(folder, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    try:
        kept = again.drafts.load(staff_id)
        assert kept is not None and kept.text == NOTE  # still a draft: nothing was stored
        assert not [o for o in again.observations.list(limit=20) if o.note == NOTE]
    finally:
        again.close()


def test_a_save_refused_as_the_window_closes_is_kept_too(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check fails with the window closing (no poll of it ran before the window's loop
    ended): what the window returns to run_gui still holds the refused save."""
    from skillsdesk.services.backups import CorruptDatabase
    from skillsdesk.services.demo import build_demo
    from skillsdesk.services.signin import sign_in
    from skillsdesk.storage import recovery
    from skillsdesk.storage.instance import acquire_instance_lock
    from skillsdesk.storage.keyslots import OWASP_MINIMUM

    folder = tmp_path / "school"
    build_demo(folder, pupils=12, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    release = threading.Event()

    def deep_check(*_args: Any, **_kwargs: Any) -> str:
        assert release.wait(WAIT)
        return "SQLite's quick check found damage (test)"

    monkeypatch.setattr(recovery, "deep_check", deep_check)
    monkeypatch.setattr(gui, "watch_check", lambda _gate, _on_damage: None)  # this path only
    app = QApplication.instance()
    typed: list[tuple[str, dict[str, Any]]] = []

    def main_window() -> Any:
        return next(w for w in app.topLevelWidgets()
                    if type(w).__name__ == "MainWindow" and w.isVisible())

    def record() -> None:
        try:
            page = main_window().page("classes")
            qtbot.waitUntil(lambda: page.pupils.rowCount() > 1, timeout=WAIT * 1000)
            select_two(page)
            page.record_selection()
            release.set()  # the check finds damage as the window closes
            main_window().close()
        finally:
            release.set()
            app.exit(0)

    def run(dialog: QDialog) -> int:
        typed.append(choose_and_type(qtbot, dialog, TODAY))
        return press_save(qtbot, dialog)

    monkeypatch.setattr(prompts, "run", run)
    lock = acquire_instance_lock(folder)
    try:
        services = sign_in(folder, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM,
                           check_beside=True)
        staff_id = services.context.actor.staff_id
        QTimer.singleShot(0, record)
        code, damage, carried, key = gui._show_main_window(app, folder, services)
    finally:
        drop_quit(app)
        lock.release()
    assert code == 0 and isinstance(damage, CorruptDatabase) and key is not None
    assert carried == [(staff_id, *typed[0])]
