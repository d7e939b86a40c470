"""What the first two walks through the app at 1366x768 saw and left: the new-password fields
give no verdict before anything is typed and Add staff waits for an acceptable password, the
passport preview names whose passport it shows, erasing a pupil still on roll says so, the About
box names the version, the data folder, the licence and where the data stays, and a lunchtime
supervisor's empty chart says it is their own observations that are missing."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from skillsdesk.ui import prompts
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import act_as as sign_in

GOOD = "Willow-Harbour-314"


class Accounts:
    """Stands in for the account service of an encrypted school: records what it is asked."""

    encrypted = True

    def __init__(self) -> None:
        self.added: list[tuple[str, str, str | None]] = []
        self.reset: list[tuple[str, str]] = []

    def add_staff(self, login: str, name: str, role: str, password: str | None,
                  job_title: str = "") -> Any:
        self.added.append((login, name, password))
        return object()

    def reset_password(self, login: str, password: str) -> None:
        self.reset.append((login, password))






def test_add_staff_shows_no_verdict_before_typing_and_adds_only_a_good_password(qtbot: Any) -> None:
    from skillsdesk.ui.pages.staff import AddStaffDialog

    accounts = Accounts()
    dialog = AddStaffDialog(accounts)
    qtbot.addWidget(dialog)
    fields = dialog.fields
    assert fields.meter.text() == "" and "Very weak" not in fields.advice.text()
    assert "At least 10 characters" in fields.advice.text()
    assert not dialog.ok.isEnabled()  # nothing typed: nothing to add
    qtbot.keyClicks(dialog.name, "Ruth Okafor")
    qtbot.keyClicks(dialog.login, "rokafor")
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(fields.password, "a")
    assert fields.meter.text() == "Very weak"  # a verdict once something is typed
    fields.password.clear()
    assert fields.meter.text() == "" and not dialog.ok.isEnabled()
    # The person's own login in the password: not acceptable, so Add stays greyed.
    qtbot.keyClicks(fields.password, "rokafor-2026!")
    qtbot.keyClicks(fields.again, "rokafor-2026!")
    assert not dialog.ok.isEnabled()
    fields.password.clear()
    fields.again.clear()
    qtbot.keyClicks(fields.password, GOOD)
    qtbot.keyClicks(fields.again, GOOD)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert accounts.added == [("rokafor", "Ruth Okafor", GOOD)]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_reset_password_shows_no_verdict_before_typing(qtbot: Any) -> None:
    from skillsdesk.ui.passwords import ResetPasswordDialog

    accounts = Accounts()
    dialog = ResetPasswordDialog(accounts, "ta1", "Tess Adams")
    qtbot.addWidget(dialog)
    assert dialog.fields.meter.text() == "" and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.fields.password, GOOD)
    qtbot.keyClicks(dialog.fields.again, GOOD)
    assert dialog.fields.meter.text() in ("Good", "Strong") and dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert accounts.reset == [("ta1", GOOD)]


def test_the_preview_button_names_the_pupil_it_shows(qtbot: Any, demo_services: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from skillsdesk.ui.pages.passports import PassportsPage

    tasks = TaskRunner()
    page = PassportsPage(demo_services, tasks)
    qtbot.addWidget(page)
    assert len(page.ticked()) > 1  # the whole class is ticked
    second = page.pupil_list.item(1).data(Qt.ItemDataRole.UserRole)
    first = page.pupil_list.item(0).data(Qt.ItemDataRole.UserRole)
    assert first.display_name in page.preview_who.text()
    page.pupil_list.setCurrentRow(1)
    assert second.display_name in page.preview_who.text()
    assert first.display_name not in page.preview_who.text()
    shown: list[str] = []
    monkeypatch.setattr(prompts, "run", lambda dialog: shown.append(dialog.windowTitle()) or 0)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    assert shown == [f"Passport: {second.display_name}"]  # the one the label named
    tasks.wait()


def test_erasing_a_pupil_still_on_roll_says_so_without_blocking(
        qtbot: Any, demo_services: Any) -> None:
    from skillsdesk.ui.pages.records import RecordsPage

    tasks = TaskRunner()
    page = RecordsPage(demo_services, tasks)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.erasure)
    tab = page.erasure
    assert not tab.on_roll_note.isVisibleTo(tab)  # nobody chosen yet
    pupil = demo_services.school.pupils()[0]
    qtbot.keyClicks(tab.finder.search, pupil.admission_number)
    assert tab.chosen.admission_number == pupil.admission_number
    assert tab.on_roll_note.isVisibleTo(tab)
    assert "Still on roll" in tab.on_roll_note.text()
    assert "retention period is over" in tab.on_roll_note.text()
    assert tab.erase_button.isEnabled()  # said, not blocked: the typed number is the check
    tab.finder.search.clear()
    assert tab.chosen is None and not tab.on_roll_note.isVisibleTo(tab)
    tasks.wait()


def test_the_about_box_names_version_folder_licence_and_where_data_stays(
        window: Any, demo_services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from skillsdesk import __version__

    folder = str(demo_services.store.path.parent)
    shown: list[str] = []

    def click_copy(box: QMessageBox) -> int:
        shown.append(box.text())
        copy = next(b for b in box.buttons() if "Copy folder path" in b.text().replace("&", ""))
        copy.click()
        return 0

    QApplication.clipboard().setText("")
    monkeypatch.setattr(prompts, "run", click_copy)
    window.about_action.trigger()
    text = shown[0]
    assert __version__ in text and folder in text
    assert "GPL-3.0-or-later" in text and "LICENSE" in text
    assert "stays on this computer" in text
    assert "not encrypted" in text  # the plain demo school says so
    assert QApplication.clipboard().text() == folder
    assert "Copied" in window.statusBar().currentMessage()


def test_a_lunchtime_supervisors_empty_chart_says_it_is_their_own_record(
        window: Any, qtbot: Any, signed_out: Any) -> None:
    from skillsdesk.ui.profile import ProfileDialog

    framework = signed_out.frameworks.current()
    pupil = signed_out.school.pupils()[0]
    wording = {}
    for login in ("lunch1", "teacher1"):
        sign_in(signed_out, login)
        profile = ProfileDialog(signed_out, pupil.id, window._tasks, window.undo_stack,
                                window.session, framework, window)
        qtbot.addWidget(profile)
        wording[login] = profile.chart.empty_text
    assert wording["lunch1"].startswith(f"You have not recorded anything for {pupil.display_name}")
    assert wording["teacher1"] == "Nothing recorded yet"


# The sign-in, lock, unlock and PIN-switch path, on a small encrypted school -----------------

DEMO_PW = "skillsdesk-demo"


@pytest.fixture(scope="module")
def locked_school(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from skillsdesk.services.demo import build_demo
    from skillsdesk.storage.keyslots import OWASP_MINIMUM
    from tests.conftest import TODAY

    folder = tmp_path_factory.mktemp("walk5-encrypted") / "school"
    build_demo(folder, pupils=12, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    return folder


@pytest.fixture
def desk(qtbot: Any, locked_school: Any, tmp_path: Any) -> Any:
    """The window of the encrypted school, signed in as teacher1; closed afterwards."""
    from PySide6.QtCore import QSettings

    from skillsdesk.services.signin import sign_in as open_signed_in
    from skillsdesk.storage.keyslots import OWASP_MINIMUM
    from skillsdesk.ui.main_window import MainWindow
    from tests.conftest import TODAY

    services = open_signed_in(locked_school, "teacher1", DEMO_PW, today=TODAY, kdf=OWASP_MINIMUM)
    tasks = TaskRunner()
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        tasks)
    qtbot.addWidget(window)
    window.show()
    window.idle.timer.stop()  # locked by hand here, never by the clock
    yield window, services
    tasks.wait()
    window.close()
    services.close()


def test_the_lock_screen_focuses_the_password_and_enter_moves_on(qtbot: Any, desk: Any) -> None:
    window, services = desk
    assert window.lock_action.shortcut().toString() == "Ctrl+Shift+L"
    window.lock_action.trigger()
    page = window.lock_page
    assert window.locked and page.login.text() == "teacher1"
    assert window.focusWidget() is page.password  # type straight away
    assert "own login and password" in page.hint.text() and "PIN does not unlock" in \
        page.hint.text()
    qtbot.keyClick(page.password, Qt.Key.Key_Return)  # nothing typed: said, not counted
    assert page.message.text() == "Type your password." and window.locked
    assert services.accounts._throttle.failures("teacher1") == 0
    qtbot.keyClicks(page.password, "nope")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert "not right" in page.message.text() and window.locked
    assert page.password.selectedText() == "nope" and window.focusWidget() is page.password
    width = page.password.parentWidget().width()
    for _attempt in range(3):  # the wait after failed tries: wrapped, the box keeps its width
        qtbot.keyClicks(page.password, "nope")
        qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert "Wait" in page.message.text() and page.message.wordWrap()
    assert page.password.parentWidget().width() == width
    # Someone else unlocks as themselves: their login, Enter, their password, Enter.
    page.login.selectAll()
    qtbot.keyClicks(page.login, "head")
    assert page.message.text() == ""  # the last person's message is not theirs
    qtbot.keyClick(page.login, Qt.Key.Key_Return)
    assert window.focusWidget() is page.password and page.password.selectedText() == "nope"
    qtbot.keyClicks(page.password, DEMO_PW)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert not window.locked and services.context.actor.login == "head"
    assert "(Admin)" in window.signed_in.text()


def test_set_my_pin_says_what_is_wrong_as_it_is_typed(qtbot: Any, desk: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from skillsdesk.ui.lock import SetPinDialog

    window, services = desk
    seen: dict[str, Any] = {}

    def answer(dialog: Any) -> int:
        assert isinstance(dialog, SetPinDialog)
        assert "Switch user" in dialog.findChild(QLabel).text()
        qtbot.keyClicks(dialog.pin, "12")
        seen["short"] = (dialog.message.text(), dialog.ok.isEnabled())
        qtbot.keyClicks(dialog.pin, "34")
        qtbot.keyClicks(dialog.again, "1234")
        seen["common"] = (dialog.message.text(), dialog.ok.isEnabled())
        dialog.pin.clear()
        dialog.again.clear()
        qtbot.keyClicks(dialog.pin, "4826")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)  # on to the second box
        qtbot.keyClicks(dialog.again, "4862")
        seen["differ"] = (dialog.message.text(), dialog.ok.isEnabled())
        dialog.again.clear()
        qtbot.keyClicks(dialog.again, "4826")
        assert dialog.ok.isEnabled() and dialog.message.text() == ""
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    window.pin_action.trigger()
    assert seen["short"] == ("A PIN is 4 to 8 digits.", False)
    assert "first anyone would try" in seen["common"][0] and not seen["common"][1]
    assert seen["differ"] == ("The two PINs are not the same.", False)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "PIN saved.", timeout=10000)
    assert services.accounts.switch_to("teacher1", "4826").login == "teacher1"


def test_switching_with_a_pin_never_tries_an_empty_one(qtbot: Any, desk: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from skillsdesk.services.signin import sign_in as open_signed_in
    from skillsdesk.storage.keyslots import OWASP_MINIMUM
    from skillsdesk.ui.lock import SwitchDialog
    from tests.conftest import TODAY

    window, services = desk
    other = open_signed_in(window_folder(services), "ta1", DEMO_PW, today=TODAY,
                           kdf=OWASP_MINIMUM)
    other.accounts.set_own_pin("3907")
    other.close()
    seen: dict[str, Any] = {}

    def answer(dialog: Any) -> int:
        assert isinstance(dialog, SwitchDialog)
        dialog.show()
        assert "File › Set my PIN" in dialog.findChild(QLabel).text()
        assert not dialog.ok.isEnabled()
        qtbot.keyClicks(dialog.login, "ta1")
        qtbot.keyClick(dialog.login, Qt.Key.Key_Return)  # Enter after the login: to the PIN
        seen["after enter"] = (dialog.isVisible(), dialog.focusWidget() is dialog.pin,
                               dialog.message.text(), services.accounts._throttle.failures("ta1"))
        qtbot.keyClicks(dialog.pin, "1111")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        seen["wrong"] = (dialog.message.text(), dialog.pin.selectedText(),
                         dialog.focusWidget() is dialog.pin)
        qtbot.keyClicks(dialog.pin, "3907")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    window.switch_action.trigger()
    assert seen["after enter"] == (True, True, "", 0)
    assert seen["wrong"] == ("That PIN is not right for ta1.", "1111", True)
    assert services.context.actor.login == "ta1" and "(Support" in window.signed_in.text()


def window_folder(services: Any) -> Any:
    return services.store.path.parent
