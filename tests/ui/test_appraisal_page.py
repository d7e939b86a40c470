"""The Appraisal page on an encrypted demo school, signed in as different staff: a full cycle
(self-assessment, observation, target, training, PDF) and who may see whose appraisal."""

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from skillsdesk.services.demo import build_demo
from skillsdesk.services.signin import sign_in
from skillsdesk.storage.keyslots import OWASP_MINIMUM
from skillsdesk.ui import prompts
from skillsdesk.ui.pages.appraisal import make_page
from skillsdesk.ui.pages.careers_common import index_of
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("appraisal") / "school"
    build_demo(folder, pupils=25, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    return folder


@pytest.fixture
def open_as(qtbot, encrypted_demo, monkeypatch):  # type: ignore[no-untyped-def]
    opened, errors = [], []
    monkeypatch.setattr(prompts, "error", lambda parent, exc: errors.append(exc))

    def make(login: str):  # type: ignore[no-untyped-def]
        services = sign_in(encrypted_demo, login, "skillsdesk-demo", today=TODAY,
                           kdf=OWASP_MINIMUM)
        tasks = TaskRunner()
        page = make_page(services, tasks)
        qtbot.addWidget(page)
        page.resize(1100, 720)
        page.show()
        page.refresh()
        qtbot.waitUntil(lambda: page.busy == 0 and page.staff.count() >= 0, timeout=5000)
        qtbot.wait(50)
        qtbot.waitUntil(lambda: page.busy == 0, timeout=5000)
        opened.append((services, tasks))
        page.errors = errors
        return page, services

    yield make
    for services, tasks in opened:
        tasks.wait()
        services.close()


def logins(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.staff.itemData(i).login for i in range(page.staff.count())]


def click(qtbot, page, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.busy == 0, timeout=5000)


def test_a_full_cycle_from_self_assessment_to_pdf(qtbot, open_as, monkeypatch,
                                                  tmp_path: Path) -> None:
    # The support assistant fills in their own self-assessment...
    page, services = open_as("ta1")
    assert page.windowTitle() == "Appraisal"
    assert logins(page) == ["ta1"]
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Self-assessment", "Practice observations", "Targets", "Training", "Lunchtime practice"]
    assert page.view is not None and page.self_tab.form_box.isEnabled()
    assert not page.practice_tab.form_box.isEnabled()  # the manager's side is not theirs
    tab = page.self_tab
    tab.skill.setCurrentIndex(2)
    tab.step.setCurrentIndex(index_of(tab.step, 12))
    qtbot.keyClicks(tab.comment, "I keep calm when a game goes wrong")
    before = tab.table.rowCount()
    click(qtbot, page, tab.save)
    assert tab.table.rowCount() == before + 1 and not page.errors

    # ...and their line manager (the deputy) observes, sets a target, logs training, prints.
    page, services = open_as("deputy")
    page.staff.setCurrentIndex(logins(page).index("ta1"))
    qtbot.waitUntil(lambda: page.busy == 0 and page.view is not None
                    and page.view.cycle.staff_login == "ta1", timeout=5000)
    practice = page.practice_tab
    practice.setting.setCurrentIndex(index_of(practice.setting, "lunchtime"))
    practice.seen.setPlainText("Helped two children resolve a disagreement over a ball.")
    click(qtbot, page, practice.save)
    targets = page.targets_tab
    qtbot.keyClicks(targets.text, "Invite children left out into games")
    click(qtbot, page, targets.save)
    training = page.training_tab
    qtbot.keyClicks(training.title, "Positive play at lunchtime")
    training.hours.setValue(2.5)
    qtbot.keyClicks(training.changed, "Prompts children to solve disputes")
    click(qtbot, page, training.save)
    assert not page.errors, page.errors
    view = page.view
    assert any(p.seen.startswith("Helped two children resolve") for p in view.practice)
    assert any(t.text == "Invite children left out into games" for t in view.targets)
    assert any(t.title == "Positive play at lunchtime" and t.hours == 2.5 for t in view.training)
    out = tmp_path / "ta1.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    click(qtbot, page, page.pdf_button)
    assert out.exists() and "Wrote" in page.message.text()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(out.read_bytes())).pages).split())
    assert "I keep calm when a game goes wrong" in text
    assert "Helped two children resolve a disagreement over a ball." in text
    assert "Invite children left out into games" in text and "Positive play at lunchtime" in text


def test_a_teacher_cannot_open_a_support_assistants_appraisal(qtbot, open_as) -> None:
    page, services = open_as("teacher1")
    assert logins(page) == []
    assert page.view is None and not page.tabs.isVisible()
    ta1 = next(p for p in services.school.staff() if p.login == "ta1")
    with pytest.raises(Exception, match="line manager or an admin"):
        services.appraisal.cycles(ta1.id)


def test_a_lunchtime_supervisor_sees_only_their_own(qtbot, open_as) -> None:
    page, services = open_as("lunch1")
    assert logins(page) == ["lunch1"]
    assert page.view is not None and page.view.cycle.staff_login == "lunch1"
    assert page.lunch_tab.weeks.rowCount() == len(
        services.frameworks.current().skills)
    assert page.lunch_tab.school.rowCount() == 0  # school-wide counts are for managers
    other = next(p for p in services.school.staff() if p.login == "lunch2")
    with pytest.raises(Exception, match="line manager or an admin"):
        services.appraisal.lunchtime_practice(other.id)
    head_page, _head = open_as("head")
    assert {"ta1", "lunch1", "lunch2"} <= set(logins(head_page))
