"""Trust export (journey J6): choose the settings, preview exactly what leaves the school, save.

The preview is the export itself: "Save…" writes the very tables shown (changing a setting asks
for a new preview first). The same page builds the trust's report from schools' export zips.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.audit_tables import Table
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.suppression import (
    DEFAULT_MIN_CELL,
    HIGHEST_MIN_CELL,
    LOWEST_MIN_CELL,
    SUPPRESSED,
)
from skillsdesk.i18n import N_, _, ngettext
from skillsdesk.services.audit_export import AuditExport, ExportSettings

TITLE = N_("Trust export")  # the navigation label: the window builds the page when first shown
REQUIRES = "trust.export"  # hidden in the navigation for other roles

Index = QModelIndex | QPersistentModelIndex
WITHHELD = QColor("#d9d9d9")


class ExportTableModel(QAbstractTableModel):
    """One table of the export as it will be written; withheld cells shaded with a tooltip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: Table | None = None
        self.min_cell = DEFAULT_MIN_CELL

    def set_table(self, table: Table | None, min_cell: int) -> None:
        self.beginResetModel()
        self._table, self.min_cell = table, min_cell
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() or self._table is None else len(self._table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._table is None else len(self._table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._table is None or orientation != Qt.Orientation.Horizontal:
            return None
        column = self._table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Column in the file: {key}").format(key=column.key)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._table is None:
            return None
        value = self._table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.BackgroundRole and value == SUPPRESSED:
            return WITHHELD
        if role == Qt.ItemDataRole.ToolTipRole and value == SUPPRESSED:
            return _("Withheld (c): fewer than {n} pupils, or a figure such a count could be "
                     "worked out from.").format(n=self.min_cell)
        if role == Qt.ItemDataRole.TextAlignmentRole and \
                self._table.columns[index.column()].kind != "label":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class TrustPage(QWidget):
    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Trust export"))
        self._exports = services.audit_export
        self._tasks = tasks
        self.export: AuditExport | None = None
        self._build()

    def _build(self) -> None:
        heading = QLabel(_("Anonymised export for the trust"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        intro = QLabel(_("Only counts leave the school: no names, numbers, dates of birth, notes "
                         "or dates of observations. A count too small to share is "
                         "withheld and shown as the letter “c”."))
        intro.setWordWrap(True)
        self.min_cell = QSpinBox()
        self.min_cell.setRange(LOWEST_MIN_CELL, HIGHEST_MIN_CELL)
        self.min_cell.setValue(DEFAULT_MIN_CELL)
        self.min_cell.setAccessibleName(_("Minimum cell size"))
        self.min_cell.setMaximumWidth(90)
        self.rounding = QCheckBox(_("Round counts to the nearest 5"))
        form = QFormLayout()
        form.addRow(_("Minimum cell size:"), self.min_cell)
        form.addRow("", self.rounding)
        self.preview_button = QPushButton(_("Preview"))
        self.save_button = QPushButton(_("Save…"))
        self.save_button.setEnabled(False)
        self.report_button = QPushButton(_("Build trust report from exports…"))
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        self.status = QLabel(_("Choose the settings, then Preview to see exactly what will be "
                               "saved."))
        self.status.setWordWrap(True)
        self.table_choice = QComboBox()
        self.table_choice.setAccessibleName(_("Table to preview"))
        # Shown once a preview has tables to choose from (an empty drop-down says nothing).
        self.table_row = QWidget()
        table_row = QHBoxLayout(self.table_row)
        table_row.setContentsMargins(0, 0, 0, 0)
        table_label = QLabel(_("&Table:"))
        table_label.setBuddy(self.table_choice)
        table_row.addWidget(table_label)
        table_row.addWidget(self.table_choice)
        table_row.addStretch(1)
        self.table_row.setVisible(False)
        self.model = ExportTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(40)  # sizing by every one of ~800 rows is slow
        layout = QVBoxLayout(self)
        for widget in (heading, intro):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.table_row)
        layout.addWidget(self.view, 1)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        self.report_button.clicked.connect(self.build_report)
        self.min_cell.valueChanged.connect(self._settings_changed)
        self.rounding.toggled.connect(self._settings_changed)
        self.table_choice.currentIndexChanged.connect(self._show_table)

    def settings(self) -> ExportSettings:
        return ExportSettings(min_cell=self.min_cell.value(), rounding=self.rounding.isChecked())

    def _settings_changed(self) -> None:
        if self.export is not None:
            self.export = None
            self.save_button.setEnabled(False)
            self.status.setText(_("The settings changed: Preview again before saving."))

    def preview(self) -> None:
        settings = self.settings()
        self.preview_button.setEnabled(False)
        self.status.setText(_("Working out the figures…"))
        self._tasks.run(lambda: self._exports.build(settings), self._previewed, self._failed)

    def _previewed(self, export: AuditExport) -> None:
        self.preview_button.setEnabled(True)
        self.export = export
        self.save_button.setEnabled(True)
        self.status.setText(ngettext(
            "{n} table will leave the school; {hidden} of {cells} counts are withheld (c).",
            "{n} tables will leave the school; {hidden} of {cells} counts are withheld (c).",
            len(export.tables)).format(n=len(export.tables), hidden=export.suppressed_cells,
                                       cells=export.cells))
        self.table_choice.blockSignals(True)
        self.table_choice.clear()
        for table in export.tables:
            self.table_choice.addItem(_(table.title), table.name)
        self.table_choice.blockSignals(False)
        self.table_row.setVisible(bool(export.tables))
        self.table_choice.setCurrentIndex(0)
        self._show_table()

    def _show_table(self) -> None:
        if self.export is None or self.table_choice.currentIndex() < 0:
            self.model.set_table(None, self.min_cell.value())
            return
        self.model.set_table(self.export.tables[self.table_choice.currentIndex()],
                             self.export.meta.min_cell)

    def save(self) -> None:
        export = self.export
        if export is None:
            return
        suggested = f"skills-audit-{export.meta.academic_year.replace('/', '-')}.zip"
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the trust export"),
                                                    str(Path.home() / suggested), "Zip (*.zip)")
        if not name:
            return
        self._tasks.run(lambda: self._exports.save(export, Path(name)),
                        lambda saved: self.status.setText(_("Saved {file}.").format(
                            file=saved.path)), self._failed)

    def build_report(self) -> None:
        from skillsdesk.services.trust_report import build_trust_report

        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose the schools' export zips"), str(Path.home()), "Zip (*.zip)")
        if not names:
            return
        out, _filter = QFileDialog.getSaveFileName(
            self, _("Save the trust report"), str(Path.home() / "trust-report.pdf"),
            "PDF (*.pdf)")
        if not out:
            return
        pdf = Path(out)
        paths = [Path(n) for n in names]
        self._tasks.run(lambda: build_trust_report(paths, pdf, pdf.with_suffix(".csv")),
                        lambda report: self.status.setText(_(
                            "Wrote {pdf} and {csv} for {n} schools.").format(
                            pdf=report.pdf, csv=report.csv, n=len(report.schools))),
                        self._failed)

    def _failed(self, exc: Exception) -> None:
        self.preview_button.setEnabled(True)
        box = QMessageBox(QMessageBox.Icon.Warning, _("Trust export"), "", parent=self)
        if isinstance(exc, UserError):
            box.setText(exc.message)
        else:
            box.setText(_("Something went wrong and nothing was saved. The details are in the "
                          "log."))
        self.status.setText(box.text())
        box.exec()


def make_page(services: Any, tasks: Any) -> TrustPage:
    return TrustPage(services, tasks)
