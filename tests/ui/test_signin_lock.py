"""First run, signing in, locking when idle and switching staff, through the widgets."""

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWizard

from skillsdesk.services.demo import build_demo
from skillsdesk.services.signin import init_school, sign_in
from skillsdesk.storage.keyslots import OWASP_MINIMUM
from skillsdesk.ui.first_run import FirstRunWizard
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.signin import SignInDialog
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gui-encrypted") / "school"
    build_demo(folder, pupils=20, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    return folder


def test_first_run_creates_an_encrypted_school(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new"
    wizard = FirstRunWizard(lambda s, login, name, pw: init_school(
        folder, s, login, name, pw, kdf=OWASP_MINIMUM))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.school_page.school, "Hilltop Primary")
    wizard.next()
    admin = wizard.admin_page
    qtbot.keyClicks(admin.name, "Rhian Evans")
    qtbot.keyClicks(admin.login, "revans")
    qtbot.keyClicks(admin.password, "password")
    assert not admin.isComplete() and admin.advice.text()  # too weak: said, not allowed
    admin.password.clear()
    qtbot.keyClicks(admin.password, "Lantern-Meadow-Quartz-9")
    qtbot.keyClicks(admin.again, "Lantern-Meadow-Quartz-9")
    assert admin.isComplete() and admin.meter.value() >= 2
    wizard.next()
    assert wizard.services is not None
    assert len(wizard.recovery_page.key.text().replace("-", "")) >= 28
    assert not wizard.recovery_page.isComplete()
    wizard.recovery_page.done.setChecked(True)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.services.school.name() == "Hilltop Primary"
    wizard.services.close()
    opened = sign_in(folder, "revans", "Lantern-Meadow-Quartz-9", kdf=OWASP_MINIMUM)
    assert opened.context.actor.role == "admin"
    opened.close()


def test_sign_in_dialog_says_what_is_wrong(qtbot, school: Path) -> None:  # type: ignore[no-untyped-def]
    opened: list[object] = []

    def attempt(login: str, password: str) -> object:
        services = sign_in(school, login, password, today=TODAY, kdf=OWASP_MINIMUM)
        opened.append(services)
        return services

    dialog = SignInDialog("Brackenfield", attempt, "head")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "wrong")
    dialog.try_sign_in()
    assert "not right" in dialog.message.text() and not opened
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "skillsdesk-demo")
    dialog.try_sign_in()
    assert dialog.result_value is opened[0]
    opened[0].close()  # type: ignore[attr-defined]


