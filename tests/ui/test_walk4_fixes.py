"""What a second walk through the app at 1366x768 found, as head, support and lunchtime staff
would meet it: the pupil search shows a lunchtime supervisor names only, controls that cannot be
used say why, and the trust export, settings, careers and class-grid screens read as they should."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from skillsdesk.ui import prompts
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import act_as as sign_in


def searched(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """Ctrl+K, type ``text``: the results' lines as the person reads them."""
    shown: list[str] = []

    def answer(dialog: QDialog) -> int:
        qtbot.keyClicks(dialog.query, text)
        shown.extend(dialog.results.item(i).text() for i in range(dialog.results.count()))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(prompts, "run", answer)
    window.search_action.trigger()
    return shown


def test_the_pupil_search_shows_a_lunchtime_supervisor_names_only(
        window: Any, qtbot: Any, signed_out: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(signed_out, "lunch1")
    pupil = signed_out.school.pupils()[0]  # one of the supervisor's own lunchtime group
    found = searched(window, qtbot, monkeypatch, pupil.last_name)
    assert any(pupil.display_name in line for line in found)
    assert not any(pupil.admission_number in line for line in found)
    # Typing a number finds no one: the search does not tell whose it is.
    assert searched(window, qtbot, monkeypatch, pupil.admission_number) == []

    sign_in(signed_out, "head")  # staff who may see numbers see and search by them
    found = searched(window, qtbot, monkeypatch, pupil.admission_number)
    assert any(pupil.admission_number in line and pupil.display_name in line for line in found)


def test_a_lunchtime_supervisors_profile_says_where_they_record(
        window: Any, qtbot: Any, signed_out: Any) -> None:
    """Record… on a profile used to open the dialog and refuse on Save (classroom setting)."""
    from skillsdesk.ui.profile import ProfileDialog

    framework = signed_out.frameworks.current()
    for login, allowed in (("lunch1", False), ("ta1", True)):
        sign_in(signed_out, login)
        pupil = signed_out.school.pupils()[0]
        profile = ProfileDialog(signed_out, pupil.id, window._tasks, window.undo_stack,
                                window.session, framework, window)
        qtbot.addWidget(profile)
        assert profile.record_button.isEnabled() is allowed
        assert ("lunchtime mode" in profile.record_button.toolTip()) is not allowed


def test_the_trust_export_labels_its_table_choice_and_says_what_c_means(
        qtbot: Any, demo_services: Any) -> None:
    from skillsdesk.ui.pages.trust import TrustPage

    tasks = TaskRunner()
    page = TrustPage(demo_services, tasks)
    qtbot.addWidget(page)
    page.show()
    try:
        intro = next(label for label in page.findChildren(QLabel)
                     if label.text().startswith("Only counts"))
        assert "“c”" in intro.text()  # a quoted letter, not a word cut short
        assert not page.table_choice.isVisible()  # nothing to choose before a preview
        page.preview_button.click()
        qtbot.waitUntil(lambda: page.export is not None, timeout=20_000)
        assert page.table_choice.isVisible() and page.table_choice.count() > 1
        label = next(w for w in page.table_row.findChildren(QLabel))
        assert label.buddy() is page.table_choice and label.text().strip("&:")
    finally:
        tasks.wait()


def test_the_step_rule_has_its_units_and_the_boxes_fit_their_numbers(
        window: Any, qtbot: Any) -> None:
    window.resize(1366, 768)
    window.show_page("settings")
    page = window.page("settings")
    qtbot.waitUntil(lambda: page.isVisible())
    page.days.setValue(2)
    assert page.days.text() == "2 different days"
    page.days.setValue(1)
    assert page.days.text() == "1 day"
    page.places.setValue(1)
    assert page.places.text() == "1 setting"
    width = page.days.width()
    page.days.setValue(3)  # the arrows stay where they were under the mouse
    assert page.days.width() == width
    for spin in (page.days, page.places, page.lock):
        assert spin.width() < page.width() // 4
    assert page.save.width() < page.width() // 2


def test_careers_activities_keep_who_took_part_on_screen(
        qtbot: Any, demo_services: Any) -> None:
    from skillsdesk.ui.pages.careers import WHO_COLUMN, make_page

    tasks = TaskRunner()
    page = make_page(demo_services, tasks)
    qtbot.addWidget(page)
    page.resize(1190, 660)  # the page's room in the window at 1366x768
    page.show()
    page.refresh()
    tab = page.activities
    try:
        qtbot.waitUntil(lambda: tab.table.rowCount() > 0, timeout=5000)
        table = tab.table
        qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=2000)
        right = table.columnViewportPosition(WHO_COLUMN) + table.columnWidth(WHO_COLUMN)
        assert right <= table.viewport().width() and table.columnWidth(WHO_COLUMN) >= 200
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())
                   if not table.isColumnHidden(c)]
        assert headers[:2] == ["Date", "Title"] and "Who took part" in headers
        # What the table hides or cuts short is in the row's tooltip and under the table.
        activity = tab.rows[0]
        tip = table.item(0, 1).toolTip()
        assert activity.title in tip and "Who took part" in tip
        assert all(p.job in tip for p in activity.role_models)
        table.selectRow(0)
        assert activity.title in tab.details.text()
    finally:
        tasks.wait()


