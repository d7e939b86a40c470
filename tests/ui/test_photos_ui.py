"""Pupil photos in the desk (issue 3): lunchtime tiles show a photo only with consent, and the
Pupils page imports a folder of photos and records or withdraws consent, through the widgets."""

from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from skillsdesk.ui import prompts


def jpeg(path: Path, colour: str = "orange") -> Path:
    Image.new("RGB", (400, 500), colour).save(path, "JPEG")
    return path


def test_lunchtime_tiles_show_a_photo_only_with_consent(window, qtbot, demo_services,
                                                        tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.open_lunchtime()
    lunch = window._lunchtime
    qtbot.addWidget(lunch)
    group = next(g for g in demo_services.school.groups() if g.kind == "lunchtime")
    pupils = demo_services.school.pupils(group=group.name)
    with_photo, withdrawn, never = pupils[0], pupils[1], pupils[2]
    photos = demo_services.photos
    for pupil in (with_photo, withdrawn):
        photos.set_consent(pupil.id, True)
        photos.set_photo(pupil.id, jpeg(tmp_path / f"{pupil.admission_number}.jpg"))
    photos.set_consent(withdrawn.id, False)
    photos.set_consent(never.id, False)

    button = next(b for b in lunch.group_buttons if b.text() == group.name)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    tiles = {b.accessibleName(): b for b in lunch.child_buttons}
    shown = tiles[with_photo.display_name]
    assert shown.photo is not None and not shown.photo.pixmap().isNull()
    assert shown.photo.pixmap().height() <= 96
    for pupil in (withdrawn, never):
        tile = tiles[pupil.display_name]
        initials = (pupil.first_name[:1] + pupil.last_name[:1]).upper()
        assert tile.photo is None and tile.text().startswith(initials + "\n")
    # A photo tile is still one big button: a tap on the picture chooses the child.
    qtbot.mouseClick(shown, Qt.MouseButton.LeftButton)
    assert shown.isChecked() and lunch.prompt.text().startswith(with_photo.first_name)
    lunch.exit_button.held.emit()
    # The profile shows the photo small beside the name, and only with consent.
    from skillsdesk.ui.profile import ProfileDialog

    for pupil, expected in ((with_photo, True), (withdrawn, False)):
        profile = ProfileDialog(demo_services, pupil.id, window._tasks, window.undo_stack,
                                window.session, demo_services.frameworks.current(), window)
        qtbot.addWidget(profile)
        headings = [label.text() for label in profile.findChildren(QLabel)
                    if pupil.display_name in label.text()]
        assert headings and ("data:image/jpeg;base64," in headings[0]) is expected


def test_pupils_page_imports_photos_and_withdraws_consent(window, qtbot, demo_services,
                                                          tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.show_page("pupils")
    page = window.page("pupils")
    assert page.photo_bar.isVisibleTo(page)  # no actor on a plain store: admin rights
    pupils = demo_services.school.pupils()
    status = demo_services.photos.status()
    consenting = next(p for p in pupils if status[p.id].consent)
    refusing = next(p for p in pupils if not status[p.id].consent)
    folder = tmp_path / "photos"
    folder.mkdir()
    jpeg(folder / f"{consenting.admission_number}.jpg")
    jpeg(folder / f"{refusing.admission_number}.jpg")
    (folder / "readme.txt").write_text("school photos", encoding="utf-8")
    monkeypatch.setattr(page, "ask_folder", lambda: folder)
    boxes: list[QMessageBox] = []

    def answer(box):  # type: ignore[no-untyped-def]
        boxes.append(box)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(prompts, "run", answer)
    qtbot.mouseClick(page.import_photos_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    assert "1 photo stored, 2 files left out" in boxes[0].text()
    details = boxes[0].detailedText()
    assert "no photo consent is recorded for this pupil" in details
    assert "readme.txt: left out: not an image file" in details
    assert demo_services.photos.photo(consenting.id) is not None
    assert demo_services.photos.photo(refusing.id) is None

    qtbot.keyClicks(page.filter, consenting.admission_number)
    row = next(r for r in range(page.proxy.rowCount())
               if page.proxy.index(r, 1).data() == consenting.admission_number)
    photo_column = page.model.columnCount() - 1
    assert page.proxy.index(row, photo_column).data() == "consent, photo held"
    page.table.selectRow(row)
    assert page.consent_button.text() == "Withdraw photo consent"
    assert page.remove_photo_button.isEnabled()
    boxes.clear()
    qtbot.mouseClick(page.consent_button, Qt.MouseButton.LeftButton)
    assert "will be deleted" in boxes[0].text()  # asked first
    assert demo_services.photos.status()[consenting.id].has_photo is False
    assert page.proxy.index(row, photo_column).data() == "no consent"
    assert page.consent_button.text() == "Record photo consent"
    assert not page.choose_photo_button.isEnabled()
