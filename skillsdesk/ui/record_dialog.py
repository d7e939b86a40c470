"""Record an observation for one pupil or many: keyboard first, Enter saves.

For a group the choices at the top apply to everyone; the table below is the quick per-pupil
pass (each pupil's step and level) before saving.

While the dialog is open, what has been typed is kept as a draft (RELIABILITY.md G5): every few
seconds through the serial task runner, into the encrypted database, never a log. Cancel (or
Escape) discards it; saving clears it once the observation is stored; anything else that closes
the dialog (a crash, the desk locking) leaves it to be offered again to the same person.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
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
from skillsdesk.i18n import N_, _, ngettext
from skillsdesk.services.drafts import NoteDraft
from skillsdesk.services.progress import PupilProgress
from skillsdesk.services.recording import MAX_NOTE, Entry
from skillsdesk.ui.prompts import accessible

log = logging.getLogger(__name__)

Key = TypeVar("Key")


class ShownNames(Mapping[Key, str]):
    """Labels marked with ``N_()`` where they are declared and translated each time one is
    read (``[key]``, ``get``, ``items``), so a language chosen after this module was imported
    still applies. A plain dict of ``_()`` calls would keep the language of import time."""

    def __init__(self, marked: dict[Key, str]) -> None:
        self._marked = marked

    def __getitem__(self, key: Key) -> str:
        return _(self._marked[key])

    def __iter__(self) -> Iterator[Key]:
        return iter(self._marked)

    def __len__(self) -> int:
        return len(self._marked)


LEVEL_NAMES: ShownNames[int] = ShownNames({
    WITH_HELP: N_("With help"), INDEPENDENTLY: N_("Independently"),
    SECURED: N_("Secured (my judgement)")})
SETTING_NAMES: ShownNames[str] = ShownNames({
    "classroom": N_("Classroom"), "lunchtime": N_("Lunchtime"), "playground": N_("Playground"),
    "trip": N_("Trip or visit"), "employer": N_("Employer activity"), "home": N_("Home"),
    "online": N_("Online")})
EACH_NEXT = -1
AUTOSAVE_MS = 5_000  # G5: at most five seconds of typing lost


@dataclass(frozen=True)
class RecordRequest:
    skill: str
    entries: tuple[Entry, ...]
    setting: str
    observed_on: dt.date
    note: str | None
    staff_only: bool = False


class DraftKeeper:
    """One person's draft, written and cleared through the serial task runner (one writer)."""

    def __init__(self, drafts: Any, tasks: Any, staff_id: uuid.UUID | None) -> None:
        self._drafts = drafts
        self._tasks = tasks
        self.staff_id = staff_id

    def load(self) -> NoteDraft | None:
        return self._drafts.load(self.staff_id)

    def save(self, text: str, context: dict[str, Any]) -> None:
        drafts, staff = self._drafts, self.staff_id
        self._send(lambda: drafts.save(staff, text, context))

    def clear(self) -> None:
        drafts, staff = self._drafts, self.staff_id
        self._send(lambda: drafts.clear(staff))

    def _send(self, work: Callable[[], Any]) -> None:
        def guarded() -> Any:
            try:
                return work()
            except Exception as exc:  # the message could quote the note: log its kind only
                raise RuntimeError(f"draft not kept ({type(exc).__name__})") from None

        self._tasks.run(guarded, lambda _result: None,
                        lambda exc: log.warning("%s", exc))


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
                 settings: tuple[str, ...] = SETTINGS, *, keeper: DraftKeeper | None = None,
                 draft: NoteDraft | None = None, autosave_ms: int = AUTOSAVE_MS,
                 selected: Sequence[str] = (),
                 occasion: tuple[str, dt.date] | None = None) -> None:
        """``selected``: every skill selected in the grid, in the order they are recorded (one
        observation is of one skill; RecordFlow opens the next after a Save). ``occasion``: the
        setting and date chosen for the previous one of them."""
        super().__init__(parent)
        self.framework = framework
        self.selected = tuple(selected)
        self._framework = framework
        self._pupils = pupils
        self._keeper = keeper
        self._discarding = False
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
        self.staff_only = accessible(QCheckBox(_("Staff &only")), _("Staff only note"))
        self.staff_only.setToolTip(_("Never printed on passports or shown to families"))
        self.selection_note = self._selection_note(skill_code)
        form = QFormLayout()
        if len(pupils) == 1:  # whom this is about, in plain sight (a title bar may be hidden)
            self.who = QLabel(_("<b>{name}</b>").format(
                name=pupils[0].pupil.display_name.replace("&", "&amp;").replace("<", "&lt;")))
            form.addRow(_("Pupil"), self.who)
        form.addRow(_("&Skill"), self.skill)
        form.addRow(_("S&tep"), self.step)
        form.addRow("", self.about_step)
        levels = QWidget()
        levels.setLayout(level_row)
        form.addRow(_("How"), levels)
        form.addRow(_("S&etting"), self.setting)
        form.addRow(_("&Date"), self.date)
        form.addRow(_("&Note"), self.note)
        note_extras = QHBoxLayout()
        note_extras.setContentsMargins(0, 0, 0, 0)
        note_extras.addWidget(self.counter, 1)
        note_extras.addWidget(self.staff_only)
        form.addRow("", note_extras)
        layout = QVBoxLayout(self)
        if self.selection_note is not None:
            layout.addWidget(self.selection_note)
        layout.addLayout(form)
        # Parented to the dialog even when it is not shown (one pupil), so it never floats as a
        # hidden top-level window holding a pupil's name after the dialog has gone.
        self.table = QTableWidget(len(pupils), 3, self)
        self.table.setHorizontalHeaderLabels([_("Pupil"), _("Step"), _("How")])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(min(len(pupils), 6) * 34 + 30)
        # Tab goes from one pupil's controls to the next (see _set_tab_order), not cell by cell.
        self.table.setTabKeyNavigation(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        accessible(self.table, _("Each pupil's step and level"))
        if len(pupils) > 1:
            layout.addWidget(QLabel(_("Adjust each pupil before saving:")))
            layout.addWidget(self.table)
        else:
            self.table.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.discard)
        layout.addWidget(buttons)
        self.buttons = buttons
        self.skill.currentIndexChanged.connect(self._on_skill_changed)
        self.step.currentIndexChanged.connect(self._on_step_changed)
        self.levels.idClicked.connect(self._on_level_changed)
        self._on_skill_changed()
        self._on_note_changed()
        if occasion is not None:
            self._apply_occasion(*occasion)
        if draft is not None:
            self._apply_draft(draft)
        self.step.setFocus()
        self._kept = self.draft_state()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave)
        if keeper is not None:
            self.autosave_timer.start()

    def _selection_note(self, skill_code: str) -> QLabel | None:
        """Several skills were selected in the grid: say they come one at a time, and which
        follows this one, so nobody thinks the others were dropped."""
        if len(self.selected) < 2 or skill_code not in self.selected:
            return None
        names = {s.code: s.name for s in self._framework.skills}
        n, at = len(self.selected), self.selected.index(skill_code) + 1
        if at < n:
            text = ngettext(
                "You selected {n} skill in the grid. One observation is of one skill, so they "
                "come one at a time: this is {i} of {n}. Save opens {next} next (Cancel stops "
                "there).",
                "You selected {n} skills in the grid. One observation is of one skill, so they "
                "come one at a time: this is {i} of {n}. Save opens {next} next (Cancel stops "
                "there).", n).format(n=n, i=at, next=names.get(self.selected[at], ""))
        else:
            text = ngettext(
                "You selected {n} skill in the grid. One observation is of one skill, so they "
                "come one at a time: this is the last, {i} of {n}.",
                "You selected {n} skills in the grid. One observation is of one skill, so they "
                "come one at a time: this is the last, {i} of {n}.", n).format(n=n, i=at)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName("selectionNote")
        return label

    def _apply_occasion(self, setting: str, day: dt.date) -> None:
        index = self.setting.findData(setting)
        if index >= 0:
            self.setting.setCurrentIndex(index)
        self.date.setDate(QDate(day.year, day.month, day.day))

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
            if step.descriptor:  # shown while moving through the open list
                self.step.setItemData(self.step.count() - 1, step.descriptor,
                                      Qt.ItemDataRole.ToolTipRole)
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
            spin.valueChanged.connect(self._show_step)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Reading order: the shared choices top to bottom, each pupil's step and level row by
        row, then Save and Cancel (the per-pupil widgets are made after the buttons)."""
        chain: list[QWidget] = [self.skill, self.step, *self.levels.buttons(), self.setting,
                                self.date, self.note, self.staff_only]
        for row in range(self.table.rowCount() if len(self._pupils) > 1 else 0):
            chain += [self.table.cellWidget(row, 1), self.table.cellWidget(row, 2)]
        chain += [self.buttons.button(QDialogButtonBox.StandardButton.Save),
                  self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _on_step_changed(self) -> None:
        skill = self.current_skill()
        number = self.step.currentData()
        if number == EACH_NEXT or number is None:
            number = self._next_for(self._pupils[0], skill)
        self._show_step(number)
        if self.step.currentData() not in (EACH_NEXT, None):
            for row in range(self.table.rowCount()):
                self.table.cellWidget(row, 1).setValue(self.step.currentData())

    def _show_step(self, number: int) -> None:
        """The descriptor and child statement of the step being chosen (shared or per pupil)."""
        skill = self.current_skill()
        step = next((s for s in skill.steps if s.number == number), None)
        if step is not None and (step.descriptor or step.child):
            self.about_step.setText(_("<b>Step {n}</b>: {descriptor}<br><i>{child}</i>").format(
                n=step.number, descriptor=step.descriptor, child=step.child))
        else:
            self.about_step.setText(_("Step {n}").format(n=number))

    def _on_level_changed(self, level: int) -> None:
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 2)
            combo.setCurrentIndex(combo.findData(level))

    def _on_note_changed(self) -> None:
        length = len(self.note.toPlainText())
        self.counter.setText(_("{n} of {limit} characters").format(n=length, limit=MAX_NOTE))

    @property
    def pupils(self) -> list[PupilProgress]:
        """Whom the dialog records for, in its table's order."""
        return list(self._pupils)

    # -- draft (G5) ---------------------------------------------------------------------------
    def kept_draft(self) -> tuple[uuid.UUID | None, str, dict[str, Any]] | None:
        """Whose draft this dialog keeps and what is typed and chosen in it now, or None when
        it keeps no draft (the window keeps it when it must close, as after damage is found)."""
        if self._keeper is None:
            return None
        text, context = self.draft_state()
        return self._keeper.staff_id, text, context

    def draft_state(self) -> tuple[str, dict[str, Any]]:
        """The note and every choice, as the draft keeps them (JSON-friendly)."""
        day = self.date.date()
        rows = range(self.table.rowCount())
        return self.note.toPlainText(), {
            "pupil_ids": [str(p.pupil.id) for p in self._pupils],
            "framework": self._framework.code, "skill": self.current_skill().code,
            "step": self.step.currentData(), "level": self.levels.checkedId(),
            "steps": [str(self.table.cellWidget(r, 1).value()) for r in rows],
            "levels": [str(self.table.cellWidget(r, 2).currentData()) for r in rows],
            "setting": self.setting.currentData(),
            "observed_on": dt.date(day.year(), day.month(), day.day()).isoformat(),
            "staff_only": self.staff_only.isChecked()}

    def _apply_draft(self, draft: NoteDraft) -> None:
        context = draft.context
        index = self.skill.findData(context.get("skill"))
        if index >= 0:
            self.skill.setCurrentIndex(index)
        index = self.step.findData(context.get("step"))
        if index >= 0:
            self.step.setCurrentIndex(index)
        button = self.levels.button(_as_int(context.get("level")) or 0)
        if button is not None:
            button.setChecked(True)
            self._on_level_changed(self.levels.checkedId())
        for key, column in (("steps", 1), ("levels", 2)):
            values = context.get(key) or []
            if len(values) != self.table.rowCount():
                continue
            for row, value in enumerate(values):
                number = _as_int(value)
                widget = self.table.cellWidget(row, column)
                if number is None:
                    continue
                if column == 1:
                    widget.setValue(number)
                elif widget.findData(number) >= 0:
                    widget.setCurrentIndex(widget.findData(number))
        index = self.setting.findData(context.get("setting"))
        if index >= 0:
            self.setting.setCurrentIndex(index)
        try:
            day = dt.date.fromisoformat(str(context.get("observed_on")))
        except ValueError:
            day = None
        if day is not None:
            self.date.setDate(QDate(day.year, day.month, day.day))
        self.staff_only.setChecked(bool(context.get("staff_only")))
        self.note.setPlainText(draft.text)

    def autosave(self) -> None:
        """Keep what is on screen as the draft, if it changed since it was last kept."""
        if self._keeper is None:
            return
        state = self.draft_state()
        if state != self._kept:
            self._kept = state
            self._keeper.save(*state)

    def discard(self) -> None:
        """Cancel: the person chose to throw away what they typed, draft and all."""
        self._discarding = True
        self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.discard()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:  # noqa: D102 - every way the dialog closes
        self.autosave_timer.stop()
        if self._keeper is not None:
            if self._discarding:
                self._keeper.clear()
            else:  # saved (cleared once stored) or closed some other way: keep the latest
                self.autosave()
        super().done(result)

    # -- answer -------------------------------------------------------------------------------
    def request(self) -> RecordRequest:
        entries = []
        for row, pupil in enumerate(self._pupils):
            entries.append(Entry(pupil.pupil.id, self.table.cellWidget(row, 1).value(),
                                 self.table.cellWidget(row, 2).currentData()))
        day = self.date.date()
        note = self.note.toPlainText().strip() or None
        return RecordRequest(self.current_skill().code, tuple(entries),
                             self.setting.currentData(),
                             dt.date(day.year(), day.month(), day.day()), note,
                             self.staff_only.isChecked())


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
