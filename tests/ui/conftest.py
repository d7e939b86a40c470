"""Fixtures shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner


@pytest.fixture
def window(qtbot: Any, demo_services: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window on the plain demo school, shown, with its own window settings; the
    task runner is drained before the test's folder goes."""
    tasks = TaskRunner()
    win = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                     tasks)
    qtbot.addWidget(win)
    win.show()
    yield win
    tasks.wait()
