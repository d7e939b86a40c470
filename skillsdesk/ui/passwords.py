"""New passwords: the strength meter, changing and resetting a password, the recovery key.

The password work (Argon2id, about a fifth of a second) runs in the services; these dialogs only
collect what a person types and show what went wrong as a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
)

from skillsdesk.domain.passwords import MIN_LENGTH, assess, policy_problems
from skillsdesk.i18n import _
from skillsdesk.ui.prompts import accessible


class NewPasswordFields(QObject):
    """A new password typed twice, with the strength meter of the first-run wizard; ``add_rows``
    puts them in the dialog's own form, so every label lines up."""

    changed = Signal()

    def __init__(self, context: Callable[[], tuple[str, ...]], parent: Any = None) -> None:
        super().__init__(parent)
        self._context = context
        self.password = accessible(QLineEdit(), _("New password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = accessible(QLineEdit(), _("New password again"))
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = accessible(QProgressBar(), _("Password strength"))
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.PlainText)
        self.advice.setAlignment(Qt.AlignmentFlag.AlignTop)
        # Room for three lines of advice, so the dialog never has to grow (or clip) as one types.
        self.advice.setMinimumHeight(self.advice.fontMetrics().lineSpacing() * 3 + 4)
        self.password.textChanged.connect(self.update_advice)
        self.again.textChanged.connect(self.update_advice)
        self.update_advice()

    def add_rows(self, form: QFormLayout, first: str = "", again: str = "") -> None:
        form.addRow(first or _("&New password"), self.password)
        form.addRow(again or _("New password &again"), self.again)
        form.addRow(_("Strength"), self.meter)
        form.addRow("", self.advice)

    def update_advice(self) -> None:
        if not self.password.text():
            # Nothing typed yet: no verdict ("Very weak" would read as a complaint), just a hint.
            self.meter.setValue(0)
            self.meter.setFormat("")
            self.advice.setText(_("At least {n} characters. A few unrelated words make a strong "
                                  "password that is easy to remember.").format(n=MIN_LENGTH))
            self.changed.emit()
            return
        strength = assess(self.password.text(), self._context())
        self.meter.setValue(strength.score)
        self.meter.setFormat(strength.label)
        problems = list(policy_problems(self.password.text(), self._context()))
        if self.again.text() and self.again.text() != self.password.text():
            problems.append(_("The two passwords are not the same."))
        self.advice.setText(" ".join(problems))
        self.changed.emit()

    def acceptable(self) -> bool:
        return bool(self.password.text() and self.password.text() == self.again.text()
                    and not policy_problems(self.password.text(), self._context()))

    def clear(self) -> None:
        self.password.clear()
        self.again.clear()


class _PasswordDialog(QDialog):
    """Shared frame: fields on top, a message in red, OK enabled once the new password is fine."""

    def __init__(self, title: str, context: Callable[[], tuple[str, ...]], parent: Any) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.result_value: Any = None
        self.form = QFormLayout()
        self.fields = NewPasswordFields(context, self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.fields.changed.connect(self._update_ok)

    def _finish(self) -> None:
        """After a subclass has added its own rows: the new password, the message, the buttons."""
        self.fields.add_rows(self.form)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.fields.acceptable())

    def submit(self) -> None:
        from skillsdesk.domain.errors import UserError

        if not self.fields.acceptable():
            return
        self.message.clear()
        try:
            self.result_value = self.apply(self.fields.password.text())
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.fields.clear()
        self.accept()

    def apply(self, new_password: str) -> Any:
        """Each dialog's own change (change, reset, recover); every subclass defines it."""
        raise NotImplementedError


class ChangePasswordDialog(_PasswordDialog):
    """Change my password: the current one, then the new one twice. Only my key slot changes."""

    def __init__(self, accounts: Any, login: str, name: str = "", parent: Any = None) -> None:
        super().__init__(_("Change my password"), lambda: (login, name), parent)
        self._accounts = accounts
        self.current = accessible(QLineEdit(), _("Current password"))
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel(_("Signed in as {login}. Your new password opens SkillsDesk from now on; "
                         "nobody else's changes.").format(login=login))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.form.addRow(_("&Current password"), self.current)
        self._finish()
        self.current.setFocus()

    def apply(self, new_password: str) -> Any:
        self._accounts.change_own_password(self.current.text(), new_password)
        self.current.clear()
        return True


class ResetPasswordDialog(_PasswordDialog):
    """An admin sets a new password for someone who forgot theirs."""

    def __init__(self, accounts: Any, login: str, name: str = "", parent: Any = None) -> None:
        super().__init__(_("Reset password"), lambda: (login, name), parent)
        self._accounts = accounts
        self._login = login
        intro = QLabel(_("A new password for {name} ({login}). Tell them in person; they can "
                         "change it themselves afterwards.").format(name=name, login=login))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self._finish()

    def apply(self, new_password: str) -> Any:
        self._accounts.reset_password(self._login, new_password)
        return True


class RecoveryDialog(_PasswordDialog):
    """Every admin password forgotten: the recovery key, the admin's login and a new password.
    ``recover(key, login, password)`` resets and returns the school signed in as that admin."""

    def __init__(self, recover: Callable[[str, str, str], Any], login: str = "",
                 parent: Any = None) -> None:
        super().__init__(_("Reset an admin password"), self._typed_login, parent)
        self._recover = recover
        intro = QLabel(_("Type the recovery key printed or written down when the school was set "
                         "up, the admin login to reset, and a new password for it."))
        intro.setWordWrap(True)
        self.key = accessible(QLineEdit(), _("Recovery key"))
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.key.setStyleSheet("font-family: monospace")
        self.login = accessible(QLineEdit(login), _("Admin login"))
        self.form.addRow(intro)
        self.form.addRow(_("&Recovery key"), self.key)
        self.form.addRow(_("Admin &login"), self.login)
        self.login.textChanged.connect(self.fields.update_advice)
        self.key.textChanged.connect(self._update_ok)
        self._finish()
        self.key.setFocus()

    def _typed_login(self) -> tuple[str, ...]:
        login = getattr(self, "login", None)
        return (login.text(),) if login is not None else ()

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.fields.acceptable() and bool(self.key.text().strip())
                           and bool(self.login.text().strip()))

    def apply(self, new_password: str) -> Any:
        result = self._recover(self.key.text(), self.login.text().strip(), new_password)
        self.key.clear()
        return result
