"""Signing in, and the first run of a new school (its name, the first admin, the recovery key).

The password work (Argon2id, about a fifth of a second) runs off the GUI thread; the dialogs
only collect what a person types and show what went wrong as a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from skillsdesk.domain.passwords import assess, policy_problems
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
        heading = QLabel(f"<h3>{school}</h3>")
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
        strength = assess(self.password.text(), self._context())
        self.meter.setValue(strength.score)
        self.meter.setFormat(strength.label)
        problems = list(policy_problems(self.password.text(), self._context())
                        if self.password.text() else ())
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


class _SchoolPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Welcome to SkillsDesk"))
        self.setSubTitle(_("Everything stays on this computer, encrypted. First, your school."))
        self.school = accessible(QLineEdit(), _("School name"))
        form = QFormLayout(self)
        form.addRow(_("School &name"), self.school)
        self.registerField("school*", self.school)


class _AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("The first admin"))
        self.setSubTitle(_("Usually the head teacher. Admins add the other staff later."))
        self.name = accessible(QLineEdit(), _("Full name"))
        self.login = accessible(QLineEdit(), _("Login"))
        self.fields = NewPasswordFields(self._context, self)
        self.password, self.again = self.fields.password, self.fields.again
        self.meter, self.advice = self.fields.meter, self.fields.advice
        form = QFormLayout(self)
        form.addRow(_("Full &name"), self.name)
        form.addRow(_("&Login"), self.login)
        self.fields.add_rows(form, _("&Password"), _("Password &again"))
        for field in (self.name, self.login):  # the advice weighs the password against them
            field.textChanged.connect(self.fields.update_advice)
        self.fields.changed.connect(self.completeChanged)

    def _context(self) -> tuple[str, ...]:
        return (self.login.text(), self.name.text(), str(self.field("school") or ""))

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.name.text().strip() and self.login.text().strip()
                    and self.fields.acceptable())


class _RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Your recovery key"))
        self.setSubTitle(_("Print it or write it down now, and keep it locked away. It opens the "
                           "school's data if every admin password is forgotten; SkillsDesk "
                           "shows it only this once."))
        self.key = QLabel()
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setStyleSheet("font-family: monospace; font-size: 20px; padding: 12px;")
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done = accessible(QCheckBox(_("I have written down or printed the recovery key")),
                               _("Recovery key kept"))
        self.done.toggled.connect(lambda _on: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addWidget(self.done)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.done.isChecked()


class FirstRunWizard(QWizard):
    """School, first admin, recovery key. ``create(school, login, name, password)`` makes the
    school and returns (opened services, recovery key)."""

    def __init__(self, create: Callable[[str, str, str, str], tuple[Any, str]],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Set up SkillsDesk"))
        self._create = create
        self.services: Any = None
        self.school_page = _SchoolPage()
        self.admin_page = _AdminPage()
        self.recovery_page = _RecoveryPage()
        for page in (self.school_page, self.admin_page, self.recovery_page):
            self.addPage(page)
        self.message = QLabel()

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt API
        from skillsdesk.domain.errors import UserError

        if self.currentPage() is self.admin_page and self.services is None:
            admin = self.admin_page
            try:
                self.services, key = self._create(
                    str(self.field("school")).strip(), admin.login.text().strip(),
                    admin.name.text().strip(), admin.password.text())
            except UserError as exc:
                admin.advice.setText(exc.message)
                return False
            admin.password.clear()
            admin.again.clear()
            self.recovery_page.key.setText(key)
            # The school exists now: going back would only confuse.
            self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        return super().validateCurrentPage()
