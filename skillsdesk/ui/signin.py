"""Signing in: a login and a password, the first window an encrypted school shows.

It is shown before anything heavy is imported (skillsdesk/app.py), so this module keeps to the
widgets it draws: the password dialogs live in ``ui/passwords.py`` and the first-run wizard in
``ui/first_run.py``, imported when they are needed.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from skillsdesk.i18n import _
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible


class SignInDialog(QDialog):
    """Login and password; ``attempt(login, password)`` opens the school or raises."""

    def __init__(self, school: str, attempt: Callable[[str, str], Any], login: str = "",
                 parent: Any = None,
                 recover: Callable[[str, str, str], Any] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign in — SkillsDesk"))
        self._attempt = attempt
        self._recover = recover
        self.result_value: Any = None
        self.heading = heading = QLabel(f"<h3>{escape(school)}</h3>")
        self.login = accessible(QLineEdit(login), _("Login"))
        self.password = accessible(QLineEdit(), _("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(_("&Login"), self.login)
        form.addRow(_("&Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        self.forgot = QPushButton(_("Forgot password? Use the recovery key…"))
        self.forgot.setFlat(True)
        self.forgot.setStyleSheet("text-align: left; color: #0b57d0; text-decoration: underline")
        self.forgot.setVisible(recover is not None)
        self.forgot.clicked.connect(self.use_recovery_key)
        layout.addWidget(self.forgot)
        layout.addWidget(buttons)
        (self.password if login else self.login).setFocus()

    def use_recovery_key(self) -> None:
        """Reset an admin's password with the printed recovery key, then carry on signed in."""
        if self._recover is None:
            return
        from skillsdesk.ui.passwords import RecoveryDialog

        dialog = RecoveryDialog(self._recover, self.login.text().strip(), self)
        if prompts.run(dialog) == QDialog.DialogCode.Accepted and dialog.result_value is not None:
            self.result_value = dialog.result_value
            self.password.clear()
            self.accept()

    def try_sign_in(self) -> None:
        from skillsdesk.domain.errors import UserError

        self.message.clear()
        try:
            self.result_value = self._attempt(self.login.text().strip(), self.password.text())
        except UserError as exc:
            self.message.setText(exc.message)
            self.password.selectAll()
            self.password.setFocus()
            return
        self.password.clear()
        self.accept()