def test_the_class_grid_key_wraps_between_its_parts_only(window: Any) -> None:
    text = window.page("classes").legend.text()
    assert "Ctrl+A\u00a0class" in text and "Shift+Space\u00a0row,\u00a0Ctrl+Space" in text
    assert all(" " not in part for part in text.split("   "))


def test_a_greyed_appraisal_form_says_who_fills_it_in(qtbot: Any, signed_out: Any) -> None:
    from skillsdesk.ui.pages.appraisal import make_page

    sign_in(signed_out, "lunch1")
    tasks = TaskRunner()
    page = make_page(signed_out, tasks)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    try:
        qtbot.waitUntil(lambda: page.busy == 0 and page.view is not None, timeout=5000)
        assert not page.status_button.isEnabled() and "line manager" in \
            page.status_button.toolTip()
        page.tabs.setCurrentWidget(page.practice_tab)
        tab = page.practice_tab
        assert not tab.form_box.isEnabled()
        assert tab.why.isVisible() and "line manager" in tab.why.text()
        assert page.self_tab.form_box.isEnabled() and page.self_tab.why.isHidden()
    finally:
        tasks.wait()


def test_the_pdf_preview_fits_a_small_screen(qtbot: Any, window: Any, demo_services: Any) -> None:
    from skillsdesk.ui.pdf_preview import PdfPreviewDialog

    pupil = demo_services.school.pupils()[0]
    dialog = PdfPreviewDialog("Passport", demo_services.passports.preview(pupil),
                              parent=window)
    qtbot.addWidget(dialog)
    screen = window.screen().availableGeometry()
    assert dialog.height() <= screen.height() - 40 and dialog.width() <= screen.width()


def test_the_subject_access_button_says_what_it_waits_for(
        window: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from skillsdesk.ui.pages import records

    window.show_page("records")
    tab = window.page("records").sar
    assert not tab.make_button.isEnabled()
    assert tab.make_button.toolTip() == "Choose a pupil and a folder first."
    monkeypatch.setattr(records, "ask_folder", lambda *args: tmp_path)
    tab.choose_folder()
    assert tab.make_button.toolTip() == "Choose a pupil first."


def test_a_teacher_reads_the_careers_self_audit_without_boxes_they_cannot_save(
        qtbot: Any, signed_out: Any) -> None:
    from skillsdesk.ui.pages.careers import make_page

    sign_in(signed_out, "teacher1")
    tasks = TaskRunner()
    page = make_page(signed_out, tasks)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    audit = page.audit
    try:
        page.tabs.setCurrentWidget(audit)
        qtbot.waitUntil(lambda: bool(audit.status_boxes), timeout=5000)
        assert audit.save_button.isHidden() and audit.read_only.isVisible()
        assert not any(box.isEnabled() for box in audit.status_boxes.values())
        assert all(edit.isReadOnly() for edit in audit.evidence_edits.values())
    finally:
        tasks.wait()
