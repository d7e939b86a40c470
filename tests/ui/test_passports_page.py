"""Journey J3 through the widgets: choose, save with progress, cancel, comment, families' slips."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog

from skillsdesk.ui import prompts
from skillsdesk.ui.pages.passports import PassportsPage
from skillsdesk.ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, demo_services):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    widget = PassportsPage(demo_services, tasks)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    tasks.wait()


def test_save_a_class_in_welsh_with_progress(page, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert page.windowTitle() == "Passports"
    assert page.scope.currentText().startswith("Class ")
    page.language.setCurrentIndex(page.language.findData("cy"))
    page.pupil_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    ticked = page.ticked()
    assert len(ticked) == page.pupil_list.count() - 1
    target = tmp_path / "class"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF files (*.pdf)"))
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.busy and page.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert "Saved" in page.status.text() and page.last_saved == tmp_path / "class.pdf"
    reader = PdfReader(str(tmp_path / "class.pdf"))
    assert [o.title for o in reader.outline] == [p.display_name for p in ticked]
    assert "Fy mhasbort sgiliau" in reader.pages[0].extract_text()
    assert seen and seen[-1] == len(ticked)
    assert not page.progress.isVisible()


def test_one_file_per_pupil_for_a_year_group(page, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    year = next(i for i in range(page.scope.count()) if page.scope.itemData(i)[0] == "year")
    page.scope.setCurrentIndex(year)
    page.per_pupil.setChecked(True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    page.save()
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert len(list(tmp_path.glob("*.pdf"))) == page.pupil_list.count()


def test_cancel_stops_and_writes_nothing(page, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "x.pdf"), ""))
    page._cancel.set()  # as if Cancel were pressed before the first passport was drawn
    original = page._cancel.clear
    monkeypatch.setattr(page._cancel, "clear", lambda: None)
    page.save()
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert "cancelled" in page.status.text()
    assert not (tmp_path / "x.pdf").exists()
    original()
    assert not page._cancel.is_set()
    page.cancel_button.click()  # what the button does while passports are being made
    assert page._cancel.is_set() and page.status.text() == "Stopping…"


def test_a_refusal_is_a_sentence(page, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "file.pdf").write_bytes(b"x")
    page.per_pupil.setChecked(True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(tmp_path / "file.pdf"))
    shown: list[str] = []
    monkeypatch.setattr(prompts, "run", lambda box: shown.append(box.text()) or 0)
    page.save()
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert shown and "is a file" in shown[0]


def test_comment_and_moments_then_a_family_slip(page, qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    page.pupil_list.setCurrentRow(2)
    pupil = page.pupil_list.currentItem().data(Qt.ItemDataRole.UserRole)
    tab = page.comment_tab
    assert tab.heading.text() == pupil.display_name and tab.moments.count() >= 2
    tab.comment.setPlainText("Brilliant at sharing ideas.")
    for row in range(min(4, tab.moments.count())):
        tab.moments.item(row).setCheckState(Qt.CheckState.Checked)
    assert len(tab.picked()) == min(3, tab.moments.count())  # never more than three
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved the comment" in page.status.text(), timeout=5000)
    note = demo_services.passports.note(pupil)
    assert note.teacher_comment == "Brilliant at sharing ideas." and len(note.picked) == 3

    slip = page.slip_tab
    assert slip.who.text() == pupil.display_name
    slip.skill.setCurrentIndex(2)
    slip.date.setDate(QDate(2026, 11, 27))
    qtbot.keyClicks(slip.text, "Helped plan a picnic and listened to everyone.")
    qtbot.mouseClick(slip.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved the slip" in page.status.text(), timeout=5000)
    assert slip.text.toPlainText() == ""
    passport = demo_services.passports.gather([pupil])[0]
    assert passport.from_home[0].text == "Helped plan a picnic and listened to everyone."
    assert passport.from_home[0].on.isoformat() == "2026-11-27"
    assert passport.teacher_comment == "Brilliant at sharing ideas."
    from_parents = [o for o in demo_services.observations.list(pupil.admission_number)
                    if o.source == "parent"]
    assert [(o.setting, o.note) for o in from_parents] == [
        ("home", "Helped plan a picnic and listened to everyone.")]


def test_the_page_is_in_the_main_window(qtbot, demo_services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from skillsdesk.ui.main_window import MainWindow

    tasks = TaskRunner()
    window = MainWindow(demo_services,
                        QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    assert window.page("passports").windowTitle() == "Passports"
    tasks.wait()


def test_preview_and_print_without_touching_the_disk(qtbot, demo_services, tmp_path,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    from skillsdesk.ui import prompts
    from skillsdesk.ui.pages.passports import PassportsPage
    from skillsdesk.ui.tasks import TaskRunner

    tasks = TaskRunner()
    page = PassportsPage(demo_services, tasks)
    qtbot.addWidget(page)
    page.pupil_list.setCurrentRow(0)
    shown: list[object] = []
    monkeypatch.setattr(prompts, "run", lambda dialog: shown.append(dialog) or 0)
    page.preview()
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    dialog = shown[0]
    assert dialog.document.pageCount() == 2
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a file stands in for paper
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_pages(printer) == 2
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    tasks.wait()
