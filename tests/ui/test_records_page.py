"""The Records page: the new-year wizard, retention and erasure with a typed confirmation,
the subject access bundle, and what a member of staff who is not an admin sees."""

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from skillsdesk.domain.permissions import Actor
from skillsdesk.services.container import open_services
from skillsdesk.ui import prompts
from skillsdesk.ui.pages.records import RecordsPage
from skillsdesk.ui.records_widgets import EraseDialog
from skillsdesk.ui.tasks import TaskRunner

NEXT_YEAR = dt.date(2027, 10, 5)  # the demo school's classes are for 2026/27


@pytest.fixture
def next_year(demo_dir: Path):  # type: ignore[no-untyped-def]
    """The demo school opened in the autumn after: the new year is not set up yet."""
    opened = open_services(demo_dir, today=NEXT_YEAR)
    yield opened
    opened.close()


class Answers:
    """Stands in for ``prompts.run``: types into the erase dialog, picks files, says Yes."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.shown: list[str] = []
        self.typed = ""
        self.file: Path | None = None
        self.erase_enabled: bool | None = None

    def __call__(self, dialog: Any) -> Any:
        if isinstance(dialog, EraseDialog):
            self.qtbot.keyClicks(dialog.typed, self.typed)
            self.erase_enabled = dialog.erase_button.isEnabled()
            return QDialog.DialogCode.Accepted
        if isinstance(dialog, QFileDialog):
            dialog.selectFile(str(self.file))
            return QDialog.DialogCode.Accepted
        self.shown.append(dialog.text())
        return QMessageBox.StandardButton.Yes


def _page(qtbot: Any, services: Any, monkeypatch: Any) -> tuple[RecordsPage, Answers, Any]:
    answers = Answers(qtbot)
    monkeypatch.setattr(prompts, "run", answers)
    tasks = TaskRunner()
    page = RecordsPage(services, tasks)
    qtbot.addWidget(page)
    return page, answers, tasks


def _click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _wait(qtbot: Any, condition: Callable[[], Any]) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=20_000)


def test_the_new_year_wizard_runs_once(qtbot, next_year, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = next_year
    before = {g.name: g.pupil_count for g in s.school.classes("2026/27")}
    page, answers, tasks = _page(qtbot, s, monkeypatch)
    wizard = page.rollover
    _click(qtbot, wizard.check_button)
    _wait(qtbot, lambda: wizard.steps.currentIndex() == 1)
    plan = wizard.plan
    assert plan.from_year == "2026/27" and plan.to_year == "2027/28"
    assert plan.moving_up > 0 and plan.leavers > 0
    assert f"{plan.moving_up} pupils move up" in wizard.summary.text()
    assert wizard.classes.rowCount() == len(plan.classes)
    assert s.school.classes("2027/28") == []  # the preview changed nothing
    assert not wizard.start_button.isEnabled()  # not before the plan is ticked as checked

    wizard.agree.setChecked(True)
    _click(qtbot, wizard.start_button)
    _wait(qtbot, lambda: wizard.steps.currentIndex() == 2)
    assert any("Start 2027/28 now?" in text for text in answers.shown)
    assert "A backup was made first" in wizard.outcome.text()
    assert len(s.school.classes("2027/28")) == len(plan.classes)
    assert {g.name: g.pupil_count for g in s.school.classes("2026/27")} == before
    assert [b.reason for b in s.backups.list()][0] == "rollover"

    # A second go is refused with a sentence on the page, and nothing changes.
    wizard.steps.setCurrentIndex(0)
    _click(qtbot, wizard.check_button)
    _wait(qtbot, wizard.refusal.text)
    assert "2027/28 already has classes" in wizard.refusal.text()
    assert wizard.steps.currentIndex() == 0
    assert len(s.school.classes("2027/28")) == len(plan.classes)
    tasks.wait()


def test_a_leaver_is_erased_only_after_their_number_is_typed(qtbot, next_year, monkeypatch,
                                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = next_year
    s.rollover.rollover()  # Year 6 leave on 31 August 2027
    page, answers, tasks = _page(qtbot, s, monkeypatch)
    page.tabs.setCurrentWidget(page.erasure)
    tab = page.erasure
    assert tab.leavers.rowCount() == 0  # twelve months have not passed yet
    tab.months.setValue(1)
    _click(qtbot, tab.save_months)
    _wait(qtbot, tab.leavers.rowCount)
    assert s.erasure.retention_months() == 1
    due = s.erasure.leavers_due()
    assert tab.leavers.rowCount() == len(due)
    tab.leavers.selectRow(0)
    leaver = due[0]
    assert tab.chosen.admission_number == leaver.admission_number
    assert not tab.on_roll_note.isVisibleTo(tab)  # a leaver: no "still on roll" warning

    answers.file = tmp_path / "passport.pdf"
    _click(qtbot, tab.passport_button)
    _wait(qtbot, lambda: tab.last_passport)
    assert answers.file.read_bytes().startswith(b"%PDF")

    answers.typed = "not-" + leaver.admission_number
    _click(qtbot, tab.erase_button)
    assert answers.erase_enabled is False
    assert answers.shown[-1] == (f"The admission number typed does not match "
                                 f"{leaver.admission_number}, so nothing was erased.")
    tasks.wait()
    assert s.erasure.find(leaver.admission_number)  # still there
    assert tab.last_result is None

    answers.typed = leaver.admission_number
    _click(qtbot, tab.erase_button)
    assert answers.erase_enabled is True
    _wait(qtbot, lambda: tab.last_result)
    assert s.erasure.find(leaver.admission_number) == []
    shown = tab.outcome.text()
    assert f"Erased {leaver.name}" in shown and "1 pupil record" in shown
    assert "write-ahead log was emptied" in shown and "the last of them is removed by" in shown
    assert tab.leavers.rowCount() == len(due) - 1 and tab.chosen is None
    tasks.wait()


def test_subject_access_bundle_and_erasing_a_pupil_on_roll(qtbot, demo_services, monkeypatch,
                                                           tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = demo_services
    pupil = s.school.pupils()[0]
    Image.new("RGB", (300, 300), "green").save(tmp_path / "face.jpg", "JPEG")
    s.photos.set_consent(pupil.id, True)
    s.photos.set_photo(pupil.id, tmp_path / "face.jpg")
    page, answers, tasks = _page(qtbot, s, monkeypatch)
    tab = page.sar
    page.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.finder.search, pupil.display_name)
    row = next(i for i in range(tab.finder.results.count())
               if pupil.admission_number in tab.finder.results.item(i).text())
    tab.finder.results.setCurrentRow(row)
    assert not tab.make_button.isEnabled()  # no folder yet
    answers.file = tmp_path / "out"
    answers.file.mkdir()
    _click(qtbot, tab.folder_button)
    assert tab.folder_text.text() == str(answers.file)
    _click(qtbot, tab.make_button)
    _wait(qtbot, lambda: tab.result)
    assert tab.result.pdf_path.parent == answers.file
    assert tab.result.pdf_path.read_bytes().startswith(b"%PDF")
    bundle = json.loads(tab.result.json_path.read_text(encoding="utf-8"))
    assert bundle["pupil"]["admission_number"] == pupil.admission_number
    sent = tab.outcome.text()
    assert tab.result.pdf_path.name in sent and tab.result.json_path.name in sent
    assert tab.result.photo_path is not None and tab.result.photo_path.exists()
    assert f"the photo {tab.result.photo_path.name}" in sent  # the photo is named too

    erase = page.erasure
    page.tabs.setCurrentWidget(erase)
    qtbot.keyClicks(erase.finder.search, pupil.admission_number)
    assert erase.chosen.admission_number == pupil.admission_number  # an exact number is chosen
    answers.typed = pupil.admission_number
    _click(qtbot, erase.erase_button)
    _wait(qtbot, lambda: erase.last_result)
    assert pupil.admission_number not in {p.admission_number for p in s.school.pupils()}
    assert erase.last_result.rows["observation"] > 0
    tasks.wait()


def test_staff_who_are_not_admins_see_why_and_cannot_act(qtbot, demo_services,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = demo_services
    teacher = next(p for p in s.school.staff() if p.role == "teacher")
    s.context.set_actor(Actor(teacher.id, teacher.login, teacher.name, teacher.role))
    page, answers, tasks = _page(qtbot, s, monkeypatch)
    assert not page.who.isHidden()
    assert page.who.text().startswith("Only an admin can start a new academic year")
    assert teacher.name in page.who.text()
    for widget in (page.rollover.check_button, page.erasure.months, page.erasure.save_months,
                   page.erasure.finder.search, page.erasure.erase_button,
                   page.erasure.passport_button, page.sar.finder.search,
                   page.sar.folder_button, page.sar.make_button):
        assert not widget.isEnabled(), widget.accessibleName()
    assert page.erasure.leavers.rowCount() == 0 and answers.shown == []

    s.context.set_actor(None)  # a plain store: everything is allowed again
    page.refresh()
    assert page.who.isHidden() and page.rollover.check_button.isEnabled()
    assert page.erasure.finder.search.isEnabled()
    tasks.wait()
