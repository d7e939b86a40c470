"""Journey J3 through the widgets: choose, save with progress, cancel, comment, families' slips."""

from __future__ import annotations

import io
import threading
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
    """Cancel pressed while passports are being made: the run stops, nothing is saved. The
    worker waits after the first passport until the button has been clicked, so the click
    always lands mid-run."""
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(out / "x.pdf"), ""))
    clicked = threading.Event()
    made = page._passports.make

    def make(pupils, target, **options):  # type: ignore[no-untyped-def]
        relay = options["progress"]

        def progress(done: int, total: int) -> None:
            relay(done, total)
            if done == 1:
                assert clicked.wait(20)

        return made(pupils, target, **{**options, "progress": progress})

    monkeypatch.setattr(page._passports, "make", make)
    assert page.pupil_list.count() > 2
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.progress.value() == 1, timeout=20000)
    assert page.cancel_button.isVisible() and not page.save_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Stopping…"
    clicked.set()
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert page.status.text() == "Printing was cancelled; nothing was saved."
    assert not list(out.iterdir())  # no PDF, no temporary file
    assert not page.cancel_button.isVisible() and page.save_button.isEnabled()


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

    # A slip about no skill in particular, keyed in the same way.
    slip.skill.setCurrentIndex(0)
    slip.date.setDate(QDate(2026, 11, 28))
    qtbot.keyClicks(slip.text, "Tidied her room without being asked!")
    qtbot.mouseClick(slip.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: slip.text.toPlainText() == "", timeout=5000)
    passport = demo_services.passports.gather([pupil])[0]
    assert [m.text for m in passport.from_home] == [
        "Tidied her room without being asked!",
        "Helped plan a picnic and listened to everyone."]
    text = PdfReader(io.BytesIO(demo_services.passports.preview(pupil))).pages[1].extract_text()
    assert "What you told us" in text and "Tidied her room" in text

    # Both are on the pupil's profile: in its From home tab, and the one about a skill in
    # that skill's timeline, marked as the family's.
    from skillsdesk.ui.profile import ProfileDialog

    profile = ProfileDialog(demo_services, pupil.id, page._tasks, None, None,
                            demo_services.frameworks.current())
    qtbot.addWidget(profile)
    home = [profile.from_home.item(i).text() for i in range(profile.from_home.count())]
    assert home == ["28 Nov 2026: Tidied her room without being asked!",
                    f"27 Nov 2026 · {slip.skill.itemText(2)}: "
                    "Helped plan a picnic and listened to everyone."]
    profile.skills.setCurrentRow(1)  # the skill chosen on the slip
    row = next(r for r, item in enumerate(profile._shown) if item.source == "parent")
    assert profile.timeline.item(row, 4).text() == "Family's slip"
    assert profile.timeline.item(row, 5).text() == "Helped plan a picnic and listened to everyone."


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


def test_a_teacher_is_offered_only_their_own_classes(qtbot, demo_services, tmp_path: Path,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """DESIGN.md §8: teachers print passports for their own classes; the page offers nothing
    else and the service refuses anything else."""
    from skillsdesk.domain.permissions import Actor, PermissionDenied
    from skillsdesk.storage import school as school_repo

    s = demo_services
    teacher = next(p for p in s.school.staff() if p.login == "teacher1")
    with s.store.read() as session:
        own = school_repo.group_ids_of(session, teacher.id)
    everyone = [g for g in s.school.classes() if g.kind == "class"]
    mine = sorted(g.name for g in everyone if g.id in own)
    assert mine and len(mine) < len(everyone)
    s.context.set_actor(Actor(teacher.id, teacher.login, teacher.name, teacher.role))
    tasks = TaskRunner()
    try:
        page = PassportsPage(s, tasks)
        qtbot.addWidget(page)
        page.show()
        offered = [page.scope.itemData(i) for i in range(page.scope.count())]
        assert sorted(value for kind, value in offered if kind == "group") == mine
        assert all(kind == "group" for kind, _value in offered)  # no whole year groups
        assert not page.logo_button.isVisibleTo(page)  # the logo is a school setting
        ticked = page.ticked()
        assert ticked and {p.class_name for p in ticked} <= set(mine)
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, **k: (str(tmp_path / "mine.pdf"), ""))
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.busy, timeout=20000)
        assert "Saved" in page.status.text() and (tmp_path / "mine.pdf").exists()
        other = next(p for p in s.school.pupils() if p.class_name not in mine)
        with pytest.raises(PermissionDenied):
            s.passports.make([other], tmp_path / "other.pdf")
        assert not (tmp_path / "other.pdf").exists()
    finally:
        tasks.wait()
        s.context.set_actor(None)


