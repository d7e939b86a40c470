"""Appraisal (journey J4): choose a member of support or lunchtime staff, then their cycle's
self-assessment, the manager's observations of practice, targets, training and lunchtime counts.

The staff list holds only the people the signed-in person may see (the service decides; the page
only mirrors it), and every read and write goes through ``tasks.run``. Admins also choose the
framework staff are appraised on (for appraisals opened from then on) or import one for it.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.appraisal import COMPLETE, OPEN, STATUS_LABELS, AppraisalView
from skillsdesk.domain.permissions import PermissionDenied, can, role_label
from skillsdesk.i18n import N_, _
from skillsdesk.ui import prompts
from skillsdesk.ui.pages.appraisal_tabs import (
    LunchtimeTab,
    PracticeTab,
    SelfAssessmentTab,
    TargetsTab,
    TrainingTab,
    row_layout,
)
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.undo import AppraisalCommand

TITLE = N_("Appraisal")  # the navigation label: the window builds the page when first shown


class AppraisalPage(QWidget):
    def __init__(self, services: Any, tasks: Any, session: Any = None, undo: Any = None) -> None:
        super().__init__()
        self.setWindowTitle(_("Appraisal"))
        self._services, self._tasks, self._session = services, tasks, session
        self._undo = undo  # the window's QUndoStack: corrections and deletions can be undone
        self._service = services.appraisal
        self.view: AppraisalView | None = None
        self.cycles: list[Any] = []
        self.busy = 0
        today = services.school.today()
        framework = self._service.framework()

        heading = QLabel(_("Appraisal of support and lunchtime staff"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        self.staff = accessible(QComboBox(), _("Member of staff"))
        self.staff.setMinimumWidth(260)
        self.year = accessible(QComboBox(), _("Academic year"))
        self.summary = QLabel()
        self.manager = accessible(QComboBox(), _("Line manager"))
        self.open_button = QPushButton(_("Open this year's appraisal"))
        self.status_button = QPushButton()
        self.pdf_button = QPushButton(_("Appraisal record (PDF)…"))
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.framework_label = QLabel(_("Framework for staff"))
        self.framework_choice = accessible(QComboBox(), _("Framework for staff"))
        self.framework_choice.setMinimumWidth(260)
        self.framework_choice.setToolTip(_("Appraisals opened from now on use this framework; "
                                           "appraisals already opened keep theirs."))
        self.import_button = QPushButton(_("Import a framework for staff…"))
        self.framework_hint = QLabel(_("for appraisals opened from now on"))
        # The palette's own text colour: a fixed grey vanished on a dark palette.
        self.frameworks: dict[str, Any] = {framework.code: framework}

        submit = self._submit
        self.self_tab = SelfAssessmentTab(framework, today, submit, self._service)
        self.practice_tab = PracticeTab(framework, today, submit, self._service)
        self.targets_tab = TargetsTab(framework, today, submit, self._service)
        self.training_tab = TrainingTab(framework, today, submit, self._service)
        self.lunch_tab = LunchtimeTab(framework)
        self.tabs = QTabWidget()
        for tab, title in ((self.self_tab, _("Self-assessment")),
                           (self.practice_tab, _("Practice observations")),
                           (self.targets_tab, _("Targets")), (self.training_tab, _("Training")),
                           (self.lunch_tab, _("Lunchtime practice"))):
            self.tabs.addTab(tab, title)
        for tab in (self.self_tab, self.practice_tab, self.targets_tab, self.training_tab):
            tab.change = self._change

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(row_layout(QLabel(_("Member of staff")), self.staff,
                                    QLabel(_("Year")), self.year, self.pdf_button))
        layout.addLayout(row_layout(self.summary, self.status_button))
        self.manager_label = QLabel(_("Line manager"))
        layout.addLayout(row_layout(self.manager_label, self.manager, self.open_button))
        layout.addLayout(row_layout(self.framework_label, self.framework_choice,
                                    self.framework_hint, self.import_button))
        layout.addWidget(self.empty)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addStretch(0)  # takes the room while the tabs are hidden: rows stay together

        self.staff.currentIndexChanged.connect(self._on_staff)
        self.year.currentIndexChanged.connect(self._on_year)
        self.open_button.clicked.connect(self._open_cycle)
        self.status_button.clicked.connect(self._toggle_status)
        self.pdf_button.clicked.connect(self._save_pdf)
        self.framework_choice.activated.connect(self._choose_framework)
        self.import_button.clicked.connect(self._import_framework)
        chooses = services.context.can("settings")
        for widget in (self.framework_label, self.framework_choice, self.framework_hint,
                       self.import_button):
            widget.setVisible(chooses)
        if session is not None:
            # A bound method, not a lambda: Qt drops the connection when the lock deletes this
            # page, where a lambda would still call into its deleted widgets.
            session.staff_changed.connect(self._on_staff_changed)
        self._show(None)

    # -- loading ------------------------------------------------------------------------------
    def _run(self, work: Any, done: Any, *, loading: bool = False) -> None:
        self.busy += 1

        def finished(value: Any) -> None:
            self.busy -= 1
            done(value)

        def failed(exc: Exception) -> None:
            self.busy -= 1
            if loading and isinstance(exc, PermissionDenied):
                # Someone else came to the desk while this was loading: show them nothing of it
                # (their own refresh follows), rather than an error about the previous person.
                self._show(None)
                return
            prompts.error(self, exc)

        self._tasks.run(work, finished, failed)

    def _on_staff_changed(self, _staff: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        service, school = self._service, self._services.school
        chooses = self._services.context.can("settings")
        for widget in (self.framework_label, self.framework_choice, self.framework_hint,
                       self.import_button):
            widget.setVisible(chooses)
        self._run(lambda: (service.visible_staff(), school.staff()), self._fill_staff,
                  loading=True)
        if chooses:
            self._load_frameworks()

    def _load_frameworks(self) -> None:
        service, frameworks = self._service, self._services.frameworks
        self._run(lambda: (service.framework_setting(), frameworks.list(),
                           frameworks.current()), self._fill_frameworks, loading=True)

    def _fill_frameworks(self, found: tuple[str | None, list[Any], Any]) -> None:
        chosen, summaries, school = found
        combo = self.framework_choice
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("The school's framework ({name})").format(name=school.name), None)
        for summary in summaries:
            label = _("{name} ({code})").format(name=summary.name, code=summary.code)
            if summary.structure_only:
                label = _("{framework}, structure only").format(framework=label)
            combo.addItem(label, summary.code)
        combo.setCurrentIndex(next((i for i in range(combo.count())
                                    if combo.itemData(i) == chosen), 0))
        combo.blockSignals(False)

    def _choose_framework(self, index: int) -> None:
        code = self.framework_choice.itemData(index)
        self._run(lambda: self._service.set_framework(code), self._framework_chosen)

    def _framework_chosen(self, framework: Any) -> None:
        self.message.setText(_("Appraisals opened from now on use {name}; appraisals already "
                               "opened keep their framework.").format(name=framework.name))
        self._load_frameworks()

    def _import_framework(self) -> None:
        dialog = QFileDialog(self, _("Import a framework for staff"), str(Path.home()),
                             _("Frameworks (*.toml)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        if prompts.run(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        path = Path(dialog.selectedFiles()[0])
        service, frameworks = self._service, self._services.frameworks

        def work() -> Any:
            return service.set_framework(frameworks.import_file(path).code)

        self._run(work, self._framework_chosen)

    def _fill_staff(self, found: tuple[list[Any], list[Any]]) -> None:
        people, everyone = found
        chosen = self.staff.currentData()
        me = self._services.context.staff_id
        self.staff.blockSignals(True)
        self.staff.clear()
        for person in people:
            self.staff.addItem(f"{person.name} ({role_label(person.role)})", person)
        self.staff.blockSignals(False)
        self.manager.clear()
        for person in sorted(everyone, key=lambda p: (p.role != "admin", p.name)):
            if person.active and person.role in ("admin", "teacher"):
                self.manager.addItem(f"{person.name} ({role_label(person.role)})", person.id)
        wanted = chosen.id if chosen is not None else me
        index = next((i for i in range(self.staff.count())
                      if self.staff.itemData(i).id == wanted), 0)
        self.staff.setCurrentIndex(index)
        if people:
            self._on_staff()
        else:
            self._show(None)

    def _on_staff(self) -> None:
        person = self.staff.currentData()
        if person is None:
            return
        service = self._service

        def load() -> Any:
            counts = service.lunchtime_practice(person.id) if person.role == "lunchtime" else None
            try:
                school = service.lunchtime_by_skill()
            except PermissionDenied:  # only managers see school-wide counts
                school = None
            return service.cycles(person.id), counts, school

        self._run(load, self._show_staff, loading=True)

    def _show_staff(self, found: tuple[list[Any], Any, Any]) -> None:
        self.cycles, counts, school = found
        self.lunch_tab.show_counts(counts, school)
        current = self._services.school.current_year()
        labels = [c.academic_year for c in self.cycles]
        self.year.blockSignals(True)
        self.year.clear()
        for label in dict.fromkeys([current, *labels]):
            self.year.addItem(label, label)
        self.year.blockSignals(False)
        self._on_year()

    def _on_year(self) -> None:
        label = self.year.currentData()
        cycle = next((c for c in self.cycles if c.academic_year == label), None)
        if cycle is None:
            self._show(None)
            return
        service, frameworks, known = self._service, self._services.frameworks, self.frameworks

        def load() -> tuple[AppraisalView, Any]:
            view = service.view(cycle.id)
            code = view.cycle.framework_code
            return view, known[code] if code in known else frameworks.get(code)

        self._run(load, self._show_loaded, loading=True)

    def _show_loaded(self, found: tuple[AppraisalView, Any]) -> None:
        view, framework = found
        self.frameworks[framework.code] = framework
        for tab in (self.self_tab, self.practice_tab, self.targets_tab, self.training_tab):
            tab.set_framework(framework)
        self._show(view)

    # -- showing ------------------------------------------------------------------------------
    def _show(self, view: AppraisalView | None) -> None:
        self.view = view
        person = self.staff.currentData()
        actor = self._services.context.actor
        admin = actor is None or can(actor.role, "appraise")
        self.tabs.setVisible(view is not None)
        self.pdf_button.setEnabled(view is not None)
        self.status_button.setVisible(view is not None)
        can_open = admin and person is not None and view is None \
            and self.year.currentData() == self._services.school.current_year()
        for widget in (self.manager_label, self.manager, self.open_button):
            widget.setVisible(can_open)
        if view is None:
            self.summary.setText("")
            if person is not None:
                text = _("{name} has no appraisal for this year yet.").format(name=person.name)
            elif actor is not None and not can(actor.role, "appraisal.self_assess"):
                # A teacher: not appraised here, and seeing only the staff they line-manage.
                text = _("Nobody to show: teachers are not appraised in SkillsDesk, and no "
                         "support or lunchtime staff have you as their line manager.")
            else:
                text = _("Nobody to show: only your own appraisal and those you line-manage "
                         "are listed.")
            self.empty.setText(text)
            self.empty.show()
            return
        self.empty.hide()
        cycle = view.cycle
        self.summary.setText(_("{year} · line manager: {manager} · {status}").format(
            year=cycle.academic_year, manager=cycle.manager_name or _("not set"),
            status=_(STATUS_LABELS.get(cycle.status, cycle.status))))
        manages = admin or (actor is not None and actor.staff_id == cycle.manager_id)
        own = actor is None or actor.staff_id == cycle.staff_id or admin
        writable = cycle.status == OPEN
        self.status_button.setText(_("Mark complete") if writable else _("Reopen"))
        self.status_button.setEnabled(manages)
        self.status_button.setToolTip("" if manages else _(
            "Only the line manager or an admin can mark an appraisal complete or reopen it."))
        # A greyed form says why: the appraisal is complete, or it is someone else's to fill in.
        closed = _("This appraisal is complete; the line manager or an admin can reopen it.")
        self.self_tab.set_writable(writable and own, closed if not writable else _(
            "Only {name} fills in their self-assessment.").format(name=cycle.staff_name))
        for tab in (self.practice_tab, self.targets_tab):
            tab.set_writable(writable and manages, closed if not writable else _(
                "Only the line manager or an admin adds to this part of the appraisal."))
        # Staff log and correct their own training; the manager sees it in the same table.
        own_training = actor is not None and actor.staff_id == cycle.staff_id \
            and can(actor.role, "appraisal.own_training")
        self.training_tab.set_writable(writable and (manages or own_training),
                                       closed if not writable else _(
            "Only {name}, their line manager or an admin logs their training.").format(
            name=cycle.staff_name))
        self.practice_tab.default_setting(cycle.staff_role)
        for tab in (self.self_tab, self.practice_tab, self.targets_tab, self.training_tab):
            tab.cycle_id = cycle.id
            tab.show(view)

    # -- actions ------------------------------------------------------------------------------
    def _submit(self, work: Any) -> None:
        self._run(work, self._show)

    def _change(self, kind: str, entry_id: uuid.UUID, work: Any, text: str,
                deleting: bool) -> None:
        """A correction or deletion; once written it goes on the Undo stack with the entry's
        values before (and after) it, so Edit > Undo puts it back."""
        service = self._service

        def run() -> tuple[AppraisalView, dict[str, Any], dict[str, Any] | None]:
            before = service.entry_snapshot(kind, entry_id)
            view = work()
            return view, before, None if deleting else service.entry_snapshot(kind, entry_id)

        def done(found: tuple[AppraisalView, dict[str, Any], dict[str, Any] | None]) -> None:
            view, before, after = found
            self._show(view)
            if self._undo is not None and before != after:
                self._undo.push(AppraisalCommand(text, service, kind, before, after,
                                                 self._undone))

        self._run(run, done)

    def _undone(self, work: Any) -> None:
        """Undo / Redo: write, then show the cycle if it is the one on screen."""

        def show(view: AppraisalView) -> None:
            if self.view is not None and self.view.cycle.id == view.cycle.id:
                self._show(view)
            else:
                self.message.setText(_("Changed the {year} appraisal of {name}.").format(
                    year=view.cycle.academic_year, name=view.cycle.staff_name))

        self._run(work, show)

    def _open_cycle(self) -> None:
        person, manager = self.staff.currentData(), self.manager.currentData()
        if person is None:
            return
        service = self._service

        self._run(lambda: service.open_cycle(person.id, manager), lambda _cycle: self._on_staff())

    def _toggle_status(self) -> None:
        if self.view is None:
            return
        cycle = self.view.cycle
        status = COMPLETE if cycle.status == OPEN else OPEN
        self._run(lambda: self._service.set_status(cycle.id, status),
                  lambda _cycle: self._on_year())

    def _save_pdf(self) -> None:
        if self.view is None:
            return
        cycle = self.view.cycle
        suggested = Path.home() / f"appraisal-{cycle.staff_login}-{cycle.academic_year[:4]}.pdf"
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the appraisal record"),
                                                    str(suggested), "PDF (*.pdf)")
        if not name:
            return
        cycle_id: uuid.UUID = cycle.id
        self._run(lambda: self._service.write_cycle_report(cycle_id, Path(name)),
                  lambda path: self.message.setText(_("Wrote {file}.").format(file=path)))


def make_page(services: Any, tasks: Any, session: Any = None, undo: Any = None) -> AppraisalPage:
    return AppraisalPage(services, tasks, session, undo)
