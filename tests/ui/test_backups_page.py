"""The Backups page: back up now, the automatic timer, restore with a confirmation, check."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from skillsdesk.ui import prompts
from skillsdesk.ui.pages.backups import BackupsPage
from skillsdesk.ui.session import DeskSession
from skillsdesk.ui.tasks import TaskRunner


def test_back_up_restore_and_check_from_the_page(qtbot, qtmodeltester, services, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(prompts, "run", lambda box: shown.append(box.text()) or
                        QMessageBox.StandardButton.Yes)
    tasks = TaskRunner()
    session = DeskSession()
    page = BackupsPage(services, tasks, session)
    qtbot.addWidget(page)
    assert page.windowTitle() == "Backups" and page.model.rowCount() == 0
    assert "no backup yet" in page.status.text()

    page.backup_now()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, 1).data() == "Made by hand"
    assert page.model.index(0, 5).data() == "yes"
    assert "Newest checked backup" in page.status.text()

    services.school.set_name("Changed since")
    # Changed, but the newest backup is not 30 minutes old (the window's timer asks this).
    assert services.backups.maybe_backup() is None
    page.refresh()
    assert page.model.rowCount() == 1

    page.table.selectRow(0)
    page.restore_selected()
    qtbot.waitUntil(lambda: any("Restored" in t for t in shown), timeout=10_000)
    assert services.school.name() is None
    assert "paused" in page.status.text()
    assert {page.model.index(r, 1).data() for r in range(page.model.rowCount())} == {
        "Made by hand", "Before a restore"}
    assert page.model.headerData(4, Qt.Orientation.Horizontal) == "Size"
    size = page.model.index(0, 4)
    assert size.data().endswith(" MB") and size.data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert size.data(Qt.ItemDataRole.ToolTipRole) == str(page.model.row_at(0).path)
    qtmodeltester.check(page.model)

    page.check()
    qtbot.waitUntil(lambda: any("Integrity: ok" in t for t in shown), timeout=10_000)
    page.grab().save(str(tmp_path / "backups.png"))
    tasks.wait()


def test_restore_needs_a_choice_and_a_yes(qtbot, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(prompts, "run", lambda box: shown.append(box.text()) or
                        QMessageBox.StandardButton.No)
    tasks = TaskRunner()
    services.backups.backup()
    page = BackupsPage(services, tasks)
    qtbot.addWidget(page)
    page.restore_selected()
    assert shown == ["Choose a backup in the list first."]
    page.table.selectRow(0)
    page.restore_selected()  # answered No
    tasks.wait()
    assert not services.backups.paused and page.model.rowCount() == 1


def test_a_copy_for_a_drive_warns_to_keep_it_locked_away(qtbot, services, tmp_path: Path,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    drive = tmp_path / "usb"
    drive.mkdir()
    shown: list[tuple[QMessageBox.Icon, str]] = []

    def answer(dialog):  # type: ignore[no-untyped-def]
        if isinstance(dialog, QFileDialog):
            dialog.selectFile(str(drive))
            return QDialog.DialogCode.Accepted
        shown.append((dialog.icon(), dialog.text()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(prompts, "run", answer)
    tasks = TaskRunner()
    page = BackupsPage(services, tasks, DeskSession())
    qtbot.addWidget(page)
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    copies = list(drive.glob("skillsdesk-*-copy.db"))
    assert len(copies) == 1
    icon, text = shown[0]
    assert icon == QMessageBox.Icon.Warning
    assert str(copies[0]) in text and "keep the drive locked away" in text
    assert services.backups.list() == []  # the school's own backups folder is not touched
    tasks.wait()