def test_a_head_is_offered_every_class_and_year_group(page) -> None:  # type: ignore[no-untyped-def]
    offered = [page.scope.itemData(i) for i in range(page.scope.count())]
    classes = [g.name for g in page._services.school.classes() if g.kind == "class"]
    assert sorted(v for k, v in offered if k == "group") == sorted(classes)
    assert any(kind == "year" for kind, _v in offered)


def test_an_admin_sets_the_logo_and_a_bad_file_is_named(page, qtbot, tmp_path: Path,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    assert page.logo_button.isVisible() and not page.logo_remove.isEnabled()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(tmp_path / "crest.png")
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    chosen = [str(tmp_path / "crest.png")]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen[0], ""))
    shown: list[str] = []
    monkeypatch.setattr(prompts, "run", lambda box: shown.append(box.text()) or 0)
    qtbot.mouseClick(page.logo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "logo is on every passport" in page.status.text(), timeout=5000)
    assert not page.logo_preview.pixmap().isNull() and page.logo_remove.isEnabled()
    pdf = PdfReader(io.BytesIO(page._passports.preview(page.ticked()[0])))
    xobjects = pdf.pages[0]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())

    chosen[0] = str(tmp_path / "broken.jpg")
    qtbot.mouseClick(page.logo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == ["broken.jpg is not a PNG or JPEG picture SkillsDesk can read; save the "
                     "logo as PNG or JPEG and choose it again."]
    assert page._passports.logo() is not None  # the good logo stays

    qtbot.mouseClick(page.logo_remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "without a logo" in page.status.text(), timeout=5000)
    assert page._passports.logo() is None and not page.logo_remove.isEnabled()


def test_a_notice_names_texts_that_cannot_be_printed(page, qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    """Typed characters no font has: the page says whose passport and where, above the lists
    and without a dialog; clicking the pupil there chooses them, and mending the text clears
    it. Emoji and Chinese print, so they are not listed."""
    from PySide6.QtWidgets import QApplication

    page._tasks.wait()
    assert not page.unprintable_box.isVisible()
    pupil = page.pupil_list.item(1).data(Qt.ItemDataRole.UserRole)
    page.pupil_list.setCurrentRow(1)
    page.comment_tab.comment.setPlainText("Loves maths \U0001FAF6 and says สวัสดี")
    qtbot.mouseClick(page.comment_tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.unprintable_box.isVisible, timeout=10000)
    assert QApplication.activeModalWidget() is None  # a notice in the page, not a dialog
    assert page.unprintable_list.count() == 1
    entry = page.unprintable_list.item(0).text()
    assert entry.startswith(pupil.display_name)
    assert "the teacher's comment: \U0001FAF6 (U+1FAF6), ส (U+0E2A)" in entry
    assert "1 passport has typed characters that cannot be printed" in \
        page.unprintable_label.text()
    assert page.save_button.isEnabled()  # printing can go ahead

    page.pupil_list.setCurrentRow(3)
    rect = page.unprintable_list.visualItemRect(page.unprintable_list.item(0))
    qtbot.mouseClick(page.unprintable_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert page.pupil_list.currentRow() == 1
    assert page.comment_tab.heading.text() == pupil.display_name

    page.comment_tab.comment.setPlainText("Loves maths 😀 and says 你好")
    qtbot.mouseClick(page.comment_tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.unprintable_box.isVisible(), timeout=10000)
    assert demo_services.passports.unprintable([pupil]) == []
