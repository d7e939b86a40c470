import os

# Before anything imports Qt: GUI tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

TODAY = dt.date(2026, 11, 30)
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo school, built once per run; tests get their own copy."""
    from skillsdesk.services.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-template")
    build_demo(folder, pupils=90, years=3, seed=7, today=TODAY, encrypted=False)
    return folder


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target, ignore=shutil.ignore_patterns("logs"))
    return target


@pytest.fixture
def services(tmp_path: Path):
    """Services over a new, empty school (shipped frameworks loaded)."""
    from skillsdesk.services.container import open_services

    opened = open_services(tmp_path / "school", today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def demo_services(demo_dir: Path):
    from skillsdesk.services.container import open_services

    opened = open_services(demo_dir, today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def plain_school(tmp_path: Path) -> Path:
    """An empty plain school at tmp_path/"s" for commands that need one. A real school is
    encrypted and needs a sign-in (tests/cli/test_accounts_cli.py covers that path)."""
    from skillsdesk.services.container import open_services

    folder = tmp_path / "s"
    open_services(folder).close()
    return folder


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test():  # type: ignore[no-untyped-def]
    """Close any window a test left open (a message box the code under test made, a dialog it
    never closed). Otherwise it would still count as an open window in later tests of the same
    process: the app would not quit when its main window closes, and keyboard shortcuts could
    go to the wrong window."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()


def act_as(services, login: str):  # type: ignore[no-untyped-def]
    """Make ``login`` the member of staff at the desk, as signing in would; returns the actor."""
    from skillsdesk.domain.permissions import Actor

    person = next(p for p in services.school.staff() if p.login == login)
    actor = Actor(person.id, person.login, person.name, person.role)
    services.context.set_actor(actor)
    return actor


@pytest.fixture
def signed_out(demo_services):  # type: ignore[no-untyped-def]
    """The demo school's services, with nobody left at the desk after the test."""
    yield demo_services
    demo_services.context.set_actor(None)


# The longest files first: the suite is spread over both cores file by file (pyproject's
# ``--dist loadfile``), and a minute-long file handed out last runs alone at the end.
LONGEST_FIRST = ("tests/storage/test_kill.py", "tests/storage/test_power_loss.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable sort
