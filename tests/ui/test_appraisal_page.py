"""The Appraisal page on an encrypted demo school, signed in as different staff: a full cycle
(self-assessment, observation, target, training, PDF) and who may see whose appraisal."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from skillsdesk.services.demo import build_demo
from skillsdesk.services.signin import sign_in
from skillsdesk.storage import audit as audit_repo
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

    def make(login: str, undo=None):  # type: ignore[no-untyped-def]
        services = sign_in(encrypted_demo, login, "skillsdesk-demo", today=TODAY,
                           kdf=OWASP_MINIMUM)
        tasks = TaskRunner()
        page = make_page(services, tasks, undo=undo)
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
    assert not page.lunch_tab.weeks.isHidden()  # their own counts do show
    other = next(p for p in services.school.staff() if p.login == "lunch2")
    with pytest.raises(Exception, match="line manager or an admin"):
        services.appraisal.lunchtime_practice(other.id)
    head_page, _head = open_as("head")
    assert {"ta1", "lunch1", "lunch2"} <= set(logins(head_page))


def answer_dialogs(monkeypatch, fill=None) -> list:  # type: ignore[no-untyped-def]
    """prompts.run answers: a question Yes, an entry dialog filled in by ``fill`` and saved."""
    shown = []

    def run(dialog):  # type: ignore[no-untyped-def]
        shown.append(dialog)
        if isinstance(dialog, QMessageBox):
            return QMessageBox.StandardButton.Yes
        fill(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(prompts, "run", run)
    return shown


def choose_row(qtbot, page, tab, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click the row holding ``text`` in a tab's table (the tab shown first)."""
    page.tabs.setCurrentWidget(tab)
    table = tab.table
    row = next(r for r in range(table.rowCount()) for c in range(table.columnCount())
               if table.item(r, c) is not None and table.item(r, c).text() == text)
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.chosen() is not None and tab.edit_button.isEnabled()


def show_staff(qtbot, page, login: str) -> None:  # type: ignore[no-untyped-def]
    page.staff.setCurrentIndex(logins(page).index(login))
    qtbot.waitUntil(lambda: page.busy == 0 and page.view is not None
                    and page.view.cycle.staff_login == login, timeout=5000)


def test_a_manager_corrects_and_deletes_each_kind_of_entry(qtbot, open_as, monkeypatch,
                                                            tmp_path: Path) -> None:
    page, services = open_as("deputy")
    show_staff(qtbot, page, "ta2")
    tabs = (page.self_tab, page.practice_tab, page.targets_tab, page.training_tab)
    page.self_tab.comment.setText("Self first draft")
    page.practice_tab.seen.setPlainText("Practice first draft")
    page.targets_tab.text.setText("Target first draft")
    page.training_tab.title.setText("Training first draft")
    for tab in tabs:
        click(qtbot, page, tab.save)
    assert not page.errors, page.errors

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        fields = dialog.fields
        if "step" in fields:
            fields["step"].setCurrentIndex(index_of(fields["step"], 13))
            fields["comment"].setText("Self corrected")
        elif "seen" in fields:
            fields["seen"].setPlainText("Practice corrected")
        elif "review" in fields:
            fields["text"].setText("Target corrected")
        else:
            fields["title"].setText("Training corrected")
            fields["hours"].setValue(4.5)

    shown = answer_dialogs(monkeypatch, fill)
    for tab, draft in zip(tabs, ("Self first draft", "Practice first draft",
                                 "Target first draft", "Training first draft"), strict=True):
        choose_row(qtbot, page, tab, draft)
        click(qtbot, page, tab.edit_button)
    assert not page.errors, page.errors
    view = page.view
    assert any(a.comment == "Self corrected" and a.step == 13 for a in view.self_assessments)
    assert any(p.seen == "Practice corrected" for p in view.practice)
    assert any(t.text == "Target corrected" for t in view.targets)
    assert any(t.title == "Training corrected" and t.hours == 4.5 for t in view.training)
    assert [d.windowTitle() for d in shown] == [
        "Correct a self-assessment", "Correct an observation of practice", "Correct a target",
        "Correct a training record"]

    out = tmp_path / "ta2.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    click(qtbot, page, page.pdf_button)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(out.read_bytes())).pages).split())
    assert "Self corrected" in text and "Practice corrected" in text
    assert "Target corrected" in text and "Training corrected" in text
    assert "first draft" not in text

    for tab, value in zip(tabs, ("Self corrected", "Practice corrected", "Target corrected",
                                 "Training corrected"), strict=True):
        choose_row(qtbot, page, tab, value)
        click(qtbot, page, tab.delete_button)
    assert isinstance(shown[-1], QMessageBox) and "Delete the training" in shown[-1].text()
    view = page.view
    assert not any("corrected" in a.comment for a in view.self_assessments)
    assert not any("corrected" in x for x in [p.seen for p in view.practice]
                   + [t.text for t in view.targets] + [t.title for t in view.training])
    with services.store.read() as session:
        kinds = {e.action for e in audit_repo.browse(session, login="deputy")}
    assert {f"appraisal.{k}.{change}" for k in ("self_assess", "observe", "target", "training")
            for change in ("edit", "delete")} <= kinds


