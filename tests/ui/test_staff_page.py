"""The Staff page (admin actions, read-only for a teacher), the audit browser, changing one's
own password, the recovery key from the sign-in window, and locking when the OS session locks."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from skillsdesk.services.demo import build_demo
from skillsdesk.services.signin import init_school, reset_with_recovery, sign_in
from skillsdesk.storage.keyslots import OWASP_MINIMUM, AuthError, new_recovery_key
from skillsdesk.ui import prompts
from skillsdesk.ui.audit_browser import PAGE, AuditModel
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.pages.staff import AddStaffDialog, RoleDialog, make_page
from skillsdesk.ui.passwords import ChangePasswordDialog, RecoveryDialog
from skillsdesk.ui.signin import SignInDialog
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import TODAY

DEMO_PW = "skillsdesk-demo"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("staff-page") / "school"
    build_demo(folder, pupils=12, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    return folder


@pytest.fixture
def school(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(template, folder, ignore=shutil.ignore_patterns("logs", "backups"))
    return folder


@pytest.fixture
def opened():  # type: ignore[no-untyped-def]
    services: list = []
    yield services
    for item in services:
        item.close()


def open_as(folder: Path, login: str, opened: list, password: str = DEMO_PW):  # type: ignore[no-untyped-def]
    services = sign_in(folder, login, password, today=TODAY, kdf=OWASP_MINIMUM)
    opened.append(services)
    return services


def test_an_admin_adds_changes_and_removes_staff(qtbot, qtmodeltester, school: Path, opened,  # type: ignore[no-untyped-def]
                                                 monkeypatch) -> None:
    services = open_as(school, "head", opened)
    page = make_page(services, TaskRunner())
    qtbot.addWidget(page)
    page.show()
    people = page.people
    assert people.add_button.isVisible() and not people.read_only_note.isVisible()

    def answer(dialog):  # type: ignore[no-untyped-def]
        if isinstance(dialog, AddStaffDialog):
            qtbot.keyClicks(dialog.name, "Gwen Morgan")
            qtbot.keyClicks(dialog.login, "gmorgan")
            dialog.role.setCurrentIndex(dialog.role.findData("support"))
            qtbot.keyClicks(dialog.fields.password, "password")
            qtbot.keyClicks(dialog.fields.again, "password")
            dialog.submit()  # too weak: said in the dialog, nobody added
            assert dialog.result() != QDialog.DialogCode.Accepted and dialog.message.text()
            for field in (dialog.fields.password, dialog.fields.again):
                field.clear()
                qtbot.keyClicks(field, "Heather-Canal-Button-6")
            dialog.submit()
        elif isinstance(dialog, RoleDialog):
            dialog.role.setCurrentIndex(dialog.role.findData("teacher"))
            dialog.accept()
        elif isinstance(dialog, QMessageBox):  # "Remove …?"
            return QMessageBox.StandardButton.Yes
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    assert people.selected().login == "gmorgan" and "Gwen Morgan" in people.status.text()
    open_as(school, "gmorgan", opened, "Heather-Canal-Button-6")  # their slot opens the data
    qtbot.mouseClick(people.role_button, Qt.MouseButton.LeftButton)
    assert people.selected().role == "teacher"
    qtbot.mouseClick(people.remove_button, Qt.MouseButton.LeftButton)
    assert not people.selected().active and not people.remove_button.isEnabled()
    with pytest.raises(AuthError):
        open_as(school, "gmorgan", opened, "Heather-Canal-Button-6")
    done = [e.action for e in services.accounts.audit_trail(action="staff")][:3]
    assert done == ["staff.remove", "staff.role", "staff.add"]
    model = people.model  # current staff first; leavers after them, greyed
    active = [model.row_at(r).active for r in range(model.rowCount())]
    assert active == sorted(active, reverse=True) and active[0]
    removed = model.row_of("gmorgan")
    assert model.index(removed, 4).data() == "Removed"
    assert model.index(removed, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    qtmodeltester.check(model)


def test_a_teacher_sees_staff_read_only(qtbot, template: Path, opened) -> None:  # type: ignore[no-untyped-def]
    services = open_as(template, "teacher1", opened)
    page = make_page(services, TaskRunner())
    qtbot.addWidget(page)
    page.show()
    people = page.people
    assert people.model.rowCount() > 3
    for button in (people.add_button, people.role_button, people.reset_button,
                   people.remove_button):
        assert not button.isVisible()
    assert people.read_only_note.isVisible()
    assert not page.tabs.isTabVisible(page.audit_tab) and page.show_audit() is None


def test_the_audit_browser_filters_and_checks_the_chain(qtbot, template: Path, opened) -> None:  # type: ignore[no-untyped-def]
    open_as(template, "teacher1", opened).close()  # something from someone else to filter out
    services = open_as(template, "head", opened)
    tasks = TaskRunner()
    page = make_page(services, tasks)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=page.tabs.tabBar().tabRect(page.audit_tab).center())
    browser = page.audit
    assert browser is not None and browser.isVisible()
    model = browser.model
    # At least the school's creation, a member of staff added and two sign-ins; earlier tests
    # of this module add more to the shared template.
    assert model.rowCount() >= 4
    sequences = [model.row_at(r).sequence for r in range(model.rowCount())]
    assert sequences == sorted(sequences, reverse=True)  # newest first
    browser.who.setCurrentIndex(browser.who.findData("teacher1"))
    assert model.rowCount() >= 1
    assert {model.row_at(r).login for r in range(model.rowCount())} == {"teacher1"}
    browser.who.setCurrentIndex(0)
    qtbot.keyClicks(browser.text, "signin")
    qtbot.waitUntil(lambda: all("signin" in model.row_at(r).action
                                for r in range(model.rowCount())), timeout=3000)
    assert {model.row_at(r).login for r in range(model.rowCount())} >= {"head", "teacher1"}
    assert model.index(0, 0).data()[:2] == "20"  # local time, "2026-…"
    assert browser.count.text() == f"{model.rowCount()} events"
    qtbot.keyClicks(browser.text, "-nothing-like-this")
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=3000)
    assert browser.count.text() == "No events match these filters."
    qtbot.mouseClick(browser.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "intact" in browser.verdict.text(), timeout=10_000)
    tasks.wait()


def test_the_audit_model_reads_page_by_page(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    calls = []

    def load(before, limit):  # type: ignore[no-untyped-def]
        calls.append(before)
        top = 1200 if before is None else before - 1
        import datetime as dt

        return [SimpleNamespace(sequence=s, at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
                                login="head", role="admin", action="signin",
                                entity_type="staff", entity_id=None, pupil_id=None,
                                before=None, after=None, content_erased=False)
                for s in range(top, max(top - limit, 0), -1)]

    model = AuditModel()
    model.reset(load)
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 1200 and not model.canFetchMore() and calls == [None, 701, 201]
    qtmodeltester.check(model)


def visible_text(window: QWidget) -> str:
    """Everything the window shows: labels, fields, and the cells of visible tables."""
    parts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QLineEdit)):
            parts.append(widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root = QModelIndex()
            try:
                columns = model.columnCount(root)
            except TypeError:  # a list model keeps columnCount private: one column
                columns = 1
            parts += [str(model.index(r, c).data()) for r in range(model.rowCount(root))
                      for c in range(columns)]
    return "\n".join(parts)


def test_change_my_password_then_the_os_locks(qtbot, school: Path, opened, tmp_path: Path,
                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services = open_as(school, "teacher1", opened)
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        TaskRunner())
    qtbot.addWidget(window)
    window.show()
    assert window.password_action.isEnabled()

    def answer(dialog):  # type: ignore[no-untyped-def]
        assert isinstance(dialog, ChangePasswordDialog)
        qtbot.keyClicks(dialog.current, DEMO_PW)
        qtbot.keyClicks(dialog.fields.password, "Willow-Harbour-314")
        qtbot.keyClicks(dialog.fields.again, "Willow-Harbour-31")
        assert not dialog.ok.isEnabled() and "not the same" in dialog.fields.advice.text()
        qtbot.keyClicks(dialog.fields.again, "4")
        assert dialog.ok.isEnabled()
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    window.password_action.trigger()
    with pytest.raises(AuthError):
        open_as(school, "teacher1", opened)
    open_as(school, "teacher1", opened, "Willow-Harbour-314")

    names = [p.first_name for p in services.school.pupils()]
    assert any(name in visible_text(window) for name in names)
    window.session_watch.on_screen_saver(False)  # the screen saver went away: nothing to do
    assert not window.locked
    window.session_watch.on_screen_saver(True)  # what D-Bus ActiveChanged(true) calls
    assert window.locked
    shown = visible_text(window)
    assert not any(name in shown for name in names)
    window.idle.timer.stop()
    window.close()


def test_forgot_password_uses_the_recovery_key(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new"
    services, key = init_school(folder, "Hilltop", "revans", "Rhian Evans",
                                "Lantern-Meadow-Quartz-9", kdf=OWASP_MINIMUM)
    services.close()

    def recover(typed: str, login: str, password: str):  # type: ignore[no-untyped-def]
        return reset_with_recovery(folder, typed, login, password, kdf=OWASP_MINIMUM)

    def answer(dialog):  # type: ignore[no-untyped-def]
        assert isinstance(dialog, RecoveryDialog) and dialog.login.text() == "revans"
        qtbot.keyClicks(dialog.key, new_recovery_key())
        qtbot.keyClicks(dialog.fields.password, "Copper-Lighthouse-58")
        qtbot.keyClicks(dialog.fields.again, "Copper-Lighthouse-58")
        dialog.submit()
        assert "does not belong" in dialog.message.text()
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.key.clear()
        qtbot.keyClicks(dialog.key, key)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    dialog = SignInDialog("Hilltop", lambda login, pw: None, "revans", recover=recover)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.forgot, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    dialog.result_value.close()
    sign_in(folder, "revans", "Copper-Lighthouse-58", kdf=OWASP_MINIMUM).close()
    assert QApplication.instance() is not None
