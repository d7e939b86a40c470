from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner


@pytest.fixture
def window(qtbot, demo_services, tmp_path: Path):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(demo_services, settings, tasks)
    qtbot.addWidget(win)
    win.show()
    yield win
    tasks.wait()


def test_lists_classes_and_their_pupils(window, demo_services) -> None:  # type: ignore[no-untyped-def]
    page = window.page("classes")
    classes = demo_services.school.classes()
    assert page.groups.rowCount() == len(classes)
    assert "Brackenfield" in window.windowTitle()
    page.group_view.setCurrentIndex(page.groups.index(len(classes) - 1))
    expected = demo_services.school.pupils(group=classes[-1].name)
    assert page.pupils.rowCount() == len(expected)
    names = {page.pupils.index(r, 0).data() for r in range(page.pupils.rowCount())}
    assert names == {p.display_name for p in expected}
    header = page.pupils.headerData(3, Qt.Orientation.Horizontal)
    assert header == demo_services.frameworks.current().skills[0].name


def test_navigation_between_areas(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[0] == "Classes" and "Staff" in titles
    window.show_page("staff")
    staff = window.page("staff")
    assert window.stack.currentWidget() is staff
    logins = {staff.model.index(r, 1).data() for r in range(staff.model.rowCount())}
    assert "head" in logins


def test_find_focuses_the_name_filter(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_page("staff")
    window.find_action.trigger()
    page = window.page("classes")
    assert window.stack.currentWidget() is page
    first = page.proxy.index(0, 0).data()
    qtbot.keyClicks(page.filter, first)
    assert page.proxy.rowCount() >= 1
    assert all(first.casefold() in page.proxy.index(r, 0).data().casefold()
               for r in range(page.proxy.rowCount()))


def test_import_pupils_with_preview(window, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.csv"
    path.write_text("Adno,Forename,Surname,Year,Class\n777001,Gwen,ap Rhys,4,4 Willow\n",
                    encoding="utf-8")
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Ok)
    page = window.page("classes")
    before = page.groups.rowCount()
    window.import_with_preview(
        "Import pupils",
        lambda: window._services.pupils.import_file(path, dry_run=True),
        lambda: window._services.pupils.import_file(path))
    qtbot.waitUntil(lambda: page.groups.rowCount() == before + 1, timeout=5000)
    assert "4 Willow" in [page.groups.group(i).name for i in range(page.groups.rowCount())]


def test_a_rejected_file_shows_a_sentence(window, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    path = tmp_path / "bad.csv"
    path.write_text("Colour\nred\n", encoding="utf-8")
    window.import_with_preview("Import pupils",
                               lambda: window._services.pupils.import_file(path, dry_run=True),
                               lambda: None)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "bad.csv" in shown[0] and "Traceback" not in shown[0]


def test_window_layout_is_remembered(qtbot, demo_services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    first = MainWindow(demo_services, settings, TaskRunner())
    qtbot.addWidget(first)
    first.show()
    first.splitter.setSizes([125, 900])  # narrow enough for the 800-pixel offscreen screen
    qtbot.wait(20)
    kept = first.splitter.sizes()[0]
    first.close()
    assert settings.value("main/geometry") is not None
    second = MainWindow(demo_services, settings, TaskRunner())
    qtbot.addWidget(second)
    second.show()
    qtbot.wait(20)
    assert abs(second.splitter.sizes()[0] - kept) <= 2
