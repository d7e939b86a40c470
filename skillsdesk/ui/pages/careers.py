"""Careers (journey J5): the activities log, coverage, pupils' aspirations, the primary benchmark
self-audit and the action plan, one tab each, and the careers report for governors.

Every read and write runs through ``tasks.run``; a change in one tab refreshes the others, since
the audit's evidence and the coverage both come from the activities log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.careers import CRITERIA, ActivityInfo, ActivityResult, kind_label
from skillsdesk.i18n import N_, _, format_date, ngettext
from skillsdesk.ui.pages.careers_audit import ActionPlanTab, AuditTab
from skillsdesk.ui.pages.careers_common import (
    fill_table,
    make_table,
    needs_a_row,
    paint_row,
    selected_data,
    show_error,
)
from skillsdesk.ui.pages.careers_dialogs import ActivityDialog
from skillsdesk.ui.pages.careers_views import AspirationsTab, CoverageTab

TITLE = N_("Careers")  # the navigation label: the window builds the page when first shown
REQUIRES = ("careers.log", "careers.audit")  # hidden in the navigation for other roles

# The activities table's columns. Sector, role models and observations are details: hidden, and
# shown in each row's tooltip and under the table for the chosen row, so that who took part stays
# readable at 1366x768; long titles, kinds and partners are cut short with "…" (the tooltip has
# them whole).
TITLE_COLUMN, KIND_COLUMN, PARTNER_COLUMN, SECTOR_COLUMN, WHO_COLUMN = 1, 2, 3, 4, 5
DETAIL_COLUMNS = (SECTOR_COLUMN, 8, 9)
CAPPED = {TITLE_COLUMN: 40, KIND_COLUMN: 24, PARTNER_COLUMN: 22}  # widest, in average characters


class ActivitiesTab(QWidget):
    """The activities log of one academic year, with add, edit and delete."""

    changed = Signal(str)  # a sentence saying what changed

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._services = services
        self._careers = services.careers
        self._tasks = tasks
        self.year = self._careers.school_year().label
        self.dialog: ActivityDialog | None = None
        self.rows: list[ActivityInfo] = []
        self.add_button = QPushButton(_("Record an activity…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.add_button.clicked.connect(self.add_activity)
        self.edit_button.clicked.connect(self.edit_activity)
        self.delete_button.clicked.connect(self.delete_activity)
        self.summary = QLabel()
        bar = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        self.table = make_table([_("Date"), _("Title"), _("Kind"), _("Partner"), _("Sector"),
                                 _("Who took part"), _("Benchmarks"), _("Meaningful"),
                                 _("Role models"), _("Observations")], "activityTable")
        self.table.doubleClicked.connect(lambda _index: self.edit_activity())
        self._update_buttons = needs_a_row(self.table, (self.edit_button, self.delete_button),
                                           _("Choose an activity in the list first."))
        for column in DETAIL_COLUMNS:
            self.table.setColumnHidden(column, True)
        self.table.setWordWrap(False)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._show_details)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.details)

    def refresh(self, year: str) -> None:
        self.year = year
        self._tasks.run(lambda: self._careers.activities(year), self._show,
                        lambda exc: show_error(self, exc))

    def _show(self, activities: list[ActivityInfo]) -> None:
        self.rows = list(activities)
        fill_table(self.table, [(
            format_date(a.held_on), a.title, kind_label(a.kind), a.partner, a.sector,
            who_took_part(a),
            ", ".join(a.benchmarks),
            _("Yes") if a.meaningful else _("{n} of 4").format(
                n=sum(1 for c in CRITERIA if c in a.criteria)),
            ", ".join(f"{p.job}" for p in a.role_models), a.observations or "")
            for a in self.rows], [a.id for a in self.rows])
        self._update_buttons()
        for row, activity in enumerate(self.rows):
            paint_row(self.table, row, tip=activity_details(activity))
        self._fit_columns()
        self._show_details()
        meaningful = sum(1 for a in self.rows if a.meaningful)
        self.summary.setText(ngettext("{n} activity in {year}", "{n} activities in {year}",
                                      len(self.rows)).format(n=len(self.rows), year=self.year)
                             + " · " + _("{m} meaningful").format(m=meaningful))

    def selected(self) -> ActivityInfo | None:
        chosen = selected_data(self.table)
        return next((a for a in self.rows if a.id == chosen), None)

    def _fit_columns(self) -> None:
        """Short columns fit their text, long ones are capped, who took part has the rest."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        char = self.table.fontMetrics().averageCharWidth()
        for column, most in CAPPED.items():
            header.resizeSection(column, min(header.sectionSize(column), most * char))
        header.setSectionResizeMode(WHO_COLUMN, QHeaderView.ResizeMode.Stretch)

    def _show_details(self) -> None:
        activity = self.selected() if self.table.selectionModel().selectedRows() else None
        self.details.setText(activity_details(activity).replace("\n", " · ") if activity else
                             _("Choose an activity to see its partner's sector, role models "
                               "and observations."))

    # -- add, edit, delete ------------------------------------------------------------------------
    def add_activity(self) -> None:
        self._open(None)

    def edit_activity(self) -> None:
        activity = self.selected()
        if activity is not None:
            self._open(activity)

    def _open(self, activity: ActivityInfo | None) -> None:
        school, year = self._services.school, self.year

        def load() -> tuple[Any, ...]:  # the whole roll: read off the GUI thread
            return (self._services.frameworks.current().skills, school.classes(year),
                    school.pupils(year_label=year))

        def show(loaded: tuple[Any, ...]) -> None:
            skills, classes, pupils = loaded
            dialog = ActivityDialog(
                self, today=self._careers.today(), benchmarks=self._careers.benchmarks(),
                skills=skills, classes=classes, pupils=pupils, activity=activity)
            dialog.accepted.connect(lambda: self._save(dialog))
            self.dialog = dialog
            dialog.open()

        self._tasks.run(load, show, lambda exc: show_error(self, exc))

    def _save(self, dialog: ActivityDialog) -> None:
        draft = dialog.draft()
        log = dialog.log_observations.isChecked()
        existing = dialog.activity

        def work() -> ActivityResult:
            if existing is None:
                return self._careers.record(draft, log_observations=log)
            return self._careers.update(existing.id, draft, log_observations=log)

        def done(result: ActivityResult) -> None:
            self.dialog = None
            dialog.deleteLater()
            message = _("Saved '{title}'.").format(title=result.activity.title)
            if result.observations_added:
                message += " " + ngettext("{n} observation recorded.",
                                          "{n} observations recorded.",
                                          result.observations_added).format(
                    n=result.observations_added)
            self.changed.emit(message)

        def failed(exc: Exception) -> None:
            show_error(self, exc)
            dialog.open()  # everything typed is still there

        self._tasks.run(work, done, failed)

    def delete_activity(self) -> None:
        activity = self.selected()
        if activity is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete activity"),
                          _("Delete '{title}' ({date}) from the careers log?").format(
                              title=activity.title, date=format_date(activity.held_on)),
                          parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        withdraw = None
        if activity.observations:
            withdraw = QCheckBox(ngettext(
                "Also withdraw the {n} observation it recorded",
                "Also withdraw the {n} observations it recorded",
                activity.observations).format(n=activity.observations))
            box.setCheckBox(withdraw)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        remove = bool(withdraw and withdraw.isChecked())
        self._tasks.run(
            lambda: self._careers.delete(activity.id, withdraw_observations=remove),
            lambda n: self.changed.emit(
                _("Deleted '{title}'.").format(title=activity.title)
                + (" " + ngettext("{n} observation withdrawn.", "{n} observations withdrawn.",
                                  n).format(n=n) if n else "")),
            lambda exc: show_error(self, exc))