def test_a_lunchtime_supervisor_logs_their_own_training(qtbot, open_as, monkeypatch) -> None:
    page, services = open_as("lunch1")
    assert logins(page) == ["lunch1"]  # nobody else's record
    assert not page.framework_choice.isVisible()  # the staff framework is for admins
    training = page.training_tab
    page.tabs.setCurrentWidget(training)
    assert training.form_box.isEnabled() and not page.practice_tab.form_box.isEnabled()
    qtbot.keyClicks(training.title, "Lunchtime first aid")
    training.hours.setValue(2)
    qtbot.keyClicks(training.changed, "Calmer when a child is hurt")
    click(qtbot, page, training.save)
    assert not page.errors, page.errors
    assert any(t.title == "Lunchtime first aid" for t in page.view.training)

    answer_dialogs(monkeypatch, lambda d: d.fields["hours"].setValue(2.5))
    choose_row(qtbot, page, training, "Lunchtime first aid")
    click(qtbot, page, training.edit_button)
    assert next(t for t in page.view.training if t.title == "Lunchtime first aid").hours == 2.5
    # The manager's observations of them are theirs to read, not to change.
    practice = page.practice_tab
    page.tabs.setCurrentWidget(practice)
    practice.table.selectRow(0)
    assert practice.chosen() is not None
    assert not practice.edit_button.isEnabled() and not practice.delete_button.isEnabled()

    _head_page, head = open_as("head")  # their line manager sees what they logged
    lunch1, lunch2 = head.appraisal.staff("lunch1"), head.appraisal.staff("lunch2")
    seen = head.appraisal.view(head.appraisal.cycle_for(lunch1.id).id).training
    assert any(t.title == "Lunchtime first aid" and t.hours == 2.5 for t in seen)
    with pytest.raises(Exception, match="line manager or an admin"):
        services.appraisal.log_training(head.appraisal.cycle_for(lunch2.id).id, "Not mine", 1,
                                        TODAY)

    choose_row(qtbot, page, training, "Lunchtime first aid")
    click(qtbot, page, training.delete_button)
    assert not any(t.title == "Lunchtime first aid" for t in page.view.training)
    assert not page.errors, page.errors


def test_an_admin_chooses_and_imports_the_staff_framework(qtbot, open_as, monkeypatch,
                                                          tmp_path: Path) -> None:
    page, services = open_as("head")
    combo = page.framework_choice
    assert combo.isVisible() and combo.currentData() is None
    assert combo.itemText(0).startswith("The school's framework")
    trust = index_of(combo, "trust-six")
    assert trust > 0
    combo.setCurrentIndex(trust - 1)
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # as a person picks it
    qtbot.waitUntil(lambda: page.busy == 0, timeout=5000)
    assert services.appraisal.framework_setting() == "trust-six"
    assert "from now on use Our six skills" in page.message.text()

    # A new member of staff's appraisal opens on it, and the forms offer its skills.
    services.accounts.add_staff("lunch9", "Robin Hale", "lunchtime", "a long pass phrase 9",
                                check_strength=False)
    page.refresh()
    qtbot.waitUntil(lambda: page.busy == 0, timeout=5000)
    page.staff.setCurrentIndex(logins(page).index("lunch9"))
    qtbot.waitUntil(lambda: page.busy == 0 and page.open_button.isVisible(), timeout=5000)
    click(qtbot, page, page.open_button)
    qtbot.waitUntil(lambda: page.view is not None, timeout=5000)
    assert page.view.cycle.framework_code == "trust-six"
    skills = [page.self_tab.skill.itemText(i) for i in range(page.self_tab.skill.count())]
    assert skills[0] == "Resilience" and len(skills) == 6
    ta1 = services.appraisal.staff("ta1")
    assert services.appraisal.cycle_for(ta1.id).framework_code == "essential-skills"

    # Import a framework written for staff: it is loaded and chosen.
    source = services.frameworks.export("trust-six", tmp_path / "six.toml").read_text()
    staff_file = tmp_path / "staff-six.toml"
    staff_file.write_text(source.replace('code = "trust-six"', 'code = "staff-six"', 1)
                          .replace('name = "Our six skills"', 'name = "Six skills for staff"', 1))
    answer_dialogs(monkeypatch, lambda dialog: dialog.selectFile(str(staff_file)))
    click(qtbot, page, page.import_button)
    assert not page.errors, page.errors
    assert services.appraisal.framework_setting() == "staff-six"
    assert combo.currentData() == "staff-six" and "Six skills for staff" in combo.currentText()
    with services.store.read() as session:
        changes = audit_repo.browse(session, action="appraisal.framework")
    assert [c.after for c in changes][:2] == [{"framework": "staff-six"},
                                              {"framework": "trust-six"}]
    combo.setCurrentIndex(1)
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # back to the school's own
    qtbot.waitUntil(lambda: page.busy == 0, timeout=5000)
    assert services.appraisal.framework_setting() is None


