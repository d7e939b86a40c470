"""Journeys J1 (teacher mid-lesson) and J2 (lunchtime) driven through the widgets."""


import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from skillsdesk.ui import prompts
from skillsdesk.ui.models import PupilTableModel
from skillsdesk.ui.record_dialog import RecordDialog


@pytest.fixture
def window(window):  # type: ignore[no-untyped-def]
    """The shared main window (tests/ui/conftest.py), recording as somebody from the staff list."""
    window.recording_as.setCurrentIndex(1)
    return window


def count(services) -> int:  # type: ignore[no-untyped-def]
    return services.observations.count()


def select_cells(page, rows: list[int], column: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QItemSelectionModel

    selection = page.table.selectionModel()
    page.table.setCurrentIndex(page.proxy.index(rows[0], column))  # clears, then selects it
    for row in rows[1:]:
        selection.select(page.proxy.index(row, column), QItemSelectionModel.SelectionFlag.Select)


def test_keyboard_only_logging_for_one_pupil(window, qtbot, demo_services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    page.table.setFocus()
    column = PupilTableModel.FIXED + 1  # second skill
    select_cells(page, [0], column)
    pupil = page.pupils.pupil_at(page.proxy.mapToSource(page.proxy.index(0, 0)).row())
    seen: list[RecordDialog] = []

    def answer(dialog: QDialog) -> int:
        seen.append(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.note, "Listened to a friend's idea")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    before = count(demo_services)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    second = demo_services.frameworks.current().skills[1].code
    assert seen and seen[0].current_skill().code == second
    qtbot.waitUntil(lambda: count(demo_services) == before + 1, timeout=5000)
    newest = demo_services.observations.list(pupil.pupil.admission_number, limit=1)[0]
    assert newest.note == "Listened to a friend's idea"
    assert newest.level == 2 and newest.setting == "classroom"
    assert newest.observer == window.recording_as.currentData().name
    expected_step = next(s for s in pupil.skills if s.skill == newest.skill).next
    assert newest.step == expected_step


def test_group_entry_then_per_pupil_pass_and_undo_redo(window, qtbot, demo_services,
                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    column = PupilTableModel.FIXED
    select_cells(page, [0, 1, 2], column)

    def answer(dialog: RecordDialog) -> int:
        dialog.show()
        assert dialog.table.rowCount() == 3
        dialog.levels.button(3).click()  # everyone secured …
        dialog.table.cellWidget(1, 2).setCurrentIndex(0)  # … except the second: with help
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    before = count(demo_services)
    page.record_button.click()
    qtbot.waitUntil(lambda: count(demo_services) == before + 3, timeout=5000)
    levels = sorted(o.level for o in demo_services.observations.list(limit=3))
    assert levels == [1, 3, 3]
    # The secured pupils' cells now show the new step, without reloading the class.
    qtbot.waitUntil(lambda: window.undo_stack.canUndo(), timeout=2000)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: count(demo_services) == before, timeout=5000)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: count(demo_services) == before + 3, timeout=5000)


def test_grid_updates_in_place_after_a_secured_judgement(window, qtbot, demo_services,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    column = PupilTableModel.FIXED
    select_cells(page, [0], column)
    source_row = page.proxy.mapToSource(page.proxy.index(0, column)).row()
    position = page.pupils.pupil_at(source_row).skills[0]

    def answer(dialog: RecordDialog) -> int:
        dialog.levels.button(3).click()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    page.record_selection()
    qtbot.waitUntil(lambda: page.pupils.pupil_at(source_row).skills[0].current == position.next,
                    timeout=5000)
    assert "•" in page.pupils.index(source_row, column).data()


def test_lunchtime_tap_flow(window, qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    window.open_lunchtime()
    lunch = window._lunchtime
    qtbot.addWidget(lunch)
    assert lunch.group_buttons
    qtbot.mouseClick(lunch.group_buttons[0], Qt.MouseButton.LeftButton)
    child = lunch.child_buttons[0]
    texts = " ".join(b.text() for b in lunch.child_buttons)
    assert "SEN" not in texts and "PP" not in texts
    before = count(demo_services)
    qtbot.mouseClick(child, Qt.MouseButton.LeftButton)
    assert not lunch.seen_button.isEnabled()
    qtbot.mouseClick(lunch.skill_buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(lunch.seen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: count(demo_services) == before + 1, timeout=5000)
    newest = demo_services.observations.list(limit=1)[0]
    assert newest.setting == "lunchtime" and newest.level == 2
    qtbot.waitUntil(lambda: "Saved" in lunch.message.text(), timeout=5000)
    lunch.close()  # a plain close (a child's Alt+F4) does not leave
    assert lunch.isVisible()
    lunch.exit_button.held.emit()
    assert not lunch.isVisible()


def test_search_opens_the_profile(window, qtbot, demo_services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pupil = demo_services.school.pupils()[5]
    opened: list[object] = []

    def answer(dialog: QDialog) -> int:
        if dialog.__class__.__name__ == "SearchDialog":
            qtbot.keyClicks(dialog.query, pupil.last_name.lower())
            qtbot.keyClicks(dialog.query, " " + pupil.first_name[:2])
            qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
            return dialog.result()
        opened.append(dialog)
        return 0

    monkeypatch.setattr(prompts, "run", answer)
    window.search_action.trigger()
    assert opened and pupil.display_name in opened[0].windowTitle()


def test_profile_edit_delete_and_targets(window, qtbot, demo_services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk.ui.profile import ProfileDialog

    pupil = demo_services.school.pupils()[-1]
    profile = ProfileDialog(demo_services, pupil.id, window._tasks, window.undo_stack,
                            window.session, demo_services.frameworks.current(), window)
    qtbot.addWidget(profile)
    profile.skills.setCurrentRow(0)
    assert profile.timeline.rowCount() > 0 and profile.ladder.count() == 16
    before_rows = profile.timeline.rowCount()
    profile.timeline.selectRow(0)
    first = profile._shown[0]

    def answer(dialog: QDialog) -> int:
        dialog.note.setPlainText("Changed after a chat with the TA")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    profile.edit_button.click()
    qtbot.waitUntil(lambda: any(i.note == "Changed after a chat with the TA"
                                for i in profile._shown), timeout=5000)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not any(i.note == "Changed after a chat with the TA"
                                    for i in profile._shown), timeout=5000)
    profile.timeline.selectRow(0)
    profile.delete_button.click()
    qtbot.waitUntil(lambda: profile.timeline.rowCount() == before_rows - 1, timeout=5000)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: profile.timeline.rowCount() == before_rows, timeout=5000)
    assert any(i.id == first.id for i in profile._shown)
    profile.add_target.click()
    qtbot.waitUntil(lambda: profile.targets.rowCount() == 1, timeout=5000)


def test_grid_model_passes_the_model_tester(window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.page("classes").pupils)
    qtmodeltester.check(window.page("classes").groups)


def test_saved_table_group_selects_its_pupils(window, qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    select_cells(page, [1, 3], PupilTableModel.FIXED)
    page.save_selection_as_group("Blue table")
    qtbot.waitUntil(lambda: bool(demo_services.school.sets()), timeout=5000)
    group = demo_services.school.sets()[0]
    assert group.name == "Blue table" and group.pupil_count == 2
    page.table.clearSelection()
    page.select_group(group.id)
    pupils, _skill = page.selected_pupils_and_skill()
    assert {p.pupil.id for p in pupils} == set(demo_services.school.members(group.id))


def test_every_control_has_a_name(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView, QWidget

    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, (QAbstractButton, QComboBox, QLineEdit, QTableView)):
            continue
        if not widget.isVisibleTo(window) or widget.parent().inherits("QComboBox") \
                or widget.inherits("QLineEdit") and widget.parent().inherits("QComboBox"):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    assert not unnamed, unnamed
