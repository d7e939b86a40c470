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

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.permissions import role_label
from skillsdesk.i18n import N_, _, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.records_erasure import ErasureTab
from skillsdesk.ui.records_rollover import RolloverTab
from skillsdesk.ui.records_widgets import (
    PupilFinder,
    ask_folder,
    heading_label,
    note_label,
)

TITLE = N_("Records")  # the navigation label: the window builds the page when first shown

ACTIONS = ("rollover", "settings", "erase", "sar")
REQUIRES = ACTIONS  # the navigation hides Records from roles that can do none of these


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
        intro = note_label(_(
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
        self.outcome = note_label()
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(_("Subject access")))
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
        # A greyed button says what it is waiting for.
        waiting = {(True, True): _("Choose a pupil and a folder first."),
                   (True, False): _("Choose a pupil first."),
                   (False, True): _("Choose a folder first.")}
        self.make_button.setToolTip(waiting.get((self.chosen is None, self.folder is None), "")
                                    if self._allowed else "")

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
        self.who = note_label()
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
            changed.connect(self._on_staff_changed)  # bound: dropped when the lock deletes us
        self.refresh()

    def _on_staff_changed(self, _staff: Any) -> None:
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
