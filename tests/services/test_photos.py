"""Pupil photos (issue 3): import from a folder with a per-file report, consent gating, set and
clear, the admin-only rule, the audit rows, erasure and the subject access bundle."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from skillsdesk.__main__ import main
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, PermissionDenied
from skillsdesk.services import photos as photos_module
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import photos as photo_repo

ROLL = """Adno,UPN,Forename,Surname,Year,Class
001234,,Ada,Lovelace,3,3 Oak
001235,H823200126012,Ben,Okoro,3,3 Oak
001236,,Cara,Nolan,3,3 Oak
"""


def picture(path: Path, size: tuple[int, int] = (800, 600), colour: str = "red",
            fmt: str = "JPEG", exif: bool = False) -> Path:
    image = Image.new("RGB", size, colour)
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x0112] = 6  # orientation: turn 90° to be upright
        data[0x010F] = "CanaryCam"  # camera make: must not survive
        extra["exif"] = data.tobytes()
    image.save(path, fmt, **extra)
    return path


@pytest.fixture
def school(services, tmp_path: Path):  # type: ignore[no-untyped-def]
    csv = tmp_path / "roll.csv"
    csv.write_text(ROLL, encoding="utf-8")
    services.pupils.import_file(csv)
    ids = {p.admission_number: p.id for p in services.school.pupils()}
    services.photos.set_consent(ids["001234"], True)
    services.photos.set_consent(ids["001235"], True)  # Cara (001236): no consent
    return services, ids


def test_import_stores_good_files_and_says_why_the_others_were_left_out(
        school, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s, ids = school
    folder = tmp_path / "photos"
    folder.mkdir()
    picture(folder / "001234.jpg", size=(900, 1200), exif=True)
    picture(folder / "H823200126012.png", fmt="PNG", colour="blue")  # named by UPN
    picture(folder / "001236.jpg")  # no consent
    picture(folder / "009999.jpg")  # nobody
    (folder / "001234.png").write_bytes((folder / "001234.jpg").read_bytes())  # a second file
    (folder / "Thumbs.db").write_bytes(b"\x00" * 64)
    (folder / "001235.jpg").write_text("not really a picture", encoding="utf-8")

    report = s.photos.import_folder(folder)

    assert {f.admission_number for f in report.stored} == {"001234", "001235"}
    reasons = {f.file: f.reason for f in report.left_out}
    assert reasons["001236.jpg"] == "no photo consent is recorded for this pupil"
    assert reasons["009999.jpg"] == "no pupil has this admission number or UPN"
    assert reasons["Thumbs.db"] == "not an image file"
    assert "another file for the same pupil (001234.jpg)" in reasons["001234.png"]
    assert reasons["001235.jpg"].startswith("not an image SkillsDesk can read")
    text = "\n".join(report.lines())
    assert "2 photos stored, 5 files left out" in text
    assert "H823200126012" not in text and "file named by UPN …012.png" in text  # never shown
    shown = s.photos.photos(list(ids.values()))
    assert set(shown) == {ids["001234"], ids["001235"]}
    with Image.open(io.BytesIO(shown[ids["001234"]])) as image:
        assert image.format == "JPEG" and max(image.size) == photos_module.SIZE
        assert image.size == (256, 192)  # turned upright by its EXIF orientation
        assert not image.getexif()  # no camera data kept
    assert b"CanaryCam" not in shown[ids["001234"]]
    with s.store.read() as session:
        assert not photo_repo.has_photo(session, ids["001236"])
        events = audit_repo.browse(session, action="pupils.photos_import", limit=5)
        assert events[0].after == {"stored": 2, "replaced": 0, "left_out": 5}
        assert len(audit_repo.browse(session, action="pupil.photo_set", limit=10)) == 2


def test_a_dry_run_and_too_big_files_store_nothing(school, tmp_path: Path,
                                                   monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s, ids = school
    folder = tmp_path / "photos"
    folder.mkdir()
    picture(folder / "001234.jpg")
    picture(folder / "1235.jpg")  # leading zeros left off
    report = s.photos.import_folder(folder, dry_run=True)
    assert len(report.stored) == 2 and "Dry run: nothing was changed." in report.lines()
    assert s.photos.photos(list(ids.values())) == {}

    monkeypatch.setattr(photos_module, "MAX_PIXELS", 1000)
    report = s.photos.import_folder(folder)
    assert not report.stored
    assert all(f.reason.startswith("too big (800 × 600 pixels)") for f in report.left_out)
    monkeypatch.setattr(photos_module, "MAX_FILE_BYTES", 100)
    report = s.photos.import_folder(folder)
    assert all(f.reason.startswith("too big (") and "MB" in f.reason for f in report.left_out)
    assert s.photos.photos(list(ids.values())) == {}
    with pytest.raises(UserError, match="is not a folder"):
        s.photos.import_folder(tmp_path / "missing")


def test_consent_gates_every_photo(school, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s, ids = school
    ada, cara = ids["001234"], ids["001236"]
    with pytest.raises(UserError, match="No photo consent"):
        s.photos.set_photo(cara, picture(tmp_path / "c.jpg"))
    s.photos.set_photo(ada, picture(tmp_path / "a.jpg"))
    assert s.photos.photo(ada) is not None
    # Even if the flag is cleared some other way, the photo is not handed out.
    with s.store.write() as session:
        photo_repo.set_consent(session, ada, False)
    assert s.photos.photo(ada) is None and s.photos.status()[ada].has_photo
    with s.store.write() as session:
        photo_repo.set_consent(session, ada, True)
    # Withdrawing consent through the service deletes the photo, audited.
    assert s.photos.set_consent(ada, False) is True
    assert s.photos.status()[ada] == photos_module.PhotoStatus(consent=False, has_photo=False)
    s.photos.set_consent(ada, True)
    assert s.photos.photo(ada) is None  # consent again does not bring a deleted photo back
    s.photos.set_photo(ada, picture(tmp_path / "a.jpg"))
    assert s.photos.clear_photo(ada) is True and s.photos.photo(ada) is None
    with s.store.read() as session:
        actions = [e.action for e in audit_repo.browse(session, pupil_id=ada, limit=20)]
    assert actions.count("pupil.photo_consent") == 3 and "pupil.photo_clear" in actions
    with pytest.raises(UserError, match="not an image"):
        s.photos.set_photo(ada, tmp_path / "roll.csv")


def test_only_an_admin_changes_photos(school, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s, ids = school
    teacher = s.accounts.add_staff("teach", "Tess Teacher", "teacher")
    s.context.set_actor(Actor(teacher.id, teacher.login, teacher.name, teacher.role))
    folder = tmp_path / "photos"
    folder.mkdir()
    picture(folder / "001234.jpg")
    with pytest.raises(PermissionDenied):
        s.photos.import_folder(folder)
    with pytest.raises(PermissionDenied):
        s.photos.set_consent(ids["001236"], True)
    assert s.photos.photos(list(ids.values())) == {}  # reading is allowed: nothing there


def test_erasure_removes_the_photo_and_the_sar_carries_it(school, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s, ids = school
    ada = ids["001234"]
    s.photos.set_photo(ada, picture(tmp_path / "a.jpg", colour="green"))
    stored = s.photos.photo(ada)

    result = s.sar.write("001234", tmp_path)
    assert result.photo_path is not None and result.photo_path.read_bytes() == stored
    bundle = json.loads(result.json_path.read_text(encoding="utf-8"))
    row = bundle["other_records"]["pupil_photo"][0]
    assert row["image"] == result.photo_path.name and row["image_bytes"] == len(stored)
    assert result.pdf_path.stat().st_size > 0
    (tmp_path / "other").mkdir()
    assert s.sar.write("001236", tmp_path / "other").photo_path is None

    s.erasure.erase("001234")
    with s.store.read() as session:
        assert not photo_repo.has_photo(session, ada)
    wal = s.store.path.with_name(s.store.path.name + "-wal")
    assert stored not in s.store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_cli_imports_a_folder(school, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    s, _ids = school
    folder = tmp_path / "photos"
    folder.mkdir()
    picture(folder / "001234.jpg")
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    data_dir = s.store.path.parent
    s.close()
    assert main(["pupils", "photos", str(folder), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 photo stored, 1 file left out." in out and "notes.txt: left out" in out
    assert main(["pupils", "photos", str(tmp_path / "nope"), "--data-dir", str(data_dir)]) == 1
    assert "is not a folder" in capsys.readouterr().err
