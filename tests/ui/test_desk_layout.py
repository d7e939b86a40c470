"""The desk's window promises (issue #3): remembered layout, platform shortcuts, the About box,
switching class, year and framework, selecting rows and columns, the record dialog's tab order
and text marks beside the colours."""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from skillsdesk import __version__
from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.models import PupilTableModel
from skillsdesk.ui.record_dialog import RecordDialog
from skillsdesk.ui.tasks import TaskRunner


def open_window(qtbot: Any, services: Any, settings: QSettings) -> MainWindow:
    win = MainWindow(services, settings, TaskRunner())
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def window(qtbot, demo_services, tmp_path: Path):  # type: ignore[no-untyped-def]
    win = open_window(qtbot, demo_services,
                      QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    yield win
    win._tasks.wait()


def test_class_list_width_column_widths_and_sort_are_remembered(qtbot, demo_services,
                                                                tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    first = open_window(qtbot, demo_services, settings)
    page = first.page("classes")
    page.splitter.setSizes([150, 700])
    qtbot.wait(10)
    kept = page.splitter.sizes()[0]
    header = page.table.horizontalHeader()
    header.resizeSection(0, 231)  # a person drags the name column wider …
    page.table.sortByColumn(PupilTableModel.FIXED + 1, Qt.SortOrder.DescendingOrder)  # … and sorts
    first.close()
    second = open_window(qtbot, demo_services, settings)
    page = second.page("classes")
    qtbot.wait(10)
    header = page.table.horizontalHeader()
    assert abs(page.splitter.sizes()[0] - kept) <= 2
    assert header.sectionSize(0) == 231
    assert header.sortIndicatorSection() == PupilTableModel.FIXED + 1
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    values = [page.proxy.index(r, PupilTableModel.FIXED + 1).data(PupilTableModel.FIXED and 257)
              for r in range(page.proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    # Another class keeps the widths chosen by hand.
    page.group_view.setCurrentIndex(page.groups.index(3))
    assert header.sectionSize(0) == 231


def test_undo_redo_find_quit_follow_the_platform(window) -> None:  # type: ignore[no-untyped-def]
    def has(action: Any, standard: QKeySequence.StandardKey) -> bool:
        return all(k in action.shortcuts() for k in QKeySequence.keyBindings(standard))

    assert has(window.undo_action, QKeySequence.StandardKey.Undo)
    assert has(window.redo_action, QKeySequence.StandardKey.Redo)
    assert {QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")} <= set(
        window.redo_action.shortcuts())
    assert has(window.find_action, QKeySequence.StandardKey.Find)
    assert window.search_action.shortcut() == QKeySequence("Ctrl+K")
    shortcuts = [s.toString() for a in window.findChildren(type(window.undo_action))
                 for s in a.shortcuts() if not s.isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), shortcuts  # no key does two things


def test_about_box_names_the_version(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []

    def answer(dialog: QDialog) -> int:
        shown.append(dialog.text())
        return 0

    monkeypatch.setattr(prompts, "run", answer)
    window.about_action.trigger()
    assert shown and __version__ in shown[0] and "SkillsDesk" in shown[0]


def test_the_keyboard_starts_in_the_class_grid(window) -> None:  # type: ignore[no-untyped-def]
    """J1 by keyboard: arrows and Enter work at once, without Tabbing past the navigation."""
    assert window.focusWidget() is window.page("classes").table


def test_switch_class(window, demo_services) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    classes = demo_services.school.classes()
    page.group_view.setCurrentIndex(page.groups.index(2))
    assert page.heading.text().startswith(classes[2].name)
    names = {page.pupils.pupil_at(r).pupil.display_name for r in range(page.pupils.rowCount())}
    assert names == {p.display_name for p in demo_services.school.pupils(group=classes[2].name)}


def test_switch_framework(window, demo_services) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    others = [i for i in range(page.framework.count())
              if page.framework.itemData(i) != page.current_framework().code]
    assert others, "the demo school ships more than one framework"
    page.framework.setCurrentIndex(others[0])
    chosen = demo_services.frameworks.get(page.framework.itemData(others[0]))
    assert page.current_framework().code == chosen.code
    assert page.pupils.columnCount() == PupilTableModel.FIXED + len(chosen.skills)
    assert page.pupils.headerData(PupilTableModel.FIXED, Qt.Orientation.Horizontal) \
        == chosen.skills[0].name
    assert chosen.name in page.heading.text()


def test_switch_academic_year(window, demo_services) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    years = demo_services.school.years()
    current = page.year.currentData()
    other = next((y for y in years if y != current), None)
    if other is None:  # the demo has one year: roll over to make the next one
        pytest.fail(f"the demo school has only {years}")
    page.year.setCurrentIndex(page.year.findData(other))
    assert [page.groups.group(i).name for i in range(page.groups.rowCount())] \
        == [g.name for g in demo_services.school.classes(other)]


def test_filter_by_name_and_sort(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert names == sorted(names, key=str.casefold, reverse=True) or names == sorted(
        names, reverse=True)
    qtbot.keyClicks(page.filter, names[0][:3].upper())
    shown = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert names[0] in shown and len(shown) < len(names)


def test_shift_space_selects_the_row_and_ctrl_space_the_column(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(2, PupilTableModel.FIXED + 1))
    qtbot.keyClick(page.table, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    pupils, skill = page.selected_pupils_and_skill()
    assert len(pupils) == page.proxy.rowCount()
    assert skill == page.current_framework().skills[1].code
    page.table.clearSelection()
    page.table.setCurrentIndex(page.proxy.index(3, PupilTableModel.FIXED))
    qtbot.keyClick(page.table, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    rows = {i.row() for i in page.table.selectionModel().selectedIndexes()}
    columns = {i.column() for i in page.table.selectionModel().selectedIndexes()}
    assert rows == {3} and len(columns) == page.proxy.columnCount()
    # The group dialog lists pupils in the order the grid shows them.
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    page.table.setCurrentIndex(page.proxy.index(0, PupilTableModel.FIXED))
    page.select_current_column()
    pupils, _skill = page.selected_pupils_and_skill()
    assert [p.pupil.display_name for p in pupils] == [
        page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def focus_chain(dialog: RecordDialog, qtbot: Any, steps: int) -> list[Any]:
    """The widgets Tab visits; the date's day, month and year stops (Qt's own) count once."""
    seen: list[Any] = []
    for _ in range(steps + 2):
        widget = QApplication.focusWidget()
        if not seen or seen[-1] is not widget:
            seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return seen[:steps]


def test_tabbing_through_the_record_dialog_follows_reading_order(demo_services, qtbot) -> None:  # type: ignore[no-untyped-def]
    framework = demo_services.frameworks.current()
    progress = demo_services.progress.for_pupils(framework, demo_services.school.pupils()[:2])
    dialog = RecordDialog(framework, progress, framework.skills[0].code,
                          demo_services.school.today())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.skill.setCurrentIndex(1)  # refilled rows must still fall in place
    dialog.skill.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.skill, timeout=2000)
    save, cancel = dialog.buttons.buttons()[0], dialog.buttons.buttons()[1]
    if save.text() != dialog.buttons.button(dialog.buttons.StandardButton.Save).text():
        save, cancel = cancel, save
    chain = focus_chain(dialog, qtbot, 14)
    assert chain[2] in dialog.levels.buttons()  # the levels are one stop; arrows move within
    checked = chain[2]
    expected = [dialog.skill, dialog.step, checked, dialog.setting, dialog.date, dialog.note,
                dialog.staff_only,
                dialog.table.cellWidget(0, 1), dialog.table.cellWidget(0, 2),
                dialog.table.cellWidget(1, 1), dialog.table.cellWidget(1, 2),
                save, cancel, dialog.skill]
    names = [w.accessibleName() or w.text() for w in chain]
    assert chain == expected, names
    dialog.reject()


def test_a_single_pupil_dialog_names_the_pupil_and_shows_each_step(demo_services, qtbot) -> None:  # type: ignore[no-untyped-def]
    framework = demo_services.frameworks.current()
    pupil = demo_services.school.pupils()[0]
    progress = demo_services.progress.for_pupils(framework, [pupil])
    dialog = RecordDialog(framework, progress, framework.skills[0].code,
                          demo_services.school.today())
    qtbot.addWidget(dialog)
    assert pupil.display_name in dialog.who.text()
    step = framework.skills[0].steps[2]
    index = dialog.step.findData(step.number)
    assert dialog.step.itemData(index, Qt.ItemDataRole.ToolTipRole) == step.descriptor
    dialog.step.setCurrentIndex(index)
    assert step.descriptor in dialog.about_step.text() and step.child in dialog.about_step.text()


def test_group_per_pupil_step_shows_its_descriptor(demo_services, qtbot) -> None:  # type: ignore[no-untyped-def]
    framework = demo_services.frameworks.current()
    progress = demo_services.progress.for_pupils(framework, demo_services.school.pupils()[:3])
    dialog = RecordDialog(framework, progress, framework.skills[0].code,
                          demo_services.school.today())
    qtbot.addWidget(dialog)
    skill = framework.skills[0]
    for row, pupil in enumerate(progress):  # each pupil's next step pre-selected
        position = next(p for p in pupil.skills if p.skill == skill.code)
        assert dialog.table.cellWidget(row, 1).value() == (
            skill.highest if position.next is None else position.next)
    dialog.table.cellWidget(1, 1).setValue(skill.steps[4].number)
    assert skill.steps[4].descriptor in dialog.about_step.text()


def test_every_colour_band_has_its_own_text_mark(window) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk.ui.colours import step_colour

    page = window.page("classes")
    model = page.pupils
    by_colour: dict[str, set[str]] = {}
    for row in range(model.rowCount()):
        for column in range(PupilTableModel.FIXED, model.columnCount()):
            index = model.index(row, column)
            colour = index.data(Qt.ItemDataRole.BackgroundRole)
            if colour is None:
                continue
            text = index.data()
            mark = "▼" if text.startswith("▼") else "✓" if text.startswith("✓") else ""
            by_colour.setdefault(colour.name(), set()).add(mark)
    assert len(by_colour) >= 2
    assert all(len(marks) == 1 for marks in by_colour.values()), by_colour
    assert len({next(iter(m)) for m in by_colour.values()}) == len(by_colour)
    assert "✓" in page.legend.text() and "▼" in page.legend.text()
    del step_colour
