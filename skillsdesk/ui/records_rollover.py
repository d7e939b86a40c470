"""Records ▸ New academic year: what rollover does, the plan from a dry run, then the run."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.records_widgets import (
    heading_label,
    note_label,
)


class RolloverTab(QWidget):
    """A wizard in three steps: what will happen, the plan and a confirmation, the result."""

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._rollover = services.rollover
        self._tasks = tasks
        self.plan: Any = None
        self.result: Any = None
        self.steps = QStackedWidget()
        self.steps.addWidget(self._intro())
        self.steps.addWidget(self._preview())
        self.steps.addWidget(self._done())
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)

    def _intro(self) -> QWidget:
        page = QWidget()
        text = note_label(_(
            "At the start of a new academic year:\n"
            "  • every pupil on roll moves up one year group;\n"
            "  • the classes are set up for the new year, named after their new year group "
            "(3 Oak becomes 4 Oak);\n"
            "  • Year 6 pupils leave: their records are kept as leavers' records, for the "
            "period set on the Retention and erasure tab;\n"
            "  • every earlier year's classes, observations and notes stay exactly as they "
            "were.\n\n"
            "A checked backup is made first. Nothing changes until you have seen the plan and "
            "said yes."))
        self.check_button = accessible(QPushButton(_("&Check what will happen…")),
                                       _("Check what the new year will do"))
        self.check_button.clicked.connect(self.check)
        self.refusal = note_label()
        self.refusal.setObjectName("refusal")
        self.refusal.setStyleSheet("color: #8a1c1c")
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(heading_label(_("Start a new academic year")))
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.refusal)
        layout.addStretch(1)
        return page

    def _preview(self) -> QWidget:
        page = QWidget()
        self.summary = note_label()
        self.classes = accessible(QTableWidget(0, 3), _("Classes for the new year"))
        self.classes.setHorizontalHeaderLabels(
            [_("Class now"), _("Class in the new year"), _("Pupils")])
        self.classes.verticalHeader().setVisible(False)
        self.classes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.classes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.agree = QCheckBox()
        self.agree.toggled.connect(lambda on: self.start_button.setEnabled(on))
        self.back_button = QPushButton(_("&Back"))
        self.back_button.clicked.connect(lambda: self.steps.setCurrentIndex(0))
        self.start_button = accessible(QPushButton(_("&Start the new year")),
                                       _("Start the new academic year"))
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.start_button)
        layout = QVBoxLayout(page)
        layout.addWidget(heading_label(_("What will happen")))
        layout.addWidget(self.summary)
        layout.addWidget(self.classes, 1)
        layout.addWidget(self.agree)
        layout.addLayout(row)
        return page

    def _done(self) -> QWidget:
        page = QWidget()
        self.outcome = note_label()
        finish = QPushButton(_("&Finish"))
        finish.clicked.connect(lambda: self.steps.setCurrentIndex(0))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(finish)
        layout = QVBoxLayout(page)
        layout.addWidget(heading_label(_("The new year has started")))
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    def set_allowed(self, allowed: bool) -> None:
        for widget in (self.check_button, self.back_button):
            widget.setEnabled(allowed)
        self.start_button.setEnabled(allowed and self.agree.isChecked())
        self.agree.setEnabled(allowed)
        if not allowed:  # another person at the desk: nothing of the last one's work shows
            self.steps.setCurrentIndex(0)
            self.refusal.setText("")

    def check(self) -> None:
        self.refusal.setText("")
        self.check_button.setEnabled(False)
        self._tasks.run(lambda _progress: self._rollover.plan(), self._show_plan,
                        self._refused, label=_("Working out the new year…"), parent=self)

    def _refused(self, exc: Exception) -> None:
        self.check_button.setEnabled(True)
        self.steps.setCurrentIndex(0)
        if isinstance(exc, UserError):
            self.refusal.setText(exc.message)  # "already set up", said where the person looks
        else:
            prompts.error(self, exc)

    def _show_plan(self, plan: Any) -> None:
        self.check_button.setEnabled(True)
        self.plan = plan
        lines = [
            ngettext("{n} pupil moves up a year group, from {old} to {new}.",
                     "{n} pupils move up a year group, from {old} to {new}.",
                     plan.moving_up).format(n=plan.moving_up, old=plan.from_year,
                                            new=plan.to_year),
            ngettext("{n} Year 6 pupil leaves; their records are kept as a leaver's.",
                     "{n} Year 6 pupils leave; their records are kept as leavers'.",
                     plan.leavers).format(n=plan.leavers),
            ngettext("{n} class is set up for {year}:", "{n} classes are set up for {year}:",
                     len(plan.classes)).format(n=len(plan.classes), year=plan.to_year),
        ]
        self.summary.setText("\n".join(lines))
        self.classes.setRowCount(len(plan.classes))
        for row, move in enumerate(plan.classes):
            for column, value in enumerate((move.old_name, move.new_name, str(move.pupils))):
                item = QTableWidgetItem(value)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.classes.setItem(row, column, item)
        self.agree.setText(_("I have checked this plan: start {year} now.").format(
            year=plan.to_year))
        self.agree.setChecked(False)
        self.start_button.setEnabled(False)
        self.steps.setCurrentIndex(1)

    def start(self) -> None:
        plan = self.plan
        if plan is None or not self.agree.isChecked():
            return
        question = _("Start {year} now? Pupils move up, new classes are set up and Year 6 "
                     "leave. A backup is made first; {old} stays as it is.").format(
            year=plan.to_year, old=plan.from_year)
        if not prompts.confirm(self, _("Start the new academic year"), question):
            return
        self.start_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self._tasks.run(lambda _progress: self._rollover.rollover(), self._finished,
                        self._failed, label=_("Starting the new academic year…"), parent=self)

    def _finished(self, result: Any) -> None:
        self.result = result
        self.back_button.setEnabled(True)
        self.outcome.setText("\n".join(result.lines()))
        self.agree.setChecked(False)
        self.steps.setCurrentIndex(2)
        window = self.window()
        reload = getattr(window, "reload", None)
        if reload is not None and window is not self:
            reload()

    def _failed(self, exc: Exception) -> None:
        self.back_button.setEnabled(True)
        self.agree.setChecked(False)
        self._refused(exc)
