"""Records (admins): the new academic year, leavers' retention and erasure, subject access.

Three tabs, each over one service: the rollover wizard (what will happen, the plan from a dry
run, a tick and a Yes, then the run with its backup made first), the retention period with the
leavers whose period has ended and the erasure of any pupil after their admission number is
typed, and the subject access bundle (PDF, JSON and a staff-only review list) written to a
chosen folder. Everything that reads or writes a lot runs through the task runner with a
progress label; refusals come back as a sentence. Who may do each comes from the services'
context (the signed-in member of staff); a plain store has no actor, and then all is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import role_label
from skillsdesk.i18n import N_, _, format_date, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.records_widgets import (
    EraseDialog,
    PupilFinder,
    ask_folder,
    ask_save_pdf,
    erasure_lines,
    pupil_line,
)

TITLE = N_("Records")  # the navigation label: the window builds the page when first shown

ACTIONS = ("rollover", "settings", "erase", "sar")
REQUIRES = ACTIONS  # the navigation hides Records from roles that can do none of these


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 14px; font-weight: bold")
    label.setWordWrap(True)
    return label


class RolloverTab(QWidget):
    """A wizard in three steps: what will happen, the plan and a confirmation, the result."""

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._rollover = services.rollover
        self._tasks = tasks
        self.plan: Any = None
        self.result: Any = None
        self.steps = QStackedWidget()
        self.steps.addWidget(self._intro())
        self.steps.addWidget(self._preview())
        self.steps.addWidget(self._done())
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)

    def _intro(self) -> QWidget:
        page = QWidget()
        text = _note(_(
            "At the start of a new academic year:\n"
            "  • every pupil on roll moves up one year group;\n"
            "  • the classes are set up for the new year, named after their new year group "
            "(3 Oak becomes 4 Oak);\n"
            "  • Year 6 pupils leave: their records are kept as leavers' records, for the "
            "period set on the Retention and erasure tab;\n"
            "  • every earlier year's classes, observations and notes stay exactly as they "
            "were.\n\n"
            "A checked backup is made first. Nothing changes until you have seen the plan and "
            "said yes."))
        self.check_button = accessible(QPushButton(_("&Check what will happen…")),
                                       _("Check what the new year will do"))
        self.check_button.clicked.connect(self.check)
        self.refusal = _note()
        self.refusal.setObjectName("refusal")
        self.refusal.setStyleSheet("color: #8a1c1c")
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(_heading(_("Start a new academic year")))
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.refusal)
        layout.addStretch(1)
        return page

    def _preview(self) -> QWidget:
        page = QWidget()
        self.summary = _note()
        self.classes = accessible(QTableWidget(0, 3), _("Classes for the new year"))
        self.classes.setHorizontalHeaderLabels(
            [_("Class now"), _("Class in the new year"), _("Pupils")])
        self.classes.verticalHeader().setVisible(False)
        self.classes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.classes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.agree = QCheckBox()
        self.agree.toggled.connect(lambda on: self.start_button.setEnabled(on))
        self.back_button = QPushButton(_("&Back"))
        self.back_button.clicked.connect(lambda: self.steps.setCurrentIndex(0))
        self.start_button = accessible(QPushButton(_("&Start the new year")),
                                       _("Start the new academic year"))
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.start_button)
        layout = QVBoxLayout(page)
        layout.addWidget(_heading(_("What will happen")))
        layout.addWidget(self.summary)
        layout.addWidget(self.classes, 1)
        layout.addWidget(self.agree)
        layout.addLayout(row)
        return page

    def _done(self) -> QWidget:
        page = QWidget()
        self.outcome = _note()
        finish = QPushButton(_("&Finish"))
        finish.clicked.connect(lambda: self.steps.setCurrentIndex(0))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(finish)
        layout = QVBoxLayout(page)
        layout.addWidget(_heading(_("The new year has started")))
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    def set_allowed(self, allowed: bool) -> None:
        for widget in (self.check_button, self.back_button):
            widget.setEnabled(allowed)
        self.start_button.setEnabled(allowed and self.agree.isChecked())
        self.agree.setEnabled(allowed)
        if not allowed:  # another person at the desk: nothing of the last one's work shows
            self.steps.setCurrentIndex(0)
            self.refusal.setText("")

    def check(self) -> None:
        self.refusal.setText("")
        self.check_button.setEnabled(False)
        self._tasks.run(lambda _progress: self._rollover.plan(), self._show_plan,
                        self._refused, label=_("Working out the new year…"), parent=self)

    def _refused(self, exc: Exception) -> None:
        self.check_button.setEnabled(True)
        self.steps.setCurrentIndex(0)
        if isinstance(exc, UserError):
            self.refusal.setText(exc.message)  # "already set up", said where the person looks
        else:
            prompts.error(self, exc)

    def _show_plan(self, plan: Any) -> None:
        self.check_button.setEnabled(True)
        self.plan = plan
        lines = [
            ngettext("{n} pupil moves up a year group, from {old} to {new}.",
                     "{n} pupils move up a year group, from {old} to {new}.",
                     plan.moving_up).format(n=plan.moving_up, old=plan.from_year,
                                            new=plan.to_year),
            ngettext("{n} Year 6 pupil leaves; their records are kept as a leaver's.",
                     "{n} Year 6 pupils leave; their records are kept as leavers'.",
                     plan.leavers).format(n=plan.leavers),
            ngettext("{n} class is set up for {year}:", "{n} classes are set up for {year}:",
                     len(plan.classes)).format(n=len(plan.classes), year=plan.to_year),
        ]
        self.summary.setText("\n".join(lines))
        self.classes.setRowCount(len(plan.classes))
        for row, move in enumerate(plan.classes):
            for column, value in enumerate((move.old_name, move.new_name, str(move.pupils))):
                item = QTableWidgetItem(value)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.classes.setItem(row, column, item)
        self.agree.setText(_("I have checked this plan: start {year} now.").format(
            year=plan.to_year))
        self.agree.setChecked(False)
        self.start_button.setEnabled(False)
        self.steps.setCurrentIndex(1)

    def start(self) -> None:
        plan = self.plan
        if plan is None or not self.agree.isChecked():
            return
        question = _("Start {year} now? Pupils move up, new classes are set up and Year 6 "
                     "leave. A backup is made first; {old} stays as it is.").format(
            year=plan.to_year, old=plan.from_year)
        if not prompts.confirm(self, _("Start the new academic year"), question):
            return
        self.start_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self._tasks.run(lambda _progress: self._rollover.rollover(), self._finished,
                        self._failed, label=_("Starting the new academic year…"), parent=self)

    def _finished(self, result: Any) -> None:
        self.result = result
        self.back_button.setEnabled(True)
        self.outcome.setText("\n".join(result.lines()))
        self.agree.setChecked(False)
        self.steps.setCurrentIndex(2)
        window = self.window()
        reload = getattr(window, "reload", None)
        if reload is not None and window is not self:
            reload()

    def _failed(self, exc: Exception) -> None:
        self.back_button.setEnabled(True)
        self.agree.setChecked(False)
        self._refused(exc)


class ErasureTab(QWidget):
    """The retention period, leavers past it, and erasing any pupil after a typed check."""

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._erasure = services.erasure
        self._passports = services.passports
        self._tasks = tasks
        self.chosen: Any = None
        self.last_passport: Path | None = None
        self.last_result: Any = None
        self._build()

    def _build(self) -> None:
        from skillsdesk.services.erasure import DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS

        self.months = accessible(QSpinBox(), _("Months to keep leavers' records"))
        self.months.setRange(1, MAX_RETENTION_MONTHS)
        self.months.valueChanged.connect(lambda n: self.months.setSuffix(
            ngettext(" month", " months", n)))
        self.months.setValue(DEFAULT_RETENTION_MONTHS)
        self.save_months = accessible(QPushButton(_("Sa&ve")), _("Save the retention period"))
        self.save_months.clicked.connect(self.save_retention)
        keep = QHBoxLayout()
        keep.addWidget(QLabel(_("Keep a leaver's records for")))
        keep.addWidget(self.months)
        keep.addWidget(QLabel(_("after they leave.")))
        keep.addWidget(self.save_months)
        keep.addStretch(1)
        self.leavers = accessible(QTableWidget(0, 4),
                                  _("Leavers whose retention period has ended"))
        self.leavers.setHorizontalHeaderLabels(
            [_("Name"), _("Admission number"), _("Left on"), _("Can be erased from")])
        self.leavers.verticalHeader().setVisible(False)
        self.leavers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.leavers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.leavers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.leavers.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.leavers.horizontalHeader().setStretchLastSection(True)
        self.leavers.itemSelectionChanged.connect(self._leaver_chosen)
        self.leavers_note = _note()
        due = QGroupBox(_("Leavers' records"))
        due_layout = QVBoxLayout(due)
        due_layout.addLayout(keep)
        due_layout.addWidget(self.leavers_note)
        due_layout.addWidget(self.leavers, 1)
        self.finder = PupilFinder(self._erasure.find, _("Find any pupil, on roll or a leaver:"))
        self.finder.chosen.connect(self._found_chosen)
        self.chosen_label = _note(_("Choose a leaver in the list, or find a pupil."))
        self.passport_button = accessible(QPushButton(_("&Print passport first…")),
                                          _("Save the chosen pupil's passport as a PDF"))
        self.passport_button.clicked.connect(self.save_passport)
        self.erase_button = accessible(QPushButton(_("&Erase…")),
                                       _("Erase every record about the chosen pupil"))
        self.erase_button.clicked.connect(self.erase)
        buttons = QHBoxLayout()
        buttons.addWidget(self.passport_button)
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        self.outcome = _note()
        pick = QGroupBox(_("Erase a pupil's records"))
        pick_layout = QVBoxLayout(pick)
        self.finder.results.setMaximumHeight(160)  # room below for what was removed
        pick_layout.addWidget(self.finder)
        pick_layout.addWidget(self.chosen_label)
        pick_layout.addLayout(buttons)
        pick_layout.addWidget(self.outcome)
        pick_layout.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(due, 1)
        layout.addWidget(pick, 1)
        self._update_buttons()

    # Permissions and the list --------------------------------------------------------------

    def set_allowed(self, *, settings: bool, erase: bool, passports: bool) -> None:
        self._allowed = (erase, passports)
        self.months.setEnabled(settings)
        self.save_months.setEnabled(settings)
        self.finder.setEnabled(erase)
        self.leavers.setEnabled(erase)
        self._update_buttons()

    def refresh(self) -> None:
        erase, _passports = getattr(self, "_allowed", (True, True))
        self.months.setValue(self._erasure.retention_months())
        self.leavers.setRowCount(0)
        if not erase:  # leavers' names are for those who may erase them
            self.leavers_note.setText("")
            self.outcome.setText("")
            self.finder.search.clear()
            self._choose(None)
            return
        due = self._erasure.leavers_due()
        self.leavers.setRowCount(len(due))
        for row, leaver in enumerate(due):
            values = (leaver.name, leaver.admission_number, format_date(leaver.left_on),
                      format_date(leaver.due_on))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, leaver)
                self.leavers.setItem(row, column, item)
        self.leavers_note.setText(
            ngettext("{n} leaver's retention period has ended: print their passport if the "
                     "family may want it, then erase.",
                     "{n} leavers' retention period has ended: print a passport if the family "
                     "may want it, then erase.", len(due)).format(n=len(due))
            if due else _("No leaver's retention period has ended."))
        if self.chosen is not None:
            self._choose(self.chosen if self._still_there(self.chosen) else None)

    def _still_there(self, chosen: Any) -> bool:
        try:
            return any(p.admission_number == chosen.admission_number
                       for p in self._erasure.find(chosen.admission_number))
        except UserError:
            return False

    def _leaver_chosen(self) -> None:
        rows = self.leavers.selectionModel().selectedRows()
        if not rows:
            return
        leaver = self.leavers.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        from skillsdesk.services.erasure import PupilFound

        self.finder.clear_choice()
        self._choose(PupilFound(leaver.pupil_id, leaver.admission_number, leaver.name, None,
                                leaver.left_on))

    def _found_chosen(self, found: Any) -> None:
        if found is not None:
            self.leavers.clearSelection()
        self._choose(found)

    def _choose(self, found: Any) -> None:
        self.chosen = found
        self.chosen_label.setText(
            _("Chosen: {pupil}.").format(pupil=pupil_line(found)) if found is not None
            else _("Choose a leaver in the list, or find a pupil."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        erase, passports = getattr(self, "_allowed", (True, True))
        self.erase_button.setEnabled(erase and self.chosen is not None)
        self.passport_button.setEnabled(erase and passports and self.chosen is not None)

    # Actions -------------------------------------------------------------------------------

    def save_retention(self) -> None:
        months = self.months.value()

        def done(_none: Any) -> None:
            self.outcome.setText(_("Saved: leavers' records are kept for {n} months.").format(
                n=months))
            self.refresh()

        self._tasks.run(lambda: self._erasure.set_retention_months(months), done,
                        lambda exc: prompts.error(self, exc))

    def save_passport(self) -> None:
        chosen = self.chosen
        if chosen is None:
            return
        path = ask_save_pdf(self, _("Save the passport as"),
                            _("Passport {name}.pdf").format(name=chosen.name))
        if path is None:
            return

        def work(_progress: Any) -> Any:
            adno = chosen.admission_number
            pupils = (self._passports.pupils_for(admission_numbers=[adno])
                      if chosen.left_on is None  # on roll: with their class
                      else [self._erasure.pupil_info(adno)])
            return self._passports.make(pupils, path)

        def done(_result: Any) -> None:
            self.last_passport = path
            self.outcome.setText(_("Saved {name}'s passport as {file}.").format(
                name=chosen.name, file=path))

        self._tasks.run(work, done, lambda exc: prompts.error(self, exc),
                        label=_("Making the passport…"), parent=self)

    def erase(self) -> None:
        chosen = self.chosen
        if chosen is None:
            return
        dialog = EraseDialog(chosen.name, chosen.admission_number, self)
        if prompts.run(dialog) != QDialog.DialogCode.Accepted:
            return
        if not dialog.matches():
            prompts.error(self, UserError(_(
                "The admission number typed does not match {adno}, so nothing was erased.")
                .format(adno=chosen.admission_number)))
            return
        adno, name = chosen.admission_number, chosen.name
        self.erase_button.setEnabled(False)

        def done(result: Any) -> None:
            self.last_result = result
            self.outcome.setText("\n".join(erasure_lines(name, result)))
            self._choose(None)
            self.finder.update_results()
            self.refresh()

        def failed(exc: Exception) -> None:
            self._update_buttons()
            prompts.error(self, exc)

        self._tasks.run(lambda _progress: self._erasure.erase(adno), done, failed,
                        label=_("Erasing and emptying the write-ahead log…"), parent=self)


class SubjectAccessTab(QWidget):
    """Choose a pupil and a folder; write the bundle; say where the files went."""

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._sar = services.sar
        self._tasks = tasks
        self.chosen: Any = None
        self.folder: Path | None = None
        self.result: Any = None
        self._allowed = True
        intro = _note(_(
            "A subject access bundle holds everything SkillsDesk keeps about one pupil: their "
            "details and flags, classes and groups, every observation, note and target, and "
            "the audit trail's events about them, as a PDF to read and a JSON file (with "
            "their photo beside them, if one is held). Other "
            "pupils' names are replaced in notes; a review list for staff says where, so you "
            "can check the bundle before it leaves the school."))
        self.finder = PupilFinder(services.erasure.find, _("&Pupil:"))
        self.finder.chosen.connect(self._chosen)
        self.folder_text = accessible(QLineEdit(), _("Folder for the bundle"))
        self.folder_text.setReadOnly(True)
        self.folder_text.setPlaceholderText(_("No folder chosen yet"))
        self.folder_button = accessible(QPushButton(_("Choose &folder…")),
                                        _("Choose the folder for the bundle"))
        self.folder_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(_("Save in:")))
        folder_row.addWidget(self.folder_text, 1)
        folder_row.addWidget(self.folder_button)
        self.make_button = accessible(QPushButton(_("&Make the bundle")),
                                      _("Make the subject access bundle"))
        self.make_button.clicked.connect(self.make)
        self.open_button = QPushButton(_("&Open the folder"))
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self._open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.outcome = _note()
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(_("Subject access")))
        layout.addWidget(intro)
        layout.addWidget(self.finder, 1)
        layout.addLayout(folder_row)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        self._update()

    def set_allowed(self, allowed: bool) -> None:
        self._allowed = allowed
        for widget in (self.finder, self.folder_button):
            widget.setEnabled(allowed)
        if not allowed:
            self.finder.search.clear()
            self.outcome.setText("")
            self.open_button.setVisible(False)
        self._update()

    def _chosen(self, found: Any) -> None:
        self.chosen = found
        self._update()

    def _update(self) -> None:
        self.make_button.setEnabled(self._allowed and self.chosen is not None
                                    and self.folder is not None)

    def choose_folder(self) -> None:
        folder = ask_folder(self, _("Folder for the subject access bundle"))
        if folder is not None:
            self.folder = folder
            self.folder_text.setText(str(folder))
        self._update()

    def make(self) -> None:
        chosen, folder = self.chosen, self.folder
        if chosen is None or folder is None:
            return
        self.make_button.setEnabled(False)

        def done(result: Any) -> None:
            self.result = result
            self._update()
            self.open_button.setVisible(True)
            self.outcome.setText("\n".join([
                _("Made the bundle for {name} in {folder}:").format(name=chosen.name,
                                                                   folder=folder),
                (_("  • to send: {pdf}, {json} and the photo {photo}").format(
                    pdf=result.pdf_path.name, json=result.json_path.name,
                    photo=result.photo_path.name) if result.photo_path is not None else
                 _("  • to send: {pdf} and {json}").format(pdf=result.pdf_path.name,
                                                           json=result.json_path.name)),
                _("  • for staff only, read before sending: {file}").format(
                    file=result.review_path.name),
                ngettext("{n} observation and {events} audit events; {r} note had another "
                         "pupil's name replaced.",
                         "{n} observations and {events} audit events; {r} notes had another "
                         "pupil's name replaced.", len(result.redactions)).format(
                    n=result.observations, events=result.audit_events,
                    r=len(result.redactions)),
            ]))

        def failed(exc: Exception) -> None:
            self._update()
            prompts.error(self, exc)

        self._tasks.run(lambda _progress: self._sar.write(chosen.admission_number, folder),
                        done, failed, label=_("Making the subject access bundle…"),
                        parent=self)

    def _open_folder(self) -> None:
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))


class RecordsPage(QWidget):
    def __init__(self, services: Any, tasks: Any, session: Any = None) -> None:
        super().__init__()
        self.setWindowTitle(_("Records"))
        self._context = services.context
        heading = QLabel(_("Records: new year, retention and subject access"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        self.who = _note()
        self.rollover = RolloverTab(services, tasks)
        self.erasure = ErasureTab(services, tasks)
        self.sar = SubjectAccessTab(services, tasks)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rollover, _("New academic year"))
        self.tabs.addTab(self.erasure, _("Retention and erasure"))
        self.tabs.addTab(self.sar, _("Subject access"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.who)
        layout.addWidget(self.tabs, 1)
        changed = getattr(session, "staff_changed", None)
        if changed is not None:  # who may do this depends on who is at the desk
            changed.connect(lambda _staff: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        allowed = {action: self._context.can(action) for action in ACTIONS}
        self.rollover.set_allowed(allowed["rollover"])
        self.erasure.set_allowed(settings=allowed["settings"], erase=allowed["erase"],
                                 passports=self._context.can("passport.print"))
        self.sar.set_allowed(allowed["sar"])
        self.erasure.refresh()
        actor = self._context.actor
        if all(allowed.values()) or actor is None:
            self.who.setVisible(False)
            self.who.setText("")
        else:
            self.who.setVisible(True)
            self.who.setText(_(
                "Only an admin can start a new academic year, change how long leavers' "
                "records are kept, erase a pupil's records or make a subject access bundle. "
                "You are signed in as {name} ({role}): ask an admin if one of these is "
                "needed.").format(name=actor.name, role=role_label(actor.role)))


def make_page(services: Any, tasks: Any, session: Any = None) -> RecordsPage:
    return RecordsPage(services, tasks, session)
