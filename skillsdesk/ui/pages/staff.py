"""Staff: who works here and in which role; admins add, change and remove staff accounts and
browse the audit trail. Everyone else sees the list read-only (the services refuse the rest)."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import ROLES, role_label
from skillsdesk.domain.records import StaffInfo
from skillsdesk.i18n import N_, _
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.table_model import Column, Index, RowTableModel, row_table

TITLE = N_("Staff")  # the navigation label: the window builds the page when first shown


class StaffModel(RowTableModel[StaffInfo]):
    columns = (
        Column(N_("Name"), attrgetter("name")),
        Column(N_("Login"), attrgetter("login")),
        Column(N_("Role"), lambda person: role_label(person.role)),
        Column(N_("Job title"), attrgetter("job_title")),
        Column(N_("Status"), lambda person: _("Active") if person.active else _("Removed")),
    )

    def set_rows(self, rows: Iterable[StaffInfo]) -> None:
        # Current staff first; leavers stay listed (their records keep their name), greyed.
        super().set_rows(sorted(rows, key=lambda p: not p.active))

    def row_of(self, login: str) -> int:
        return next(i for i, p in enumerate(self._rows) if p.login == login)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() \
                and not self.row_at(index.row()).active:
            return QBrush(QColor("#6b6b6b"))
        return super().data(index, role)


def _role_combo(current: str = "teacher") -> QComboBox:
    combo = accessible(QComboBox(), _("Role"))
    for role in ROLES:  # labelled in the language chosen now (role_label translates each time)
        combo.addItem(role_label(role), role)
    combo.setCurrentIndex(ROLES.index(current) if current in ROLES else 1)
    return combo


class AddStaffDialog(QDialog):
    """Name, login, role, job title and (on an encrypted school) their first password."""

    def __init__(self, accounts: Any, parent: Any = None) -> None:
        from skillsdesk.ui.passwords import NewPasswordFields

        super().__init__(parent)
        self.setWindowTitle(_("Add staff"))
        self.setMinimumWidth(460)
        self._accounts = accounts
        self.added: StaffInfo | None = None
        self.name = accessible(QLineEdit(), _("Full name"))
        self.login = accessible(QLineEdit(), _("Login"))
        self.role = _role_combo()
        self.job_title = accessible(QLineEdit(), _("Job title"))
        self.fields = NewPasswordFields(lambda: (self.login.text(), self.name.text()), self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(_("Full &name"), self.name)
        form.addRow(_("&Login"), self.login)
        form.addRow(_("&Role"), self.role)
        form.addRow(_("&Job title"), self.job_title)
        if accounts.encrypted:
            note = QLabel(_("Their first password: tell them in person; they change it with "
                            "File › Change my password."))
            note.setWordWrap(True)
            form.addRow(note)
            self.fields.add_rows(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Add"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        # As in Change my password: Add only once the first password is one SkillsDesk accepts.
        self.fields.changed.connect(self._update_ok)
        self.name.textChanged.connect(self.fields.update_advice)  # the advice weighs both
        self.login.textChanged.connect(self.fields.update_advice)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok.setEnabled(not self._accounts.encrypted or self.fields.acceptable())

    def submit(self) -> None:
        password = None
        if self._accounts.encrypted:
            if not self.fields.acceptable():
                self.message.setText(self.fields.advice.text() or
                                     _("Type the same good password twice."))
                return
            password = self.fields.password.text()
        try:
            self.added = self._accounts.add_staff(self.login.text(), self.name.text(),
                                                  self.role.currentData(), password,
                                                  self.job_title.text().strip())
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.fields.clear()
        self.accept()


class RoleDialog(QDialog):
    def __init__(self, person: StaffInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change role"))
        self.role = _role_combo(person.role)
        form = QFormLayout(self)
        form.addRow(QLabel(_("The role of {name} ({login}):").format(
            name=person.name, login=person.login)))
        form.addRow(_("&Role"), self.role)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class StaffList(QWidget):
    """The list, with the admin's buttons (hidden for everyone else)."""

    def __init__(self, services: Any) -> None:
        super().__init__()
        self._school = services.school
        self._accounts = services.accounts
        self._context = services.context
        self.model = StaffModel(self)
        self.table = row_table(self.model, _("Staff"))
        self.add_button = accessible(QPushButton(_("&Add staff…")), _("Add staff"))
        self.role_button = accessible(QPushButton(_("Change &role…")), _("Change role"))
        self.reset_button = accessible(QPushButton(_("Reset &password…")), _("Reset password"))
        self.remove_button = accessible(QPushButton(_("Re&move…")), _("Remove staff"))
        self.add_button.clicked.connect(self.add_staff)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_password)
        self.remove_button.clicked.connect(self.remove_staff)
        self.reset_button.setVisible(self._accounts.encrypted)
        self.read_only_note = QLabel(_("Only an admin can add, change or remove staff."))
        self.read_only_note.setStyleSheet("color: #555")
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.reset_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addWidget(self.read_only_note)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

    @property
    def manager(self) -> bool:
        return bool(self._context.can("staff.manage"))

    def refresh(self) -> None:
        self.model.set_rows(self._school.staff())
        manager = self.manager
        for button in (self.add_button, self.role_button, self.remove_button):
            button.setVisible(manager)
        self.reset_button.setVisible(manager and self._accounts.encrypted)
        self.read_only_note.setVisible(not manager)
        self._update_buttons()

    def selected(self) -> StaffInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, login: str) -> None:
        self.table.selectRow(self.model.row_of(login))

    def _update_buttons(self) -> None:
        person = self.selected()
        for button in (self.role_button, self.reset_button, self.remove_button):
            button.setEnabled(person is not None and person.active)

    def _done(self, text: str, login: str | None = None) -> None:
        self.refresh()
        if login is not None:
            self.select(login)
        self.status.setText(text)

    def add_staff(self) -> None:
        dialog = AddStaffDialog(self._accounts, self)
        if prompts.run(dialog) == QDialog.DialogCode.Accepted and dialog.added is not None:
            person = dialog.added
            self._done(_("Added {name} ({login}) as {role}.").format(
                name=person.name, login=person.login, role=role_label(person.role)), person.login)

    def change_role(self) -> None:
        person = self.selected()
        if person is None:
            return
        dialog = RoleDialog(person, self)
        if prompts.run(dialog) != QDialog.DialogCode.Accepted:
            return
        try:
            changed = self._accounts.set_role(person.login, dialog.role.currentData())
        except UserError as exc:
            prompts.error(self, exc)
            return
        self._done(_("{name} is now {role}.").format(name=changed.name,
                                                     role=role_label(changed.role)), changed.login)

    def reset_password(self) -> None:
        from skillsdesk.ui.passwords import ResetPasswordDialog

        person = self.selected()
        if person is None:
            return
        dialog = ResetPasswordDialog(self._accounts, person.login, person.name, self)
        if prompts.run(dialog) == QDialog.DialogCode.Accepted:
            self._done(_("Set a new password for {login}.").format(login=person.login),
                       person.login)

    def remove_staff(self) -> None:
        person = self.selected()
        if person is None:
            return
        if not prompts.confirm(self, _("Remove staff"), _(
                "Remove {name} ({login})? Their password stops opening SkillsDesk at once. "
                "Their observations keep their name, and the audit trail keeps what they "
                "did.").format(name=person.name, login=person.login)):
            return
        try:
            self._accounts.remove_staff(person.login)
        except UserError as exc:
            prompts.error(self, exc)
            return
        self._done(_("Removed {login}.").format(login=person.login), person.login)