def test_idle_lock_hides_pupils_until_a_password(qtbot, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services = sign_in(school, "teacher1", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    settings.setValue("desk/lock_minutes", 0.005)  # 0.3 s, for the test
    tasks = TaskRunner()
    window = MainWindow(services, settings, tasks)
    qtbot.addWidget(window)
    window.show()
    assert "Signed in as" in window.signed_in.text()
    table = window.page("classes").table
    assert table.isVisible()
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert not window.menuBar().isEnabled()
    assert not window.pages[0].built  # the grid is torn down, not just hidden (G15)
    page = window.lock_page
    assert page.login.text() == "teacher1"
    qtbot.keyClicks(page.password, "nope")
    page.try_unlock()
    assert page.message.text() and window.locked
    qtbot.keyClicks(page.password, "skillsdesk-demo")
    page.try_unlock()
    assert not window.locked and window.page("classes").table.isVisible()  # built afresh
    window.idle.timer.stop()
    tasks.wait()
    window.close()
    services.close()


class FakeClock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_lock_follows_the_clock_and_input_resets_it(qtbot, school: Path, tmp_path: Path,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk.ui import lock, main_window

    clock = FakeClock()
    monkeypatch.setattr(main_window, "IdleWatcher",
                        lambda minutes, parent: lock.IdleWatcher(minutes, parent, clock=clock))
    services = sign_in(school, "teacher1", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    settings.setValue("desk/lock_minutes", 5)
    tasks = TaskRunner()
    window = MainWindow(services, settings, tasks)
    qtbot.addWidget(window)
    window.show()
    watcher = window.idle
    watcher.timer.stop()  # the test polls by hand
    table = window.page("classes").table
    clock.now += 4 * 60 + 59
    watcher.check()
    assert not window.locked
    qtbot.keyClick(table, Qt.Key.Key_Down)  # someone is at the desk: the idle time starts again
    clock.now += 4 * 60
    watcher.check()
    assert not window.locked and table.isVisible()
    clock.now += 60
    watcher.check()
    assert window.locked and not window.pages[0].built
    qtbot.keyClicks(window.lock_page.password, "skillsdesk-demo")
    window.lock_page.try_unlock()
    assert not window.locked
    watcher.check()  # typing the password was input: no second lock straight away
    assert not window.locked
    clock.now += 5 * 60
    watcher.check()
    assert window.locked
    tasks.wait()
    window.close()
    services.close()


def test_a_windows_lock_message_locks_the_window(qtbot, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ctypes import addressof, wintypes

    from skillsdesk.ui.session_watch import (
        WM_WTSSESSION_CHANGE,
        WTS_SESSION_LOCK,
        SessionWatcher,
    )

    services = sign_in(school, "teacher1", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        TaskRunner())
    qtbot.addWidget(window)
    window.show()
    window.idle.timer.stop()
    watcher = SessionWatcher(window)
    watcher.locked.connect(window.lock)
    # Off Windows there is no wtsapi32: registering fails, is logged, and the filter still works.
    assert watcher.start(platform="win32") == ["WM_POWERBROADCAST"]
    assert watcher.windows_filter is not None
    msg = wintypes.MSG(None, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, 0, 0, wintypes.POINT(0, 0))
    assert watcher.windows_filter.nativeEventFilter(b"windows_generic_MSG", addressof(msg)) \
        == (False, 0)
    assert window.locked and not window.pages[0].built
    watcher.stop()
    assert watcher.windows_filter is None
    window.close()
    services.close()


class _FakeCenter:
    """An NSNotificationCenter that only records observers."""

    def __init__(self) -> None:
        self.observers: list[tuple[object, str, str]] = []

    def addObserver_selector_name_object_(self, observer, selector, name, sender) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        assert sender is None  # from anyone
        self.observers.append((observer, selector, name))

    def removeObserver_(self, observer) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.observers = [o for o in self.observers if o[0] is not observer]


class _FakeNotification:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


def _fake_pyobjc(monkeypatch) -> tuple[_FakeCenter, _FakeCenter]:  # type: ignore[no-untyped-def]
    """Just the Foundation and AppKit calls session_watch makes, as modules in sys.modules."""
    import types

    class NSObject:
        @classmethod
        def alloc(cls):  # type: ignore[no-untyped-def]
            return cls.__new__(cls)

        def init(self):  # type: ignore[no-untyped-def]
            return self

    distributed, workspace = _FakeCenter(), _FakeCenter()
    foundation = types.ModuleType("Foundation")
    foundation.NSObject = NSObject  # type: ignore[attr-defined]
    foundation.NSDistributedNotificationCenter = types.SimpleNamespace(  # type: ignore[attr-defined]
        defaultCenter=lambda: distributed)
    appkit = types.ModuleType("AppKit")
    appkit.NSWorkspace = types.SimpleNamespace(  # type: ignore[attr-defined]
        sharedWorkspace=lambda: types.SimpleNamespace(notificationCenter=lambda: workspace))
    for name in ("NSWorkspaceWillSleepNotification", "NSWorkspaceScreensDidSleepNotification",
                 "NSWorkspaceSessionDidResignActiveNotification"):
        setattr(appkit, name, name)  # AppKit's constants hold their own names
    monkeypatch.setitem(sys.modules, "Foundation", foundation)
    monkeypatch.setitem(sys.modules, "AppKit", appkit)
    return distributed, workspace


def test_a_macos_lock_notification_locks_the_window(qtbot, school: Path, tmp_path: Path,
                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Linux stands in for the Mac: the real Cocoa calls have not run here.
    from skillsdesk.ui.session_watch import SessionWatcher

    distributed, workspace = _fake_pyobjc(monkeypatch)
    services = sign_in(school, "teacher1", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        TaskRunner())
    qtbot.addWidget(window)
    window.show()
    window.idle.timer.stop()
    watcher = SessionWatcher(window)
    watcher.locked.connect(window.lock)
    hooks = watcher.start(platform="darwin")
    observer = watcher.macos_observer
    assert [(o, n) for o, _, n in distributed.observers] == [
        (observer, "com.apple.screenIsLocked")]
    assert [(o, n) for o, _, n in workspace.observers] == [
        (observer, "NSWorkspaceWillSleepNotification"),
        (observer, "NSWorkspaceScreensDidSleepNotification"),
        (observer, "NSWorkspaceSessionDidResignActiveNotification")]
    assert hooks == ["com.apple.screenIsLocked", "NSWorkspaceWillSleepNotification",
                     "NSWorkspaceScreensDidSleepNotification",
                     "NSWorkspaceSessionDidResignActiveNotification"]
    # The centre calls the selector it was given; PyObjC names its method with ':' -> '_'.
    selector = distributed.observers[0][1]
    assert {s for _, s, _ in distributed.observers + workspace.observers} == {selector}
    callback = getattr(observer, selector.replace(":", "_"))
    callback(_FakeNotification("com.apple.screenIsUnlocked"))
    callback(_FakeNotification("NSWorkspaceDidWakeNotification"))
    assert not window.locked and window.pages[0].built
    callback(_FakeNotification("com.apple.screenIsLocked"))
    assert window.locked and not window.pages[0].built
    watcher.stop()
    assert distributed.observers == [] and workspace.observers == []
    assert watcher.macos_observer is None
    window.close()
    services.close()


def test_another_teacher_switches_in_with_a_pin(qtbot, school: Path, tmp_path: Path,
                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk.ui import prompts

    first = sign_in(school, "teacher2", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    first.accounts.set_own_pin("5931")
    first.close()
    services = sign_in(school, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        TaskRunner())
    qtbot.addWidget(window)

    def answer(dialog):  # type: ignore[no-untyped-def]
        dialog.login.setText("teacher2")
        dialog.pin.setText("5931")
        dialog.try_switch()
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    window.switch_action.trigger()
    assert services.context.actor.login == "teacher2"
    assert window.session.staff.login == "teacher2"
    window.close()
    services.close()