def test_corrections_and_deletions_are_undone_and_redone_with_the_keyboard(
        qtbot, open_as, monkeypatch) -> None:
    """Edit > Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z), as the main window wires them, put a
    correction back and bring a deleted entry back under its own id (audited as a restore)."""
    stack = QUndoStack()
    page, services = open_as("deputy", undo=stack)
    undo, redo = stack.createUndoAction(page), stack.createRedoAction(page)
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    page.addActions([undo, redo])
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5000)
    show_staff(qtbot, page, "lunch2")
    page.self_tab.comment.setText("Undo: first words")
    page.training_tab.title.setText("Undo: playground games course")
    for tab in (page.self_tab, page.training_tab):
        click(qtbot, page, tab.save)

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.fields["comment"].setText("Undo: corrected words")

    answer_dialogs(monkeypatch, fill)
    choose_row(qtbot, page, page.self_tab, "Undo: first words")
    click(qtbot, page, page.self_tab.edit_button)
    comments = lambda: {a.comment for a in page.view.self_assessments}  # noqa: E731
    assert "Undo: corrected words" in comments() and "Undo: first words" not in comments()
    assert undo.text() == "Undo Correct self-assessment"

    def key(modifiers) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClick(page.tabs, Qt.Key.Key_Z, modifiers)
        qtbot.waitUntil(lambda: page.busy == 0, timeout=5000)

    key(Qt.KeyboardModifier.ControlModifier)
    assert "Undo: first words" in comments() and "Undo: corrected words" not in comments()
    key(Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Undo: corrected words" in comments() and "Undo: first words" not in comments()

    choose_row(qtbot, page, page.training_tab, "Undo: playground games course")
    course = page.training_tab.chosen()
    click(qtbot, page, page.training_tab.delete_button)
    titles = lambda: {t.id: t.title for t in page.view.training}  # noqa: E731
    assert course.id not in titles()
    assert undo.text() == "Undo Delete training record"
    key(Qt.KeyboardModifier.ControlModifier)
    assert titles()[course.id] == "Undo: playground games course"  # the same id, back
    assert page.training_tab.table.rowCount() == len(page.view.training)
    key(Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert course.id not in titles()
    key(Qt.KeyboardModifier.ControlModifier)
    key(Qt.KeyboardModifier.ControlModifier)  # and the correction before it
    assert course.id in titles() and "Undo: first words" in comments()
    assert not page.errors, page.errors
    with services.store.read() as session:
        restores = audit_repo.browse(session, action="appraisal.training.restore")
    assert [e.after["id"] for e in restores] == [str(course.id)] * 2


def test_a_line_manager_who_is_not_an_admin_sees_and_appraises_their_staff(
        qtbot, open_as) -> None:
    _head_page, head = open_as("head")
    ta3 = next(p for p in head.school.staff() if p.login == "ta3")
    teacher2 = next(p for p in head.school.staff() if p.login == "teacher2")
    head.appraisal.set_manager(head.appraisal.cycle_for(ta3.id).id, teacher2.id)
    page, services = open_as("teacher2")
    assert logins(page) == ["ta3"]  # their report, nobody else
    assert page.view is not None and page.view.cycle.staff_login == "ta3"
    assert page.targets_tab.form_box.isEnabled() and page.practice_tab.form_box.isEnabled()
    assert not page.self_tab.form_box.isEnabled()  # the self-assessment is ta3's own
    assert not page.open_button.isVisible()  # opening cycles is for admins
    page.targets_tab.text.setText("Lead the group game at wet play")
    click(qtbot, page, page.targets_tab.save)
    assert not page.errors, page.errors
    assert any(t.text == "Lead the group game at wet play" for t in page.view.targets)
    page.tabs.setCurrentWidget(page.lunch_tab)  # a manager sees each skill across the school
    assert page.lunch_tab.school.isVisible()
    # ta3 is not a lunchtime supervisor: the note says so, and no empty counts table shows.
    assert page.lunch_tab.weeks.isHidden()
    assert "lunchtime supervisors" in page.lunch_tab.note.text()
    assert page.lunch_tab.school.rowCount() == len(services.frameworks.current().skills)
    ta1 = next(p for p in services.school.staff() if p.login == "ta1")
    with pytest.raises(Exception, match="line manager or an admin"):
        services.appraisal.cycles(ta1.id)
