"""Lock SkillsDesk when the computer's session locks or the machine goes to sleep (G15).

``SessionWatcher`` has one signal, ``locked``, which the main window connects to its lock (the
same lock as the idle one). Each platform's hook only has to call ``notify_locked()``:

- Linux: over D-Bus, the screen saver's ``ActiveChanged(true)`` on the session bus
  (``org.freedesktop.ScreenSaver`` and ``org.gnome.ScreenSaver``) and logind's
  ``PrepareForSleep(true)`` on the system bus. A missing bus (CI, containers) is skipped
  silently: the idle lock still works.
- Windows: the window asks for session notifications (``WTSRegisterSessionNotification``) and
  ``MainWindow.nativeEvent`` would pass ``WM_WTSSESSION_CHANGE`` with ``WTS_SESSION_LOCK`` here;
  not wired yet. Suspend there is covered by the lock the OS shows on resume plus the idle lock.
- macOS: ``com.apple.screenIsLocked`` arrives through ``NSDistributedNotificationCenter``, which
  needs PyObjC; not wired yet, for the same reason.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

_SCREEN_SAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
_LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")


class SessionWatcher(QObject):
    """Emits ``locked`` when the OS session locks or the machine is about to sleep."""

    locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hooks: list[str] = []  # which platform sources are connected (for the log/tests)

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

    def start(self) -> list[str]:
        """Connect whatever this platform offers; never fails (nothing to connect is fine)."""
        if sys.platform.startswith("linux"):
            try:
                self._connect_dbus()
            except Exception:  # a broken bus must never stop the app from opening
                log.warning("could not listen for the session locking", exc_info=True)
        return self.hooks

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
