"""Backups: the list of verified backups, back up now, copy to a drive, restore, check.

Automatic backups are the main window's (its timer asks the backup service every few minutes),
so they go on whether or not this page was ever opened. Everything that touches the disk runs
through the task runner; refusals come back as a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, can
from skillsdesk.i18n import N_, _, format_date, pgettext
from skillsdesk.services.backups import BackupInfo
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.records_widgets import ask_folder
from skillsdesk.ui.table_model import Column, RowTableModel, row_table

TITLE = N_("Backups")  # the navigation label: the window builds the page when first shown
REQUIRES = ("backup", "restore")  # hidden in the navigation for other roles



def reason_label(reason: str | None) -> str:
    labels = {
        "manual": pgettext("backup", "Made by hand"),
        "auto": pgettext("backup", "Automatic"),
        "exit": pgettext("backup", "On closing"),
        "copy": pgettext("backup", "Copy for a drive"),
        "import": pgettext("backup", "Before an import"),
        "restore": pgettext("backup", "Before a restore"),
        "migration": pgettext("backup", "Before an upgrade"),
        "rollover": pgettext("backup", "Before the new year"),
        "erase": pgettext("backup", "Before an erasure"),
    }
    return labels.get(reason or "", reason or "")


def _made(item: BackupInfo) -> str:
    local = item.made_at.astimezone()
    return _("{date} {time}").format(date=format_date(local.date()), time=local.strftime("%H:%M"))


def _path(item: BackupInfo) -> str:
    return str(item.path)


def _counted(what: str) -> Callable[[BackupInfo], str]:
    """How many pupils or observations the backup holds; blank where its contents are unknown."""
    return lambda item: "" if item.contents is None else str(getattr(item.contents, what))


NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BackupModel(RowTableModel[BackupInfo]):
    columns = (
        Column(N_("Made"), _made, tooltip=_path),
        Column(N_("Why"), lambda item: reason_label(item.reason), tooltip=_path),
        Column(N_("Pupils"), _counted("pupils"), tooltip=_path, align=NUMBER),
        Column(N_("Observations"), _counted("observations"), tooltip=_path, align=NUMBER),
        Column(N_("Size"), lambda item: _("{n} MB").format(n=f"{item.size / 1_000_000:.1f}"),
               tooltip=_path, align=NUMBER),
        Column(N_("Checked"), lambda item: _("yes") if item.verified else _("no"),
               tooltip=_path),
    )


class BackupsPage(QWidget):
    def __init__(self, services: Any, tasks: Any, session: Any = None) -> None:
        super().__init__()
        self.setWindowTitle(_("Backups"))
        self._services = services
        self._backups = services.backups
        self._tasks = tasks
        self._session = session
        self.model = BackupModel(self)
        self._build()
        changed = getattr(session, "staff_changed", None)
        if changed is not None:  # who may restore depends on who is at the desk
            changed.connect(self._on_staff_changed)  # bound: dropped when the lock deletes us
        self.refresh()

    def _build(self) -> None:
        heading = QLabel(_("Backups"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = row_table(self.model, _("Backups, newest first"))
        self.backup_button = accessible(QPushButton(_("&Back up now")), _("Back up now"))
        self.copy_button = accessible(QPushButton(_("&Copy to a drive…")),
                                      _("Copy a backup to a drive"))
        self.restore_button = accessible(QPushButton(_("&Restore…")),
                                         _("Restore the chosen backup"))
        self.check_button = accessible(QPushButton(_("C&heck the database")),
                                       _("Check the database"))
        self.backup_button.clicked.connect(self.backup_now)
        self.copy_button.clicked.connect(self.copy_to_drive)
        self.restore_button.clicked.connect(self.restore_selected)
        self.check_button.clicked.connect(self.check)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.copy_button, self.restore_button,
                       self.check_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        note = QLabel(_("SkillsDesk keeps a checked backup at least every 30 minutes while "
                        "records change, and before every import, restore, new year and "
                        "erasure: 12 daily, 10 weekly and 9 monthly ones are kept."))
        note.setWordWrap(True)
        # The window's own text colour: a grey (palette mid) was about 2.4:1, too faint to read.
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(note)

    def _actor(self) -> Actor | None:
        staff = getattr(self._session, "staff", None) if self._session is not None else None
        if staff is None:
            return None
        return Actor(staff.id, staff.login, staff.name, staff.role)

    def _on_staff_changed(self, _staff: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        found = self._backups.list()
        self.model.set_rows(found)
        actor = self._actor()
        admin = actor is None or can(actor.role, "restore")
        self.restore_button.setEnabled(admin and bool(found))
        self.copy_button.setEnabled(actor is None or can(actor.role, "backup"))
        newest = next((b for b in found if b.verified), None)
        if self._backups.paused:
            text = _("A backup was restored: automatic backups are paused until SkillsDesk is "
                     "restarted, so the backups made before stay as they are.")
        elif newest is None:
            text = _("There is no backup yet. Press “Back up now”.")
        else:
            local = newest.made_at.astimezone()
            text = _("Newest checked backup: {date} at {time}.").format(
                date=format_date(local.date()), time=local.strftime("%H:%M"))
        self.status.setText(text)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _error(self, exc: Exception) -> None:
        prompts.error(self, exc)
        self.refresh()

    def backup_now(self) -> None:
        actor = self._actor()
        self.backup_button.setEnabled(False)

        def done(made: BackupInfo) -> None:
            self.backup_button.setEnabled(True)
            self.refresh()

        def failed(exc: Exception) -> None:
            self.backup_button.setEnabled(True)
            self._error(exc)

        self._tasks.run(lambda: self._backups.backup("manual", actor), done, failed)

    def copy_to_drive(self) -> None:
        folder = ask_folder(self, _("Copy a backup to…"))
        if folder is None:
            return
        actor = self._actor()

        def done(made: BackupInfo) -> None:
            text = _("A checked copy was written to {file}. It holds every pupil's records: keep "
                     "the drive locked away, and delete the copy when it is no longer "
                     "needed.").format(file=made.path)
            if made.keys_path is not None:
                text += "\n\n" + _("Its key file is beside it: {file}. Both are needed to open "
                                    "it.").format(file=made.keys_path.name)
            box = QMessageBox(QMessageBox.Icon.Warning, _("Backups"), text, parent=self)
            prompts.run(box)

        self._tasks.run(lambda: self._backups.copy_to(Path(folder), actor), done, self._error)

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            prompts.error(self, UserError(_("Choose a backup in the list first.")))
            return
        local = chosen.made_at.astimezone()
        question = _("Replace the records with the backup made on {date} at {time}? What is "
                     "there now is backed up first, so this can be undone.").format(
            date=format_date(local.date()), time=local.strftime("%H:%M"))
        if not prompts.confirm(self, _("Restore a backup"), question):
            return
        actor = self._actor()

        def done(result: Any) -> None:
            self.refresh()
            box = QMessageBox(QMessageBox.Icon.Information, _("Backups"), _(
                "Restored: {pupils} pupils, {observations} observations. Automatic backups are "
                "paused until SkillsDesk is restarted.").format(
                pupils=result.contents.pupils, observations=result.contents.observations),
                parent=self)
            prompts.run(box)
            window = self.window()
            reload = getattr(window, "reload", None)
            if reload is not None and window is not self:
                reload()

        self._tasks.run(lambda: self._backups.restore(chosen.path, actor), done, self._error)

    def check(self) -> None:
        from skillsdesk.services.health import check

        def done(report: Any) -> None:
            icon = QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning
            box = QMessageBox(icon, _("Check the database"), "\n".join(report.lines()),
                              parent=self)
            prompts.run(box)

        self._tasks.run(lambda: check(self._services.store), done, self._error)


def make_page(services: Any, tasks: Any, session: Any = None) -> BackupsPage:
    return BackupsPage(services, tasks, session)
