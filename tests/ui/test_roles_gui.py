"""The GUI mirrors the role matrix (DESIGN.md §8): for each role, every control of an action the
role may not do is hidden or disabled. The services refuse anyway (tests/domain/test_permissions.py
and tests/services/test_scoping.py); this is what the person at the desk sees."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from skillsdesk.domain.permissions import Actor
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner

A, T, S, L = "admin", "teacher", "support", "lunchtime"
EVERYONE = {A, T, S, L}
LOGIN = {A: "head", T: "teacher1", S: "ta1", L: "lunch1"}
# Navigation entries: who sees each page (written out from §8, not read from the code).
PAGES = {
    "classes": EVERYONE,
    "pupils": EVERYONE,
    "staff": EVERYONE,  # everyone sees who works here; its management buttons are admin's
    "passports": {A, T},
    "careers": {A, T},
    "trust": {A},
    "backups": {A},
    "records": {A},
    "settings": {A},
}


@pytest.fixture(params=[A, T, S, L])
def desk(request, qtbot, demo_services, tmp_path: Path):  # type: ignore[no-untyped-def]
    yield from _open(request.param, qtbot, demo_services, tmp_path)


@pytest.fixture(params=sorted(PAGES["careers"]))
def careers_desk(request, qtbot, demo_services, tmp_path: Path):  # type: ignore[no-untyped-def]
    yield from _open(request.param, qtbot, demo_services, tmp_path)


def _open(role, qtbot, demo_services, tmp_path):  # type: ignore[no-untyped-def]
    person = next(p for p in demo_services.school.staff() if p.login == LOGIN[role])
    assert person.role == role
    demo_services.context.set_actor(Actor(person.id, person.login, person.name, role))
    tasks = TaskRunner()
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(demo_services, settings, tasks)
    qtbot.addWidget(window)
    window.show()
    yield role, window
    tasks.wait()
    demo_services.context.set_actor(None)


def test_navigation_shows_only_the_pages_a_role_can_use(desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    role, window = desk
    keys = [p.key for p in window.pages]
    for key, roles in PAGES.items():
        if key in keys:
            assert window.nav.isRowHidden(keys.index(key)) is (role not in roles), (role, key)
    # Alt+N on a hidden page's number does not open it.
    hidden = [i for i in range(len(keys)) if window.nav.isRowHidden(i)]
    if role == A:
        assert hidden == [] or set(hidden) <= {keys.index("appraisal")}
    else:
        assert keys.index("trust") in hidden
        qtbot.keyClick(window, Qt.Key.Key_1 + keys.index("trust"),
                       Qt.KeyboardModifier.AltModifier)
        assert window.nav.currentRow() != keys.index("trust")
        assert window.stack.currentWidget() is window.page("classes")


def test_menus_and_record_buttons_follow_the_role(desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    role, window = desk
    for action in (window.import_pupils_action, window.import_obs_action,
                   window.import_framework_action):
        assert action.isVisible() is (role == A) and action.isEnabled() is (role == A)
    # Lunchtime mode is for everyone; recording in the grid is for all but lunchtime staff.
    assert window.lunchtime_action.isVisible() and window.lunchtime_action.isEnabled()
    classes = window.page("classes")
    assert window.record_action.isEnabled() is (role != L)
    assert classes.record_button.isEnabled() is (role != L)
    if role == L:
        assert "lunchtime mode" in classes.record_button.toolTip()
        # Enter on a chosen pupil opens no record dialog either.
        classes.table.setCurrentIndex(classes.proxy.index(0, 3))
        opened = []
        classes.recorder.record = lambda *args, **kw: opened.append(args)  # type: ignore[method-assign]
        qtbot.keyClick(classes.table, Qt.Key.Key_Return)
        assert opened == []
    staff = window.page("staff")
    assert staff.people.add_button.isHidden() is (role != A)
    pupils = window.page("pupils")
    headers = [pupils.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(pupils.model.columnCount())]
    assert ("SEN" in headers) is (role != L)


def test_careers_controls_follow_the_role(careers_desk) -> None:  # type: ignore[no-untyped-def]
    role, window = careers_desk
    window.show_page("careers")
    page = window.page("careers")
    assert not page.activities.add_button.isHidden()  # admins and teachers log activities
    assert not page.aspirations.save_button.isHidden()
    for button in (page.report_button, page.audit.save_button, page.actions.add_button,
                   page.actions.delete_button):
        assert button.isHidden() is (role != A)


def test_the_class_switcher_lists_only_a_support_assistants_groups(desk) -> None:  # type: ignore[no-untyped-def]
    role, window = desk
    page = window.page("classes")
    shown = [page.groups.group(i).name for i in range(page.groups.rowCount())]
    services = window._services
    assert shown == [g.name for g in services.school.classes()]
    if role in (S, L):
        services.context.set_actor(None)
        assert len(shown) < len(services.school.classes())

