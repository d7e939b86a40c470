"""G5 after a restore: a draft written behind the start-up check beside the store (app.py
_keep_drafts) is offered by the window as soon as the check has passed, not at the next Record.
The whole run_gui path is in tests/ui/test_app_startup.py and test_refused_save_kept.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.record_dialog import RecordDialog
from skillsdesk.ui.tasks import TaskRunner

NOTE = "Shared the glue sticks round the table unprompted"


@pytest.fixture
def gated(demo_services: Any) -> Any:
    """The demo store with a start-up check 'running' beside it: a WriteGate settled by hand."""
    from skillsdesk.storage.database import WriteGate

    gate = demo_services.store.gate = WriteGate()
    yield gate
    if not gate.settled:
        gate.passed()
    demo_services.store.gate = None


def open_window(qtbot: Any, services: Any, tmp_path: Path, login: str) -> MainWindow:
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    settings.setValue("desk/recording_as", login)  # whose drafts the window offers
    window = MainWindow(services, settings, TaskRunner())
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_draft_written_behind_the_check_is_offered_once_it_passes(
        qtbot: Any, demo_services: Any, gated: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    staff = demo_services.school.staff()[0]
    pupil = demo_services.school.pupils()[0]
    framework = demo_services.frameworks.current()
    context = {"pupil_ids": [str(pupil.id)], "framework": framework.code,
               "skill": framework.skills[1].code, "setting": "playground"}
    # What app._keep_drafts does after a restore, before the window is built.
    demo_services.store.after_check(lambda: demo_services.drafts.save(staff.id, NOTE, context))
    asked: list[str] = []
    shown: list[RecordDialog] = []

    def answer(dialog: QDialog) -> int:
        if isinstance(dialog, QMessageBox):
            asked.append(dialog.text())
            return QMessageBox.StandardButton.Yes  # "Carry on recording?"
        assert isinstance(dialog, RecordDialog)
        shown.append(dialog)
        return QDialog.DialogCode.Rejected  # looked at it; the draft stays

    monkeypatch.setattr(prompts, "run", answer)
    window = open_window(qtbot, demo_services, tmp_path, staff.login)
    QApplication.processEvents()  # the offer made as the window opened: nothing there yet
    assert window.draft_timer is not None
    window.draft_timer.timeout.emit()  # a look while the check still runs: nothing offered
    assert asked == [] and demo_services.drafts.load(staff.id) is None

    gated.passed()  # the check passes; its thread runs what was queued behind it, in order
    for work in gated.take_after():
        work()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    assert len(asked) == 1 and NOTE in asked[0]
    assert shown[0].note.toPlainText() == NOTE
    assert shown[0].current_skill().code == framework.skills[1].code
    assert shown[0].setting.currentData() == "playground"
    assert not window.draft_timer.isActive()  # offered once
    window._tasks.wait()
    demo_services.drafts.clear(staff.id)


def test_no_offer_when_the_check_finds_damage(qtbot: Any, demo_services: Any, gated: Any,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The check fails: nothing queued behind it is written and the window (closing to offer
    the backup) stops looking."""
    from skillsdesk.services.backups import CorruptDatabase

    shown: list[QDialog] = []
    monkeypatch.setattr(prompts, "run", lambda dialog: (shown.append(dialog), 0)[1])
    window = open_window(qtbot, demo_services, tmp_path, demo_services.school.staff()[0].login)
    QApplication.processEvents()
    assert window.draft_timer is not None and window.draft_timer.isActive()
    gated.failed(CorruptDatabase(demo_services.store.engines.path, "test damage", (), None))
    window.draft_timer.timeout.emit()
    assert not window.draft_timer.isActive() and shown == []


def test_no_gate_no_second_look(qtbot: Any, demo_services: Any, tmp_path: Path) -> None:
    """A plain store checked before it opened (or a check already passed): the offer made as
    the window opens is the only one needed."""
    window = open_window(qtbot, demo_services, tmp_path, demo_services.school.staff()[0].login)
    assert window.draft_timer is None
