"""The Self-audit and Action plan tabs of the careers page.

The self-audit shows each benchmark with its criteria; a person sets a status and notes their own
evidence per criterion, while the activities logged for that benchmark appear beside it on their
own. Saving keeps the audit as a dated snapshot; a new audit starts from the latest one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.benchmarks import (
    ACTION_STATUS_LABELS,
    NOT_STARTED,
    RAG_LABELS,
    STATUS_LABELS,
    STATUSES,
    ActionInfo,
    AuditEntry,
    score,
)
from skillsdesk.i18n import _, format_date, ngettext
from skillsdesk.services.careers_audit import AuditView
from skillsdesk.ui.pages.careers_common import (
    OVERDUE_BG,
    OVERDUE_FG,
    RAG_COLOURS,
    fill_table,
    index_of,
    make_table,
    needs_a_row,
    paint_row,
    selected_data,
    show_error,
)
from skillsdesk.ui.pages.careers_dialogs import ActionDialog

CODE_ROLE = Qt.ItemDataRole.UserRole


class AuditTab(QWidget):
    changed = Signal(str)

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._careers = services.careers
        self._school = services.school
        self._tasks = tasks
        self.view: AuditView | None = None
        self.status_boxes: dict[str, QComboBox] = {}
        self.evidence_edits: dict[str, QLineEdit] = {}
        self.benchmark_items: dict[str, QTreeWidgetItem] = {}
        self.choice = QComboBox()
        self.choice.setObjectName("auditChoice")
        self.choice.activated.connect(self._on_choice)
        today = self._careers.today()
        self.assessed_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.assessed_on.setCalendarPopup(True)
        self.assessed_on.setDisplayFormat("d MMM yyyy")
        self.assessed_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.assessed_by = QComboBox()
        self.assessed_by.setObjectName("assessedBy")
        for combo in (self.choice, self.assessed_by):  # long names must not widen the window
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.choice.setMinimumContentsLength(30)  # "New audit (starts from the latest)" whole
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Note, e.g. who took part in the review"))
        self.save_button = QPushButton(_("Save audit"))
        self.save_button.clicked.connect(self.save)
        self.writable = True  # the careers lead's (an admin's); others read it
        self.read_only = QLabel(_("Only an admin (the careers lead) changes the self-audit; "
                                  "you can read it here."))
        self.read_only.setWordWrap(True)
        self.read_only.hide()
        top = QHBoxLayout()
        for label, widget in ((_("Audit"), self.choice), (_("Assessed on"), self.assessed_on),
                              (_("By"), self.assessed_by)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(self.note, 1)
        second.addWidget(self.save_button)
        self.compared = QLabel()
        self.tree = QTreeWidget()
        self.tree.setObjectName("auditTree")
        self.tree.setHeaderLabels([_("Benchmark and criteria"), _("Status"), _("Your evidence"),
                                   _("Last audit")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 130), (2, 230), (3, 95)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self.tree.setWordWrap(True)
        self.tree.currentItemChanged.connect(lambda item, _old: self._show_evidence(item))
        self.evidence_box = QGroupBox(_("From the activities log"))
        self.intent = QLabel()
        self.intent.setWordWrap(True)
        self.linked = QListWidget()
        self.linked.setObjectName("linkedActivities")
        self.linked.setWordWrap(True)
        box = QVBoxLayout(self.evidence_box)
        box.addWidget(self.intent)
        box.addWidget(self.linked)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.evidence_box)
        splitter.setSizes([820, 260])
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.read_only)
        layout.addWidget(self.compared)
        layout.addWidget(splitter, 1)

    # -- loading ------------------------------------------------------------------------------
    def refresh(self, year: str | None = None) -> None:
        self._load(self.choice.currentData() if self.choice.currentIndex() > 0 else None,
                   fresh=self.choice.currentIndex() <= 0)

    def _on_choice(self, index: int) -> None:
        self._load(self.choice.itemData(index) if index > 0 else None, fresh=index == 0)

    def _load(self, audit_id: uuid.UUID | None, fresh: bool) -> None:
        def work() -> tuple[Any, ...]:
            audit = self._careers.audit
            view = audit.new_audit_view() if fresh else audit.view(audit_id)
            return audit.audits(), view, self._school.staff()

        self._tasks.run(work, lambda got: self._show(*got, fresh=fresh),
                        lambda exc: show_error(self, exc))

    def _show(self, audits: list[Any], view: AuditView, staff: list[Any], fresh: bool) -> None:
        self.view = view
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(_("New audit (starts from the latest)"), None)
        for audit in audits:
            self.choice.addItem(format_date(audit.assessed_on), audit.id)
        if not fresh and view.audit is not None:
            self.choice.setCurrentIndex(index_of(self.choice, view.audit.id))
        self.choice.blockSignals(False)
        chosen_by = self.assessed_by.currentData()
        self.assessed_by.clear()
        self.assessed_by.addItem(_("Not recorded"), None)
        for person in staff:
            if person.active and person.role in ("admin", "teacher"):
                self.assessed_by.addItem(person.name, person.id)
        source = view.audit
        day = self._careers.today() if fresh or source is None else source.assessed_on
        self.assessed_on.setDate(QDate(day.year, day.month, day.day))
        by = chosen_by if fresh or source is None else source.assessed_by_id
        self.assessed_by.setCurrentIndex(index_of(self.assessed_by, by))
        self.note.setText("" if fresh or source is None else source.note)
        if view.audit is None:
            self.compared.setText(_("No audit saved yet: set a status for each criterion, then "
                                    "save."))
        elif fresh:
            self.compared.setText(_("A new audit, starting from the one of {date}. Saving keeps "
                                    "that one as it was.").format(
                date=format_date(view.audit.assessed_on)))
        elif view.previous is not None:
            self.compared.setText(_("Compared with the audit of {date}.").format(
                date=format_date(view.previous.assessed_on)))
        else:
            self.compared.setText(_("The first audit saved: nothing to compare with."))
        self._fill_tree(view)

    def _fill_tree(self, view: AuditView) -> None:
        benchmarks = self._careers.benchmarks()
        self.tree.clear()
        self.status_boxes.clear()
        self.evidence_edits.clear()
        self.benchmark_items.clear()
        # A new audit's "previous" is the latest saved one, which it also starts from.
        before = view.previous
        before_status = {e.criterion: e.status for e in before.entries} if before else {}
        for change, benchmark in zip(view.changes, benchmarks.benchmarks, strict=True):
            top = QTreeWidgetItem([f"{benchmark.code} {benchmark.name}", "", "", ""])
            top.setData(0, CODE_ROLE, benchmark.code)
            top.setToolTip(0, benchmark.intent)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            self.benchmark_items[benchmark.code] = top
            for criterion in benchmark.criteria:
                entry = view.audit.entry(criterion.code) if view.audit else None
                child = QTreeWidgetItem([f"{criterion.code} {criterion.text}", "", "",
                                         _(STATUS_LABELS[before_status[criterion.code]])
                                         if criterion.code in before_status else "–"])
                child.setData(0, CODE_ROLE, benchmark.code)
                child.setToolTip(0, criterion.text)
                top.addChild(child)
                combo = QComboBox()
                combo.setObjectName(f"status:{criterion.code}")
                for status in STATUSES:
                    combo.addItem(_(STATUS_LABELS[status]), status)
                combo.setCurrentIndex(STATUSES.index(entry.status if entry else NOT_STARTED))
                combo.currentIndexChanged.connect(lambda _i: self._rescore())
                edit = QLineEdit(entry.evidence if entry else "")
                edit.setObjectName(f"evidence:{criterion.code}")
                self.tree.setItemWidget(child, 1, combo)
                self.tree.setItemWidget(child, 2, edit)
                self.status_boxes[criterion.code] = combo
                self.evidence_edits[criterion.code] = edit
            top.setExpanded(True)
            if change.before is not None:
                top.setText(3, f"{_(RAG_LABELS[change.before.rag])}, {change.before.percentage}%")
        self._rescore()
        self.set_writable(self.writable)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def set_writable(self, writable: bool) -> None:
        """Read only for those who may not change it: boxes that could be changed but never
        saved would be a dead end (Save audit is hidden from them)."""
        self.writable = writable
        for widget in (self.assessed_on, self.assessed_by, self.note,
                       *self.status_boxes.values()):
            widget.setEnabled(writable)
        for edit in self.evidence_edits.values():
            edit.setReadOnly(not writable)
        self.read_only.setVisible(not writable)

    def entries(self) -> list[AuditEntry]:
        benchmarks = self._careers.benchmarks()
        return [AuditEntry(benchmarks.benchmark_of(code) or "", code, box.currentData(),
                           self.evidence_edits[code].text())
                for code, box in self.status_boxes.items()]

    def _rescore(self) -> None:
        """RAG and percentage follow the statuses as they are changed."""
        if self.view is None:
            return
        for result in score(self._careers.benchmarks(), self.entries()):
            item = self.benchmark_items.get(result.code)
            if item is None:
                continue
            linked = len(self.view.evidence.get(result.code, ()))
            item.setText(1, _("{rag}, {pct}%").format(rag=_(RAG_LABELS[result.rag]),
                                                     pct=result.percentage))
            item.setBackground(1, QBrush(RAG_COLOURS[result.rag]))
            item.setText(2, ngettext("{n} activity logged", "{n} activities logged",
                                     linked).format(n=linked))

    def _show_evidence(self, item: QTreeWidgetItem | None) -> None:
        if item is None or self.view is None:
            return
        code = item.data(0, CODE_ROLE)
        benchmark = self._careers.benchmarks().get(code)
        linked = self.view.evidence.get(code, ())
        self.evidence_box.setTitle(_("{code}: from the activities log").format(code=code))
        # A criterion's full wording, which the tree has to cut short; else the benchmark's aim.
        self.intent.setText(item.toolTip(0) or (benchmark.intent if benchmark else ""))
        self.linked.clear()
        self.linked.addItems([_("{date} · {title} ({n} pupils)").format(
            date=format_date(a.held_on), title=a.title, n=a.pupil_count) for a in linked]
            or [_("No activity logged for {code} this year yet.").format(code=code)])

    def save(self) -> None:
        entries = self.entries()
        day: dt.date = self.assessed_on.date().toPython()  # type: ignore[assignment]
        by, note = self.assessed_by.currentData(), self.note.text()

        def saved(audit: Any) -> None:
            self.choice.blockSignals(True)
            self.choice.addItem(format_date(audit.assessed_on), audit.id)
            self.choice.setCurrentIndex(self.choice.count() - 1)
            self.choice.blockSignals(False)
            self.changed.emit(_("Saved the self-audit of {date}.").format(
                date=format_date(audit.assessed_on)))

        self._tasks.run(lambda: self._careers.audit.save_audit(entries, day, by, note), saved,
                        lambda exc: show_error(self, exc))


class ActionPlanTab(QWidget):
    changed = Signal(str)

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._careers = services.careers
        self._school = services.school
        self._tasks = tasks
        self.rows: list[ActionInfo] = []
        self.dialog: ActionDialog | None = None
        self.add_button = QPushButton(_("Add an action…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.show_done = QCheckBox(_("Show done actions"))
        self.show_done.setChecked(True)
        self.show_done.toggled.connect(lambda _on: self.refresh())
        self.add_button.clicked.connect(lambda: self._open(None))
        self.edit_button.clicked.connect(self.edit_action)
        self.delete_button.clicked.connect(self.delete_action)
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdueLabel")
        bar = QHBoxLayout()
        for widget in (self.add_button, self.edit_button, self.delete_button, self.show_done):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.overdue_label)
        self.table = make_table([_("Benchmark"), _("Action"), _("Owner"), _("Due"), _("Status"),
                                 _("Evidence it is done"), _("Review note")], "actionTable")
        self.table.setWordWrap(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_action())
        self._update_buttons = needs_a_row(self.table, (self.edit_button, self.delete_button),
                                           _("Choose an action in the plan first."))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def refresh(self, year: str | None = None) -> None:
        self._tasks.run(self._careers.audit.actions, self._show, lambda exc: show_error(self, exc))

    def _show(self, actions: list[ActionInfo]) -> None:
        today = self._careers.today()
        self.rows = [a for a in actions if self.show_done.isChecked() or a.status != "done"]
        fill_table(self.table, [(a.benchmark, a.action, a.owner or "–", format_date(a.due_on),
                                 _(ACTION_STATUS_LABELS.get(a.status, a.status)),
                                 a.success_evidence, a.review_note) for a in self.rows],
                   [a.id for a in self.rows])
        self._update_buttons()
        late = 0
        for row, action in enumerate(self.rows):
            if action.overdue(today):
                late += 1
                paint_row(self.table, row, background=OVERDUE_BG,
                          tip=_("Overdue: due {date} and not done.").format(
                              date=format_date(action.due_on)))
                due = self.table.item(row, 3)
                due.setText(_("{date} (overdue)").format(date=format_date(action.due_on)))
                due.setForeground(OVERDUE_FG)
                font = due.font()
                font.setBold(True)
                due.setFont(font)
            elif action.status == "done":
                paint_row(self.table, row, foreground=QColor("#777777"))
        self.table.resizeRowsToContents()
        self.overdue_label.setText(ngettext("{n} action overdue", "{n} actions overdue",
                                            late).format(n=late) if late else "")
        self.overdue_label.setStyleSheet("color: #b3261e; font-weight: bold" if late else "")

    def selected(self) -> ActionInfo | None:
        chosen = selected_data(self.table)
        return next((a for a in self.rows if a.id == chosen), None)

    def edit_action(self) -> None:
        action = self.selected()
        if action is not None:
            self._open(action)

    def _open(self, action: ActionInfo | None) -> None:
        dialog = ActionDialog(self, today=self._careers.today(),
                              benchmarks=self._careers.benchmarks(), staff=self._school.staff(),
                              action=action)
        dialog.accepted.connect(lambda: self._save(dialog))
        self.dialog = dialog
        dialog.open()

    def _save(self, dialog: ActionDialog) -> None:
        draft, existing = dialog.draft(), dialog.action

        def work() -> ActionInfo:
            if existing is None:
                return self._careers.audit.add_action(draft)
            return self._careers.audit.update_action(existing.id, draft)

        def done(action: ActionInfo) -> None:
            self.dialog = None
            dialog.deleteLater()
            self.changed.emit(_("Saved the action for {code}.").format(code=action.benchmark))

        def failed(exc: Exception) -> None:
            show_error(self, exc)
            dialog.open()

        self._tasks.run(work, done, failed)

    def delete_action(self) -> None:
        action = self.selected()
        if action is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete action"),
                          _("Delete this action from the plan?\n\n{text}").format(
                              text=action.action), parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        self._tasks.run(lambda: self._careers.audit.delete_action(action.id),
                        lambda _none: self.changed.emit(_("Deleted the action.")),
                        lambda exc: show_error(self, exc))
