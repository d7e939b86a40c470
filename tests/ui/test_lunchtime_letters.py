"""Lunchtime mode (issue 3, J2): letter buttons jump to the children whose first name starts with
a letter, "All" shows everyone, letters no child has are greyed out, and the tap flow still saves
at the child's next step with setting lunchtime (the letter stays chosen for the next child)."""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from skillsdesk.ui.lunchtime import LunchtimeWindow
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def lunch(qtbot: Any, demo_services: Any, tmp_path: Path) -> Any:
    tasks = TaskRunner()
    window = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"),
                                                 QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    window.recording_as.setCurrentIndex(1)  # somebody from the staff list
    lunch = LunchtimeWindow(demo_services, tasks, window.session)
    qtbot.addWidget(lunch)
    lunch.resize(1024, 768)
    lunch.show()
    qtbot.mouseClick(lunch.group_buttons[0], LEFT)
    yield lunch
    tasks.wait()
    lunch.leave()


def shown(lunch: Any) -> list[str]:
    return [b.accessibleName() for b in lunch.child_buttons if b.isVisible()]


def test_a_letter_shows_only_its_children_and_all_shows_everyone(lunch: Any,
                                                                 qtbot: Any) -> None:
    everyone = shown(lunch)
    assert len(everyone) == len(lunch.child_buttons) > 10
    assert lunch.all_button.isChecked()
    enabled = [x for x, b in lunch.letter_buttons.items() if b.isEnabled()]
    letter = max(enabled, key=lambda x: sum(n.startswith(x) for n in everyone))
    button = lunch.letter_buttons[letter]
    assert button.accessibleName() == f"Show children whose names start with {letter}"
    qtbot.mouseClick(button, LEFT)
    names = shown(lunch)
    assert names and all(n.startswith(letter) for n in names)
    assert sorted(names) == sorted(n for n in everyone if n.startswith(letter))
    # The letter showing is marked in its state and description, not by colour alone.
    assert button.isChecked() and button.accessibleDescription() == "Showing"
    assert not lunch.all_button.isChecked() and letter in lunch.prompt.text()
    # The tiles showing sit together from the first cell on.
    first = next(b for b in lunch.child_buttons if b.isVisible())
    assert lunch.children_grid.getItemPosition(lunch.children_grid.indexOf(first))[0] == 0
    qtbot.mouseClick(lunch.all_button, LEFT)
    assert sorted(shown(lunch)) == sorted(everyone) and not button.isChecked()
    assert lunch.all_button.isChecked() and "starting with" not in lunch.prompt.text()


def test_a_letter_no_child_has_is_disabled(lunch: Any, qtbot: Any) -> None:
    initials = {b.accessibleName()[:1].upper() for b in lunch.child_buttons}
    empty = [x for x in lunch.letter_buttons if x not in initials]
    assert empty  # 90 pupils cover fewer than all 26 letters
    for letter in empty:
        assert not lunch.letter_buttons[letter].isEnabled()
    before = shown(lunch)
    qtbot.mouseClick(lunch.letter_buttons[empty[0]], LEFT)  # a tap on it does nothing
    assert shown(lunch) == before and lunch.all_button.isChecked()
    assert all(lunch.letter_buttons[x].isEnabled() for x in initials if x in lunch.letter_buttons)


def test_the_tap_flow_through_a_letter_saves_and_keeps_the_letter(
        lunch: Any, qtbot: Any, demo_services: Any) -> None:
    letter = next(x for x, b in lunch.letter_buttons.items() if b.isEnabled())
    qtbot.mouseClick(lunch.letter_buttons[letter], LEFT)
    tile = next(b for b in lunch.child_buttons if b.isVisible())
    pupil = next(p for p in demo_services.school.pupils(group=lunch._group.name)
                 if p.id == tile.pupil_id)
    skill = lunch._framework.skills[1]
    framework = lunch._framework
    row = demo_services.progress.for_pupils(framework, [pupil])[0]
    position = next(p for p in row.skills if p.skill == skill.code)
    expected = position.next if position.next is not None else skill.highest
    before = demo_services.observations.count()
    qtbot.mouseClick(tile, LEFT)
    qtbot.mouseClick(lunch.skill_buttons[1], LEFT)
    qtbot.mouseClick(lunch.seen_button, LEFT)
    qtbot.waitUntil(lambda: "Saved" in lunch.message.text(), timeout=5000)
    assert demo_services.observations.count() == before + 1
    newest = demo_services.observations.list(limit=1)[0]
    assert newest.setting == "lunchtime" and newest.level == 2
    assert newest.admission_number == pupil.admission_number and newest.skill == skill.code
    assert newest.step == expected
    # Ready for the next child under the same letter, nothing chosen.
    assert lunch.letter_buttons[letter].isChecked()
    assert all(n.startswith(letter) for n in shown(lunch))
    assert not lunch.seen_button.isEnabled() and "tap a child" in lunch.prompt.text()


def test_a_chosen_child_hidden_by_a_letter_is_let_go(lunch: Any, qtbot: Any) -> None:
    letters = [x for x, b in lunch.letter_buttons.items() if b.isEnabled()]
    qtbot.mouseClick(lunch.letter_buttons[letters[0]], LEFT)
    qtbot.mouseClick(next(b for b in lunch.child_buttons if b.isVisible()), LEFT)
    qtbot.mouseClick(lunch.skill_buttons[0], LEFT)
    assert lunch.seen_button.isEnabled()
    qtbot.mouseClick(lunch.letter_buttons[letters[1]], LEFT)
    # "Seen it" cannot save for a child who is no longer on screen.
    assert not lunch.seen_button.isEnabled() and "tap a child" in lunch.prompt.text()


def test_letters_are_finger_sized_and_fit_both_screens(lunch: Any) -> None:
    buttons = [lunch.all_button, *lunch.letter_buttons.values()]
    for width, height in ((1024, 768), (1280, 800)):
        lunch.resize(width, height)
        QApplication.processEvents()
        assert lunch.width() == width and lunch.height() == height
        for button in buttons:
            assert button.width() >= 44 and button.height() >= 44, button.text()
            right = button.mapTo(lunch, button.rect().bottomRight()).x()
            assert right < width, button.text()
    rows = {lunch.letter_row.getItemPosition(lunch.letter_row.indexOf(b))[0]
            for b in lunch.letter_buttons.values()}
    assert len(rows) <= 2
