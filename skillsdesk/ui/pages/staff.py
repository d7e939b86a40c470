"""Staff: who works here and in which role."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from skillsdesk.domain.records import StaffInfo
from skillsdesk.i18n import _, N_, pgettext

TITLE = N_("Staff")  # the navigation label: the window builds the page when first shown

ROLE_NAMES = {
    "admin": pgettext("role", "Admin"),
    "teacher": pgettext("role", "Teacher"),
    "support": pgettext("role", "Support staff"),
    "lunchtime": pgettext("role", "Lunchtime supervisor"),
}


class StaffModel(QAbstractTableModel):
    HEADERS = ("name", "login", "role", "job")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StaffInfo] = []

    def set_rows(self, rows: list[StaffInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Name"), _("Login"), _("Role"), _("Job title"))[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        person = self._rows[index.row()]
        return (person.name, person.login, ROLE_NAMES.get(person.role, person.role),
                person.job_title)[index.column()]


class StaffPage(QWidget):
    def __init__(self, services: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Staff"))
        self._school = services.school
        self.model = StaffModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        heading = QLabel(_("Staff"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self._school.staff())


def make_page(services: Any, tasks: Any) -> StaffPage:
    return StaffPage(services)
