"""G5: an observation being typed is kept as a draft and offered again after a crash."""

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.models import PupilTableModel
from skillsdesk.ui.record_dialog import RecordDialog
from skillsdesk.ui.tasks import TaskRunner

NOTE = "Took turns with the beanbags without a reminder"


def open_window(qtbot, services, settings_file: Path, tasks: TaskRunner):  # type: ignore[no-untyped-def]
    window = MainWindow(services, QSettings(str(settings_file), QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def window(qtbot, demo_services, tmp_path: Path):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    win = open_window(qtbot, demo_services, tmp_path / "w.ini", tasks)
    win.recording_as.setCurrentIndex(1)  # remembered in the settings for the next start
    win.page("classes").recorder.autosave_ms = 20  # the real timer, but not five seconds of it
    yield win
    tasks.wait()


def select_two(page) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QItemSelectionModel

    column = PupilTableModel.FIXED + 2
    page.table.setCurrentIndex(page.proxy.index(0, column))
    page.table.selectionModel().select(page.proxy.index(1, column),
                                       QItemSelectionModel.SelectionFlag.Select)


def test_a_crash_leaves_a_draft_that_is_offered_and_saved(window, qtbot, demo_services,  # type: ignore[no-untyped-def]
                                                          tmp_path, monkeypatch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    staff = window.session.staff
    page = window.page("classes")
    select_two(page)
    typed: list[RecordDialog] = []

    def type_then_crash(dialog: QDialog) -> int:
        typed.append(dialog)
        dialog.show()
        dialog.setting.setCurrentIndex(dialog.setting.findData("playground"))
        qtbot.keyClicks(dialog.note, NOTE)
        qtbot.waitUntil(lambda: demo_services.drafts.load(staff.id) is not None
                        and demo_services.drafts.load(staff.id).text == NOTE, timeout=5000)
        return QDialog.DialogCode.Rejected  # the process dies here: the dialog never closes

    monkeypatch.setattr(prompts, "run", type_then_crash)
    before = demo_services.observations.count()
    page.record_selection()
    skill = typed[0].current_skill()
    typed[0].deleteLater()  # gone without Save or Cancel, as in a crash
    window._tasks.wait()
    window.close()

    asked: list[str] = []
    shown: list[RecordDialog] = []

    def carry_on(dialog: QDialog) -> int:
        if isinstance(dialog, QMessageBox):
            asked.append(dialog.text())
            return QMessageBox.StandardButton.Yes
        shown.append(dialog)
        dialog.show()
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
        return dialog.result()

    monkeypatch.setattr(prompts, "run", carry_on)
    tasks = TaskRunner()
    again = open_window(qtbot, demo_services, tmp_path / "w.ini", tasks)  # the next start
    assert again.session.staff.id == staff.id
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert f"recording {skill.name} for 2 pupils" in asked[0] and NOTE in asked[0]
    dialog = shown[0]
    assert dialog.note.toPlainText() == NOTE and dialog.table.rowCount() == 2
    assert dialog.setting.currentData() == "playground"
    assert dialog.current_skill().code == skill.code
    qtbot.waitUntil(lambda: demo_services.observations.count() == before + 2, timeout=5000)
    qtbot.waitUntil(lambda: demo_services.drafts.load(staff.id) is None, timeout=5000)
    tasks.wait()
    saved = demo_services.observations.list(limit=2)
    assert {o.note for o in saved} == {NOTE} and {o.setting for o in saved} == {"playground"}
    assert NOTE not in caplog.text  # a draft is never logged


def test_cancel_discards_and_another_person_is_not_offered_it(window, qtbot, demo_services,  # type: ignore[no-untyped-def]
                                                               monkeypatch) -> None:
    staff = window.session.staff
    page = window.page("classes")
    select_two(page)

    def type_and_cancel(dialog: QDialog) -> int:
        dialog.show()
        qtbot.keyClicks(dialog.note, NOTE)
        dialog.autosave()
        window._tasks.wait()
        assert demo_services.drafts.load(staff.id).text == NOTE
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        return dialog.result()

    monkeypatch.setattr(prompts, "run", type_and_cancel)
    page.record_selection()
    window._tasks.wait()
    assert demo_services.drafts.load(staff.id) is None

    # Someone else's draft is theirs alone: nothing is offered to the person at the desk.
    other = next(p for p in demo_services.school.staff() if p.id != staff.id)
    pupil = demo_services.school.pupils()[0]
    demo_services.drafts.save(other.id, NOTE, {"pupil_ids": [pupil.id]})
    asked: list[QDialog] = []
    monkeypatch.setattr(prompts, "run", lambda dialog: asked.append(dialog) or 0)
    window.offer_draft()
    assert asked == []
    assert demo_services.drafts.load(other.id).text == NOTE
