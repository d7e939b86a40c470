"""G6 at GUI level: the real clean-exit path of ``app.run_gui`` backs up a change (reason
"exit") and makes nothing when nothing changed; the main window's timer backs up a change once
the newest backup is 30 minutes old, and nothing when nothing changed (fake clock), whether or
not the Backups page was ever opened."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from skillsdesk import app as gui
from skillsdesk.services.container import open_services
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner


def _reasons(folder: Path) -> list[str]:
    services = open_services(folder)
    try:
        return sorted(b.reason for b in services.backups.list())
    finally:
        services.close()


def _run_and_close(qtbot: Any, folder: Path, change: str | None) -> int:
    """run_gui on ``folder``; once the window is up, optionally rename the school, then close
    the window as a person would (app.exec returns: the clean exit)."""
    app = QApplication.instance()

    def window() -> Any:
        return next((w for w in app.topLevelWidgets()
                     if type(w).__name__ == "MainWindow" and w.isVisible()), None)

    def look() -> None:
        shown = window()
        if shown is None:
            QTimer.singleShot(20, look)
            return
        if change is not None:
            shown._services.school.set_name(change)
        shown.close()  # the last window closed: app.exec returns

    QTimer.singleShot(0, look)
    return gui.run_gui(folder)


def test_a_clean_exit_backs_up_a_change_and_nothing_else(
        qtbot: Any, plain_school: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: None)
    failed: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: failed.append(text))
    first = open_services(plain_school)
    first.backups.backup("manual")
    first.close()

    assert _run_and_close(qtbot, plain_school, None) == 0, failed
    assert _reasons(plain_school) == ["manual"]  # nothing changed: no exit backup

    assert _run_and_close(qtbot, plain_school, "Exit Test Primary") == 0, failed
    assert _reasons(plain_school) == ["exit", "manual"]


def test_the_backup_timer_backs_up_a_change_once_it_is_due(qtbot: Any, services: Any,
                                                           tmp_path: Path) -> None:
    now = [dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)]
    services.backups._clock = lambda: now[0]  # a fake clock for the service the window asks
    tasks = TaskRunner()
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        tasks)
    qtbot.addWidget(window)
    assert window.backup_timer.isActive()
    assert not next(p for p in window.pages if p.key == "backups").built  # never opened
    services.backups.backup("manual")

    services.school.set_name("Timer Test Primary")  # a change
    now[0] += dt.timedelta(minutes=31)
    window.backup_timer.timeout.emit()  # the timer fires
    tasks.wait()
    qtbot.waitUntil(lambda: len(services.backups.list()) == 2, timeout=10_000)
    assert sorted(b.reason for b in services.backups.list()) == ["auto", "manual"]

    now[0] += dt.timedelta(minutes=31)  # due again, but nothing changed
    window.backup_timer.timeout.emit()
    tasks.wait()
    qtbot.wait(50)
    assert sorted(b.reason for b in services.backups.list()) == ["auto", "manual"]
