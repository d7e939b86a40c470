"""Dialogs of the careers page: a careers activity, and an action of the action plan.

Each dialog only gathers what a person typed into a plain draft; the service checks it and says
what is wrong, and the page reopens the dialog with everything still filled in.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.benchmarks import (
    ACTION_STATUS_LABELS,
    ACTION_STATUSES,
    ActionDraft,
    ActionInfo,
    BenchmarkSet,
)
from skillsdesk.domain.careers import (
    AREA_LABELS,
    CRITERIA,
    CRITERION_LABELS,
    JOB_AREAS,
    KIND_LABELS,
    KINDS,
    ROLE_GENDER_LABELS,
    ROLE_GENDERS,
    SECTORS,
    ActivityDraft,
    ActivityInfo,
    RoleModel,
)
from skillsdesk.domain.records import GroupInfo, PupilInfo, SkillInfo, StaffInfo
from skillsdesk.i18n import _, ngettext
from skillsdesk.ui.pages.careers_common import (
    DATA_ROLE,
    checkable_list,
    checked_values,
    index_of,
    set_checked,
)


def _date_edit(value: dt.date, latest: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if latest is not None:
        edit.setMaximumDate(QDate(latest.year, latest.month, latest.day))
    return edit


def _combo(name: str, items: Sequence[tuple[str, object]], current: object = None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for label, value in items:
        combo.addItem(label, value)
    if current is not None:
        combo.setCurrentIndex(index_of(combo, current))
    return combo


class ActivityDialog(QDialog):
    """Record or edit one careers activity."""

    def __init__(self, parent: QWidget | None, *, today: dt.date, benchmarks: BenchmarkSet,
                 skills: Sequence[SkillInfo], classes: Sequence[GroupInfo],
                 pupils: Sequence[PupilInfo], activity: ActivityInfo | None = None) -> None:
        super().__init__(parent)
        self.activity = activity
        self.setWindowTitle(_("Edit careers activity") if activity else
                            _("Record a careers activity"))
        self.resize(940, 720)
        self._members: dict[str, list[uuid.UUID]] = {}
        for pupil in pupils:
            if pupil.class_name:
                self._members.setdefault(pupil.class_name, []).append(pupil.id)
        listed = {p.id for p in pupils}
        # Pupils who took part but are no longer listed (left, or another year's roll) stay in.
        self._hidden = tuple(p for p in (activity.pupil_ids if activity else ()) if p not in listed)
        a = activity
        self.date = _date_edit(a.held_on if a else today, today)
        self.title_edit = QLineEdit(a.title if a else "")
        self.title_edit.setPlaceholderText(_("e.g. Visit from a paramedic crew"))
        self.kind = _combo("kind", [(_(KIND_LABELS[k]), k) for k in KINDS], a.kind if a else None)
        self.partner = QLineEdit(a.partner if a else "")
        self.partner.setPlaceholderText(_("Employer or partner"))
        self.sector = QComboBox()
        self.sector.setEditable(True)
        self.sector.addItems([""] + [_(s) for s in SECTORS])
        self.sector.setCurrentText(a.sector if a else "")
        form = QFormLayout()
        form.addRow(_("Date"), self.date)
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Partner or employer"), self.partner)
        form.addRow(_("Sector"), self.sector)

        self.classes = checkable_list("classes", [(g.name, g.id, g.name) for g in classes],
                                      a.group_ids if a else ())
        self._class_names = {g.id: g.name for g in classes}
        self.pupils = checkable_list(
            "pupils", [(f"{p.display_name} ({p.class_name or '–'})", p.id, p.admission_number)
                       for p in pupils], a.pupil_ids if a else ())
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Find a pupil"))
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel()
        who = QGroupBox(_("Who took part"))
        grid = QGridLayout(who)
        grid.addWidget(QLabel(_("Classes (tick a class to tick its pupils)")), 0, 0)
        grid.addWidget(self.classes, 1, 0, 2, 1)
        grid.addWidget(self.filter, 0, 1)
        grid.addWidget(self.pupils, 1, 1)
        grid.addWidget(self.count, 2, 1)
        grid.setColumnStretch(1, 2)

        self.skills = checkable_list("skills", [(s.name, s.id, s.code) for s in skills],
                                     a.skill_ids if a else ())
        self.benchmarks = checkable_list(
            "benchmarks", [(f"{b.code} {b.name}", b.code, b.intent)
                           for b in benchmarks.benchmarks], a.benchmarks if a else ())
        criteria_box = QGroupBox(_("Meaningful encounter"))
        criteria_layout = QVBoxLayout(criteria_box)
        self.criteria: dict[str, QCheckBox] = {}
        for code in CRITERIA:
            box = QCheckBox(_(CRITERION_LABELS[code]))
            box.setObjectName(code)
            box.setChecked(bool(a and code in a.criteria))
            criteria_layout.addWidget(box)
            self.criteria[code] = box
        criteria_layout.addStretch(1)
        row = QHBoxLayout()
        for label, widget in ((_("Skills practised"), self.skills),
                              (_("Benchmarks evidenced"), self.benchmarks)):
            box = QGroupBox(label)
            QVBoxLayout(box).addWidget(widget)
            row.addWidget(box)
        row.addWidget(criteria_box)

        self.role_models = QTableWidget(0, 3)
        self.role_models.setObjectName("roleModels")
        self.role_models.setHorizontalHeaderLabels([_("Job"), _("Gender"), _("Area of work")])
        header = self.role_models.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 190)
        header.resizeSection(2, 250)
        self.role_models.verticalHeader().setVisible(False)
        for person in (a.role_models if a else ()):
            self.add_role_model(person)
        add_person = QPushButton(_("Add a person"))
        add_person.clicked.connect(lambda: self.add_role_model(None))
        remove_person = QPushButton(_("Remove"))
        remove_person.clicked.connect(lambda: self.role_models.removeRow(
            self.role_models.currentRow()))
        people = QGroupBox(_("Role models pupils met (for the stereotype check)"))
        people_layout = QGridLayout(people)
        people_layout.addWidget(self.role_models, 0, 0, 3, 1)
        people_layout.addWidget(add_person, 0, 1)
        people_layout.addWidget(remove_person, 1, 1)
        self.notes = QPlainTextEdit(a.notes if a else "")
        self.notes.setPlaceholderText(_("Evidence notes: what happened, where the evidence is"))
        self.notes.setFixedHeight(60)
        bottom = QHBoxLayout()
        bottom.addWidget(people, 3)
        notes_box = QGroupBox(_("Evidence notes"))
        QVBoxLayout(notes_box).addWidget(self.notes)
        bottom.addWidget(notes_box, 2)

        self.log_observations = QCheckBox(
            _("Also record an observation for these pupils in each skill practised (at their "
              "next step, seen independently)") if not (a and a.observations) else
            _("Also record observations for pupils who have none from this activity yet"))
        self.log_observations.setObjectName("logObservations")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(who, 3)
        layout.addLayout(row, 2)
        layout.addLayout(bottom, 2)
        layout.addWidget(self.log_observations)
        layout.addWidget(self.buttons)

        self.classes.itemChanged.connect(self._on_class_ticked)
        self.pupils.itemChanged.connect(lambda _item: self._update_count())
        self.filter.textChanged.connect(self._on_filter)
        self._update_count()

    def add_role_model(self, person: RoleModel | None) -> None:
        row = self.role_models.rowCount()
        self.role_models.insertRow(row)
        self.role_models.setItem(row, 0, QTableWidgetItem(person.job if person else ""))
        self.role_models.setCellWidget(row, 1, _combo(
            "gender", [(_(ROLE_GENDER_LABELS[g]), g) for g in ROLE_GENDERS],
            person.gender if person else None))
        self.role_models.setCellWidget(row, 2, _combo(
            "area", [(_(AREA_LABELS[x]), x) for x in JOB_AREAS], person.area if person else None))
        if person is None:
            self.role_models.setCurrentCell(row, 0)

    def _on_class_ticked(self, item: QListWidgetItem) -> None:
        name = self._class_names.get(item.data(DATA_ROLE), "")
        set_checked(self.pupils, self._members.get(name, []),
                    item.checkState() == Qt.CheckState.Checked)

    def _on_filter(self, text: str) -> None:
        needle = text.casefold()
        for i in range(self.pupils.count()):
            item = self.pupils.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _update_count(self) -> None:
        n = len(checked_values(self.pupils)) + len(self._hidden)
        self.count.setText(ngettext("{n} pupil took part", "{n} pupils took part", n).format(n=n))

    def draft(self) -> ActivityDraft:
        people = []
        for row in range(self.role_models.rowCount()):
            job = self.role_models.item(row, 0)
            text = job.text().strip() if job is not None else ""
            if text:
                gender = self.role_models.cellWidget(row, 1)
                area = self.role_models.cellWidget(row, 2)
                people.append(RoleModel(text, gender.currentData(), area.currentData()))  # type: ignore[union-attr]
        return ActivityDraft(
            held_on=self.date.date().toPython(),  # type: ignore[arg-type]
            title=self.title_edit.text(), kind=self.kind.currentData(),
            partner=self.partner.text(), sector=self.sector.currentText(),
            group_ids=tuple(checked_values(self.classes)),
            pupil_ids=tuple(checked_values(self.pupils)) + self._hidden,
            skill_ids=tuple(checked_values(self.skills)),
            benchmarks=tuple(checked_values(self.benchmarks)),
            criteria=frozenset(c for c, box in self.criteria.items() if box.isChecked()),
            role_models=tuple(people), notes=self.notes.toPlainText())


class ActionDialog(QDialog):
    """Add or edit one action of the careers action plan."""

    def __init__(self, parent: QWidget | None, *, today: dt.date, benchmarks: BenchmarkSet,
                 staff: Sequence[StaffInfo], action: ActionInfo | None = None,
                 benchmark: str | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(_("Edit action") if action else _("Add an action"))
        self.resize(560, 420)
        a = action
        self.benchmark = _combo("benchmark", [(f"{b.code} {b.name}", b.code)
                                              for b in benchmarks.benchmarks],
                                a.benchmark if a else benchmark)
        self.text = QPlainTextEdit(a.action if a else "")
        self.text.setObjectName("action")
        self.text.setPlaceholderText(_("What will be done"))
        self.text.setFixedHeight(70)
        self.owner = _combo("owner", [(_("No owner yet"), None)] + [
            (f"{p.name} ({p.job_title or p.role})", p.id) for p in staff if p.active],
            a.owner_id if a else None)
        self.due = _date_edit(a.due_on if a else today + dt.timedelta(days=60))
        self.due.setObjectName("due")
        self.status = _combo("status", [(_(ACTION_STATUS_LABELS[s]), s)
                                        for s in ACTION_STATUSES], a.status if a else None)
        self.success = QLineEdit(a.success_evidence if a else "")
        self.success.setObjectName("success")
        self.success.setPlaceholderText(_("How we will know it is done"))
        self.review = QPlainTextEdit(a.review_note if a else "")
        self.review.setObjectName("review")
        self.review.setFixedHeight(60)
        form = QFormLayout(self)
        form.addRow(_("Benchmark"), self.benchmark)
        form.addRow(_("Action"), self.text)
        form.addRow(_("Owner"), self.owner)
        form.addRow(_("Due"), self.due)
        form.addRow(_("Status"), self.status)
        form.addRow(_("Evidence it is done"), self.success)
        form.addRow(_("Review note"), self.review)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def draft(self) -> ActionDraft:
        return ActionDraft(
            benchmark=self.benchmark.currentData(), action=self.text.toPlainText(),
            owner_id=self.owner.currentData(),
            due_on=self.due.date().toPython(),  # type: ignore[arg-type]
            status=self.status.currentData(), success_evidence=self.success.text(),
            review_note=self.review.toPlainText())
