"""A pupil's profile: per skill the step ladder, current and next step, the timeline of
observations (edit, delete, undo), a chart of steps over time, and targets."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import QDate, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.yeargroups import year_group_label
from skillsdesk.i18n import _, format_date
from skillsdesk.services.recording import TimelineItem
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.record_dialog import LEVEL_NAMES, SETTING_NAMES
from skillsdesk.ui.record_flow import RecordFlow
from skillsdesk.ui.undo import DeleteCommand, EditCommand

LEVEL_COLOURS = {1: QColor("#c77c02"), 2: QColor("#1f77b4"), 3: QColor("#2c8c3c")}
# Colour is never the only signal: each level has its own mark, and the chart names them.
LEVEL_MARKS = {1: "open circle", 2: "filled circle", 3: "filled square"}


class StepChart(QWidget):
    """Observations of one skill over time: date across, step up; colour and shape by level."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(180)  # room for the dates and the line naming the marks
        self._items: list[TimelineItem] = []
        self._highest = 15
        self.empty_text = _("Nothing recorded yet")  # said for the person looking (see below)
        accessible(self, _("Chart of steps over time"))

    def set_items(self, items: list[TimelineItem], highest: int) -> None:
        self._items = sorted(items, key=lambda i: i.observed_on)
        self._highest = max(1, highest)
        self.update()

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(36, 10, -10, -42)
        text = self.palette().color(self.foregroundRole())
        painter.setPen(QPen(text, 1))
        painter.drawRect(area)
        if not self._items:
            painter.drawText(area.adjusted(12, 0, -12, 0),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.empty_text)
            return
        first, last = self._items[0].observed_on, self._items[-1].observed_on
        span = max(1, (last - first).days)
        top = min(self._highest, max(i.step for i in self._items) + 1)
        for step in range(0, top + 1, max(1, top // 5)):
            y = area.bottom() - area.height() * step / top
            painter.drawText(QRectF(0, y - 8, 30, 16), Qt.AlignmentFlag.AlignRight, str(step))
        painter.drawText(QRectF(area.left(), area.bottom() + 4, 140, 16),
                         Qt.AlignmentFlag.AlignLeft, format_date(first, "medium"))
        painter.drawText(QRectF(area.right() - 140, area.bottom() + 4, 140, 16),
                         Qt.AlignmentFlag.AlignRight, format_date(last, "medium"))
        for item in self._items:
            x = area.left() + area.width() * (item.observed_on - first).days / span
            y = area.bottom() - area.height() * item.step / top
            self._mark(painter, item.level, QPointF(x, y), text)
        self._legend(painter, area, text)

    @staticmethod
    def _mark(painter: QPainter, level: int, at: QPointF, text: QColor) -> None:
        colour = LEVEL_COLOURS.get(level, text)
        if LEVEL_MARKS.get(level) == "open circle":
            painter.setPen(QPen(colour, 1.8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setPen(QPen(text, 0.5))
            painter.setBrush(colour)
        if LEVEL_MARKS.get(level) == "filled square":
            painter.drawRect(QRectF(at.x() - 4, at.y() - 4, 8, 8))
        else:
            painter.drawEllipse(at, 3.5, 3.5)

    def _legend(self, painter: QPainter, area: QRectF, text: QColor) -> None:
        """One line under the dates naming each mark, centred under the chart."""
        metrics = painter.fontMetrics()
        entries = [(level, LEVEL_NAMES[level]) for level in sorted(LEVEL_MARKS)]
        width = sum(14 + metrics.horizontalAdvance(label) + 16 for _level, label in entries)
        x = area.left() + max(0.0, (area.width() - width) / 2)
        y = area.bottom() + 30
        for level, label in entries:
            self._mark(painter, level, QPointF(x + 5, y), text)
            painter.setPen(QPen(text, 1))
            painter.drawText(QPointF(x + 14, y + metrics.ascent() / 2 - 1), label)
            x += 14 + metrics.horizontalAdvance(label) + 16


class EditDialog(QDialog):
    def __init__(self, item: TimelineItem, highest: int, today: dt.date, parent: Any) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit observation"))
        self.step = accessible(QSpinBox(), _("Step"))
        self.step.setRange(0, highest)
        self.step.setValue(item.step)
        self.level = accessible(QComboBox(), _("How"))
        for value, label in LEVEL_NAMES.items():
            self.level.addItem(label, value)
        self.level.setCurrentIndex(self.level.findData(item.level))
        self.setting = accessible(QComboBox(), _("Setting"))
        for code, label in SETTING_NAMES.items():
            self.setting.addItem(label, code)
        self.setting.setCurrentIndex(self.setting.findData(item.setting))
        day = item.observed_on
        self.date = accessible(QDateEdit(QDate(day.year, day.month, day.day)), _("Date"))
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.note = accessible(QPlainTextEdit(item.note or ""), _("Note"))
        self.staff_only = accessible(QCheckBox(_("Staff &only")), _("Staff only note"))
        self.staff_only.setToolTip(_("Never printed on passports or shown to families"))
        self.staff_only.setChecked(item.staff_only)
        form = QFormLayout(self)
        for label, widget in ((_("Step"), self.step), (_("How"), self.level),
                              (_("Setting"), self.setting), (_("Date"), self.date),
                              (_("Note"), self.note), ("", self.staff_only)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._item = item

    def changes(self) -> dict[str, Any]:
        day = self.date.date()
        values = {"step_number": self.step.value(), "level": self.level.currentData(),
                  "setting": self.setting.currentData(),
                  "observed_on": dt.date(day.year(), day.month(), day.day()),
                  "note": self.note.toPlainText().strip() or None,
                  "staff_only": self.staff_only.isChecked()}
        old = {"step_number": self._item.step, "level": self._item.level,
               "setting": self._item.setting, "observed_on": self._item.observed_on,
               "note": self._item.note, "staff_only": self._item.staff_only}
        return {k: v for k, v in values.items() if old[k] != v}


class ProfileDialog(QDialog):
    changed = Signal(object)  # tuple of pupil ids whose data changed

    def __init__(self, services: Any, pupil_id: uuid.UUID, tasks: Any, undo: Any, session: Any,
                 framework: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._school = services.school
        self._progress = services.progress
        self._recording = services.recording
        self._targets = services.targets
        self._passports = services.passports  # the families' returned slips
        self._tasks = tasks
        self._undo = undo
        self._session = session
        self._framework = framework
        self.recorder = RecordFlow(services, tasks, undo, session, self)
        # A lunchtime supervisor records in lunchtime mode only (DESIGN.md §8).
        self._may_record = services.context.can("observation.record")
        self._may_set_targets = services.context.can("target.set")
        # Lunchtime supervisors see only the observations they recorded themselves.
        self._own_only = not services.context.can("observation.read_own_groups")
        pupil = next(p for p in self._school.pupils() if p.id == pupil_id)
        self._pupil = pupil
        self._photo = services.photos.photo(pupil_id)  # None unless photo consent is recorded
        self.setWindowTitle(_("{name} — profile").format(name=pupil.display_name))
        # Wide enough for the timeline's notes, within a 1366x768 screen (and a smaller one).
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1200, screen.width() - 40), min(680, screen.height() - 40))
        self._build()
        self.reload()

    def _build(self) -> None:
        pupil = self._pupil
        heading = QLabel(f"<b style='font-size:16px'>{pupil.display_name}</b>  ·  "
                         f"{year_group_label(pupil.year_group)}  ·  {pupil.class_name or ''}")
        if self._photo:  # small, beside the name
            from base64 import b64encode

            heading.setText(f"<img src='data:image/jpeg;base64,{b64encode(self._photo).decode()}'"
                            f" height='48'>  {heading.text()}")
        self.skills = accessible(QListWidget(), _("Skills"))
        self.skills.setMaximumWidth(230)
        self.ladder = accessible(QListWidget(), _("Step ladder"))
        self.ladder.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.ladder.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart = StepChart()
        if self._own_only:  # "Nothing recorded yet" would read as: the child has nothing
            self.chart.empty_text = _(
                "You have not recorded anything for {name} in this skill yet. You see only "
                "the observations you recorded yourself.").format(name=pupil.display_name)
        self.timeline = accessible(QTableWidget(0, 6), _("Timeline of observations"))
        self.timeline.setHorizontalHeaderLabels([_("Date"), _("Step"), _("How"), _("Setting"),
                                                 _("Who"), _("Note")])
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        self.record_button = accessible(QPushButton(_("&Record…")), _("Record for this pupil"))
        if not self._may_record:  # refused on Save otherwise: say so before anything is typed
            self.record_button.setEnabled(False)
            self.record_button.setToolTip(
                _("Lunchtime supervisors record in lunchtime mode (View ▸ Lunchtime mode)."))
        self.edit_button = accessible(QPushButton(_("&Edit…")), _("Edit the chosen observation"))
        self.delete_button = accessible(QPushButton(_("&Delete")),
                                        _("Delete the chosen observation"))
        buttons = QHBoxLayout()
        for button in (self.record_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.chart)
        history_layout.addLayout(buttons)
        history_layout.addWidget(self.timeline)
        self.targets = accessible(QTableWidget(0, 4), _("Targets"))
        self.targets.setHorizontalHeaderLabels([_("Skill"), _("Step"), _("Due"), _("Met")])
        self.targets.verticalHeader().setVisible(False)
        self.targets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.target_step = accessible(QSpinBox(), _("Target step"))
        self.target_due = accessible(QDateEdit(), _("Target due date"))
        self.target_due.setDisplayFormat("dd/MM/yyyy")
        self.target_due.setCalendarPopup(True)
        due = self._school.today() + dt.timedelta(weeks=6)
        self.target_due.setDate(QDate(due.year, due.month, due.day))
        self.add_target = QPushButton(_("Set &target"))
        self.met_target = QPushButton(_("Mark &met"))
        if not self._may_set_targets:  # lunchtime supervisors read a pupil's targets only
            for widget in (self.target_step, self.target_due, self.add_target, self.met_target):
                widget.setEnabled(False)
                widget.setToolTip(_("Teachers and support staff set targets."))
        target_bar = QHBoxLayout()
        for widget in (QLabel(_("Step")), self.target_step, QLabel(_("Due")), self.target_due,
                       self.add_target, self.met_target):
            target_bar.addWidget(widget)
        target_bar.addStretch(1)
        targets = QWidget()
        targets_layout = QVBoxLayout(targets)
        targets_layout.addLayout(target_bar)
        targets_layout.addWidget(self.targets)
        tabs = QTabWidget()
        tabs.addTab(history, _("Timeline"))
        tabs.addTab(targets, _("Targets"))
        self.from_home = accessible(QListWidget(), _("What families told us on returned slips"))
        self.from_home.setWordWrap(True)
        tabs.addTab(self.from_home, _("From home"))
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.addWidget(self.summary)
        middle_layout.addWidget(self.ladder)
        split = QSplitter()
        split.addWidget(self.skills)
        split.addWidget(middle)
        split.addWidget(tabs)
        split.setSizes([180, 300, 720])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(split, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.skills.currentRowChanged.connect(lambda _row: self._show_skill())
        self.record_button.clicked.connect(self._on_record)
        self.edit_button.clicked.connect(self._on_edit)
        self.delete_button.clicked.connect(self._on_delete)
        self.timeline.currentCellChanged.connect(lambda *_cells: self._update_buttons())
        # Keyboard path: Enter edits the chosen observation and Delete deletes it (Enter would
        # otherwise reach the dialog's default button and open a new Record dialog).
        self.timeline.doubleClicked.connect(lambda _index: self._on_edit())
        self.timeline.installEventFilter(self)
        self.add_target.clicked.connect(self._on_add_target)
        self.met_target.clicked.connect(self._on_met)

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        row = max(0, self.skills.currentRow())
        self._position = {s.skill: s for s in
                          self._progress.for_pupils(self._framework, [self._pupil])[0].skills}
        self._items = self._recording.timeline(self._framework, self._pupil.id)
        self._target_rows = self._targets.for_pupil(self._framework, self._pupil.id)
        self.skills.blockSignals(True)
        self.skills.clear()
        for skill in self._framework.skills:
            current = self._position[skill.code].current
            label = _("{skill}: step {step}").format(
                skill=skill.name, step="–" if current is None else current)
            self.skills.addItem(QListWidgetItem(label))
        self.skills.blockSignals(False)
        self.skills.setCurrentRow(row)
        self._show_skill()
        self._show_targets()
        self._show_from_home()

    def current_skill(self) -> Any:
        return self._framework.skills[max(0, self.skills.currentRow())]

    def _show_skill(self) -> None:
        skill = self.current_skill()
        position = self._position[skill.code]
        self.ladder.clear()
        self._ladder_mark: QListWidgetItem | None = None  # the next (or current) step
        for step in reversed(skill.steps):
            if position.current is not None and step.number <= position.current:
                mark = "✓"
            elif step.number == position.next:
                mark = "→"
            else:
                mark = " "
            item = QListWidgetItem(f"{mark} {step.number}  {step.child or ''}")
            item.setToolTip(step.descriptor)
            self.ladder.addItem(item)
            if step.number in (position.next, position.current) and self._ladder_mark is None:
                self._ladder_mark = item
        self._scroll_ladder()
        lines = []
        for title, number in ((_("Current step"), position.current),
                              (_("Next step"), position.next)):
            step = next((s for s in skill.steps if s.number == number), None)
            if step is None:
                lines.append(_("<b>{title}</b>: none yet").format(title=title))
            else:
                lines.append(_("<b>{title}: {n}</b> — {descriptor}").format(
                    title=title, n=step.number, descriptor=step.descriptor))
        self.summary.setText("<br>".join(lines))
        items = [i for i in self._items if i.skill == skill.code]
        self.chart.set_items(items, skill.highest)
        self._shown = items
        self.timeline.setRowCount(len(items))
        for row, item in enumerate(items):
            values = (format_date(item.observed_on), str(item.step), LEVEL_NAMES[item.level],
                      SETTING_NAMES.get(item.setting, item.setting),
                      _("Family's slip") if item.source == "parent" else item.observer or "",
                      item.note or "")
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)  # the whole of a name or note cut short to fit
                self.timeline.setItem(row, column, cell)
            if item.staff_only:  # said in words, not only shown: never on passports
                cell = self.timeline.item(row, 5)
                cell.setText(_("[Staff only] {note}").format(note=item.note or ""))
                cell.setToolTip(_("Staff only: never printed on passports or shown to families"))
        self._fit_timeline()
        self._update_buttons()
        self.target_step.setRange(skill.lowest, skill.highest)
        self.target_step.setValue(position.next if position.next is not None else skill.highest)

    def _fit_timeline(self) -> None:
        """Columns as wide as their contents, but a long name in Who (or Setting) no longer
        pushes the note out of sight: they are cut short (the whole text is in the tooltip)."""
        widest = self.timeline.fontMetrics().averageCharWidth() * 24
        for column in range(5):
            self.timeline.resizeColumnToContents(column)
            if column in (3, 4) and self.timeline.columnWidth(column) > widest:
                self.timeline.setColumnWidth(column, widest)

    def _scroll_ladder(self) -> None:
        """The ladder lists the top step first: bring where the pupil is into view."""
        if self._ladder_mark is not None:
            self.ladder.scrollToItem(self._ladder_mark,
                                     QAbstractItemView.ScrollHint.PositionAtCenter)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._scroll_ladder()

    def _show_targets(self) -> None:
        names = {s.code: s.name for s in self._framework.skills}
        self.targets.setRowCount(len(self._target_rows))
        for row, target in enumerate(self._target_rows):
            values = (names[target.skill], str(target.step),
                      format_date(target.due_on) if target.due_on else "",
                      format_date(target.met_on) if target.met_on else _("not yet"))
            for column, value in enumerate(values):
                self.targets.setItem(row, column, QTableWidgetItem(value))

    def _show_from_home(self) -> None:
        """Every slip the family sent back, with or without a skill (issue #4)."""
        self.from_home.clear()
        for slip in self._passports.from_home(self._pupil):
            line = _("{date} · {skill}: {text}") if slip.skill else _("{date}: {text}")
            self.from_home.addItem(line.format(date=format_date(slip.on), skill=slip.skill,
                                               text=slip.text))

    # -- actions ------------------------------------------------------------------------------
    def _after_write(self, pupil_ids: tuple[uuid.UUID, ...]) -> None:
        self.reload()
        self.changed.emit(pupil_ids)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        if watched is self.timeline and event.type() == QEvent.Type.KeyPress \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            action = {Qt.Key.Key_Return: self.edit_button, Qt.Key.Key_Enter: self.edit_button,
                      Qt.Key.Key_Delete: self.delete_button}.get(Qt.Key(event.key()))
            if action is not None:
                if action.isEnabled():  # the chosen row is one this person may change
                    action.click()
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def _error(self, exc: Exception) -> None:
        prompts.error(self, exc)

    def _chosen(self) -> TimelineItem | None:
        row = self.timeline.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def _update_buttons(self) -> None:
        """Edit and Delete only for an observation this person may change (DESIGN.md §8: their
        own, or anyone's for an admin); the service refuses the rest anyway."""
        item = self._chosen()
        refused = item is not None and not item.editable
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(item is not None and item.editable)
            button.setToolTip(_("Only an admin can change someone else's observation; you can "
                                "change your own.") if refused else "")

    def _on_record(self) -> None:
        progress = self._progress.for_pupils(self._framework, [self._pupil])
        self.recorder.record(self._framework, progress, self.current_skill().code,
                             self._after_write, self._error)

    def _on_edit(self) -> None:
        item = self._chosen()
        if item is None:
            return
        dialog = EditDialog(item, self.current_skill().highest, self._school.today(), self)
        if prompts.run(dialog) == QDialog.DialogCode.Accepted and dialog.changes():
            self._undo.push(EditCommand(self._recording, self._framework, item.id,
                                        self._pupil.id, dialog.changes(), self._tasks,
                                        self._after_write, self._error))

    def _on_delete(self) -> None:
        item = self._chosen()
        if item is not None:
            self._undo.push(DeleteCommand(self._recording, [item.id], self._tasks,
                                          self._after_write, self._error))

    def _on_add_target(self) -> None:
        due = self.target_due.date()
        skill, step = self.current_skill().code, self.target_step.value()
        due_on = dt.date(due.year(), due.month(), due.day())
        self._tasks.run(lambda: self._targets.set(self._framework, self._pupil.id, skill, step,
                                                  due_on),
                        lambda _id: self.reload(), self._error)

    def _on_met(self) -> None:
        row = self.targets.currentRow()
        if 0 <= row < len(self._target_rows):
            target = self._target_rows[row]
            self._tasks.run(lambda: self._targets.met(target.id, target.met_on is None),
                            lambda _none: self.reload(), self._error)
