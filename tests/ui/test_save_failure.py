"""G4 at the desk: a save the disk cannot hold says so plainly, never "Saved", opens the record
dialog again with exactly what was typed (also kept as the draft), leaves nothing on the undo
stack, and once there is room the retry saves it exactly once. The same for a database another
program holds locked (G10): a sentence through the error seam, never "database is locked".

The database is capped with ``PRAGMA max_page_count`` on the writer connection, which fails a
write with SQLITE_FULL exactly as a full disk does (as in tests/storage/test_disk_full.py).
"""

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.record_dialog import RecordDialog
from skillsdesk.ui.tasks import TaskRunner
from tests.ui.test_drafts import select_two

NOTE = "Explained the rules of the relay to a new child, unprompted. " * 30
TAIL = "Then helped set out the cones."


def _pages(store, limit: int | None = None) -> int:  # type: ignore[no-untyped-def]
    with store.engines.writer.connect() as conn:
        if limit is None:
            return int(conn.exec_driver_sql("PRAGMA page_count").scalar())
        return int(conn.exec_driver_sql(f"PRAGMA max_page_count = {limit}").scalar())


def _saved(services) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for o in services.observations.list(limit=50) if o.note == (NOTE + TAIL).strip())


def test_a_full_disk_keeps_the_note_and_the_retry_saves_it_once(qtbot, demo_services,
                                                                tmp_path: Path,
                                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = demo_services
    tasks = TaskRunner()
    window = MainWindow(s, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    window.show()
    window.recording_as.setCurrentIndex(1)
    page = window.page("classes")
    page.recorder.autosave_ms = 20
    staff = window.session.staff
    shown: list[str] = []
    dialogs: list[RecordDialog] = []

    undo_seen: list[tuple[int, bool]] = []

    def answer(dialog):  # type: ignore[no-untyped-def]
        if isinstance(dialog, QMessageBox):
            shown.append(dialog.text())
            return QMessageBox.StandardButton.Ok
        dialogs.append(dialog)
        dialog.show()
        if len(dialogs) == 1:
            qtbot.keyClicks(dialog.note, NOTE)
            qtbot.waitUntil(lambda: (d := s.drafts.load(staff.id)) is not None
                            and d.text == NOTE, timeout=5000)
            qtbot.keyClicks(dialog.note, TAIL)  # typed after the last draft was kept
            _pages(s.store, _pages(s.store))  # now the disk fills: the database cannot grow
        else:  # opened again after the failed save: Edit > Undo has nothing from it
            undo_seen.append((window.undo_stack.count(), window.undo_stack.canUndo()))
            _pages(s.store, 1_000_000)  # space freed; Enter saves what is shown
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    before = s.observations.count()
    select_two(page)
    page.record_selection()
    qtbot.waitUntil(lambda: len(dialogs) == 2, timeout=10_000)
    assert "disk is full" in shown[0] and "not saved" in shown[0]
    assert "Saved" not in shown[0] and "Something went wrong" not in shown[0]
    assert "Saved" not in window.statusBar().currentMessage()
    again = dialogs[1]
    assert again.note.toPlainText() == NOTE + TAIL  # exactly what was typed, tail and all
    assert again.draft_state()[1] == dialogs[0].draft_state()[1]  # and every choice
    assert undo_seen == [(0, False)]  # the failed save never reached the undo stack

    qtbot.waitUntil(lambda: s.observations.count() == before + 2, timeout=10_000)
    tasks.wait()
    assert len(shown) == 1 and len(dialogs) == 2  # one failure, one retry, nothing more
    assert _saved(s) == 2  # one observation per pupil, exactly once
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=5000)  # once stored
    assert window.undo_stack.canUndo()
    qtbot.waitUntil(lambda: s.drafts.load(staff.id) is None, timeout=5000)
    assert s.store.quick_check() == "ok"


def test_a_locked_database_says_so_in_a_sentence_and_the_retry_saves_once(
        qtbot, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk.services.container import open_services
    from skillsdesk.storage import engine
    from tests.conftest import TODAY
    from tests.storage.test_locked import hold_write_lock

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)  # the held lock fails the save fast
    s = open_services(demo_dir, today=TODAY)
    tasks = TaskRunner()
    window = MainWindow(s, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    window.show()
    window.recording_as.setCurrentIndex(1)
    page = window.page("classes")
    shown: list[str] = []
    dialogs: list[RecordDialog] = []
    held: list = []
    note = "Waited for a turn at the water tray."

    def answer(dialog):  # type: ignore[no-untyped-def]
        if isinstance(dialog, QMessageBox):
            shown.append(dialog.text())
            return QMessageBox.StandardButton.Ok
        dialogs.append(dialog)
        dialog.show()
        if len(dialogs) == 1:
            qtbot.keyClicks(dialog.note, note)
            held.append(hold_write_lock(demo_dir))  # another program holds the database
        else:
            held.pop().close()  # it let go
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    try:
        before = s.observations.count()
        select_two(page)
        page.record_selection()
        qtbot.waitUntil(lambda: s.observations.count() == before + 2, timeout=10_000)
        tasks.wait()
        assert len(shown) == 1 and "not saved" in shown[0] and "Try again" in shown[0]
        assert "locked" not in shown[0].lower() and "Traceback" not in shown[0]
        assert "Something went wrong" not in shown[0] and "Saved" not in shown[0]
        assert len(dialogs) == 2 and dialogs[1].note.toPlainText() == note
        assert sum(1 for o in s.observations.list(limit=20) if o.note == note) == 2  # once each
        qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=5000)
    finally:
        for conn in held:
            conn.close()
        tasks.wait()
        s.close()
