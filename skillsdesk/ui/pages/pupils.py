"""Pupils: everyone on roll, searchable, with their flags for staff allowed to see them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from skillsdesk.domain.records import PupilInfo
from skillsdesk.domain.yeargroups import year_group_label, year_group_rank
from skillsdesk.i18n import N_, _
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.search import fold

TITLE = N_("Pupils")  # the navigation label: the window builds the page when first shown

Index = QModelIndex | QPersistentModelIndex


class PupilListModel(QAbstractTableModel):
    def __init__(self, sensitive: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PupilInfo] = []
        self._sensitive = sensitive
        self._headers = [_("Pupil"), _("Adno"), _("Year group"), _("Class"), _("Gender")]
        if sensitive:  # SEN, pupil premium and EAL only for roles that may see them (§8)
            self._headers += [_("SEN"), _("PP"), _("EAL")]

    def set_rows(self, rows: list[PupilInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def pupil_at(self, row: int) -> PupilInfo:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        pupil = self._rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:  # what the filter searches
            return fold(f"{pupil.display_name} {pupil.legal_first_name} {pupil.legal_last_name} "
                        f"{pupil.admission_number} {pupil.class_name or ''}")
        if role == Qt.ItemDataRole.UserRole + 1:  # sort key
            values: tuple[Any, ...] = (pupil.last_name.casefold(), pupil.admission_number,
                                       year_group_rank(pupil.year_group), pupil.class_name or "",
                                       pupil.gender or "", pupil.sen, pupil.pupil_premium, pupil.eal)
            return values[index.column()]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        yes = _("yes")
        values = (pupil.display_name, pupil.admission_number, year_group_label(pupil.year_group),
                  pupil.class_name or "", pupil.gender or "", pupil.sen,
                  yes if pupil.pupil_premium else "", yes if pupil.eal else "")
        return values[index.column()]


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        # Qt 6.10 replaced invalidateFilter() with a begin/end pair around the change.
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt API
        haystack = self.sourceModel().index(row, 0, parent).data(Qt.ItemDataRole.UserRole)
        return all(word in haystack for word in self._words)


class PupilsPage(QWidget):
    def __init__(self, services: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Pupils"))
        self._school = services.school
        self.open_profile: Any = None  # set by the window
        self.model = PupilListModel(services.context.can("pupil.see_sensitive"), self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole + 1)
        self.filter = accessible(QLineEdit(), _("Search pupils"))
        self.filter.setPlaceholderText(_("Name, admission number or class"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_query)
        self.table = accessible(QTableView(), _("Pupils on roll"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._on_open)
        self.count = QLabel()
        heading = QLabel(_("Pupils"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        self._loaded = False

    def refresh(self) -> None:
        pupils = self._school.pupils()
        self.model.set_rows(pupils)
        self.count.setText(_("{n} pupils on roll. Double-click a pupil for their profile.").format(
            n=len(pupils)))
        self._loaded = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API: load when first shown
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def _on_open(self, index: QModelIndex) -> None:
        if self.open_profile is not None:
            self.open_profile(self.model.pupil_at(self.proxy.mapToSource(index).row()).id)


def make_page(services: Any, tasks: Any) -> PupilsPage:
    return PupilsPage(services)
