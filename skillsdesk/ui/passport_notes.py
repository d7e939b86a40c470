"""Beside the passports page: the teacher's comment and picked moments for one pupil, and the
form to key in what a family wrote on a returned slip. Both save through ``tasks.run``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.records import PupilInfo
from skillsdesk.i18n import _, format_date
from skillsdesk.services.passports import MAX_COMMENT, MOMENTS
from skillsdesk.ui.prompts import accessible, error


class CommentTab(QWidget):
    """What the teacher writes on one pupil's passport, and which moments it shows."""

    saved = Signal(str)

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._passports = services.passports
        self._tasks = tasks
        self.pupil: PupilInfo | None = None
        self.heading = QLabel(_("Choose a pupil in the list."))
        self.heading.setStyleSheet("font-weight: bold")
        self.comment = accessible(QPlainTextEdit(), _("Teacher's comment"))
        self.comment.setPlaceholderText(_("A few warm sentences for the family (optional)."))
        self.counter = QLabel()
        self.comment.textChanged.connect(self._count)
        self.moments = accessible(QListWidget(), _("Moments to show"))
        self.moments.itemChanged.connect(self._limit)
        self.save_button = QPushButton(_("Save comment and moments"))
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel(_("Comment")))
        layout.addWidget(self.comment, 1)
        layout.addWidget(self.counter)
        moments_label = QLabel(_("Moments to show (tick up to three; none ticked: the most "
                                 "recent ones)"))
        moments_label.setWordWrap(True)
        layout.addWidget(moments_label)
        layout.addWidget(self.moments, 2)
        layout.addWidget(self.save_button)
        self.setEnabled(False)

    def show_pupil(self, pupil: PupilInfo | None) -> None:
        self.pupil = pupil
        self.setEnabled(pupil is not None)
        self.moments.clear()
        self.comment.clear()
        if pupil is None:
            self.heading.setText(_("Choose a pupil in the list."))
            return
        self.heading.setText(pupil.display_name)
        note = self._passports.note(pupil)
        self.comment.setPlainText(note.teacher_comment)
        self.moments.blockSignals(True)
        for candidate in self._passports.candidates(pupil):
            item = QListWidgetItem(_("{date} · {skill}: {note}").format(
                date=format_date(candidate.on), skill=candidate.skill, note=candidate.note))
            item.setData(Qt.ItemDataRole.UserRole, candidate.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if candidate.id in note.picked
                               else Qt.CheckState.Unchecked)
            self.moments.addItem(item)
        self.moments.blockSignals(False)

    def picked(self) -> list[Any]:
        return [self.moments.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.moments.count())
                if self.moments.item(i).checkState() == Qt.CheckState.Checked]

    def _count(self) -> None:
        length = len(self.comment.toPlainText().strip())
        self.counter.setText(_("{n} of {limit} characters").format(n=length, limit=MAX_COMMENT))
        self.counter.setStyleSheet("color: #b00020" if length > MAX_COMMENT else "")

    def _limit(self, item: QListWidgetItem) -> None:
        if item.checkState() == Qt.CheckState.Checked and len(self.picked()) > MOMENTS:
            item.setCheckState(Qt.CheckState.Unchecked)  # a passport has room for three

    def save(self) -> None:
        pupil, comment, picked = self.pupil, self.comment.toPlainText(), self.picked()
        if pupil is None:
            return

        def work() -> None:
            self._passports.set_comment(pupil, comment)
            self._passports.pick(pupil, picked)

        self.save_button.setEnabled(False)
        self._tasks.run(work, lambda _r: self._done(pupil), self._failed)

    def _done(self, pupil: PupilInfo) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(_("Saved the comment and moments for {name}.").format(
            name=pupil.display_name))

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        error(self, exc)


class SlipTab(QWidget):
    """Key in a returned slip: what the family noticed at home."""

    saved = Signal(str)

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._passports = services.passports
        self._school = services.school
        self._tasks = tasks
        self.pupil: PupilInfo | None = None
        self.who = QLabel(_("Choose a pupil in the list."))
        self.who.setStyleSheet("font-weight: bold")
        self.skill = accessible(QComboBox(), _("Skill"))
        self.skill.addItem(_("No particular skill"), None)
        for skill in services.frameworks.current().skills:
            self.skill.addItem(skill.name, skill.code)
        today = self._school.today()
        self.date = accessible(QDateEdit(QDate(today.year, today.month, today.day)),
                               _("Date on the slip"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMMM yyyy")
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.text = accessible(QPlainTextEdit(), _("What the family wrote"))
        self.text.setPlaceholderText(_("Type what the family wrote, in their words."))
        self.save_button = QPushButton(_("Save the slip"))
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(_("Pupil"), self.who)
        form.addRow(_("Skill (optional)"), self.skill)
        form.addRow(_("Date"), self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("What we noticed at home")))
        layout.addWidget(self.text, 1)
        explain = QLabel(_("Saved as something the family told us: it shows on the pupil's "
                           "next passport and on their profile (From home, and in the skill's "
                           "timeline when it is about one). It never secures a step by "
                           "itself."))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(self.save_button)
        self.setEnabled(False)

    def show_pupil(self, pupil: PupilInfo | None) -> None:
        self.pupil = pupil
        self.setEnabled(pupil is not None)
        self.who.setText(pupil.display_name if pupil else _("Choose a pupil in the list."))

    def save(self) -> None:
        pupil = self.pupil
        if pupil is None:
            return
        text, code = self.text.toPlainText(), self.skill.currentData()
        on = self.date.date().toPython()

        def work() -> None:
            self._passports.add_family_note(pupil, text, on, code)

        self.save_button.setEnabled(False)
        self._tasks.run(work, lambda _r: self._done(pupil), self._failed)

    def _done(self, pupil: PupilInfo) -> None:
        self.save_button.setEnabled(True)
        self.text.clear()
        self.saved.emit(_("Saved the slip from {name}'s family.").format(name=pupil.display_name))

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        error(self, exc)
