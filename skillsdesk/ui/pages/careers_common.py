"""Small pieces the careers tabs share: error sentences, plain tables, checkable lists, colours."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _

RAG_COLOURS = {"red": QColor("#f4c7c3"), "amber": QColor("#fce8b2"), "green": QColor("#b7e1cd")}
OVERDUE_BG = QColor("#fdecea")
OVERDUE_FG = QColor("#b3261e")
NONE_BG = QColor("#f6d5d1")
DATA_ROLE = Qt.ItemDataRole.UserRole


def show_error(parent: QWidget, exc: BaseException) -> None:
    """A refusal shows its own sentence; anything else a short apology (details in the log)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("SkillsDesk"), "", parent=parent)
    if isinstance(exc, UserError):
        box.setText(exc.message)
        if exc.problems:
            box.setDetailedText("\n".join(str(p) for p in exc.problems))
    else:
        box.setText(_("Something went wrong and nothing was changed. The details are in the "
                      "log."))
    box.exec()


def index_of(combo: QComboBox, value: Any) -> int:
    """The row holding ``value`` (findData cannot compare Python objects such as UUIDs), or 0."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), 0)


def make_table(headers: Sequence[str], name: str = "") -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Iterable[Sequence[Any]],
               data: Sequence[Any] | None = None) -> None:
    """Replace a table's rows with plain values; ``data`` is kept on each row's first cell."""
    rows = list(rows)
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem("" if value is None else str(value))
            if c == 0 and data is not None:
                item.setData(DATA_ROLE, data[r])
            table.setItem(r, c, item)


def paint_row(table: QTableWidget, row: int, background: QColor | None = None,
              foreground: QColor | None = None, bold: bool = False, tip: str = "") -> None:
    for column in range(table.columnCount()):
        item = table.item(row, column)
        if item is None:
            continue
        if background is not None:
            item.setBackground(background)
        if foreground is not None:
            item.setForeground(foreground)
        if bold:
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
        if tip:
            item.setToolTip(tip)


def selected_data(table: QTableWidget) -> Any:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return None if item is None else item.data(DATA_ROLE)


def needs_a_row(table: QTableWidget, buttons: Iterable[QWidget], hint: str) -> Callable[[], None]:
    """Buttons that act on the chosen row (Edit, Delete): enabled only while a row is chosen,
    and saying why when not, rather than doing nothing when pressed. Returns the update, for
    after the table is filled again."""
    buttons = list(buttons)

    def update() -> None:
        chosen = bool(table.selectionModel().selectedRows())
        for button in buttons:
            button.setEnabled(chosen)
            button.setToolTip("" if chosen else hint)

    table.itemSelectionChanged.connect(update)
    update()
    return update


def checkable_list(name: str, items: Iterable[tuple[str, Any, str]],
                   checked: Iterable[Any] = ()) -> QListWidget:
    """A list of (label, value, tooltip) with a tick box each."""
    chosen = set(checked)
    widget = QListWidget()
    widget.setObjectName(name)
    for label, value, tip in items:
        item = QListWidgetItem(label)
        item.setData(DATA_ROLE, value)
        item.setToolTip(tip)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def checked_values(widget: QListWidget) -> list[Any]:
    return [widget.item(i).data(DATA_ROLE) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def set_checked(widget: QListWidget, values: Iterable[Any], state: bool) -> None:
    wanted = set(values)
    mark = Qt.CheckState.Checked if state else Qt.CheckState.Unchecked
    for i in range(widget.count()):
        item = widget.item(i)
        if item.data(DATA_ROLE) in wanted:
            item.setCheckState(mark)
