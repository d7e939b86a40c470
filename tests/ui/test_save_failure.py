"""G4 at the desk: a save the disk cannot hold says so plainly, never "Saved", keeps the typed
note (as the draft, offered again), and once there is room the retry saves it exactly once.

The database is capped with ``PRAGMA max_page_count`` on the writer connection, which fails a
write with SQLITE_FULL exactly as a full disk does (as in tests/storage/test_disk_full.py).
"""

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.record_dialog import RecordDialog
from skillsdesk.ui.tasks import TaskRunner
from tests.ui.test_drafts import select_two

NOTE = "Explained the rules of the relay to a new child, unprompted. " * 30


def _pages(store, limit: int | None = None) -> int:  # type: ignore[no-untyped-def]
    with store.engines.writer.connect() as conn:
        if limit is None:
            return int(conn.exec_driver_sql("PRAGMA page_count").scalar())
        return int(conn.exec_driver_sql(f"PRAGMA max_page_count = {limit}").scalar())


def _saved(services) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for o in services.observations.list(limit=50) if o.note == NOTE.strip())


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

    def answer(dialog):  # type: ignore[no-untyped-def]
        if isinstance(dialog, QMessageBox):
            shown.append(dialog.text())
            return QMessageBox.StandardButton.Yes  # "carry on with the unsaved note?": yes
        dialogs.append(dialog)
        dialog.show()
        if not dialog.note.toPlainText():
            qtbot.keyClicks(dialog.note, NOTE)
            qtbot.waitUntil(lambda: (d := s.drafts.load(staff.id)) is not None
                            and d.text == NOTE, timeout=5000)
            _pages(s.store, _pages(s.store))  # now the disk fills: the database cannot grow
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    before = s.observations.count()
    select_two(page)
    page.record_selection()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    tasks.wait()
    assert "disk is full" in shown[0] and "not saved" in shown[0]
    assert "Saved" not in shown[0] and "Something went wrong" not in shown[0]
    assert s.observations.count() == before and _saved(s) == 0
    assert "Saved" not in window.statusBar().currentMessage()
    draft = s.drafts.load(staff.id)
    assert draft is not None and draft.text == NOTE  # what was typed is kept

    _pages(s.store, 1_000_000)  # space freed
    shown.clear()
    page.record_selection()  # offers the kept note again; Enter saves it
    qtbot.waitUntil(lambda: s.observations.count() == before + 2, timeout=10_000)
    tasks.wait()
    assert len(dialogs) == 2 and dialogs[1].note.toPlainText() == NOTE
    assert any(NOTE.strip()[:40] in text for text in shown)  # the offer quoted the note
    assert _saved(s) == 2  # one observation per pupil, exactly once
    qtbot.waitUntil(lambda: s.drafts.load(staff.id) is None, timeout=5000)
    assert s.store.quick_check() == "ok"
