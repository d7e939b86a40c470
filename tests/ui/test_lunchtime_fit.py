"""Lunchtime mode walked by hand (wave 2): it fits a 1024×768 screen as well as 1280×800, the
saved feedback is clear and the prompt asks for the next child, a chosen skill's text stays
readable on a light skill colour, and the hold-to-leave button says it is counting."""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from skillsdesk.ui.lunchtime import LunchtimeWindow, text_on
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner


@pytest.fixture
def lunch(qtbot: Any, demo_services: Any, tmp_path: Path) -> Any:
    tasks = TaskRunner()
    window = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"),
                                                 QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    lunch = LunchtimeWindow(demo_services, tasks, window.session)
    qtbot.addWidget(lunch)
    lunch.tasks = tasks
    yield lunch
    tasks.wait()


def skill_rows(lunch: Any) -> int:
    return len({lunch.skill_row.getItemPosition(lunch.skill_row.indexOf(b))[0]
                for b in lunch.skill_buttons})


def test_it_fits_a_small_screen_and_uses_one_skill_row_on_a_wide_one(lunch: Any,
                                                                      qtbot: Any) -> None:
    lunch.resize(1024, 768)
    lunch.show()
    qtbot.mouseClick(lunch.group_buttons[0], Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    # Nothing forces the window wider or taller than the small screen.
    assert lunch.minimumSizeHint().width() <= 1024 and lunch.minimumSizeHint().height() <= 768
    assert lunch.width() == 1024
    assert skill_rows(lunch) == 2
    # Children wrap to the width: no tile runs past the visible part of the list.
    viewport = lunch.children_scroll.viewport()
    QApplication.processEvents()
    assert all(b.geometry().right() <= viewport.width() for b in lunch.child_buttons)
    lunch.resize(1280, 800)
    QApplication.processEvents()
    assert skill_rows(lunch) == 1
    assert all(b.geometry().right() <= viewport.width() for b in lunch.child_buttons)
    lunch.leave()


def test_saving_shows_a_tick_banner_and_asks_for_the_next_child(lunch: Any, qtbot: Any) -> None:
    lunch.show()
    group = lunch.group_buttons[0].text()
    qtbot.mouseClick(lunch.group_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(lunch.child_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(lunch.skill_buttons[1], Qt.MouseButton.LeftButton)
    assert "tap a skill" in lunch.prompt.text()
    qtbot.mouseClick(lunch.seen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in lunch.message.text(), timeout=5000)
    assert lunch.message.text().startswith("✓ ") and "background" in lunch.message.styleSheet()
    assert lunch.prompt.text() == f"{group}: tap a child"
    assert not lunch.seen_button.isEnabled()
    lunch.leave()


def test_a_chosen_skill_keeps_readable_text_and_holding_to_leave_says_so(lunch: Any,
                                                                          qtbot: Any) -> None:
    assert text_on("#F0E442") == "black"  # a yellow skill: white text would be unreadable
    assert text_on("#0072B2") == "white"
    lunch.show()
    exit_button = lunch.exit_button
    label = exit_button.text()
    qtbot.mousePress(exit_button, Qt.MouseButton.LeftButton)
    assert exit_button.text() != label  # "Keep holding…" while the press counts
    qtbot.mouseRelease(exit_button, Qt.MouseButton.LeftButton)
    assert exit_button.text() == label and lunch.isVisible()  # let go early: still here
    lunch.leave()
