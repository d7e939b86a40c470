"""A lunchtime supervisor sees children's names only (DESIGN.md J2): the class grid has no
admission-number column for them, while a teacher's grid has one, and neither a column layout
kept from the other person nor a change of who is at the desk brings the wrong one back."""

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt

from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import act_as as sign_in


def shown_headers(page: Any) -> list[str]:
    model = page.proxy
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
            if not page.table.isColumnHidden(c)]


def shown_cells(page: Any) -> set[str]:
    model = page.proxy
    return {str(model.index(r, c).data()) for r in range(model.rowCount())
            for c in range(model.columnCount()) if not page.table.isColumnHidden(c)}


def test_the_lunchtime_grid_has_no_admission_numbers_and_a_teachers_has(
        qtbot: Any, demo_services: Any, tmp_path: Path) -> None:
    sign_in(demo_services, "teacher1")
    tasks = TaskRunner()
    window = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"),
                                                 QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    window.show()
    try:
        page = window.page("classes")
        numbers = {page.pupils.pupil_at(r).pupil.admission_number
                   for r in range(page.pupils.rowCount())}
        assert numbers
        assert "Adno" in shown_headers(page) and numbers <= shown_cells(page)

        sign_in(demo_services, "lunch1")  # someone else comes to the desk
        assert demo_services.context.actor.role == "lunchtime"
        window.apply_role()
        assert "Adno" not in shown_headers(page) and not numbers & shown_cells(page)
        assert shown_headers(page)[:2] == ["Pupil", "Year"]
        # Not merely hidden: the model hands no admission number out (a copy, a screen reader).
        column = page.pupils.ADMISSION
        assert all(page.pupils.index(r, column).data() is None
                   for r in range(page.pupils.rowCount()))
        # Another class, and a column widened by hand (a layout that is kept): still none.
        page.group_view.setCurrentIndex(page.groups.index(1))
        page.table.horizontalHeader().resizeSection(page.pupils.FIXED, 90)
        assert "Adno" not in shown_headers(page) and not numbers & shown_cells(page)

        sign_in(demo_services, "teacher1")  # the kept layout does not hide the teacher's
        window.apply_role()
        page.group_view.setCurrentIndex(page.groups.index(0))
        assert "Adno" in shown_headers(page) and numbers <= shown_cells(page)
    finally:
        tasks.wait()
        demo_services.context.set_actor(None)
