"""Lunchtime mode walked by hand (wave 2): it fits a 1024×768 screen as well as 1280×800 (at
least three full rows of children, every target 44 px or more, nothing clipped), the saved
feedback is clear and the prompt asks for the next child, a chosen skill's text stays readable on
a light skill colour, and the hold-to-leave button says it is counting."""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QPushButton

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


def full_rows(lunch: Any) -> int:
    """How many rows of child tiles show in full in the visible part of the list."""
    viewport = lunch.children_scroll.viewport()
    tops = set()
    for tile in lunch.child_buttons:
        if not tile.isVisible():
            continue
        box = tile.rect().translated(tile.mapTo(viewport, tile.rect().topLeft()))
        if viewport.rect().contains(box):
            tops.add(box.top())
    return len(tops)


def tile_columns(lunch: Any) -> int:
    grid = lunch.children_grid
    return len({grid.getItemPosition(grid.indexOf(b))[1] for b in lunch.child_buttons})


def next_tab(widget: Any) -> Any:
    """The next widget Tab would reach (widgets that take no focus are passed over)."""
    widget = widget.nextInFocusChain()
    while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        widget = widget.nextInFocusChain()
    return widget


def targets(lunch: Any) -> list[Any]:
    return [b for b in lunch.findChildren(QPushButton) if b.isVisible()]


@pytest.mark.parametrize("width,height", [(1024, 768), (1280, 800)])
def test_three_rows_of_children_show_and_every_target_takes_a_finger(
        lunch: Any, qtbot: Any, width: int, height: int) -> None:
    lunch.resize(width, height)
    lunch.show()
    qtbot.mouseClick(lunch.group_buttons[0], Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    # Nothing forces the window wider or taller than the small screen.
    assert lunch.minimumSizeHint().width() <= width
    assert lunch.minimumSizeHint().height() <= height
    assert (lunch.width(), lunch.height()) == (width, height)
    # Photo tiles are the tallest: the group has some, so the rows counted are those.
    assert any(b.photo is not None for b in lunch.child_buttons)
    assert full_rows(lunch) >= 3
    # Eight skills stand in one column beside the children, "Seen it" right below them.
    assert skill_rows(lunch) == len(lunch.skill_buttons) == 8
    window = lunch.rect()
    for button in targets(lunch):
        name = button.accessibleName()
        assert button.width() >= 44 and button.height() >= 44, name
        # On screen in full, and wide and tall enough for its text (nothing clipped).
        box = button.rect().translated(button.mapTo(lunch, button.rect().topLeft()))
        if button.parent() is not lunch.children_scroll.widget():  # tiles scroll
            assert window.contains(box), name
        hint = button.minimumSizeHint()
        assert button.width() + 1 >= hint.width() and button.height() + 1 >= hint.height(), name
    # Children wrap to the width: no tile runs past the visible part of the list.
    viewport = lunch.children_scroll.viewport()
    assert all(b.geometry().right() <= viewport.width() for b in lunch.child_buttons)
    # Tab follows the taps: the last child, then the skills, "Seen it" and the way out.
    assert next_tab(lunch.child_buttons[-1]) is lunch.skill_buttons[0]
    assert next_tab(lunch.skill_buttons[-1]) is lunch.seen_button
    assert next_tab(lunch.seen_button) is lunch.exit_button
    # The letters and the children never run under the skills' column.
    panel = lunch.panel.mapTo(lunch, lunch.panel.rect().topLeft()).x()
    assert lunch.children_scroll.mapTo(lunch, lunch.children_scroll.rect().topRight()).x() < panel
    assert all(b.mapTo(lunch, b.rect().topRight()).x() < panel
               for b in lunch.letter_buttons.values())
    lunch.leave()


def test_the_layout_follows_the_window_size(lunch: Any, qtbot: Any) -> None:
    lunch.resize(1280, 800)
    lunch.show()
    qtbot.mouseClick(lunch.group_buttons[0], Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    wide = tile_columns(lunch)
    lunch.resize(1024, 768)
    QApplication.processEvents()
    assert tile_columns(lunch) < wide
    assert all(b.geometry().right() <= lunch.children_scroll.viewport().width()
               for b in lunch.child_buttons)
    # Too short for eight skills in a column, "Seen it" and the saved message: two columns.
    lunch.resize(1024, 560)
    QApplication.processEvents()
    assert skill_rows(lunch) == 4
    seen = lunch.seen_button
    assert seen.mapTo(lunch, seen.rect().bottomLeft()).y() < lunch.height()
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
