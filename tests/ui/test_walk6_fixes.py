"""Fixes from walking the keyboard-only journeys and the paths where things go wrong."""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from skillsdesk.ui import prompts
from skillsdesk.ui.profile import EditDialog
from tests.conftest import act_as
from tests.ui.test_profile_roles import (
    HEADS_NOTE,
    MY_NOTE,
    open_profile,
    pupil,  # noqa: F401 - the fixture
    row_of,
)


def test_enter_and_delete_on_the_profile_timeline_edit_and_delete_the_chosen_observation(
        qtbot: Any, demo_services: Any, pupil: Any, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter on a timeline row used to reach the profile's default button and open a new Record
    dialog; Delete did nothing. Now Enter edits and Delete deletes the chosen row (own only)."""
    act_as(demo_services, "teacher1")
    profile, tasks = open_profile(qtbot, demo_services, pupil, tmp_path)
    shown: list[Any] = []
    monkeypatch.setattr(prompts, "run", lambda dialog: shown.append(dialog) or 0)
    profile.record_button.setFocus()  # it was focused last, so it is the dialog's default
    profile.timeline.setFocus()

    profile.timeline.selectRow(row_of(profile, HEADS_NOTE))  # someone else's: nothing happens
    qtbot.keyClick(profile.timeline, Qt.Key.Key_Return)
    qtbot.keyClick(profile.timeline, Qt.Key.Key_Delete)
    tasks.wait()
    assert shown == []
    assert any(item.note == HEADS_NOTE for item in profile._shown)

    profile.timeline.selectRow(row_of(profile, MY_NOTE))
    qtbot.keyClick(profile.timeline, Qt.Key.Key_Return)
    assert len(shown) == 1 and isinstance(shown[0], EditDialog)  # the edit, not a new record
    qtbot.keyClick(profile.timeline, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: all(item.note != MY_NOTE for item in profile._shown), timeout=5000)
    tasks.wait()
    assert profile.isVisible()


def test_a_bad_pupil_file_names_the_file_and_shows_its_rows_and_changes_nothing(
        qtbot: Any, demo_services: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File ▸ Import pupils on a file with bad rows: the refusal names the file and shows the
    first rows, fields and reasons in the box itself (not only behind Show Details)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner

    act_as(demo_services, "head")
    bad = tmp_path / "class list.csv"
    bad.write_text("Adno,Forename,Surname,Year\n4001,Megan,Thomas,Year 3\n4002,,Parry,Year 3\n"
                   + "".join(f"{4003 + n},Ann,Lee,Year 9\n" for n in range(6)), encoding="utf-8")
    tasks = TaskRunner()
    window = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"),
                                                 QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    before = len(demo_services.school.pupils())
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_args, **_kw: (str(bad), "")))
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(prompts, "run", lambda box: boxes.append(box) or 0)
    window.import_pupils_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    tasks.wait()
    box = boxes[0]
    assert "class list.csv" in box.text() and "Nothing was changed" in box.text()
    shown = box.informativeText()
    assert "line 3, Forename" in shown and "blank" in shown  # the row, the field, the reason
    assert "Year 9" in shown and "2 more" in shown  # 7 problems: 5 shown, the rest counted
    assert len(box.detailedText().splitlines()) == 7
    assert len(demo_services.school.pupils()) == before
    demo_services.context.set_actor(None)


def test_a_refusal_quotes_file_text_as_plain_text(qtbot: Any, monkeypatch: Any) -> None:
    """A cell holding markup ("<b>Sam</b>") is shown as typed, not as bold text."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from skillsdesk.domain.errors import UserError
    from skillsdesk.ui import prompts as seam

    shown: list[QMessageBox] = []
    monkeypatch.setattr(seam, "run", lambda box: shown.append(box) or 0)
    seam.error(None, UserError("pupils.csv was not imported: 1 row has a problem",
                               problems=["line 2, Forename: '<b>Sam</b>' is too long"]))
    box = shown[0]
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Sam</b>" in box.informativeText()
