"""A pupil's profile mirrors "edit or delete others' observations: admin only" (DESIGN.md §8):
a teacher's Edit and Delete are disabled, with a reason, on someone else's observation and work
on their own; an admin's work on both. The service refuses anyway
(tests/services/test_signed_in.py)."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from skillsdesk.services.recording import Entry
from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.profile import ProfileDialog
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import act_as

HEADS_NOTE = "Seen by the head at assembly"
MY_NOTE = "Seen by me in class"




@pytest.fixture
def pupil(demo_services):  # type: ignore[no-untyped-def]
    framework = demo_services.frameworks.current()
    chosen = demo_services.school.pupils()[0]
    act_as(demo_services, "head")
    demo_services.recording.record(framework, "speaking", [Entry(chosen.id, 1, 2)],
                                   note=HEADS_NOTE)
    act_as(demo_services, "teacher1")
    demo_services.recording.record(framework, "speaking", [Entry(chosen.id, 1, 2)], note=MY_NOTE)
    yield chosen
    demo_services.context.set_actor(None)


def open_profile(qtbot, services, pupil, tmp_path: Path):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        tasks)
    qtbot.addWidget(window)
    framework = services.frameworks.current()
    profile = ProfileDialog(services, pupil.id, tasks, window.undo_stack, window.session,
                            framework, window)
    qtbot.addWidget(profile)
    profile.show()
    profile.skills.setCurrentRow(next(n for n, s in enumerate(framework.skills)
                                      if s.code == "speaking"))
    return profile, tasks


def row_of(profile, note: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r, item in enumerate(profile._shown) if item.note == note)


def test_a_teacher_cannot_touch_someone_elses_observation(qtbot, demo_services, pupil,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path, monkeypatch) -> None:
    profile, tasks = open_profile(qtbot, demo_services, pupil, tmp_path)
    asked: list[object] = []
    monkeypatch.setattr(prompts, "run", lambda dialog: asked.append(dialog) or 0)
    assert not profile.edit_button.isEnabled()  # nothing chosen yet

    profile.timeline.selectRow(row_of(profile, HEADS_NOTE))
    for button in (profile.edit_button, profile.delete_button):
        assert not button.isEnabled()
        assert "Only an admin" in button.toolTip()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    tasks.wait()
    assert asked == []
    assert any(o.note == HEADS_NOTE for o in demo_services.observations.list(limit=5))

    profile.timeline.selectRow(row_of(profile, MY_NOTE))
    assert profile.edit_button.isEnabled() and profile.delete_button.isEnabled()
    assert profile.delete_button.toolTip() == ""
    qtbot.mouseClick(profile.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(item.note != MY_NOTE for item in profile._shown), timeout=5000)
    tasks.wait()


def test_an_admin_may_change_anyones(qtbot, demo_services, pupil, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    act_as(demo_services, "head")
    profile, tasks = open_profile(qtbot, demo_services, pupil, tmp_path)
    profile.timeline.selectRow(row_of(profile, MY_NOTE))  # the teacher's
    assert profile.edit_button.isEnabled() and profile.delete_button.isEnabled()
    qtbot.mouseClick(profile.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(item.note != MY_NOTE for item in profile._shown), timeout=5000)
    tasks.wait()


def test_lunchtime_staff_read_targets_and_teachers_set_them(qtbot, demo_services, pupil,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    """Targets are a teaching decision ("target.set": admin, teachers, support staff): a
    lunchtime supervisor's profile shows them with the controls greyed, saying why."""
    framework = demo_services.frameworks.current()
    act_as(demo_services, "teacher1")
    profile, tasks = open_profile(qtbot, demo_services, pupil, tmp_path)
    assert profile.add_target.isEnabled()
    qtbot.mouseClick(profile.add_target, Qt.MouseButton.LeftButton)
    tasks.wait()
    qtbot.waitUntil(lambda: profile.targets.rowCount() == 1)
    profile.close()
    act_as(demo_services, "lunch1")
    profile, tasks = open_profile(qtbot, demo_services, pupil, tmp_path)
    qtbot.waitUntil(lambda: profile.targets.rowCount() == 1)  # read: the teacher's target
    for control in (profile.add_target, profile.met_target, profile.target_step):
        assert not control.isEnabled() and "set targets" in control.toolTip()
    assert len(demo_services.targets.for_pupil(framework, pupil.id)) == 1
