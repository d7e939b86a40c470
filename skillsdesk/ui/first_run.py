"""The first run of a new school: its name, the first admin, and the recovery key to keep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from skillsdesk.i18n import _
from skillsdesk.ui.passwords import NewPasswordFields
from skillsdesk.ui.prompts import accessible


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
