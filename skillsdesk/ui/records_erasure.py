"""Records ▸ Retention and erasure: how long leavers are kept, who is due, erasing a pupil
(after their admission number is typed), with their passport printed first if wanted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _, format_date, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.records_widgets import (
    EraseDialog,
    PupilFinder,
    ask_save_pdf,
    erasure_lines,
    note_label,
    pupil_line,
)


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
        self.leavers_note = note_label()
        due = QGroupBox(_("Leavers' records"))
        due_layout = QVBoxLayout(due)
        due_layout.addLayout(keep)
        due_layout.addWidget(self.leavers_note)
        due_layout.addWidget(self.leavers, 1)
        self.finder = PupilFinder(self._erasure.find, _("Find any pupil, on roll or a leaver:"))
        self.finder.chosen.connect(self._found_chosen)
        self.chosen_label = note_label(_("Choose a leaver in the list, or find a pupil."))
        # A pupil still on roll may be erased (a family's request), but it is rarely what is
        # meant: said beside the choice, never blocking (the typed admission number is the check).
        self.on_roll_note = note_label(_(
            "Still on roll: erasing is usually for pupils who have left and whose retention "
            "period is over."))
        self.on_roll_note.setStyleSheet("color: #8a4b00; font-weight: bold")
        self.on_roll_note.setVisible(False)
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
        self.outcome = note_label()
        pick = QGroupBox(_("Erase a pupil's records"))
        pick_layout = QVBoxLayout(pick)
        self.finder.results.setMaximumHeight(160)  # room below for what was removed
        pick_layout.addWidget(self.finder)
        pick_layout.addWidget(self.chosen_label)
        pick_layout.addWidget(self.on_roll_note)
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
        self.on_roll_note.setVisible(found is not None and found.left_on is None)
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
