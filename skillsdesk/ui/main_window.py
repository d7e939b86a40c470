"""The main window: navigation between the areas, app-wide menus, remembered layout."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
)

from skillsdesk import __version__
from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.services.container import Services
from skillsdesk.ui.pages import PageEntry, build_pages
from skillsdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
SPREADSHEETS = "Spreadsheets (*.csv *.txt *.tsv *.xlsx);;All files (*)"


class MainWindow(QMainWindow):
    """Navigation on the left, one page per area on the right, app-wide menus on top."""

    def __init__(self, services: Services, settings: QSettings, tasks: TaskRunner,
                 pages: list[PageEntry] | None = None) -> None:
        super().__init__()
        self._services = services
        self._settings = settings
        self._tasks = tasks
        self._framework = services.frameworks.current()
        self._year = services.school.current_year()
        self.pages = pages if pages is not None else build_pages(services, tasks)
        self._build()
        self._restore()
        self.reload()

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        for index, page in enumerate(self.pages):
            self.nav.addItem(QListWidgetItem(page.title))
            self.stack.addWidget(page.widget)
            shortcut = QShortcut(QKeySequence(f"Alt+{index + 1}"), self)
            shortcut.activated.connect(lambda row=index: self.nav.setCurrentRow(row))
        self.nav.currentRowChanged.connect(self._on_page_chosen)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._menus()
        self.nav.setCurrentRow(0)

    def page(self, key: str) -> Any:
        return next(p.widget for p in self.pages if p.key == key)

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(next(i for i, p in enumerate(self.pages) if p.key == key))

    def _on_page_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        refresh = getattr(self.pages[row].widget, "refresh", None)
        if refresh is not None and self.isVisible():
            refresh()

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
        file_menu.addAction(self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit))
        view_menu = self.menuBar().addMenu(_("&View"))
        self.find_action = self._action(_("&Find pupil"), self._on_find,
                                        QKeySequence.StandardKey.Find)
        view_menu.addAction(self.find_action)
        view_menu.addAction(self._action(_("&Refresh"), self.reload,
                                         QKeySequence.StandardKey.Refresh))
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(self._action(_("&About SkillsDesk"), self._on_about))

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def reload(self) -> None:
        school = self._services.school.name() or _("Your school")
        self.setWindowTitle(_("{school} — SkillsDesk").format(school=school))
        self.statusBar().showMessage(_("{school}  ·  {year}  ·  {framework}").format(
            school=school, year=self._year, framework=self._framework.name))
        for page in self.pages:
            refresh = getattr(page.widget, "refresh", None)
            if refresh is not None:
                refresh()

    # -- actions ------------------------------------------------------------------------------
    def _on_find(self) -> None:
        self.show_page("classes")
        self.page("classes").focus_filter()

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
