"""G15: once the desk locks, the window's widget tree holds no pupil names, and whoever unlocks
sees their own fresh screen, never the previous person's."""

import gc
import re
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from skillsdesk.services.demo import build_demo
from skillsdesk.services.signin import sign_in
from skillsdesk.storage import keyslots
from skillsdesk.storage.keyslots import OWASP_MINIMUM
from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.models import PupilTableModel
from skillsdesk.ui.profile import ProfileDialog
from skillsdesk.ui.record_dialog import RecordDialog
from skillsdesk.ui.search import SearchDialog
from skillsdesk.ui.tasks import TaskRunner
from tests.conftest import TODAY

DEMO_PW = "skillsdesk-demo"
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
         Qt.ItemDataRole.AccessibleTextRole)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lock-teardown") / "school"
    build_demo(folder, pupils=20, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    return folder


def parent_of_rows(model: QAbstractItemModel, index: QModelIndex) -> bool:
    """Whether a tree model has rows under ``index`` (list and table models have none)."""
    if isinstance(model, (QAbstractListModel, QAbstractTableModel)):
        return False
    return model.rowCount(index) > 0


def model_texts(model: QAbstractItemModel, parent: QModelIndex, out: list[str]) -> None:
    try:
        rows, columns = model.rowCount(parent), model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        rows, columns = model.rowCount(parent), 1
    for row in range(rows):
        for column in range(columns):
            index = model.index(row, column, parent)
            out += [str(index.data(role)) for role in ROLES if index.data(role) is not None]
            if column == 0 and parent_of_rows(model, index):
                model_texts(model, index, out)
    for section in range(columns):
        out.append(str(model.headerData(section, Qt.Orientation.Horizontal)))


def texts_of(item: QObject, out: list[str]) -> None:
    if isinstance(item, QAbstractItemModel):
        model_texts(item, QModelIndex(), out)
    if isinstance(item, QWidget):
        out += [item.windowTitle(), item.toolTip(), item.accessibleName(),
                item.accessibleDescription()]
    if isinstance(item, (QLabel, QLineEdit, QAbstractButton)):
        out.append(item.text())
    if isinstance(item, QLineEdit):
        out.append(item.placeholderText())
    if isinstance(item, QPlainTextEdit):
        out.append(item.toPlainText())
    if isinstance(item, QTextEdit):
        out.append(item.toPlainText())
    if isinstance(item, QComboBox):
        out += [item.itemText(i) for i in range(item.count())] + [item.currentText()]
    if isinstance(item, QAction):
        out += [item.text(), item.toolTip(), item.statusTip()]


def everything_in(window: MainWindow, earlier: set[QWidget]) -> str:
    """Every text the window and any top-level widget still hold, visible or not (but for the
    windows ``earlier`` tests in this process left behind, which are not this window's)."""
    out: list[str] = [window.statusBar().currentMessage()]
    roots = [window] + [w for w in QApplication.topLevelWidgets()
                        if w is not window and w not in earlier]
    for root in roots:
        for item in [root] + root.findChildren(QObject):
            texts_of(item, out)
    stack = window.undo_stack
    out += [stack.text(i) for i in range(stack.count())] + [stack.undoText(), stack.redoText()]
    return "\n".join(out)


def settle() -> None:
    """Let what was handed to deleteLater go, as the event loop does straight after the lock."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()  # what the window asks for once the pages are gone



def test_lock_tears_down_every_page_and_another_person_starts_afresh(  # type: ignore[no-untyped-def]
        qtbot, school: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(keyslots, "DEFAULT_PARAMS", OWASP_MINIMUM)
    services = sign_in(school, "head", DEMO_PW, today=TODAY, kdf=OWASP_MINIMUM)
    staff_words = {w for p in services.school.staff() for w in re.findall(r"\w+", p.name)}
    pupils = services.school.pupils()
    names = {n for p in pupils for n in (p.first_name, p.last_name, p.legal_first_name,
                                         p.legal_last_name) if len(n) >= 3} - staff_words
    head_classes = [g.name for g in services.school.classes()]
    earlier = set(QApplication.topLevelWidgets())
    tasks = TaskRunner()
    window = MainWindow(services, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        tasks)
    qtbot.addWidget(window)
    window.show()
    for key in ("pupils", "passports", "staff", "classes"):
        window.show_page(key)
    grid = window.page("classes")
    grid.table.setCurrentIndex(grid.proxy.index(0, PupilTableModel.FIXED + 1))
    named = grid.pupils.pupil_at(grid.proxy.mapToSource(grid.proxy.index(0, 0)).row()).pupil

    def answer(dialog: QDialog) -> int:
        dialog.show()
        if isinstance(dialog, RecordDialog):
            qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
            return dialog.result()
        if isinstance(dialog, SearchDialog):
            qtbot.keyClicks(dialog.query, named.last_name)
            assert dialog.results.count()
        return QDialog.DialogCode.Rejected  # profile and search left as the person left them

    monkeypatch.setattr(prompts, "run", answer)
    before = services.observations.count()
    window.record_action.trigger()
    qtbot.waitUntil(lambda: services.observations.count() == before + 1
                    and window.undo_stack.count() == 1, timeout=5000)
    window.open_profile(named.id)
    assert window.findChildren(ProfileDialog)
    window.open_search()
    window.statusBar().showMessage(f"Saved for {named.display_name}")  # as a page may say
    qtbot.keyClicks(grid.filter, named.first_name)  # the head's own view of the grid
    window.show_page("pupils")
    # Before the lock the names are there (not walked here: wrappers made for Qt's internal
    # children of a dialog's table make the collector crash once their owners are deleted).
    assert named.display_name in window.statusBar().currentMessage()
    assert any(named.first_name in str(window.pages[1].widget.model.index(r, 0).data())
               for r in range(window.pages[1].widget.model.rowCount()))

    window.lock_action.trigger()  # Ctrl+Shift+L
    settle()
    left = everything_in(window, earlier)
    found = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", left))
    assert not found, f"pupil names left in the locked window: {found}"
    assert window.locked and window.undo_stack.count() == 0
    assert not window.findChildren(ProfileDialog) and not window.findChildren(SearchDialog)
    assert not any(page.built for page in window.pages)

    page = window.lock_page  # a teaching assistant unlocks with their own password
    page.login.clear()
    qtbot.keyClicks(page.login, "ta1")
    qtbot.keyClicks(page.password, DEMO_PW)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert not window.locked and services.context.actor.login == "ta1"
    own = [g.name for g in services.school.classes()]
    assert own and set(own) < set(head_classes)
    fresh = window.page("classes")
    assert fresh is not grid
    assert [fresh.groups.group(i).name for i in range(fresh.groups.rowCount())] == own
    assert window.undo_stack.count() == 0 and not fresh.filter.text()
    ta_pupils = {p.id for p in services.school.pupils()}
    assert {fresh.pupils.pupil_at(r).pupil.id for r in range(fresh.pupils.rowCount())} \
        <= ta_pupils
    current = window.pages[window.nav.currentRow()]  # the page in view, rebuilt for them
    assert current.built and window.stack.currentWidget() is current.widget
    if current.key == "pupils":
        model = current.widget.model
        assert {model.pupil_at(r).id for r in range(model.rowCount())} == ta_pupils
    tasks.wait()
    window.close()
    services.close()


def test_a_one_pupil_record_dialog_leaves_no_window_behind(qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from skillsdesk.ui.record_dialog import RecordDialog

    framework = demo_services.frameworks.current()
    progress = demo_services.progress.for_pupils(framework, demo_services.school.pupils()[:1])
    before = set(QApplication.topLevelWidgets())
    dialog = RecordDialog(framework, progress, framework.skills[0].code,
                          demo_services.school.today())
    qtbot.addWidget(dialog)
    # Windows of their own (a combo box's popup is a window too, but owned by its combo).
    new = {w for w in set(QApplication.topLevelWidgets()) - before if w.parent() is None}
    assert new == {dialog}, [w.objectName() or w.accessibleName() for w in new]
