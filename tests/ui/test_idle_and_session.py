"""The idle watcher on a fake clock, and reading Windows' and macOS's lock and sleep messages
(any OS)."""

import sys
from ctypes import addressof, wintypes

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent

from skillsdesk.ui.lock import IdleWatcher
from skillsdesk.ui.session_watch import (
    MACOS_SCREEN_LOCKED,
    MACOS_SCREENS_SLEEP,
    MACOS_SESSION_RESIGNED,
    MACOS_WILL_SLEEP,
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    SessionWatcher,
    WindowsMessageFilter,
    macos_notification_locks,
    windows_message_locks,
)

WTS_SESSION_UNLOCK = 0x8
PBT_APMRESUMEAUTOMATIC = 0x12
WM_KEYDOWN = 0x0100


def test_idle_fires_once_per_idle_spell(qtbot) -> None:  # type: ignore[no-untyped-def]
    now = [0.0]
    watcher = IdleWatcher(2, clock=lambda: now[0])
    watcher.timer.stop()
    fired: list[int] = []
    watcher.idle.connect(lambda: fired.append(1))
    now[0] = 119.5
    watcher.check()
    assert fired == []
    now[0] = 120.0
    watcher.check()
    watcher.check()
    assert fired == [1]  # once, not on every poll
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    assert watcher.eventFilter(watcher, key) is False  # input is watched, never swallowed
    assert watcher.idle_seconds() == 0
    now[0] = 200.0
    watcher.check()
    assert fired == [1]
    now[0] = 240.0
    watcher.check()
    assert fired == [1, 1]
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(1, 1), QPointF(1, 1),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    watcher.eventFilter(watcher, move)
    paint = QEvent(QEvent.Type.Paint)
    now[0] = 300.0
    watcher.eventFilter(watcher, paint)  # not input: the idle time keeps counting
    assert watcher.idle_seconds() == 60


def test_the_real_timer_polls_within_a_few_seconds(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert IdleWatcher(10).timer.interval() == IdleWatcher.POLL_MS
    assert IdleWatcher(0.005).timer.interval() < 300  # a 0.3 s limit (tests) polls faster


def test_which_windows_messages_lock() -> None:
    assert windows_message_locks(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
    assert windows_message_locks(WM_POWERBROADCAST, PBT_APMSUSPEND)
    assert not windows_message_locks(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK)
    assert not windows_message_locks(WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC)
    assert not windows_message_locks(WM_KEYDOWN, WTS_SESSION_LOCK)
    assert not windows_message_locks(WM_KEYDOWN, PBT_APMSUSPEND)


def _msg(message: int, wparam: int) -> wintypes.MSG:
    return wintypes.MSG(None, message, wparam, 0, 0, wintypes.POINT(0, 0))


def test_the_filter_reads_the_msg_struct() -> None:
    calls: list[int] = []
    native = WindowsMessageFilter(lambda: calls.append(1))
    for message, wparam in ((WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK), (WM_KEYDOWN, 0),
                            (WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC)):
        msg = _msg(message, wparam)
        assert native.nativeEventFilter(b"windows_generic_MSG", addressof(msg)) == (False, 0)
    assert calls == []
    sleep = _msg(WM_POWERBROADCAST, PBT_APMSUSPEND)
    assert native.nativeEventFilter(b"windows_generic_MSG", addressof(sleep)) == (False, 0)
    assert calls == [1]
    lock = _msg(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
    native.nativeEventFilter(b"windows_dispatcher_MSG", addressof(lock))  # not a window's MSG
    native.nativeEventFilter(b"windows_generic_MSG", 0)  # no message at all
    assert calls == [1]
    native.nativeEventFilter(b"windows_generic_MSG", addressof(lock))
    assert calls == [1, 1]


def test_which_macos_notifications_lock() -> None:
    for name in (MACOS_SCREEN_LOCKED, MACOS_WILL_SLEEP, MACOS_SCREENS_SLEEP,
                 MACOS_SESSION_RESIGNED):
        assert macos_notification_locks(name), name
    assert MACOS_SCREEN_LOCKED == "com.apple.screenIsLocked"
    assert MACOS_WILL_SLEEP == "NSWorkspaceWillSleepNotification"
    for name in ("com.apple.screenIsUnlocked", "NSWorkspaceDidWakeNotification",
                 "NSWorkspaceScreensDidWakeNotification",
                 "NSWorkspaceSessionDidBecomeActiveNotification", ""):
        assert not macos_notification_locks(name), name


def test_a_mac_without_pyobjc_still_opens(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "AppKit", None)  # None in sys.modules: import fails
    monkeypatch.setitem(sys.modules, "Foundation", None)
    watcher = SessionWatcher()
    assert watcher.start(platform="darwin") == []
    assert watcher.macos_observer is None
    watcher.stop()  # nothing to undo, and no error
