"""The main window: classes on the left, the chosen class's pupils and current steps on the right."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from skillsdesk import __version__
from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.services.container import Services
from skillsdesk.ui.models import SORT_ROLE, GroupListModel, PupilTableModel
from skillsdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
SPREADSHEETS = "Spreadsheets (*.csv *.txt *.tsv *.xlsx);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, services: Services, settings: QSettings, tasks: TaskRunner) -> None:
        super().__init__()
        self._services = services
        self._settings = settings
        self._tasks = tasks
        self._framework = services.frameworks.current()
        self._year = services.school.current_year()
        self.setWindowTitle(_("SkillsDesk"))
        self._build()
        self._connect()
        self._restore()
        self.reload()

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.groups = GroupListModel(self)
        self.group_view = QListView()
        self.group_view.setObjectName("classList")
        self.group_view.setModel(self.groups)
        self.group_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        classes_label = QLabel(_("Classes"))
        classes_label.setStyleSheet("font-weight: bold")
        left_layout.addWidget(classes_label)
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
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.filter)
        right_layout.addWidget(self.table)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 900])
        self.setCentralWidget(self.splitter)
        self._menus()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.import_pupils_action = self._action(_("Import &pupils…"), self._on_import_pupils,
                                                 "Ctrl+I")
        self.import_obs_action = self._action(_("Import &observations…"),
                                              self._on_import_observations)
        self.import_framework_action = self._action(_("Import &framework…"),
                                                    self._on_import_framework)
        self.export_framework_action = self._action(_("&Export current framework…"),
                                                    self._on_export_framework)
        for action in (self.import_pupils_action, self.import_obs_action,
                       self.import_framework_action, self.export_framework_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(_("&View"))
        self.find_action = self._action(_("&Find pupil"), self._on_find, QKeySequence.StandardKey.Find)
        view_menu.addAction(self.find_action)
        view_menu.addAction(self._action(_("&Refresh"), self.reload, QKeySequence.StandardKey.Refresh))
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(self._action(_("&About SkillsDesk"), self._on_about))

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _connect(self) -> None:
        self.group_view.selectionModel().selectionChanged.connect(self._on_group_selected)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        school = self._services.school.name() or _("Your school")
        self.setWindowTitle(_("{school} — SkillsDesk").format(school=school))
        self.statusBar().showMessage(_("{school}  ·  {year}  ·  {framework}").format(
            school=school, year=self._year, framework=self._framework.name))
        current = self.selected_group()
        self.groups.set_groups(self._services.school.classes(self._year))
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
        pupils = self._services.school.pupils(group=group.name, year_label=self._year)
        rows = self._services.progress.for_pupils(self._framework, pupils)
        self.pupils.set_rows(self._framework, rows)
        self.heading.setText(_("{group} — {framework}").format(group=group.name,
                                                              framework=self._framework.name))

    # -- actions ------------------------------------------------------------------------------
    def _on_find(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    def _on_about(self) -> None:
        QMessageBox.about(self, _("About SkillsDesk"), _(
            "<h3>SkillsDesk {version}</h3><p>Track primary pupils' essential skills, offline. "
            "Everything stays on this computer.</p>").format(version=__version__))

    def _ask_file(self, title: str) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(self, title, str(Path.home()), SPREADSHEETS)
        return Path(name) if name else None

    def _on_import_pupils(self) -> None:
        path = self._ask_file(_("Import pupils"))
        if path is not None:
            self.import_with_preview(
                _("Import pupils"),
                lambda: self._services.pupils.import_file(path, dry_run=True),
                lambda: self._services.pupils.import_file(path))

    def _on_import_observations(self) -> None:
        path = self._ask_file(_("Import observations"))
        if path is not None:
            self.import_with_preview(
                _("Import observations"),
                lambda: self._services.observations.import_file(path, dry_run=True),
                lambda: self._services.observations.import_file(path))

    def import_with_preview(self, title: str, preview: Callable[[], Any],
                            apply: Callable[[], Any]) -> None:
        """Check the file in the background, show what would change, then apply on request."""
        def previewed(report: Any) -> None:
            box = QMessageBox(QMessageBox.Icon.Question, title, report.lines()[0], parent=self)
            box.setDetailedText("\n".join(report.lines()[1:]))
            box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
            box.button(QMessageBox.StandardButton.Ok).setText(_("Import"))
            if box.exec() == QMessageBox.StandardButton.Ok:
                self._tasks.run(apply, applied, self.show_error)

        def applied(report: Any) -> None:
            self.statusBar().showMessage(report.lines()[0], 10_000)
            self.reload()

        self._tasks.run(preview, previewed, self.show_error)

    def _on_import_framework(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import framework"), str(Path.home()), "TOML (*.toml)")
        if name:
            self._tasks.run(lambda: self._services.frameworks.import_file(Path(name)),
                            lambda s: self.statusBar().showMessage(
                                _("Imported {name}: {skills} skills.").format(
                                    name=s.name, skills=s.skills), 10_000),
                            self.show_error)

    def _on_export_framework(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export framework"), str(Path.home() / f"{self._framework.code}.toml"),
            "TOML (*.toml)")
        if name:
            self._tasks.run(lambda: self._services.frameworks.export(self._framework.code, Path(name)),
                            lambda p: self.statusBar().showMessage(
                                _("Wrote {file}.").format(file=p), 10_000),
                            self.show_error)

    def show_error(self, exc: Exception) -> None:
        """A refusal shows its own sentence; anything else a short apology (details in the log)."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("SkillsDesk"), "", parent=self)
        if isinstance(exc, UserError):
            box.setText(exc.message)
            if exc.problems:
                box.setDetailedText("\n".join(str(p) for p in exc.problems))
        else:
            box.setText(_("Something went wrong and nothing was changed. The details are in "
                          "the log."))
        box.exec()

    # -- window state -------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self._settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 720)
        splitter = self._settings.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/splitter", self.splitter.saveState())
        self._tasks.wait()
        super().closeEvent(event)
