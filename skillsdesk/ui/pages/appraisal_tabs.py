"""The tabs of the Appraisal page: each shows one part of a cycle and has a small form to add to
it, and Edit…/Delete… (buttons, double-click and the table's context menu) for the chosen row.
A tab only builds the request; the page runs it through ``tasks.run`` and hands the new view
back to every tab (``show``). Dialogs go through ``prompts`` so tests answer them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.appraisal import ADULT_FROM_STEP, AppraisalView, WeekCounts, setting_label
from skillsdesk.domain.records import SETTINGS, FrameworkInfo, SkillInfo
from skillsdesk.i18n import N_, _, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.pages.careers_common import fill_table, index_of, make_table, selected_data
from skillsdesk.ui.prompts import accessible

Submit = Callable[[Callable[[], Any]], None]  # the page runs the work and shows the result
# The page runs a correction or deletion so that it can be undone: (kind, entry id, work, the
# Undo menu's text, whether it deletes).
Change = Callable[[str, uuid.UUID, Callable[[], Any], str, bool], None]


def _date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = accessible(QDateEdit(QDate(day.year, day.month, day.day)), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def day_of(edit: QDateEdit) -> dt.date:
    return edit.date().toPython()  # type: ignore[no-any-return]


def _skill_combo(framework: FrameworkInfo, name: str, optional: bool = False,
                 current: uuid.UUID | None = None) -> QComboBox:
    combo = accessible(QComboBox(), name)
    _fill_skills(combo, framework, optional)
    combo.setCurrentIndex(index_of(combo, current))
    return combo


def _fill_skills(combo: QComboBox, framework: FrameworkInfo, optional: bool) -> None:
    combo.blockSignals(True)
    combo.clear()
    if optional:
        combo.addItem(_("(no particular skill)"), None)
    for skill in framework.skills:
        combo.addItem(skill.name, skill.id)
    combo.blockSignals(False)


def _put_steps(combo: QComboBox, skill: SkillInfo, current: int | None = None) -> None:
    combo.clear()
    for step in skill.steps:
        text = step.descriptor if len(step.descriptor) < 90 else step.descriptor[:88] + "…"
        combo.addItem(_("Step {n}: {text}").format(n=step.number, text=text) if text else
                      _("Step {n}").format(n=step.number), step.number)
        combo.setItemData(combo.count() - 1, step.descriptor, Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(index_of(combo, max(ADULT_FROM_STEP, skill.lowest)
                                   if current is None else current))


def _step_combo() -> QComboBox:
    """Steps carry long descriptors: the combo does not grow to fit them (tooltips hold them)."""
    combo = accessible(QComboBox(), _("Step"))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(40)
    return combo


def _text_edit(value: str, name: str) -> QPlainTextEdit:
    edit = accessible(QPlainTextEdit(value), name)
    edit.setMaximumHeight(80)
    return edit


class EntryDialog(QDialog):
    """Correct one entry: the same fields as the tab's form, filled in; ``fields`` by name."""

    def __init__(self, parent: QWidget, title: str,
                 rows: list[tuple[str, str, QWidget]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        self.fields: dict[str, Any] = {}
        for key, label, widget in rows:
            form.addRow(label, widget)
            self.fields[key] = widget
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def hours_of_training(hours: float, year: str) -> str:
    """As on the appraisal record: whole hours choose the plural form, a fraction that of 2."""
    count = int(hours) if hours == int(hours) else 2
    return ngettext("{hours:g} hour of training in {year}.",
                    "{hours:g} hours of training in {year}.", count).format(hours=hours, year=year)


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d %b %Y") if day else ""


class _Tab(QWidget):
    edit_title = ""  # the Edit dialog's title
    kind = ""  # the service's name for this kind of entry
    undo_edit = ""  # Edit > Undo's text after a correction / a deletion
    undo_delete = ""

    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit) -> None:
        super().__init__()
        self.framework, self.today, self.submit = framework, today, submit
        self.cycle_id: uuid.UUID | None = None
        self.entries: dict[uuid.UUID, Any] = {}
        self.writable = False
        self.change: Change | None = None  # set by the page: changes that can be undone
        self.layout_ = QVBoxLayout(self)
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.edit_button.clicked.connect(self.edit_chosen)
        self.delete_button.clicked.connect(self.delete_chosen)

    def add_table(self, table: QTableWidget, *extra: QWidget) -> None:
        """The tab's table, with Edit…/Delete… under it, on double-click and on right-click."""
        self.table = table
        self.layout_.addWidget(table, 1)
        self.layout_.addLayout(row_layout(*extra, self.edit_button, self.delete_button))
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._menu)
        table.itemSelectionChanged.connect(self._update_actions)
        table.cellDoubleClicked.connect(lambda _row, _column: self.edit_chosen())

    def _menu(self, point: QPoint) -> None:
        if self.chosen() is None or not self.writable:
            return
        menu = QMenu(self)
        menu.addAction(_("Edit…"), self.edit_chosen)
        menu.addAction(_("Delete…"), self.delete_chosen)
        menu.popup(self.table.viewport().mapToGlobal(point))

    def set_writable(self, writable: bool, why: str = "") -> None:
        """``why``: the sentence shown under a greyed form, saying who may fill it in."""
        self.writable = writable
        self.form_box.setEnabled(writable)
        shown = "" if writable else why
        self.form_box.setToolTip(shown)
        self.why.setText(shown)
        self.why.setVisible(bool(shown))
        self._update_actions()

    def _update_actions(self) -> None:
        on = self.writable and self.chosen() is not None
        self.edit_button.setEnabled(on)
        self.delete_button.setEnabled(on)

    def set_framework(self, framework: FrameworkInfo) -> None:
        """The cycle's framework (a school may appraise staff on another one)."""
        if framework.code != self.framework.code:
            self.framework = framework
            for combo, optional in self.skill_combos():
                _fill_skills(combo, framework, optional)
                combo.setCurrentIndex(0)
            self.framework_changed()

    def framework_changed(self) -> None:
        """After the skill lists changed (the self-assessment refills its steps)."""

    def skill_combos(self) -> list[tuple[QComboBox, bool]]:
        return [(self.skill, False)]

    def chosen(self) -> Any:
        return self.entries.get(selected_data(self.table))

    def edit_chosen(self) -> None:
        entry = self.chosen()
        if entry is None or not self.writable:
            return
        dialog = EntryDialog(self, _(self.edit_title), self.edit_rows(entry))
        if prompts.run(dialog) == QDialog.DialogCode.Accepted:
            self._change(entry, self.edit_work(entry, dialog.fields), _(self.undo_edit), False)

    def delete_chosen(self) -> None:
        entry = self.chosen()
        if entry is None or not self.writable:
            return
        if prompts.confirm(self, _("Delete"), self.describe(entry)):
            self._change(entry, self.delete_work(entry), _(self.undo_delete), True)

    def _change(self, entry: Any, work: Callable[[], Any], text: str, deleting: bool) -> None:
        if self.change is None:
            self.submit(work)
        else:
            self.change(self.kind, entry.id, work, text, deleting)

    def keep(self, entries: Any) -> list[uuid.UUID]:
        self.entries = {e.id: e for e in entries}
        return list(self.entries)

    def after_show(self) -> None:
        self._update_actions()

    # Each tab defines these (a QWidget cannot also be an abc.ABC: the metaclasses clash):
    # the edit dialog's rows, the edit and delete requests, the sentence to confirm.
    def edit_rows(self, entry: Any) -> list[tuple[str, str, QWidget]]:
        raise NotImplementedError

    def edit_work(self, entry: Any, fields: dict[str, Any]) -> Callable[[], Any]:
        raise NotImplementedError

    def delete_work(self, entry: Any) -> Callable[[], Any]:
        raise NotImplementedError

    def describe(self, entry: Any) -> str:
        raise NotImplementedError

    def form(self) -> QFormLayout:
        self.form_box = QWidget()
        layout = QFormLayout(self.form_box)
        self.layout_.addWidget(self.form_box)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.hide()
        self.layout_.addWidget(self.why)
        return layout


class SelfAssessmentTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.add_table(make_table([_("Skill"), _("Step"), _("Comment"), _("Date")], "self"))
        form = self.form()
        self.skill = _skill_combo(framework, _("Skill"))
        self.step = _step_combo()
        self.comment = accessible(QLineEdit(), _("Comment"))
        self.day = _date_edit(today, _("Date"))
        self.save = QPushButton(_("Save self-assessment"))
        form.addRow(_("Skill"), self.skill)
        form.addRow(_("The step I am at"), self.step)
        form.addRow(_("Comment"), self.comment)
        form.addRow(_("Date"), self.day)
        form.addRow("", self.save)
        self.skill.currentIndexChanged.connect(self._fill_steps)
        self.save.clicked.connect(self._save)
        self._fill_steps()

    edit_title = N_("Correct a self-assessment")
    kind = "self_assessment"
    undo_edit = N_("Correct self-assessment")
    undo_delete = N_("Delete self-assessment")

    def _skill(self, skill_id: Any = None) -> SkillInfo:
        wanted = self.skill.currentData() if skill_id is None else skill_id
        return next(s for s in self.framework.skills if s.id == wanted)

    def _fill_steps(self) -> None:
        _put_steps(self.step, self._skill())

    def framework_changed(self) -> None:
        self._fill_steps()

    def edit_rows(self, entry: Any) -> list[tuple[str, str, QWidget]]:
        skill = _skill_combo(self.framework, _("Skill"), current=entry.skill_id)
        step = _step_combo()
        _put_steps(step, self._skill(entry.skill_id), entry.step)
        skill.currentIndexChanged.connect(
            lambda _i: _put_steps(step, self._skill(skill.currentData())))
        return [("skill", _("Skill"), skill), ("step", _("The step I am at"), step),
                ("comment", _("Comment"), accessible(QLineEdit(entry.comment), _("Comment"))),
                ("day", _("Date"), _date_edit(entry.assessed_on, _("Date")))]

    def edit_work(self, entry: Any, fields: dict[str, Any]) -> Callable[[], Any]:
        skill, step = fields["skill"].currentData(), fields["step"].currentData()
        comment, day = fields["comment"].text(), day_of(fields["day"])
        return lambda: self._service.edit_self_assessment(entry.id, skill=skill, step=step,
                                                          comment=comment, day=day)

    def delete_work(self, entry: Any) -> Callable[[], Any]:
        return lambda: self._service.delete_self_assessment(entry.id)

    def describe(self, entry: Any) -> str:
        return _("Delete the self-assessment of {skill} (step {step}, {date})?").format(
            skill=entry.skill_name, step=entry.step, date=_fmt(entry.assessed_on))

    def _save(self) -> None:
        cycle, skill, step = self.cycle_id, self.skill.currentData(), self.step.currentData()
        comment, day = self.comment.text(), day_of(self.day)
        self.submit(lambda: self._service.self_assess(cycle, skill, step, comment, day))
        self.comment.clear()

    def show(self, view: AppraisalView) -> None:  # type: ignore[override]
        rows = sorted(view.self_assessments, key=lambda a: (a.skill_name, a.assessed_on))
        fill_table(self.table, [(a.skill_name, a.step, a.comment, _fmt(a.assessed_on))
                                for a in rows], self.keep(rows))
        self.after_show()


class PracticeTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.add_table(make_table([_("Date"), _("Skill"), _("Setting"), _("What was seen"),
                                   _("By")], "practice"))
        form = self.form()
        self.skill = _skill_combo(framework, _("Skill"))
        self.setting = accessible(QComboBox(), _("Setting"))
        for code in SETTINGS:
            self.setting.addItem(setting_label(code), code)
        self.day = _date_edit(today, _("Date"))
        self.seen = accessible(QPlainTextEdit(), _("What was seen"))
        self.seen.setPlaceholderText(_("For example: helped two children take turns, resolved a "
                                       "disagreement, included someone left out…"))
        self.seen.setMaximumHeight(70)
        self.save = QPushButton(_("Add observation of practice"))
        form.addRow(_("Skill"), self.skill)
        form.addRow(_("Setting"), self.setting)
        form.addRow(_("Date"), self.day)
        form.addRow(_("What was seen"), self.seen)
        form.addRow("", self.save)
        self.save.clicked.connect(self._save)

    edit_title = N_("Correct an observation of practice")
    kind = "practice"
    undo_edit = N_("Correct observation of practice")
    undo_delete = N_("Delete observation of practice")

    def edit_rows(self, entry: Any) -> list[tuple[str, str, QWidget]]:
        setting = accessible(QComboBox(), _("Setting"))
        for code in SETTINGS:
            setting.addItem(setting_label(code), code)
        setting.setCurrentIndex(index_of(setting, entry.setting))
        return [("skill", _("Skill"), _skill_combo(self.framework, _("Skill"),
                                                   current=entry.skill_id)),
                ("setting", _("Setting"), setting),
                ("day", _("Date"), _date_edit(entry.observed_on, _("Date"))),
                ("seen", _("What was seen"), _text_edit(entry.seen, _("What was seen")))]

    def edit_work(self, entry: Any, fields: dict[str, Any]) -> Callable[[], Any]:
        skill, setting = fields["skill"].currentData(), fields["setting"].currentData()
        seen, day = fields["seen"].toPlainText(), day_of(fields["day"])
        return lambda: self._service.edit_practice(entry.id, skill=skill, seen=seen,
                                                   setting=setting, day=day)

    def delete_work(self, entry: Any) -> Callable[[], Any]:
        return lambda: self._service.delete_practice(entry.id)

    def describe(self, entry: Any) -> str:
        return _("Delete the observation of {skill} on {date}?").format(
            skill=entry.skill_name, date=_fmt(entry.observed_on))

    def default_setting(self, role: str) -> None:
        self.setting.setCurrentIndex(index_of(
            self.setting, "lunchtime" if role == "lunchtime" else "classroom"))

    def _save(self) -> None:
        cycle, skill, setting = self.cycle_id, self.skill.currentData(), self.setting.currentData()
        seen, day = self.seen.toPlainText(), day_of(self.day)
        self.submit(lambda: self._service.observe_practice(cycle, skill, seen, setting, day))
        self.seen.clear()

    def show(self, view: AppraisalView) -> None:  # type: ignore[override]
        fill_table(self.table, [(_fmt(p.observed_on), p.skill_name, setting_label(p.setting),
                                 p.seen, p.manager_name or "") for p in view.practice],
                   self.keep(view.practice))
        self.after_show()


class TargetsTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.met = QPushButton(_("Mark the chosen target met today"))
        self.met.clicked.connect(self._met)
        self.add_table(make_table([_("Target"), _("Skill"), _("Agreed"), _("Review by"),
                                   _("Met")], "targets"), self.met)
        form = self.form()
        self.text = accessible(QLineEdit(), _("Target"))
        self.skill = _skill_combo(framework, _("Skill"), optional=True)
        self.review = _date_edit(today + dt.timedelta(days=90), _("Review by"))
        self.save = QPushButton(_("Add target"))
        form.addRow(_("Target"), self.text)
        form.addRow(_("Skill"), self.skill)
        form.addRow(_("Review by"), self.review)
        form.addRow("", self.save)
        self.save.clicked.connect(self._save)

    edit_title = N_("Correct a target")
    kind = "target"
    undo_edit = N_("Correct target")
    undo_delete = N_("Delete target")

    def skill_combos(self) -> list[tuple[QComboBox, bool]]:
        return [(self.skill, True)]

    def _update_actions(self) -> None:
        super()._update_actions()
        self.met.setEnabled(self.writable and self.chosen() is not None)

    def edit_rows(self, entry: Any) -> list[tuple[str, str, QWidget]]:
        return [("text", _("Target"), accessible(QLineEdit(entry.text), _("Target"))),
                ("skill", _("Skill"), _skill_combo(self.framework, _("Skill"), optional=True,
                                                   current=entry.skill_id)),
                ("review", _("Review by"), _date_edit(entry.review_on, _("Review by")))]

    def edit_work(self, entry: Any, fields: dict[str, Any]) -> Callable[[], Any]:
        text, skill = fields["text"].text(), fields["skill"].currentData()
        review = day_of(fields["review"])
        return lambda: self._service.edit_target(entry.id, text=text, review_on=review,
                                                 skill=skill)

    def delete_work(self, entry: Any) -> Callable[[], Any]:
        return lambda: self._service.delete_target(entry.id)

    def describe(self, entry: Any) -> str:
        return _("Delete the target “{text}”?").format(text=entry.text)

    def _save(self) -> None:
        cycle, text, skill = self.cycle_id, self.text.text(), self.skill.currentData()
        review = day_of(self.review)
        self.submit(lambda: self._service.set_target(cycle, text, review, skill))
        self.text.clear()

    def _met(self) -> None:
        target = selected_data(self.table)
        if target is not None:
            today = self.today
            self.submit(lambda: self._service.target_met(target, today))

    def show(self, view: AppraisalView) -> None:  # type: ignore[override]
        fill_table(self.table, [(t.text, t.skill_name or "", _fmt(t.set_on), _fmt(t.review_on),
                                 _fmt(t.met_on) or _("not yet")) for t in view.targets],
                   self.keep(view.targets))
        self.after_show()


class TrainingTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.total = QLabel()
        self.add_table(make_table([_("Date"), _("Course or session"), _("Hours"), _("Skill"),
                                   _("What changed in practice")], "training"), self.total)
        form = self.form()
        self.day = _date_edit(today, _("Date"))
        self.title = accessible(QLineEdit(), _("Course or session"))
        self.hours = accessible(QDoubleSpinBox(), _("Hours"))
        self.hours.setRange(0.25, 200)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(1.0)
        # A number box as wide as its number, not the page.
        self.hours.setSizePolicy(QSizePolicy.Policy.Fixed, self.hours.sizePolicy().verticalPolicy())
        self.skill = _skill_combo(framework, _("Skill"), optional=True)
        self.changed = accessible(QLineEdit(), _("What changed in practice"))
        self.save = QPushButton(_("Add training"))
        for label, widget in ((_("Date"), self.day), (_("Course or session"), self.title),
                              (_("Hours"), self.hours), (_("Skill"), self.skill),
                              (_("What changed in practice"), self.changed), ("", self.save)):
            form.addRow(label, widget)
        self.save.clicked.connect(self._save)

    def _save(self) -> None:
        cycle, title, hours = self.cycle_id, self.title.text(), self.hours.value()
        day, skill, changed = day_of(self.day), self.skill.currentData(), self.changed.text()
        self.submit(lambda: self._service.log_training(cycle, title, hours, day, skill, changed))
        self.title.clear()
        self.changed.clear()

    edit_title = N_("Correct a training record")
    kind = "training"
    undo_edit = N_("Correct training record")
    undo_delete = N_("Delete training record")

    def skill_combos(self) -> list[tuple[QComboBox, bool]]:
        return [(self.skill, True)]

    def edit_rows(self, entry: Any) -> list[tuple[str, str, QWidget]]:
        hours = accessible(QDoubleSpinBox(), _("Hours"))
        hours.setRange(0.25, 200)
        hours.setSingleStep(0.5)
        hours.setValue(entry.hours)
        return [("day", _("Date"), _date_edit(entry.attended_on, _("Date"))),
                ("title", _("Course or session"),
                 accessible(QLineEdit(entry.title), _("Course or session"))),
                ("hours", _("Hours"), hours),
                ("skill", _("Skill"), _skill_combo(self.framework, _("Skill"), optional=True,
                                                   current=entry.skill_id)),
                ("changed", _("What changed in practice"),
                 accessible(QLineEdit(entry.changed), _("What changed in practice")))]

    def edit_work(self, entry: Any, fields: dict[str, Any]) -> Callable[[], Any]:
        day, title, hours = day_of(fields["day"]), fields["title"].text(), fields["hours"].value()
        skill, changed = fields["skill"].currentData(), fields["changed"].text()
        return lambda: self._service.edit_training(entry.id, title=title, hours=hours, day=day,
                                                   skill=skill, changed=changed)

    def delete_work(self, entry: Any) -> Callable[[], Any]:
        return lambda: self._service.delete_training(entry.id)

    def describe(self, entry: Any) -> str:
        return _("Delete the training “{title}” on {date}?").format(
            title=entry.title, date=_fmt(entry.attended_on))

    def show(self, view: AppraisalView) -> None:  # type: ignore[override]
        fill_table(self.table, [(_fmt(t.attended_on), t.title, f"{t.hours:g}", t.skill_name or "",
                                 t.changed) for t in view.training],
                   self.keep(view.training))
        self.after_show()
        self.total.setText(hours_of_training(view.training_hours, view.cycle.academic_year))


