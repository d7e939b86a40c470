"""Lock SkillsDesk when the computer's session locks or the machine goes to sleep (G15).

``SessionWatcher`` has one signal, ``locked``, which the main window connects to its lock (the
same lock as the idle one). Each platform's hook only has to call ``notify_locked()``:

- Linux: over D-Bus, the screen saver's ``ActiveChanged(true)`` on the session bus
  (``org.freedesktop.ScreenSaver`` and ``org.gnome.ScreenSaver``) and logind's
  ``PrepareForSleep(true)`` on the system bus. A missing bus (CI, containers) is skipped
  silently: the idle lock still works.
- Windows: ``WindowsMessageFilter``, a native event filter on the QApplication, sees every
  window message; ``windows_message_locks`` picks out ``WM_WTSSESSION_CHANGE`` with
  ``WTS_SESSION_LOCK`` (Win+L, the screen saver's lock) and ``WM_POWERBROADCAST`` with
  ``PBT_APMSUSPEND`` (sleep or hibernate). Power messages reach every top-level window; session
  messages only reach a window registered with ``WTSRegisterSessionNotification``, so ``start``
  registers the main window (its ``winId``) and ``stop`` unregisters it when the window closes.
  A failure to register is logged and skipped: the power messages and the idle lock still work.
- macOS: with PyObjC (``pyobjc-framework-Cocoa``, a dependency on macOS only), one observer
  object listens on ``NSDistributedNotificationCenter.defaultCenter()`` for
  ``com.apple.screenIsLocked`` (Ctrl+Cmd+Q, the screen saver's lock) and on
  ``NSWorkspace.sharedWorkspace().notificationCenter()`` for ``NSWorkspaceWillSleepNotification``
  (sleep, the lid closing), ``NSWorkspaceScreensDidSleepNotification`` (the display turned off:
  nobody has touched a shared laptop for the energy saver's time) and
  ``NSWorkspaceSessionDidResignActiveNotification`` (fast user switching: someone else's
  session takes the screen). ``macos_notification_locks`` decides from the notification's
  name, and ``stop`` removes the observer. Both centres deliver on the thread that registered,
  the main thread, through its run loop, which Qt's Cocoa event dispatcher drives, so
  ``notify_locked`` runs on the GUI thread (were one ever to arrive elsewhere, ``locked``'s
  automatic connection would still queue the lock to the window's thread). Without PyObjC the
  hook is logged and skipped: the idle lock still covers a Mac.
  NOT YET RUN ON A MAC: the tests drive this code on Linux with a fake ``Foundation`` and
  ``AppKit``, so the real Cocoa calls (the NSObject subclass, the selector's signature, the
  centres' delivery) are untried until someone runs it on macOS.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

_SCREEN_SAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
_LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")

# Windows messages and their wParam values (WinUser.h, WtsApi32.h).
WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0
_WINDOWS_MSG = b"windows_generic_MSG"

# macOS notification names. The NSWorkspace constants' values are their own names; the lock
# is only posted on the distributed centre, under a name Apple does not document.
MACOS_SCREEN_LOCKED = "com.apple.screenIsLocked"
MACOS_WILL_SLEEP = "NSWorkspaceWillSleepNotification"
MACOS_SCREENS_SLEEP = "NSWorkspaceScreensDidSleepNotification"
MACOS_SESSION_RESIGNED = "NSWorkspaceSessionDidResignActiveNotification"
_MACOS_WORKSPACE = (MACOS_WILL_SLEEP, MACOS_SCREENS_SLEEP, MACOS_SESSION_RESIGNED)
_MACOS_LOCKS = frozenset((MACOS_SCREEN_LOCKED, *_MACOS_WORKSPACE))
MACOS_SELECTOR = "lockNotified:"
_macos_observer_classes: dict[Any, type] = {}  # one per NSObject: Objective-C names are global


def windows_message_locks(message_id: int, wparam: int) -> bool:
    """Whether this window message means the session locked or the machine is going to sleep."""
    return ((message_id == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK)
            or (message_id == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND))


def macos_notification_locks(name: str) -> bool:
    """Whether this macOS notification means the screen locked, or sleep, or another session."""
    return str(name) in _MACOS_LOCKS


def _macos_observer_class(ns_object: Any) -> type:
    """The NSObject subclass whose ``lockNotified:`` reads a notification (made once, lazily:
    PyObjC is absent off macOS, and Objective-C refuses a second class of the same name)."""
    cls = _macos_observer_classes.get(ns_object)
    if cls is None:
        class SkillsDeskLockObserver(ns_object):  # type: ignore[misc, valid-type]
            def lockNotified_(self, notification: Any) -> None:  # noqa: N802 - a selector
                # An exception must not cross into Objective-C: log it and carry on.
                try:
                    if macos_notification_locks(notification.name()):
                        self.on_lock()
                except Exception:
                    log.warning("could not handle a macOS notification", exc_info=True)

        cls = _macos_observer_classes[ns_object] = SkillsDeskLockObserver
    return cls


class WindowsMessageFilter(QAbstractNativeEventFilter):
    """Reads each Windows ``MSG`` Qt dispatches and calls ``on_lock`` for a lock or suspend."""

    def __init__(self, on_lock: Callable[[], None]) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(self, eventType: Any, message: Any) -> tuple[bool, int]:  # noqa: N802,N803 - Qt API
        if not message or bytes(eventType) != _WINDOWS_MSG:
            return False, 0
        try:
            from ctypes import wintypes

            msg = wintypes.MSG.from_address(int(message))
            locks = windows_message_locks(msg.message, msg.wParam)
        except Exception:  # a message we cannot read must never break the event loop
            log.warning("could not read a window message", exc_info=True)
            return False, 0
        if locks:
            self._on_lock()
        return False, 0  # never swallow the message: Windows and Qt still need it


class SessionWatcher(QObject):
    """Emits ``locked`` when the OS session locks or the machine is about to sleep."""

    locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hooks: list[str] = []  # which platform sources are connected (for the log/tests)
        self.windows_filter: WindowsMessageFilter | None = None
        self._session_hwnd: int | None = None  # the window registered for session messages
        self.macos_observer: Any = None  # the NSObject the macOS centres call
        self._macos_centers: list[Any] = []

    @Slot()
    def notify_locked(self) -> None:
        log.info("the session locked or the machine is going to sleep: locking")
        self.locked.emit()

    @Slot(bool)
    def on_screen_saver(self, active: bool) -> None:
        if active:
            self.notify_locked()

    @Slot(bool)
    def on_prepare_for_sleep(self, sleeping: bool) -> None:
        if sleeping:
            self.notify_locked()

    def start(self, platform: str = sys.platform) -> list[str]:
        """Connect whatever this platform offers; never fails (nothing to connect is fine)."""
        if platform.startswith("linux"):
            try:
                self._connect_dbus()
            except Exception:  # a broken bus must never stop the app from opening
                log.warning("could not listen for the session locking", exc_info=True)
        elif platform == "win32":
            try:
                self._connect_windows()
            except Exception:
                log.warning("could not listen for the session locking", exc_info=True)
        elif platform == "darwin":
            try:
                self._connect_macos()
            except Exception:
                log.warning("could not listen for the session locking", exc_info=True)
        return self.hooks

    def stop(self) -> None:
        """Undo ``start`` where it needs undoing (Windows, macOS); called when the window closes."""
        if self._session_hwnd is not None:
            try:
                self._wtsapi32().WTSUnRegisterSessionNotification(self._session_hwnd)
            except Exception:
                log.warning("could not stop the session notifications", exc_info=True)
            self._session_hwnd = None
        if self.windows_filter is not None:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeNativeEventFilter(self.windows_filter)
            self.windows_filter = None
        for center in self._macos_centers:
            try:
                center.removeObserver_(self.macos_observer)
            except Exception:
                log.warning("could not stop the macOS notifications", exc_info=True)
        self._macos_centers = []
        self.macos_observer = None

    def _connect_macos(self) -> None:
        try:
            import AppKit
            import Foundation
        except ImportError:
            log.info("PyObjC is not installed: only the idle lock works on this Mac")
            return
        observer = _macos_observer_class(Foundation.NSObject).alloc().init()
        observer.on_lock = self.notify_locked
        self.macos_observer = observer  # the centres do not keep their observers alive
        distributed = Foundation.NSDistributedNotificationCenter.defaultCenter()
        workspace = AppKit.NSWorkspace.sharedWorkspace().notificationCenter()
        wanted = [(distributed, MACOS_SCREEN_LOCKED)]
        # The framework's own constants where it has them (their values are these names).
        wanted += [(workspace, getattr(AppKit, name, name)) for name in _MACOS_WORKSPACE]
        for center, name in wanted:
            center.addObserver_selector_name_object_(observer, MACOS_SELECTOR, name, None)
            if not any(c is center for c in self._macos_centers):
                self._macos_centers.append(center)
            self.hooks.append(str(name))
        log.info("listening for session lock and sleep: %d source(s)", len(self.hooks))

    def _connect_windows(self) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        self.windows_filter = WindowsMessageFilter(self.notify_locked)
        app.installNativeEventFilter(self.windows_filter)
        self.hooks.append("WM_POWERBROADCAST")
        window = self.parent()
        if not isinstance(window, QWidget):
            return
        try:
            hwnd = int(window.winId())
            wtsapi32 = self._wtsapi32()
            if wtsapi32.WTSRegisterSessionNotification(hwnd, NOTIFY_FOR_THIS_SESSION):
                self._session_hwnd = hwnd
                self.hooks.append("WM_WTSSESSION_CHANGE")
            else:
                log.warning("WTSRegisterSessionNotification failed: error %d",
                            ctypes.get_last_error())
        except Exception:  # no wtsapi32 (or not Windows): the power messages still work
            log.warning("could not register for session notifications", exc_info=True)
        log.info("listening for session lock and sleep: %d source(s)", len(self.hooks))

    @staticmethod
    def _wtsapi32() -> Any:
        from ctypes import wintypes

        dll = ctypes.WinDLL("wtsapi32", use_last_error=True)  # type: ignore[attr-defined]
        dll.WTSRegisterSessionNotification.argtypes = [wintypes.HWND, wintypes.DWORD]
        dll.WTSRegisterSessionNotification.restype = wintypes.BOOL
        dll.WTSUnRegisterSessionNotification.argtypes = [wintypes.HWND]
        dll.WTSUnRegisterSessionNotification.restype = wintypes.BOOL
        return dll

    def _connect_dbus(self) -> None:
        from PySide6.QtCore import SLOT
        from PySide6.QtDBus import QDBusConnection

        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for service, path, interface in _SCREEN_SAVERS:
                if session.connect(service, path, interface, "ActiveChanged", self,
                                   SLOT("on_screen_saver(bool)")):
                    self.hooks.append(f"{service}{path}")
        system = QDBusConnection.systemBus()
        if system.isConnected():
            service, path, interface = _LOGIND
            if system.connect(service, path, interface, "PrepareForSleep", self,
                              SLOT("on_prepare_for_sleep(bool)")):
                self.hooks.append(service)
        log.info("listening for session lock and sleep: %d source(s)", len(self.hooks))
