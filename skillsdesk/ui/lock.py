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
    QHBoxLayout,
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
        self.message.setWordWrap(True)  # a long one (the wait after failed tries) never clips
        self.message.setStyleSheet("color: #b00020")
        self.button = accessible(QPushButton(_("Unlock")), _("Unlock"))
        self.button.clicked.connect(self.try_unlock)
        self.password.returnPressed.connect(self.try_unlock)
        self.login.returnPressed.connect(self._login_typed)  # Enter after the login: password
        self.login.textEdited.connect(lambda _text: self.message.clear())  # not for them
        title = QLabel(_("<h2>{school}</h2><p>SkillsDesk is locked.</p>").format(school=school))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        self.hint = QLabel(_("Type your password to carry on. Someone else can unlock with "
                             "their own login and password, and sees what their role allows. "
                             "A PIN does not unlock: it switches staff while SkillsDesk is "
                             "open."))
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: #444")
        form = QFormLayout()
        form.addRow(_("&Login"), self.login)
        form.addRow(_("&Password"), self.password)
        box = QWidget()
        box.setFixedWidth(420)  # the same width whatever the message: nothing jumps
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(self.hint)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(self.button)
        # Centred by stretches, not by alignment: the wrapped lines then get the height they
        # need (an aligned widget is given its unwrapped size hint, and the lines overlap).
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def prepare(self, login: str) -> None:
        self.login.setText(login)
        self.password.clear()
        self.message.clear()
        self.password.setFocus()

    def _login_typed(self) -> None:
        self.password.setFocus()
        self.password.selectAll()

    def try_unlock(self) -> None:
        if not self.login.text().strip():
            self.message.setText(_("Type your login."))
            self.login.setFocus()
            return
        if not self.password.text():  # not a failed attempt: nothing was tried
            self.message.setText(_("Type your password."))
            self.password.setFocus()
            return
        try:
            actor = self._accounts.unlock_as(self.login.text(), self.password.text())
        except UserError as exc:
            self.message.setText(exc.message)
            self.password.setFocus()
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
        self.setMinimumWidth(400)
        self.login = accessible(QLineEdit(), _("Login"))
        self.pin = accessible(QLineEdit(), _("PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel(_("Take over this laptop with your own login and PIN; what you record "
                         "then goes in your name. Set your PIN once with File › Set my PIN… "
                         "while you are signed in."))
        intro.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(_("&Login"), self.login)
        form.addRow(_("&PIN"), self.pin)
        form.addRow("", self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Switch"))
        buttons.accepted.connect(self.try_switch)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        # Enter after the login moves to the PIN: Switch waits for both, so an empty PIN is
        # never tried (it would count as a failed attempt).
        self.login.returnPressed.connect(self.pin.setFocus)
        for field in (self.login, self.pin):
            field.textChanged.connect(self._update_ok)
        self._update_ok()
        self.login.setFocus()

    def _update_ok(self) -> None:
        self.ok.setEnabled(bool(self.login.text().strip() and self.pin.text()))

    def try_switch(self) -> None:
        if not self.ok.isEnabled():
            return
        try:
            self.actor = self._accounts.switch_to(self.login.text().strip().lower(),
                                                  self.pin.text())
        except UserError as exc:
            self.message.setText(exc.message)
            self.pin.setFocus()
            self.pin.selectAll()
            return
        self.accept()


class SetPinDialog(QDialog):
    """Set my PIN: typed twice, said what it is for; OK only once it is one SkillsDesk takes
    (a mistake is said as it is typed, rather than after the dialog has closed)."""

    def __init__(self, parent: Any = None) -> None:
        from skillsdesk.domain.passwords import PIN_LENGTHS

        super().__init__(parent)
        self.setWindowTitle(_("Set my PIN"))
        self.setMinimumWidth(420)
        low, high = PIN_LENGTHS
        intro = QLabel(_("A PIN of {low} to {high} digits lets you take over this laptop "
                         "quickly with File › Switch user while SkillsDesk is open. It does "
                         "not unlock a locked SkillsDesk: that needs your password.").format(
            low=low, high=high))
        intro.setWordWrap(True)
        self.pin = accessible(QLineEdit(), _("New PIN"))
        self.again = accessible(QLineEdit(), _("New PIN again"))
        for field in (self.pin, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(high)
            field.textChanged.connect(self._update)
        self.pin.returnPressed.connect(self.again.setFocus)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(_("&New PIN"), self.pin)
        form.addRow(_("PIN &again"), self.again)
        form.addRow("", self.message)
        form.addRow(buttons)
        self._update()
        self.pin.setFocus()

    def problems(self) -> list[str]:
        from skillsdesk.domain.passwords import pin_problems

        pin, again = self.pin.text(), self.again.text()
        found = list(pin_problems(pin)) if pin else []
        if (again and not pin.startswith(again)) or len(again) > len(pin):  # not mid-typing
            found.append(_("The two PINs are not the same."))
        return found

    def _update(self) -> None:
        found = self.problems()
        self.message.setText(" ".join(found))
        self.ok.setEnabled(bool(self.pin.text()) and self.again.text() == self.pin.text()
                           and not found)

    def accept(self) -> None:
        if self.ok.isEnabled():
            super().accept()

    def value(self) -> str:
        return self.pin.text()
