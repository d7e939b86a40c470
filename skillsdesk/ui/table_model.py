"""A read-only table model over a list of plain rows, its columns declared once, and the view
most such lists are shown in.

Most tables show one frozen record per row (a member of staff, a backup, a pupil, an audit
event). A ``Column`` says what one column shows, as functions of the row; ``RowTableModel`` answers
Qt's questions from those, so a model declares its columns and overrides ``data`` only for what
belongs to the whole row (a greyed-out leaver, a search key).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from skillsdesk.i18n import _
from skillsdesk.ui.prompts import accessible

Index = QModelIndex | QPersistentModelIndex
# What sort proxies compare where the text shown would sort wrongly: a pupil shown by first name
# is sorted by surname.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

Row = TypeVar("Row")


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column. ``header`` is marked with ``N_()`` and translated each time it is shown, so
    columns can be declared at class level before a language is chosen."""

    header: str
    display: Callable[[Row], Any]
    sort: Callable[[Row], Any] | None = None  # the text shown, when None
    tooltip: Callable[[Row], Any] | None = None
    accessible: Callable[[Row], Any] | None = None  # screen readers read the text when None
    align: Qt.AlignmentFlag | None = None


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows shown through ``columns`` (a class attribute, or set in ``__init__`` when the columns
    depend on the instance); ``set_rows`` replaces them all at once."""

    columns: Sequence[Column[Row]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: Iterable[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            return _(self.columns[section].header)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == SORT_ROLE:
            return (column.sort or column.display)(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return None if column.align is None else int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole and column.accessible is not None:
            return column.accessible(row)
        return None


def row_table(model: QAbstractItemModel, name: str) -> QTableView:
    """A read-only view for choosing one row of ``model``: whole rows, no row numbers, columns
    as wide as their contents and the last filling the rest. ``name`` is for screen readers."""
    table = accessible(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table
