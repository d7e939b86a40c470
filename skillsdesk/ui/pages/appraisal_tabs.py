"""The tabs of the Appraisal page: each shows one part of a cycle and has a small form to add to
it. A tab only builds the request; the page runs it through ``tasks.run`` and hands the new
view back to every tab (``show``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.appraisal import ADULT_FROM_STEP, AppraisalView, WeekCounts, setting_label
from skillsdesk.domain.records import SETTINGS, FrameworkInfo, SkillInfo
from skillsdesk.i18n import _
from skillsdesk.ui.pages.careers_common import fill_table, index_of, make_table, selected_data
from skillsdesk.ui.prompts import accessible

Submit = Callable[[Callable[[], Any]], None]  # the page runs the work and shows the result


def _date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = accessible(QDateEdit(QDate(day.year, day.month, day.day)), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def day_of(edit: QDateEdit) -> dt.date:
    return edit.date().toPython()  # type: ignore[no-any-return]


def _skill_combo(framework: FrameworkInfo, name: str, optional: bool = False) -> QComboBox:
    combo = accessible(QComboBox(), name)
    if optional:
        combo.addItem(_("(no particular skill)"), None)
    for skill in framework.skills:
        combo.addItem(skill.name, skill.id)
    return combo


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d %b %Y") if day else ""


class _Tab(QWidget):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit) -> None:
        super().__init__()
        self.framework, self.today, self.submit = framework, today, submit
        self.cycle_id: uuid.UUID | None = None
        self.layout_ = QVBoxLayout(self)

    def set_writable(self, writable: bool) -> None:
        self.form_box.setEnabled(writable)

    def form(self) -> QFormLayout:
        self.form_box = QWidget()
        layout = QFormLayout(self.form_box)
        self.layout_.addWidget(self.form_box)
        return layout


class SelfAssessmentTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.table = make_table([_("Skill"), _("Step"), _("Comment"), _("Date")], "self")
        self.layout_.addWidget(self.table, 1)
        form = self.form()
        self.skill = _skill_combo(framework, _("Skill"))
        self.step = accessible(QComboBox(), _("Step"))
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

    def _skill(self) -> SkillInfo:
        return next(s for s in self.framework.skills if s.id == self.skill.currentData())

    def _fill_steps(self) -> None:
        skill = self._skill()
        self.step.clear()
        for step in skill.steps:
            text = step.descriptor if len(step.descriptor) < 90 else step.descriptor[:88] + "…"
            self.step.addItem(_("Step {n}: {text}").format(n=step.number, text=text),
                              step.number)
            self.step.setItemData(self.step.count() - 1, step.descriptor,
                                  Qt.ItemDataRole.ToolTipRole)
        self.step.setCurrentIndex(index_of(self.step, max(ADULT_FROM_STEP, skill.lowest)))

    def _save(self) -> None:
        cycle, skill, step = self.cycle_id, self.skill.currentData(), self.step.currentData()
        comment, day = self.comment.text(), day_of(self.day)
        self.submit(lambda: self._service.self_assess(cycle, skill, step, comment, day))
        self.comment.clear()

    def show(self, view: AppraisalView) -> None:  # type: ignore[override]
        rows = sorted(view.self_assessments, key=lambda a: (a.skill_name, a.assessed_on))
        fill_table(self.table, [(a.skill_name, a.step, a.comment, _fmt(a.assessed_on))
                                for a in rows], [a.id for a in rows])


class PracticeTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.table = make_table([_("Date"), _("Skill"), _("Setting"), _("What was seen"),
                                 _("By")], "practice")
        self.layout_.addWidget(self.table, 1)
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
                   [p.id for p in view.practice])


class TargetsTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.table = make_table([_("Target"), _("Skill"), _("Agreed"), _("Review by"), _("Met")],
                                "targets")
        self.layout_.addWidget(self.table, 1)
        self.met = QPushButton(_("Mark the chosen target met today"))
        self.met.clicked.connect(self._met)
        self.layout_.addWidget(self.met)
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

    def set_writable(self, writable: bool) -> None:
        super().set_writable(writable)
        self.met.setEnabled(writable)

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
                   [t.id for t in view.targets])


class TrainingTab(_Tab):
    def __init__(self, framework: FrameworkInfo, today: dt.date, submit: Submit,
                 service: Any) -> None:
        super().__init__(framework, today, submit)
        self._service = service
        self.table = make_table([_("Date"), _("Course or session"), _("Hours"), _("Skill"),
                                 _("What changed in practice")], "training")
        self.layout_.addWidget(self.table, 1)
        self.total = QLabel()
        self.layout_.addWidget(self.total)
        form = self.form()
        self.day = _date_edit(today, _("Date"))
        self.title = accessible(QLineEdit(), _("Course or session"))
        self.hours = accessible(QDoubleSpinBox(), _("Hours"))
        self.hours.setRange(0.25, 200)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(1.0)
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

    def show(self, view: AppraisalView) -> None:  # type: ignore[override]
        fill_table(self.table, [(_fmt(t.attended_on), t.title, f"{t.hours:g}", t.skill_name or "",
                                 t.changed) for t in view.training],
                   [t.id for t in view.training])
        self.total.setText(_("{hours:g} hours of training in {year}.").format(
            hours=view.training_hours, year=view.cycle.academic_year))


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
        layout.addWidget(self.weeks, 2)
        layout.addWidget(QLabel(_("Each skill at lunchtime across the school this year")))
        self.school = make_table([_("Skill"), _("Observations"), _("Children")], "lunch-school")
        layout.addWidget(self.school, 1)

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


def row_layout(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