class StaffPage(QWidget):
    def __init__(self, services: Any, tasks: Any = None) -> None:
        super().__init__()
        self.setWindowTitle(_("Staff"))
        self._services = services
        self._tasks = tasks
        self.people = StaffList(services)
        self.model = self.people.model
        self.table = self.people.table
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people, _("People"))
        self.audit_holder = QWidget()
        QVBoxLayout(self.audit_holder).setContentsMargins(0, 0, 0, 0)
        self.audit: Any = None  # the browser, built when its tab is first opened
        self.audit_tab = self.tabs.addTab(self.audit_holder, _("Audit trail"))
        self.tabs.currentChanged.connect(self._on_tab)
        heading = QLabel(_("Staff"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs)
        self.refresh()

    def refresh(self) -> None:
        self.people.refresh()
        may_audit = self._services.context.can("audit.browse")
        self.tabs.setTabVisible(self.audit_tab, may_audit)
        if not may_audit:
            self.tabs.setCurrentWidget(self.people)
        elif self.audit is not None and self.tabs.currentWidget() is self.audit_holder:
            self.audit.reload()

    def _on_tab(self, index: int) -> None:
        if index == self.audit_tab:
            self.show_audit()

    def show_audit(self) -> Any:
        """The audit browser (admins only), built on first use."""
        if not self._services.context.can("audit.browse"):
            return None
        if self.audit is None:
            from skillsdesk.ui.audit_browser import AuditBrowser

            self.audit = AuditBrowser(self._services.accounts, self._services.school.staff(),
                                      self._tasks)
            self.audit_holder.layout().addWidget(self.audit)
            self.audit.show()
        self.tabs.setCurrentWidget(self.audit_holder)
        return self.audit


def make_page(services: Any, tasks: Any) -> StaffPage:
    return StaffPage(services, tasks)
