"""Subject access (G19): everything about one pupil, nothing about any other, in JSON and PDF."""

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.__main__ import main
from skillsdesk.domain.permissions import Actor, PermissionDenied
from skillsdesk.services.recording import Entry
from skillsdesk.services.sar import REDACTED
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import pupil_records
from tests.conftest import TODAY

ROLL = """Adno,Forename,Surname,Year,Class,Preferred forename
A100,Amira,Haddad,3,3 Oak,
B200,Amira,Haddadi,3,3 Oak,
C300,Thomas,Price,3,3 Oak,Tom
D400,Łucja,Żółtowska,4,4 Elm,
"""
OTHER_CANARY = "Haddadi-only canary about the second Amira"


@pytest.fixture
def school(services, tmp_path: Path):  # type: ignore[no-untyped-def]
    csv = tmp_path / "roll.csv"
    csv.write_text(ROLL, encoding="utf-8")
    services.pupils.import_file(csv)
    framework = services.frameworks.current()
    code = framework.skills[0].code
    pupils = {p.admission_number: p for p in services.school.pupils()}
    a, b = pupils["A100"], pupils["B200"]
    services.recording.record(framework, code, [Entry(a.id, 2, 2)],
                              note="Amira Haddad explained the plan to the whole table.")
    services.recording.record(framework, code, [Entry(a.id, 3, 1)],
                              note="Shared the glue with tom  PRICE and with Łucja Żółtowska.")
    deleted = services.recording.record(framework, code, [Entry(a.id, 1, 1)], note="Wrong child")
    services.recording.delete(list(deleted.ids))
    services.recording.record(framework, code, [Entry(b.id, 4, 3)], note=OTHER_CANARY)
    services.recording.record(framework, code, [Entry(a.id, 5, 2), Entry(b.id, 5, 2)],
                              note="Both Amiras built the tower together.")
    services.targets.set(framework, a.id, code, 4, None)
    services.targets.set(framework, b.id, code, 6, None)
    services.passports.add_family_note(b, "B's family slip canary", TODAY)
    services.passports.add_family_note(a, "Amira helped at home with the shopping.", TODAY)
    services.school.save_set("Blue table", [a.id, b.id])
    return services


def test_the_bundle_holds_everything_about_the_pupil_and_nothing_else(school, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = school.sar.write("A100", tmp_path / "sar")
    bundle = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert bundle["pupil"]["admission_number"] == "A100"
    notes = [o["note"] for o in bundle["observations"]]
    assert len(notes) == 4 and result.observations == 4
    assert "Amira Haddad explained the plan to the whole table." in notes  # their own name stays
    assert f"Shared the glue with {REDACTED} and with {REDACTED}." in notes
    assert any(o["deleted_at"] for o in bundle["observations"])  # still held, so disclosed
    assert {g["name"] for g in bundle["groups"]} == {"3 Oak", "Blue table"}
    assert [t["step"] for t in bundle["targets"]] == [4]
    assert [r["text"] for r in bundle["other_records"]["family_note"]] == [
        "Amira helped at home with the shopping."]
    # The note is redacted wherever it appears: the observation and its audit row.
    assert set(r.names for r in result.redactions) == {("Tom Price", "Łucja Żółtowska")}

    raw = result.json_path.read_text(encoding="utf-8")
    pdf_text = "".join(page.extract_text() for page in PdfReader(result.pdf_path).pages)
    others = [p for p in school.school.pupils() if p.admission_number != "A100"]
    for text in (raw, pdf_text):
        assert OTHER_CANARY not in text and "B's family slip" not in text
        assert "Haddadi" not in text and "Price" not in text and "Żółtowska" not in text
        for other in others:
            assert other.admission_number not in text
            assert str(other.id) not in text and other.id.hex not in text
    assert "Amira Haddad explained the plan" in pdf_text
    assert "Shared the glue with [another pupil]" in pdf_text
    review = result.review_path.read_text(encoding="utf-8")
    assert "staff only" in review and "Tom Price" in review
    with school.store.read() as session:
        events = audit_repo.browse(session, action="pupil.sar")
    assert len(events) == 1 and str(events[0].pupil_id) == bundle["pupil"]["id"]


def test_audit_events_about_the_pupil_are_included(school, tmp_path) -> None:  # type: ignore[no-untyped-def]
    school.sar.write("A100", tmp_path / "first")
    second = school.sar.write("A100", tmp_path / "second")
    bundle = json.loads(second.json_path.read_text(encoding="utf-8"))
    actions = [e["action"] for e in bundle["audit"]]
    assert actions.count("pupil.sar") == 1  # the first bundle; the second is made after it
    assert {"observation.add", "pupil.sar"} <= set(actions)
    assert second.audit_events == len(actions)


def test_only_an_admin_may_make_a_bundle(school, tmp_path) -> None:  # type: ignore[no-untyped-def]
    teacher = Actor(school.school.pupils()[0].id, "t1", "A Teacher", "teacher")
    with pytest.raises(PermissionDenied):
        school.sar.write("A100", tmp_path, actor=teacher)
    assert not list(tmp_path.glob("sar-*"))


def test_sar_from_the_command_line(tmp_path: Path, plain_school: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "s")]
    csv = tmp_path / "roll.csv"
    csv.write_text(ROLL, encoding="utf-8")
    assert main(["pupils", "import", str(csv), *data]) == 0
    capsys.readouterr()
    assert main(["sar", "--pupil", "D400", "--out", str(tmp_path / "out"), *data]) == 0
    out = capsys.readouterr().out
    assert "sar-D400-" in out and ".pdf" in out and "Review before sending" in out
    assert "photo" not in out  # D400 has none
    assert len(list((tmp_path / "out").glob("sar-D400-*"))) == 3
    assert main(["sar", "--pupil", "ZZZ", "--out", str(tmp_path / "out"), *data]) == 1


