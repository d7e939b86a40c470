"""What a walk through the app at 1366x768 found, as a head, a teacher, support and lunchtime
staff would meet it: names only on the Pupils page for a lunchtime supervisor, pages the lock
deleted no longer answering a change of who is at the desk, and screens that fit."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from skillsdesk.ui.session import DeskSession
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import act_as as sign_in


def headers(page: Any) -> list[str]:
    model = page.proxy
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def cells(page: Any) -> set[str]:
    model = page.proxy
    return {str(model.index(r, c).data()) for r in range(model.rowCount())
            for c in range(model.columnCount())}


def test_the_pupils_page_shows_a_lunchtime_supervisor_names_only(
        window: Any, qtbot: Any, demo_services: Any) -> None:
    try:
        sign_in(demo_services, "teacher1")
        window.apply_role()
        window.show_page("pupils")
        page = window.page("pupils")
        numbers = {page.model.pupil_at(r).admission_number for r in range(page.model.rowCount())}
        assert numbers and "Adno" in headers(page) and numbers <= cells(page)
        assert "SEN" in headers(page)

        sign_in(demo_services, "lunch1")  # someone else comes to the desk, the page in view
        window.reload()
        assert "Adno" not in headers(page) and "SEN" not in headers(page)
        assert not numbers & cells(page)
        assert headers(page)[0] == "Pupil" and page.proxy.rowCount() > 0
        assert "admission" not in page.filter.placeholderText()
        # Typing a number finds no one: the search does not tell who has it.
        number = next(iter(numbers))
        qtbot.keyClicks(page.filter, number)
        assert page.proxy.rowCount() == 0
        page.filter.clear()

        sign_in(demo_services, "teacher1")  # and back: the teacher's columns return
        window.reload()
        assert "Adno" in headers(page) and numbers <= cells(page)
        assert "admission" in page.filter.placeholderText()
    finally:
        demo_services.context.set_actor(None)


@pytest.mark.parametrize("key", ["appraisal", "records", "backups"])
def test_a_page_the_lock_deleted_no_longer_hears_who_is_at_the_desk(
        qtbot: Any, demo_services: Any, key: str) -> None:
    """Unlocking as someone else used to end in 'Something went wrong': the appraisal page the
    lock had deleted still refreshed when the new person was set (a lambda kept it connected)."""
    session = DeskSession()
    tasks = TaskRunner()
    page = importlib.import_module(f"skillsdesk.ui.pages.{key}").make_page(
        demo_services, tasks, session=session)
    tasks.wait()
    page.deleteLater()  # as MainWindow._tear_down does when the desk locks
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert not shiboken6.isValid(page)
    session.set_staff(demo_services.school.staff()[0])  # pytest-qt fails on a slot's error
    tasks.wait()


def test_a_teacher_with_nobody_to_appraise_is_told_why_at_the_top(
        qtbot: Any, demo_services: Any) -> None:
    from skillsdesk.ui.pages.appraisal import make_page

    sign_in(demo_services, "teacher1")
    tasks = TaskRunner()
    try:
        page = make_page(demo_services, tasks)
        qtbot.addWidget(page)
        page.resize(1190, 660)  # the page's room in the window at 1366x768
        page.show()
        page.refresh()
        qtbot.waitUntil(lambda: page.busy == 0, timeout=5000)
        assert page.staff.count() == 0 and not page.tabs.isVisible()
        assert page.empty.isVisible() and "teachers are not appraised" in page.empty.text()
        # The rows stay together under the heading, not spread down the empty page.
        below = page.empty.geometry().top() - page.staff.geometry().bottom()
        assert 0 < below < 80
    finally:
        tasks.wait()
        demo_services.context.set_actor(None)


def test_careers_edit_and_delete_wait_for_a_chosen_row_and_say_so(
        qtbot: Any, demo_services: Any) -> None:
    from skillsdesk.ui.pages.careers import make_page

    tasks = TaskRunner()
    page = make_page(demo_services, tasks)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    tab = page.activities
    qtbot.waitUntil(lambda: tab.table.rowCount() > 0, timeout=5000)
    try:
        for button in (tab.edit_button, tab.delete_button):
            assert not button.isEnabled() and "Choose an activity" in button.toolTip()
        tab.table.selectRow(0)
        assert tab.edit_button.isEnabled() and tab.delete_button.isEnabled()
        assert tab.edit_button.toolTip() == ""
        page.tabs.setCurrentWidget(page.actions)
        qtbot.waitUntil(lambda: page.actions.table.rowCount() > 0, timeout=5000)
        assert not page.actions.edit_button.isEnabled()
        page.actions.table.selectRow(0)
        assert page.actions.edit_button.isEnabled()
    finally:
        tasks.wait()


def test_the_profile_shows_where_the_pupil_is_on_the_ladder_and_the_notes(
        qtbot: Any, window: Any, demo_services: Any) -> None:
    from skillsdesk.domain.yeargroups import year_group_rank
    from skillsdesk.services.recording import Entry
    from skillsdesk.ui.profile import ProfileDialog

    framework = demo_services.frameworks.current()
    youngest = min(demo_services.school.pupils(), key=lambda p: year_group_rank(p.year_group))
    demo_services.recording.record(framework, framework.skills[0].code,
                                   [Entry(youngest.id, 1, 1)], note="Listened to the story")
    profile = ProfileDialog(demo_services, youngest.id, window._tasks, window.undo_stack,
                            window.session, framework, window)
    qtbot.addWidget(profile)
    profile.show()
    qtbot.waitExposed(profile)
    screen = profile.screen().availableGeometry()  # the offscreen one is smaller than 1366x768
    assert profile.width() <= screen.width() and profile.height() <= screen.height()
    profile.resize(1200, 680)  # its size on a 1366x768 screen
    qtbot.wait(10)
    ladder, mark = profile.ladder, profile._ladder_mark
    assert mark is not None and ladder.row(mark) > ladder.count() // 2  # low on a tall ladder
    assert ladder.viewport().rect().contains(ladder.visualItemRect(mark))
    # The note keeps room in the timeline, however long the observer's name.
    timeline = profile.timeline
    assert timeline.rowCount() > 0
    assert timeline.viewport().width() - timeline.columnViewportPosition(5) >= 200
    note = next(timeline.item(r, 5) for r in range(timeline.rowCount())
                if timeline.item(r, 5).text() == "Listened to the story")
    assert note.toolTip() == "Listened to the story"
