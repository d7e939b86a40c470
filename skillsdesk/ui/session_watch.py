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
- macOS: not wired. It needs PyObjC (not a dependency): observe ``NSWorkspace``'s
  ``NSWorkspaceWillSleepNotification`` and ``NSWorkspaceScreensDidSleepNotification`` on
  ``NSWorkspace.sharedWorkspace().notificationCenter()``, and ``com.apple.screenIsLocked`` on
  ``NSDistributedNotificationCenter.defaultCenter()``, each calling ``notify_locked()``. Until
  then the idle lock covers a Mac.
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


def windows_message_locks(message_id: int, wparam: int) -> bool:
    """Whether this window message means the session locked or the machine is going to sleep."""
    return ((message_id == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK)
            or (message_id == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND))


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
        return self.hooks

    def stop(self) -> None:
        """Undo ``start`` where it needs undoing (Windows); called when the window closes."""
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