UPN_ROLL = """Adno,UPN,Forename,Surname,Year,Class
U100,H823200126012,Nia,Rees,3,3 Oak
U200,,Owen,Rees,3,3 Oak
"""
UPN = "H823200126012"


def test_a_held_upn_is_mentioned_but_its_value_is_in_no_file(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "roll.csv"
    csv.write_text(UPN_ROLL, encoding="utf-8")
    services.pupils.import_file(csv)
    pupils = {p.admission_number: p for p in services.school.pupils()}
    framework = services.frameworks.current()
    services.recording.record(framework, framework.skills[0].code, [Entry(pupils["U100"].id, 2, 2)],
                              note=f"Office copied her UPN {UPN.lower()} here by mistake.")
    with services.store.read() as session:  # the value really is held
        assert pupil_records.upn_value(session, pupils["U100"].id) == UPN

    result = services.sar.write("U100", tmp_path / "held")
    bundle = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert bundle["pupil"]["upn_held"] is True and "upn" not in bundle["pupil"]
    held = bundle["unique_pupil_number"]
    assert "Unique Pupil Number (UPN) is held" in held and "school office can confirm" in held
    assert any("[UPN withheld]" in (o["note"] or "") for o in bundle["observations"])
    pdf_text = " ".join(" ".join(page.extract_text().split())
                        for page in PdfReader(result.pdf_path).pages)
    assert "Unique Pupil Number (UPN) is held" in pdf_text
    assert "school office can confirm it on request" in pdf_text
    files = list((tmp_path / "held").iterdir())
    assert len(files) == 3
    for text in [pdf_text, *(f.read_bytes().decode("latin-1") for f in files)]:
        assert UPN.casefold() not in text.casefold()

    result = services.sar.write("U200", tmp_path / "none")
    bundle = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert bundle["pupil"]["upn_held"] is False
    assert bundle["unique_pupil_number"].startswith("No Unique Pupil Number (UPN) is held")
    pdf_text = " ".join(" ".join(page.extract_text().split())
                        for page in PdfReader(result.pdf_path).pages)
    assert "No Unique Pupil Number (UPN) is held" in pdf_text


def test_the_command_line_names_the_photo_file(tmp_path: Path, plain_school: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from skillsdesk.services.container import open_services

    csv = tmp_path / "roll.csv"
    csv.write_text(ROLL, encoding="utf-8")
    Image.new("RGB", (300, 300), "blue").save(tmp_path / "face.jpg", "JPEG")
    s = open_services(plain_school)
    try:
        s.pupils.import_file(csv)
        pupil = next(p for p in s.school.pupils() if p.admission_number == "C300")
        s.photos.set_consent(pupil.id, True)
        s.photos.set_photo(pupil.id, tmp_path / "face.jpg")
    finally:
        s.close()
    out_dir = tmp_path / "out"
    assert main(["sar", "--pupil", "C300", "--out", str(out_dir),
                 "--data-dir", str(plain_school)]) == 0
    out = capsys.readouterr().out
    photos = list(out_dir.glob("sar-C300-*-photo.jpg"))
    assert len(photos) == 1 and photos[0].read_bytes().startswith(b"\xff\xd8")
    assert f"Wrote the pupil's photo, which is part of the bundle, as {photos[0]}." in out
