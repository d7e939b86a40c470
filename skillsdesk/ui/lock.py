"""The lock: after a few idle minutes (or Ctrl+Shift+L) the window shows this page and nothing
else, no pupil data at all, until someone types their password. Switching staff with a PIN
happens while the desk is unlocked, from the File menu.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.ui.prompts import accessible

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without a key, click, move or touch anywhere in the app.

    Input (seen through the application-wide event filter) notes the time on ``clock``; a timer
    polls ``check()`` every few seconds (more often for very short limits), and ``check()``
    emits ``idle`` once the limit has passed, once per idle spell. ``clock`` returns monotonic
    seconds (``time.monotonic`` unless a test passes a fake one and calls ``check()`` itself).
    """

    idle = Signal()

    POLL_MS = 5_000  # the lock comes at most this late after the limit

    def __init__(self, minutes: float, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.limit = minutes * 60
        self._clock = clock
        self._last_input = clock()
        self._fired = False
        self.timer = QTimer(self)
        self.timer.setInterval(max(10, min(self.POLL_MS, int(self.limit * 1000 / 4))))
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    @Slot()
    def check(self) -> None:
        """Emit ``idle`` if nobody has touched the app for the limit (once until input)."""
        if not self._fired and self.idle_seconds() >= self.limit:
            self._fired = True
            self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _INPUT:
            self._last_input = self._clock()
            self._fired = False
        return False


class LockPage(QWidget):
    unlocked = Signal(object)  # the Actor now at the desk

    def __init__(self, accounts: Any, school: str) -> None:
        super().__init__()
        self._accounts = accounts
        self.login = accessible(QLineEdit(), _("Login"))
        self.password = accessible(QLineEdit(), _("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.button = accessible(QPushButton(_("Unlock")), _("Unlock"))
        self.button.clicked.connect(self.try_unlock)
        self.password.returnPressed.connect(self.try_unlock)
        title = QLabel(_("<h2>{school}</h2><p>SkillsDesk is locked.</p>").format(school=school))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        form = QFormLayout()
        form.addRow(_("&Login"), self.login)
        form.addRow(_("&Password"), self.password)
        box = QWidget()
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def prepare(self, login: str) -> None:
        self.login.setText(login)
        self.password.clear()
        self.message.clear()
        self.password.setFocus()

    def try_unlock(self) -> None:
        try:
            actor = self._accounts.unlock_as(self.login.text(), self.password.text())
        except UserError as exc:
            self.message.setText(exc.message)
            self.password.selectAll()
            return
        self.password.clear()
        self.unlocked.emit(actor)


class SwitchDialog(QDialog):
    """Another member of staff takes over the unlocked desk with their PIN."""

    def __init__(self, accounts: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Switch user"))
        self._accounts = accounts
        self.actor: Any = None
        self.login = accessible(QLineEdit(), _("Login"))
        self.pin = accessible(QLineEdit(), _("PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout(self)
        form.addRow(_("&Login"), self.login)
        form.addRow(_("&PIN"), self.pin)
        form.addRow("", self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_switch)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def try_switch(self) -> None:
        try:
            self.actor = self._accounts.switch_to(self.login.text().strip().lower(),
                                                  self.pin.text())
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