def who_took_part(activity: ActivityInfo) -> str:
    """How many pupils first, so that it stays in sight when the list of classes is cut short."""
    n = activity.pupil_count
    if not activity.classes:
        return ngettext("{n} pupil", "{n} pupils", n).format(n=n)
    return ngettext("{n} pupil: {classes}", "{n} pupils: {classes}", n).format(
        n=n, classes=", ".join(activity.classes))


def activity_details(activity: ActivityInfo) -> str:
    """Everything about an activity the table cuts short or hides, one line each."""
    lines = [activity.title, format_date(activity.held_on) + " · " + kind_label(activity.kind)]
    if activity.partner and activity.sector:
        lines.append(_("Partner: {partner} ({sector})").format(partner=activity.partner,
                                                              sector=activity.sector))
    elif activity.partner or activity.sector:
        lines.append(_("Partner: {partner}").format(partner=activity.partner or activity.sector))
    lines.append(_("Who took part: {who}").format(who=who_took_part(activity)))
    if activity.role_models:
        lines.append(_("Role models: {jobs}").format(
            jobs=", ".join(p.job for p in activity.role_models)))
    lines.append(ngettext("{n} observation recorded", "{n} observations recorded",
                          activity.observations).format(n=activity.observations))
    if activity.meaningful:
        lines.append(_("Meaningful: all four criteria were met."))
    return "\n".join(lines)


