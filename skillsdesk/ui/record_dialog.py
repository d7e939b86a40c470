"""Record an observation for one pupil or many: keyboard first, Enter saves.

For a group the choices at the top apply to everyone; the table below is the quick per-pupil
pass (each pupil's step and level) before saving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.records import SETTINGS, FrameworkInfo, SkillInfo
from skillsdesk.domain.steprule import INDEPENDENTLY, SECURED, WITH_HELP
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.progress import PupilProgress
from skillsdesk.services.recording import MAX_NOTE, Entry
from skillsdesk.ui.prompts import accessible

LEVEL_NAMES = {WITH_HELP: _("With help"), INDEPENDENTLY: _("Independently"),
               SECURED: _("Secured (my judgement)")}
SETTING_NAMES = {"classroom": _("Classroom"), "lunchtime": _("Lunchtime"),
                 "playground": _("Playground"), "trip": _("Trip or visit"),
                 "employer": _("Employer activity"), "home": _("Home"), "online": _("Online")}
EACH_NEXT = -1


@dataclass(frozen=True)
class RecordRequest:
    skill: str
    entries: tuple[Entry, ...]
    setting: str
    observed_on: dt.date
    note: str | None


class _NoteEdit(QPlainTextEdit):
    """Enter saves the dialog (keyboard-only path); Shift+Enter starts a new line."""

    def __init__(self, dialog: QDialog) -> None:
        super().__init__()
        self._dialog = dialog

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._dialog.accept()
            return
        super().keyPressEvent(event)


class RecordDialog(QDialog):
    def __init__(self, framework: FrameworkInfo, pupils: list[PupilProgress], skill_code: str,
                 today: dt.date, parent: QWidget | None = None,
                 settings: tuple[str, ...] = SETTINGS) -> None:
        super().__init__(parent)
        self._framework = framework
        self._pupils = pupils
        self.setWindowTitle(ngettext("Record for {n} pupil", "Record for {n} pupils",
                                     len(pupils)).format(n=len(pupils)))
        self.setMinimumWidth(560)
        self.skill = accessible(QComboBox(), _("Skill"))
        for skill in framework.skills:
            self.skill.addItem(skill.name, skill.code)
        self.skill.setCurrentIndex(max(0, self.skill.findData(skill_code)))
        self.step = accessible(QComboBox(), _("Step"))
        self.about_step = QLabel()
        self.about_step.setWordWrap(True)
        self.about_step.setTextFormat(Qt.TextFormat.RichText)
        self.about_step.setMinimumHeight(70)
        self.levels = QButtonGroup(self)
        level_row = QHBoxLayout()
        for level, label in LEVEL_NAMES.items():
            button = accessible(QRadioButton(f"&{level} {label}"), label)
            self.levels.addButton(button, level)
            level_row.addWidget(button)
        self.levels.button(INDEPENDENTLY).setChecked(True)
        self.setting = accessible(QComboBox(), _("Setting"))
        for code in settings:
            self.setting.addItem(SETTING_NAMES[code], code)
        self.date = accessible(QDateEdit(QDate(today.year, today.month, today.day)), _("Date"))
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.note = accessible(_NoteEdit(self), _("Note"))
        self.note.setPlaceholderText(_("Optional: what did you see? (Enter saves, Shift+Enter "
                                       "for a new line)"))
        self.note.setFixedHeight(70)
        self.note.setTabChangesFocus(True)
        self.counter = QLabel()
        self.note.textChanged.connect(self._on_note_changed)
        form = QFormLayout()
        form.addRow(_("&Skill"), self.skill)
        form.addRow(_("S&tep"), self.step)
        form.addRow("", self.about_step)
        levels = QWidget()
        levels.setLayout(level_row)
        form.addRow(_("How"), levels)
        form.addRow(_("S&etting"), self.setting)
        form.addRow(_("&Date"), self.date)
        form.addRow(_("&Note"), self.note)
        form.addRow("", self.counter)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.table = QTableWidget(len(pupils), 3)
        self.table.setHorizontalHeaderLabels([_("Pupil"), _("Step"), _("How")])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(min(len(pupils), 6) * 34 + 30)
        accessible(self.table, _("Each pupil's step and level"))
        if len(pupils) > 1:
            layout.addWidget(QLabel(_("Adjust each pupil before saving:")))
            layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.skill.currentIndexChanged.connect(self._on_skill_changed)
        self.step.currentIndexChanged.connect(self._on_step_changed)
        self.levels.idClicked.connect(self._on_level_changed)
        self._on_skill_changed()
        self._on_note_changed()
        self.step.setFocus()

    # -- choices ------------------------------------------------------------------------------
    def current_skill(self) -> SkillInfo:
        return self._framework.skills[self.skill.currentIndex()]

    def _next_for(self, pupil: PupilProgress, skill: SkillInfo) -> int:
        position = next(p for p in pupil.skills if p.skill == skill.code)
        return position.next if position.next is not None else skill.highest

    def _on_skill_changed(self) -> None:
        skill = self.current_skill()
        self.step.blockSignals(True)
        self.step.clear()
        if len(self._pupils) > 1:
            self.step.addItem(_("Each pupil's next step"), EACH_NEXT)
        for step in skill.steps:
            label = f"{step.number} — {step.child}" if step.child else str(step.number)
            self.step.addItem(label, step.number)
        if len(self._pupils) == 1:
            self.step.setCurrentIndex(max(0, self.step.findData(
                self._next_for(self._pupils[0], skill))))
        self.step.blockSignals(False)
        self._fill_table()
        self._on_step_changed()

    def _fill_table(self) -> None:
        skill = self.current_skill()
        chosen = self.step.currentData()
        level = self.levels.checkedId()
        for row, pupil in enumerate(self._pupils):
            self.table.setItem(row, 0, QTableWidgetItem(pupil.pupil.display_name))
            spin = QSpinBox()
            spin.setRange(skill.lowest, skill.highest)
            spin.setValue(self._next_for(pupil, skill) if chosen == EACH_NEXT else chosen)
            accessible(spin, _("Step for {name}").format(name=pupil.pupil.display_name))
            self.table.setCellWidget(row, 1, spin)
            combo = QComboBox()
            for value, label in LEVEL_NAMES.items():
                combo.addItem(label, value)
            combo.setCurrentIndex(combo.findData(level))
            accessible(combo, _("How for {name}").format(name=pupil.pupil.display_name))
            self.table.setCellWidget(row, 2, combo)

    def _on_step_changed(self) -> None:
        skill = self.current_skill()
        number = self.step.currentData()
        if number == EACH_NEXT or number is None:
            number = self._next_for(self._pupils[0], skill)
        step = next((s for s in skill.steps if s.number == number), None)
        if step is not None and (step.descriptor or step.child):
            self.about_step.setText(_("<b>Step {n}</b>: {descriptor}<br><i>{child}</i>").format(
                n=step.number, descriptor=step.descriptor, child=step.child))
        else:
            self.about_step.setText(_("Step {n}").format(n=number))
        if self.step.currentData() not in (EACH_NEXT, None):
            for row in range(self.table.rowCount()):
                self.table.cellWidget(row, 1).setValue(self.step.currentData())

    def _on_level_changed(self, level: int) -> None:
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 2)
            combo.setCurrentIndex(combo.findData(level))

    def _on_note_changed(self) -> None:
        length = len(self.note.toPlainText())
        self.counter.setText(_("{n} of {limit} characters").format(n=length, limit=MAX_NOTE))

    # -- answer -------------------------------------------------------------------------------
    def request(self) -> RecordRequest:
        entries = []
        for row, pupil in enumerate(self._pupils):
            entries.append(Entry(pupil.pupil.id, self.table.cellWidget(row, 1).value(),
                                 self.table.cellWidget(row, 2).currentData()))
        day = self.date.date()
        note = self.note.toPlainText().strip() or None
        return RecordRequest(self.current_skill().code, tuple(entries),
                             self.setting.currentData(), dt.date(day.year(), day.month(), day.day()),
                             note)

