"""Signing in, and the first run of a new school (its name, the first admin, the recovery key).

The password work (Argon2id, about a fifth of a second) runs off the GUI thread; the dialogs
only collect what a person types and show what went wrong as a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from skillsdesk.domain.passwords import assess, policy_problems
from skillsdesk.i18n import _
from skillsdesk.ui.prompts import accessible


class SignInDialog(QDialog):
    """Login and password; ``attempt(login, password)`` opens the school or raises."""

    def __init__(self, school: str, attempt: Callable[[str, str], Any], login: str = "",
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign in — SkillsDesk"))
        self._attempt = attempt
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
        layout.addWidget(buttons)
        (self.password if login else self.login).setFocus()

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
        self.password = accessible(QLineEdit(), _("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = accessible(QLineEdit(), _("Password again"))
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = accessible(QProgressBar(), _("Password strength"))
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_("Full &name"), self.name)
        form.addRow(_("&Login"), self.login)
        form.addRow(_("&Password"), self.password)
        form.addRow(_("Password &again"), self.again)
        form.addRow(_("Strength"), self.meter)
        form.addRow("", self.advice)
        for field in (self.name, self.login, self.password, self.again):
            field.textChanged.connect(self._update)
        self._update()

    def _context(self) -> tuple[str, ...]:
        return (self.login.text(), self.name.text(), str(self.field("school") or ""))

    def _update(self) -> None:
        strength = assess(self.password.text(), self._context())
        self.meter.setValue(strength.score)
        self.meter.setFormat(strength.label)
        problems = list(policy_problems(self.password.text(), self._context()))
        if self.again.text() and self.again.text() != self.password.text():
            problems.append(_("The two passwords are not the same."))
        self.advice.setText(" ".join(problems))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.name.text().strip() and self.login.text().strip()
                    and self.password.text() == self.again.text()
                    and not policy_problems(self.password.text(), self._context()))


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
