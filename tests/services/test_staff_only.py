"""Staff-only notes (issue #4): stored, editable, kept through undo, never on a passport, and
flagged in what a family or the CLI gets."""

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.__main__ import main
from skillsdesk.domain.steprule import INDEPENDENTLY, SECURED
from skillsdesk.services.recording import Entry
from skillsdesk.storage import pupil_records

ROLL = """Adno,Forename,Surname,Year,Class
A100,Amira,Haddad,3,3 Oak
B200,Tom,Price,3,3 Oak
"""
PRIVATE = "Zebracrossing worry shared in confidence"
SHARED = "Painted a bright kite and told the class about it"
PICKED = "Counted the dinner money twice"


@pytest.fixture
def school(services, tmp_path: Path):  # type: ignore[no-untyped-def]
    csv = tmp_path / "roll.csv"
    csv.write_text(ROLL, encoding="utf-8")
    services.pupils.import_file(csv)
    pupils = {p.admission_number: p for p in services.school.pupils()}
    return services, services.frameworks.current(), pupils["A100"]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_recorded_edited_and_undone_with_the_flag(school) -> None:  # type: ignore[no-untyped-def]
    services, framework, pupil = school
    code = framework.skills[0].code
    done = services.recording.record(framework, code, [Entry(pupil.id, 2, INDEPENDENTLY)],
                                     note=PRIVATE, staff_only=True)
    services.recording.record(framework, code, [Entry(pupil.id, 2, INDEPENDENTLY)], note=SHARED)
    flags = {i.note: i.staff_only for i in services.recording.timeline(framework, pupil.id)}
    assert flags == {PRIVATE: True, SHARED: False}
    listed = {o.note: o.staff_only for o in services.observations.list(pupil.admission_number)}
    assert listed == {PRIVATE: True, SHARED: False}
    before = services.recording.edit(framework, done.ids[0], staff_only=False)
    assert before == {"staff_only": True}
    assert not next(i for i in services.recording.timeline(framework, pupil.id)
                    if i.id == done.ids[0]).staff_only
    services.recording.edit(framework, done.ids[0], **before)  # what Undo does
    assert next(i for i in services.recording.timeline(framework, pupil.id)
                if i.id == done.ids[0]).staff_only


def test_a_staff_only_note_never_reaches_a_passport(school) -> None:  # type: ignore[no-untyped-def]
    services, framework, pupil = school
    code = framework.skills[0].code
    services.recording.record(framework, code, [Entry(pupil.id, 2, INDEPENDENTLY)], note=SHARED)
    # The newest and strongest moment, so it would be picked first if it were allowed.
    secret = services.recording.record(framework, code, [Entry(pupil.id, 3, SECURED)],
                                       note=PRIVATE, staff_only=True)
    passports = services.passports
    assert [c.note for c in passports.candidates(pupil)] == [SHARED]
    text = pdf_text(passports.preview(pupil))
    assert "bright kite" in text and "Zebracrossing" not in text
    # Picked while it was shareable, then marked staff only: it drops off the passport.
    shared_later = services.recording.record(framework, code, [Entry(pupil.id, 3, SECURED)],
                                             note=PICKED)
    passports.pick(pupil, [shared_later.ids[0]])
    assert "dinner money" in pdf_text(passports.preview(pupil))
    services.recording.edit(framework, shared_later.ids[0], staff_only=True)
    text = pdf_text(passports.preview(pupil))
    assert "dinner money" not in text and "Zebracrossing" not in text
    with pytest.raises(Exception, match="Only this pupil's observations"):
        passports.pick(pupil, [secret.ids[0]])


def test_subject_access_and_the_cli_carry_the_flag(school, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    services, framework, pupil = school
    code = framework.skills[0].code
    services.recording.record(framework, code, [Entry(pupil.id, 2, INDEPENDENTLY)],
                              note=PRIVATE, staff_only=True)
    services.recording.record(framework, code, [Entry(pupil.id, 1, INDEPENDENTLY)], note=SHARED)
    with services.store.read() as session:
        data = pupil_records.subject_data(session, pupil.id)
    assert {o["note"]: o["staff_only"] for o in data["observations"]} == {
        PRIVATE: True, SHARED: False}
    folder = tmp_path / "school"  # where the services fixture keeps this school
    code_out = main(["observations", "list", "--pupil", "A100", "--format", "json",
                     "--data-dir", str(folder)])
    rows = json.loads(capsys.readouterr().out)
    assert code_out == 0
    assert {r["note"]: r["staff_only"] for r in rows} == {PRIVATE: True, SHARED: False}
