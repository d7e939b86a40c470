"""Several skill cells selected for one pupil and Record pressed: one observation is of one
skill, so the dialog says so and the selected skills come one after another (the current
cell's first, then the grid's order), on the same setting and date; Cancel stops there."""

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from skillsdesk.ui import prompts
from skillsdesk.ui.models import PupilTableModel
from skillsdesk.ui.record_dialog import RecordDialog


def test_three_skills_selected_for_one_pupil_are_recorded_in_turn(
        window: Any, qtbot: Any, demo_services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    window.recording_as.setCurrentIndex(1)
    page = window.page("classes")
    first = PupilTableModel.FIXED
    page.table.setCurrentIndex(page.proxy.index(0, first + 1))  # the current cell: skill 2
    for column in (first, first + 2):
        page.table.selectionModel().select(page.proxy.index(0, column),
                                           QItemSelectionModel.SelectionFlag.Select)
    pupil = page.pupils.pupil_at(page.proxy.mapToSource(page.proxy.index(0, 0)).row())
    skills = demo_services.frameworks.current().skills
    seen: list[tuple[str, str, str, str]] = []

    def answer(dialog: QDialog) -> int:
        assert isinstance(dialog, RecordDialog)
        dialog.show()
        assert dialog.selection_note is not None and dialog.selection_note.isVisible()
        seen.append((dialog.current_skill().code, dialog.selection_note.text(),
                     dialog.setting.currentData(), dialog.date.date().toString("yyyy-MM-dd")))
        if len(seen) == 1:  # the first: a setting and a day of its own, carried to the next
            dialog.setting.setCurrentIndex(dialog.setting.findData("playground"))
            dialog.date.setDate(dialog.date.date().addDays(-2))
        if len(seen) == 3:  # the last: Cancel
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                             Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClicks(dialog.note, f"Seen in the {len(seen)} dialog")
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                             Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    before = demo_services.observations.count()
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=10_000)
    window._tasks.wait()
    assert [code for code, *_rest in seen] == [skills[1].code, skills[0].code, skills[2].code]
    assert "3 skills" in seen[0][1] and "1 of 3" in seen[0][1] and skills[0].name in seen[0][1]
    assert "2 of 3" in seen[1][1] and skills[2].name in seen[1][1]
    assert "the last, 3 of 3" in seen[2][1]
    assert seen[1][2:] == seen[2][2:] and seen[1][2] == "playground"  # same occasion
    assert seen[1][3] != seen[0][3]
    qtbot.waitUntil(lambda: demo_services.observations.count() == before + 2, timeout=10_000)
    stored = demo_services.observations.list(pupil.pupil.admission_number, limit=2)
    assert sorted(o.skill for o in stored) == sorted([skills[0].code, skills[1].code])
    assert {o.setting for o in stored} == {"playground"}
    assert window.undo_stack.count() == 2  # each one undone on its own


def test_one_skill_selected_says_nothing_more(window: Any, qtbot: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    page = window.page("classes")
    page.table.setCurrentIndex(page.proxy.index(0, PupilTableModel.FIXED))
    page.table.selectionModel().select(page.proxy.index(1, PupilTableModel.FIXED),
                                       QItemSelectionModel.SelectionFlag.Select)
    seen: list[RecordDialog] = []
    monkeypatch.setattr(prompts, "run", lambda dialog: (seen.append(dialog), 0)[1])
    page.record_selection()
    assert len(seen) == 1 and seen[0].selection_note is None and len(seen[0].pupils) == 2
