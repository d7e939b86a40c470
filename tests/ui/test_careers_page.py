"""The Careers page: log an activity for a class, complete the self-audit, keep the action plan."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from skillsdesk.ui.pages.careers import make_page
from skillsdesk.ui.pages.careers_common import DATA_ROLE, OVERDUE_BG, checked_values
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import TODAY

SAVE = QDialogButtonBox.StandardButton.Save


@pytest.fixture
def page(qtbot, demo_services):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    widget = make_page(demo_services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: widget.activities.table.rowCount() > 0, timeout=5000)
    yield widget
    tasks.wait()


def tick(list_widget, value) -> None:  # type: ignore[no-untyped-def]
    for i in range(list_widget.count()):
        if list_widget.item(i).data(DATA_ROLE) == value:
            list_widget.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{value} is not in the list")


def test_the_page_is_called_careers(page) -> None:  # type: ignore[no-untyped-def]
    assert page.windowTitle() == "Careers"
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Activities", "Coverage", "Aspirations", "Self-audit", "Action plan"]


def test_logging_an_activity_for_a_class_and_its_observations(page, qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    s = demo_services
    tab = page.activities
    before = tab.table.rowCount()
    group = next(c for c in s.school.classes() if c.year_group == "4")
    members = {p.id for p in s.school.pupils(group=group.name)}
    skill = s.frameworks.current().skills[1]
    observations_before = s.observations.count()

    tab.add_activity()
    qtbot.waitUntil(lambda: tab.dialog is not None, timeout=5000)
    dialog = tab.dialog
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.title_edit, "Road safety with a bus driver")
    dialog.kind.setCurrentIndex(dialog.kind.findData("workplace-visit"))
    dialog.partner.setText("Northern Buses")
    dialog.sector.setCurrentText("Transport and logistics")
    tick(dialog.classes, group.id)
    assert set(checked_values(dialog.pupils)) == members  # a class ticks its pupils
    assert f"{len(members)} pupils took part" in dialog.count.text()
    tick(dialog.skills, skill.id)
    tick(dialog.benchmarks, "PB5")
    for box in dialog.criteria.values():
        box.setChecked(True)
    dialog.add_role_model(None)
    dialog.role_models.item(0, 0).setText("Bus driver")
    gender = dialog.role_models.cellWidget(0, 1)
    gender.setCurrentIndex(gender.findData("female"))
    area = dialog.role_models.cellWidget(0, 2)
    area.setCurrentIndex(area.findData("public"))
    dialog.log_observations.setChecked(True)
    qtbot.mouseClick(dialog.buttons.button(SAVE), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: tab.table.rowCount() == before + 1, timeout=5000)
    saved = next(a for a in s.careers.activities() if a.title == "Road safety with a bus driver")
    assert saved.classes == (group.name,) and set(saved.pupil_ids) == members
    assert saved.meaningful and saved.benchmarks == ("PB5",) and saved.partner == "Northern Buses"
    assert saved.role_models[0].job == "Bus driver" and saved.role_models[0].gender == "female"
    assert saved.observations == len(members)
    assert s.observations.count() == observations_before + len(members)
    note = "Careers: Road safety with a bus driver"
    logged = [o for p in s.school.pupils(group=group.name)
              for o in s.observations.list(p.admission_number) if o.note == note]
    assert {o.setting for o in logged} == {"employer"} and {o.skill for o in logged} == {skill.code}
    assert f"{len(members)} observations recorded" in page.status.text()
    titles = [tab.table.item(r, 1).text() for r in range(tab.table.rowCount())]
    assert "Road safety with a bus driver" in titles
    # Coverage picked it up too: the class has had a workplace visit.
    qtbot.waitUntil(lambda: page.coverage.data is not None and any(
        c.name == group.name and c.count("workplace-visit") == len(members)
        for c in page.coverage.data.classes), timeout=5000)


def test_a_refused_activity_keeps_the_dialog_and_shows_a_sentence(  # type: ignore[no-untyped-def]
        page, qtbot, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    tab = page.activities
    tab.add_activity()
    qtbot.waitUntil(lambda: tab.dialog is not None, timeout=5000)
    dialog = tab.dialog
    dialog.partner.setText("Nobody yet")
    qtbot.mouseClick(dialog.buttons.button(SAVE), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "not saved" in shown[0] and "Traceback" not in shown[0]
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.partner.text() == "Nobody yet"  # nothing typed was lost


def test_completing_the_self_audit_with_linked_evidence(page, qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    s = demo_services
    audits_before = len(s.careers.audit.audits())
    linked = [a.title for a in s.careers.activities() if "PB5" in a.benchmarks]
    assert linked  # the demo logged PB5 activities this year
    page.tabs.setCurrentWidget(page.audit)
    tab = page.audit
    qtbot.waitUntil(lambda: "PB5.4" in tab.status_boxes, timeout=5000)
    tab.tree.setCurrentItem(tab.benchmark_items["PB5"])
    shown = [tab.linked.item(i).text() for i in range(tab.linked.count())]
    assert all(any(title in line for line in shown) for title in linked)
    for code in ("PB5.1", "PB5.2", "PB5.3", "PB5.4"):
        box = tab.status_boxes[code]
        box.setCurrentIndex(box.findData("achieved"))
    tab.evidence_edits["PB5.1"].setText("Every class met an employer this term")
    assert tab.benchmark_items["PB5"].text(1) == "Green, 100%"
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: len(s.careers.audit.audits()) == audits_before + 1, timeout=5000)
    latest = s.careers.audit.latest()
    assert latest.assessed_on == TODAY
    assert all(latest.entry(c).status == "achieved" for c in ("PB5.1", "PB5.2", "PB5.3", "PB5.4"))
    assert latest.entry("PB5.1").evidence == "Every class met an employer this term"
    view = s.careers.audit.view(latest.id)
    assert next(c for c in view.changes if c.code == "PB5").after.rag == "green"
    assert view.previous is not None  # compared with the demo's earlier audit
    qtbot.waitUntil(lambda: tab.choice.currentData() == latest.id, timeout=5000)
    assert "Saved the self-audit" in page.status.text()


def test_the_action_plan_highlights_overdue_actions(  # type: ignore[no-untyped-def]
        page, qtbot, demo_services, monkeypatch) -> None:
    s = demo_services
    page.tabs.setCurrentWidget(page.actions)
    tab = page.actions
    qtbot.waitUntil(lambda: tab.table.rowCount() == len(s.careers.audit.actions()), timeout=5000)
    count = tab.table.rowCount()
    tab.add_button.click()
    dialog = tab.dialog
    dialog.benchmark.setCurrentIndex(dialog.benchmark.findData("PB7"))
    dialog.text.setPlainText("Take Year 6 to the college open day")
    owner = next(p for p in s.school.staff() if p.login == "deputy")
    dialog.owner.setCurrentIndex(next(i for i in range(dialog.owner.count())
                                      if dialog.owner.itemData(i) == owner.id))
    due = TODAY - dt.timedelta(days=5)
    dialog.due.setDate(QDate(due.year, due.month, due.day))
    dialog.success.setText("Visit in the activities log")
    qtbot.mouseClick(dialog.buttons.button(SAVE), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.table.rowCount() == count + 1, timeout=5000)

    action = next(a for a in s.careers.audit.actions() if a.benchmark == "PB7"
                  and a.action.startswith("Take Year 6"))
    assert action.owner == owner.name and action.overdue(TODAY)
    row = next(r for r in range(tab.table.rowCount())
               if tab.table.item(r, 0).data(DATA_ROLE) == action.id)
    assert tab.table.item(row, 1).background().color() == OVERDUE_BG
    assert "(overdue)" in tab.table.item(row, 3).text()
    overdue = len(s.careers.audit.overdue())
    assert tab.overdue_label.text() == f"{overdue} actions overdue"

    tab.table.selectRow(row)
    tab.edit_action()
    tab.dialog.status.setCurrentIndex(tab.dialog.status.findData("done"))
    tab.dialog.review.setPlainText("Went on 20 November")
    qtbot.mouseClick(tab.dialog.buttons.button(SAVE), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: next(a for a in s.careers.audit.actions()
                                 if a.id == action.id).status == "done", timeout=5000)
    qtbot.waitUntil(lambda: tab.overdue_label.text() in ("", f"{overdue - 1} actions overdue",
                                                          f"{overdue - 1} action overdue"),
                    timeout=5000)

    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    row = next(r for r in range(tab.table.rowCount())
               if tab.table.item(r, 0).data(DATA_ROLE) == action.id)
    tab.table.selectRow(row)
    tab.delete_action()
    qtbot.waitUntil(lambda: tab.table.rowCount() == count, timeout=5000)


def test_recording_aspirations_and_saving_the_report(page, qtbot, demo_services, tmp_path: Path,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = demo_services
    page.tabs.setCurrentWidget(page.aspirations)
    tab = page.aspirations
    qtbot.waitUntil(lambda: tab.table.rowCount() > 1, timeout=5000)
    adno = tab.table.item(0, 0).data(DATA_ROLE)
    tab.table.selectRow(0)
    tab.text.setText("a marine biologist")
    tab.area.setCurrentIndex(tab.area.findData("stem"))
    tab.save_button.click()
    qtbot.waitUntil(lambda: any(a.admission_number == adno and a.area == "stem"
                                for a in s.careers.aspirations()), timeout=5000)
    qtbot.waitUntil(lambda: tab.table.currentRow() == 1, timeout=5000)  # on to the next pupil
    cells = [tab.chart_table.item(r, c).text() for r in range(tab.chart_table.rowCount())
             for c in range(1, tab.chart_table.columnCount())]
    assert cells and all(cell == "c" or int(cell) >= 5 for cell in cells)

    target = tmp_path / "governors.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "PDF (*.pdf)")))
    page.report_button.click()
    qtbot.waitUntil(target.exists, timeout=10000)
    qtbot.waitUntil(lambda: "Wrote" in page.status.text(), timeout=5000)
    assert target.read_bytes().startswith(b"%PDF")
