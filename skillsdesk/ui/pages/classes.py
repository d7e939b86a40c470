"""Classes: the list of classes, and the chosen class's pupils with their current steps."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.i18n import _
from skillsdesk.ui.models import SORT_ROLE, GroupListModel, PupilTableModel


class ClassesPage(QWidget):
    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Classes"))
        self._school = services.school
        self._progress = services.progress
        self._frameworks = services.frameworks
        self._tasks = tasks
        self._framework = self._frameworks.current()
        self._year = self._school.current_year()
        self._build()
        self.group_view.selectionModel().selectionChanged.connect(self._on_group_selected)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.refresh()

    def _build(self) -> None:
        self.groups = GroupListModel(self)
        self.group_view = QListView()
        self.group_view.setObjectName("classList")
        self.group_view.setModel(self.groups)
        self.group_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("Classes"))
        label.setStyleSheet("font-weight: bold")
        left_layout.addWidget(label)
        left_layout.addWidget(self.group_view)

        self.pupils = PupilTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.pupils)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("pupilTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter by name (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.filter)
        right_layout.addWidget(self.table)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

    def refresh(self) -> None:
        current = self.selected_group()
        self.groups.set_groups(self._school.classes(self._year))
        row = 0
        if current is not None:
            names = [self.groups.group(i).name for i in range(self.groups.rowCount())]
            row = names.index(current.name) if current.name in names else 0
        if self.groups.rowCount():
            self.group_view.setCurrentIndex(self.groups.index(row))
        else:
            self.heading.setText(_("No classes yet: import pupils from File ▸ Import pupils…"))

    def selected_group(self) -> Any:
        index = self.group_view.currentIndex()
        return self.groups.group(index.row()) if index.isValid() else None

    def _on_group_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        group = self.selected_group()
        if group is None:
            return
        pupils = self._school.pupils(group=group.name, year_label=self._year)
        self.pupils.set_rows(self._framework, self._progress.for_pupils(self._framework, pupils))
        self.heading.setText(_("{group} — {framework}").format(group=group.name,
                                                              framework=self._framework.name))

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()


def make_page(services: Any, tasks: Any) -> ClassesPage:
    return ClassesPage(services, tasks)
