"""Small pieces of the Records page: finding a pupil (on roll or a leaver), the typed
confirmation before an erasure, choosing a file or folder through the prompts seam, and the
sentences that describe an erasure's result."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.i18n import _, format_date, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible


def note_label(text: str = "") -> QLabel:
    """A wrapped, selectable line of explanation."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading_label(text: str) -> QLabel:
    """A section heading inside a Records tab."""
    label = QLabel(text)
    label.setStyleSheet("font-size: 14px; font-weight: bold")
    label.setWordWrap(True)
    return label


def pupil_line(found: Any) -> str:
    """'Name (admission number 123), Year 4' or '…, left on 31 Aug 2027'."""
    if found.left_on is not None:
        return _("{name} (admission number {adno}), left on {date}").format(
            name=found.name, adno=found.admission_number, date=format_date(found.left_on))
    from skillsdesk.domain.yeargroups import year_group_label

    return _("{name} (admission number {adno}), {year}").format(
        name=found.name, adno=found.admission_number,
        year=year_group_label(found.year_group) if found.year_group else _("on roll"))


class PupilFinder(QWidget):
    """A search box and the pupils it finds; ``chosen`` carries the one picked (or None)."""

    chosen = Signal(object)

    def __init__(self, find: Callable[[str], list[Any]], label: str) -> None:
        super().__init__()
        self._find = find
        self.search = accessible(QLineEdit(), label)
        self.search.setPlaceholderText(_("Type a name or an admission number"))
        self.search.setClearButtonEnabled(True)
        self.results = accessible(QListWidget(), _("Pupils found"))
        self.results.setMinimumHeight(70)
        self.search.textChanged.connect(self.update_results)
        self.results.currentItemChanged.connect(
            lambda item, _old: self.chosen.emit(
                item.data(Qt.ItemDataRole.UserRole) if item is not None else None))
        caption = QLabel(label)
        caption.setBuddy(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)

    def update_results(self) -> None:
        text = self.search.text()
        self.results.clear()
        if not text.strip():
            return
        try:
            found = self._find(text)
        except Exception as exc:  # a refusal is said once, as a sentence
            prompts.error(self, exc)
            return
        for pupil in found:
            item = QListWidgetItem(pupil_line(pupil))
            item.setData(Qt.ItemDataRole.UserRole, pupil)
            self.results.addItem(item)
        if len(found) == 1:
            self.results.setCurrentRow(0)

    def clear_choice(self) -> None:
        self.results.blockSignals(True)
        self.results.setCurrentRow(-1)
        self.results.clearSelection()
        self.results.blockSignals(False)


class EraseDialog(QDialog):
    """'Type the admission number to confirm': the Erase button works only when it matches."""

    def __init__(self, name: str, admission_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Erase a pupil's records"))
        self.admission_number = admission_number
        text = QLabel(_(
            "Erase every record about {name}: their details, observations, notes, targets, "
            "class places and drafts. This cannot be undone; the audit trail will only say that "
            "a pupil was erased, and by whom.\n\nA backup is made first; it and "
            "the earlier backups keep the records until they age out.\n\nType the admission "
            "number, {adno}, to confirm:").format(
            name=name, adno=admission_number))
        text.setWordWrap(True)
        self.typed = accessible(QLineEdit(), _("Admission number, to confirm"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(_("Erase"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.erase_button.setEnabled(False)
        self.typed.textChanged.connect(
            lambda _text: self.erase_button.setEnabled(self.matches()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.typed)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def matches(self) -> bool:
        return self.typed.text().strip() == self.admission_number


def ask_save_pdf(parent: QWidget, title: str, suggested: str) -> Path | None:
    """A save dialog for one PDF, run through the prompts seam (tests call ``selectFile``)."""
    dialog = QFileDialog(parent, title, suggested, _("PDF files (*.pdf)"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    if prompts.run(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = dialog.selectedFiles()[0]
    return Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")


def ask_folder(parent: QWidget, title: str) -> Path | None:
    """A folder dialog, run through the prompts seam (tests call ``selectFile``)."""
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if prompts.run(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def table_label(table: str, n: int) -> str:
    """What a table's erased rows were, in words."""
    words = {
        "pupil": ngettext("{n} pupil record", "{n} pupil records", n),
        "observation": ngettext("{n} observation", "{n} observations", n),
        "group_member": ngettext("{n} place in a class or group",
                                 "{n} places in classes or groups", n),
        "target": ngettext("{n} target", "{n} targets", n),
        "family_note": ngettext("{n} note from home", "{n} notes from home", n),
        "passport_note": ngettext("{n} passport comment", "{n} passport comments", n),
        "pupil_photo": ngettext("{n} photo", "{n} photos", n),
        "draft": ngettext("{n} unsaved draft", "{n} unsaved drafts", n),
        "careers_activity_pupil": ngettext("{n} careers activity place",
                                           "{n} careers activity places", n),
        "careers_aspiration": ngettext("{n} careers aspiration", "{n} careers aspirations", n),
    }
    text = words.get(table)
    if text is None:
        return _("{n} rows in {table}").format(n=n, table=table)
    return text.format(n=n)


def erasure_lines(name: str, result: Any) -> list[str]:
    """What an erasure removed, what happened to the write-ahead log, and when backups age out."""
    out = [_("Erased {name} (admission number {adno}). Removed:").format(
        name=name, adno=result.admission_number)]
    order = sorted(result.rows.items(), key=lambda kv: (kv[0] != "pupil", kv[0]))
    out += ["  • " + table_label(table, n) for table, n in order if n]
    if result.wal_truncated:
        out.append(_("The write-ahead log was emptied, so no older copy is left in it."))
    else:
        out.append(_("The write-ahead log could not be emptied yet; it will be when SkillsDesk "
                     "next closes."))
    out.append(_("The backup made just before ({file}) and earlier backups still hold these "
                 "records.").format(file=result.backup.path.name))
    if result.backups_age_out_on is not None:
        out.append(_("With a backup at least daily, the last of them is removed by {date}. "
                     "Copies made on a drive must be deleted by hand.").format(
            date=format_date(result.backups_age_out_on)))
    return out