class CareersPage(QWidget):
    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Careers"))
        self._services = services
        self._careers = services.careers
        self._tasks = tasks
        heading = QLabel(_("Careers"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        self.year = QComboBox()
        self.year.setObjectName("careersYear")
        self.report_button = QPushButton(_("Careers report (PDF)…"))
        self.report_button.clicked.connect(self.save_report)
        self.status = QLabel()
        self.status.setObjectName("careersStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QLabel(_("Academic year")))
        top.addWidget(self.year)
        top.addWidget(self.report_button)
        self.activities = ActivitiesTab(services, tasks)
        self.coverage = CoverageTab(services, tasks)
        self.aspirations = AspirationsTab(services, tasks)
        self.audit = AuditTab(services, tasks)
        self.actions = ActionPlanTab(services, tasks)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.activities, _("Activities"))
        self.tabs.addTab(self.coverage, _("Coverage"))
        self.tabs.addTab(self.aspirations, _("Aspirations"))
        self.tabs.addTab(self.audit, _("Self-audit"))
        self.tabs.addTab(self.actions, _("Action plan"))
        for tab in (self.activities, self.aspirations, self.audit, self.actions):
            tab.changed.connect(self._on_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)
        self._stale = True
        self._fill_years()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.apply_role()

    def _fill_years(self) -> None:
        current = self._careers.school_year().label
        years = self._services.school.years() or [current]
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItems(years)
        self.year.setCurrentIndex(max(self.year.findText(current), 0))
        self.year.blockSignals(False)

    def chosen_year(self) -> str:
        return self.year.currentText() or self._careers.school_year().label

    def apply_role(self) -> None:
        """Teachers log activities and aspirations; the self-audit, the action plan and the
        report are the careers lead's (an admin's): their buttons show only to those who may."""
        can = self._services.context.can
        for button in (self.activities.add_button, self.activities.edit_button,
                       self.activities.delete_button, self.aspirations.save_button,
                       self.aspirations.clear_button):
            button.setVisible(can("careers.log"))
        for button in (self.report_button, self.audit.save_button, self.actions.add_button,
                       self.actions.edit_button, self.actions.delete_button):
            button.setVisible(can("careers.audit"))
        self.audit.set_writable(can("careers.audit"))

    def refresh(self) -> None:
        self.apply_role()
        # Hidden, the page only remembers to load: the window refreshes every page at start-up
        # and the careers tabs need not cost anything until someone opens them.
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        year = self.chosen_year()
        for tab in (self.activities, self.coverage, self.aspirations, self.audit, self.actions):
            tab.refresh(year)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_changed(self, message: str) -> None:
        self.status.setText(message)
        self.refresh()

    def save_report(self) -> None:
        year = self.chosen_year()
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the careers report"),
            str(Path.home() / f"careers-report-{year.replace('/', '-')}.pdf"), "PDF (*.pdf)")
        if not name:
            return
        self.status.setText(_("Writing the careers report…"))
        self._tasks.run(lambda: self._careers.audit.write_report(Path(name), year),
                        lambda path: self.status.setText(_("Wrote {file}.").format(file=path)),
                        lambda exc: (self.status.setText(""), show_error(self, exc)))


def make_page(services: Any, tasks: Any) -> CareersPage:
    return CareersPage(services, tasks)
