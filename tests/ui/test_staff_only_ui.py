"""Issue #4 at the desk: tick "Staff only" when recording, see it marked, change it, undo."""


import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from skillsdesk.ui import prompts
from skillsdesk.ui.models import PupilTableModel

NOTE = "Upset about a change at home; told me at the door"


@pytest.fixture
def window(window):  # type: ignore[no-untyped-def]
    """The shared main window (tests/ui/conftest.py), recording as somebody from the staff list."""
    window.recording_as.setCurrentIndex(1)
    return window


def test_ticked_staff_only_is_stored_marked_and_can_be_changed(window, qtbot, demo_services,  # type: ignore[no-untyped-def]
                                                              monkeypatch) -> None:
    from skillsdesk.ui.profile import ProfileDialog

    page = window.page("classes")
    page.table.setCurrentIndex(page.proxy.index(0, PupilTableModel.FIXED))
    pupil = page.pupils.pupil_at(page.proxy.mapToSource(page.proxy.index(0, 0)).row()).pupil

    def tick_and_save(dialog: QDialog) -> int:
        dialog.show()
        assert dialog.staff_only.toolTip() == "Never printed on passports or shown to families"
        assert dialog.staff_only.accessibleName()
        qtbot.keyClicks(dialog.note, NOTE)
        qtbot.mouseClick(dialog.staff_only, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(prompts, "run", tick_and_save)
    page.record_selection()

    def mine() -> list:  # type: ignore[type-arg]
        return [o for o in demo_services.observations.list(pupil.admission_number)
                if o.note == NOTE]

    qtbot.waitUntil(lambda: bool(mine()), timeout=5000)
    assert mine()[0].staff_only
    # The save goes on the undo stack once the window hears it was stored.
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=5000)

    profile = ProfileDialog(demo_services, pupil.id, window._tasks, window.undo_stack,
                            window.session, demo_services.frameworks.current(), window)
    qtbot.addWidget(profile)
    profile.skills.setCurrentRow(0)
    row = next(r for r, item in enumerate(profile._shown) if item.note == NOTE)
    assert profile.timeline.item(row, 5).text() == f"[Staff only] {NOTE}"
    profile.timeline.selectRow(row)

    def untick(dialog: QDialog) -> int:
        assert dialog.staff_only.isChecked()
        dialog.staff_only.click()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(prompts, "run", untick)
    profile.edit_button.click()
    qtbot.waitUntil(lambda: not mine()[0].staff_only, timeout=5000)
    qtbot.waitUntil(lambda: profile.timeline.item(row, 5).text() == NOTE, timeout=5000)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 2, timeout=5000)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: mine()[0].staff_only, timeout=5000)