class LunchtimeTab(QWidget):
    """Counts only: what a supervisor logged of the children, and each skill across the school."""

    def __init__(self, framework: FrameworkInfo) -> None:
        super().__init__()
        self.framework = framework
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.weeks = make_table([_("Skill")], "lunch-weeks")
        layout.addWidget(self.weeks, 1)
        self.school_label = QLabel(_("Each skill at lunchtime across the school this year"))
        layout.addWidget(self.school_label)
        self.school = make_table([_("Skill"), _("Observations"), _("Children")], "lunch-school")
        layout.addWidget(self.school, 1)
        layout.addStretch(0)
        for table in (self.weeks, self.school):  # counts: no column stretched across the page
            table.horizontalHeader().setStretchLastSection(False)
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)

    def show_counts(self, counts: WeekCounts | None,
                    school: list[tuple[SkillInfo, int, int]] | None) -> None:
        if counts is None:
            self.note.setText(_("Lunchtime counts are kept for lunchtime supervisors."))
            self.weeks.setColumnCount(1)
            self.weeks.setRowCount(0)
        else:
            self.note.setText(_("{name} logged {n} lunchtime observations of children this "
                                "year, by skill and week (counts only).").format(
                name=counts.staff_name, n=counts.total()))
            headers = [_("Skill"), _("Total"), *[w.split("-", 1)[1] for w in counts.weeks]]
            self.weeks.setColumnCount(len(headers))
            self.weeks.setHorizontalHeaderLabels(headers)
            fill_table(self.weeks, [(s.name, counts.total(s.id),
                                     *[counts.cells.get((s.id, w), 0) for w in counts.weeks])
                                    for s in self.framework.skills])
        fill_table(self.school, [(s.name, n, kids) for s, n, kids in school or []])
        # No empty one-column table for someone who is not a lunchtime supervisor: the note
        # says why there is nothing.
        self.weeks.setVisible(counts is not None)
        self.school_label.setVisible(bool(school))  # school-wide counts are for managers
        self.school.setVisible(bool(school))
        for table in (self.weeks, self.school):
            _fit_rows(table)


def _fit_rows(table: QTableWidget) -> None:
    """No taller than its rows (and a scroll bar for many weeks), so both tables show whole
    on an ordinary window and the space left stays below them."""
    table.resizeColumnsToContents()
    table.setMaximumHeight(table.verticalHeader().length() + table.horizontalHeader().sizeHint()
                           .height() + table.horizontalScrollBar().sizeHint().height()
                           + 2 * table.frameWidth() + 2)


def row_layout(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
