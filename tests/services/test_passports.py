"""Passports from the demo school: who gets one, what is on it, languages, batches, slips."""

from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.reports.textlayout import shape
from skillsdesk.services import passport_batch
from skillsdesk.services.passports import check_locale
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.tables import Pupil
from tests.conftest import TODAY


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def as_drawn(name: str) -> str:
    """How a name comes back out of the PDF: Arabic script in its joined forms."""
    return shape(name)


def a_class(services) -> str:  # type: ignore[no-untyped-def]
    return next(g.name for g in services.school.classes() if g.pupil_count >= 8)


def test_a_class_into_one_pdf_with_every_name_exactly_as_stored(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    group = a_class(demo_services)
    pupils = demo_services.passports.pupils_for(group=group)
    result = demo_services.passports.make(pupils, tmp_path / "class.pdf")
    assert result.passports == len(pupils)
    reader = PdfReader(str(tmp_path / "class.pdf"))
    assert result.pages == len(reader.pages) and result.pages % 2 == 0
    text = pdf_text(tmp_path / "class.pdf")
    framework = demo_services.frameworks.current()
    for pupil in pupils:
        if as_drawn(pupil.display_name) == pupil.display_name:  # no Arabic script: verbatim
            assert pupil.display_name in text
        for part in (pupil.first_name, pupil.last_name):
            assert as_drawn(part) in text, part
    for skill in framework.skills:
        assert skill.name in text
    assert f"Class {group}" in text
    # Every passport starts on an odd page (index even) under its own bookmark.
    assert [o.title for o in reader.outline] == [p.display_name for p in pupils]
    starts = [reader.get_destination_page_number(o) for o in reader.outline]
    assert all(start % 2 == 0 for start in starts)


def test_the_passport_shows_the_current_step_and_the_child_statements(demo_services) -> None:  # type: ignore[no-untyped-def]
    pupil = demo_services.passports.pupils_for(group=a_class(demo_services))[0]
    framework = demo_services.frameworks.current()
    progress = demo_services.progress.for_pupils(framework, [pupil])[0]
    passport = demo_services.passports.gather([pupil])[0]
    assert passport.pupil_name == pupil.display_name and passport.class_name == pupil.class_name
    for skill, shown, position in zip(framework.skills, passport.skills, progress.skills,
                                      strict=True):
        assert (shown.current, shown.next) == (position.current, position.next)
        steps = {s.number: s for s in skill.steps}
        if position.current is not None:
            assert shown.secured_text == steps[position.current].child
        assert shown.next_text == steps[position.next].child
        assert shown.home_tip == steps[position.next].home
        assert shown.path == tuple(range(16))
    assert 0 < len(passport.moments) <= 3
    assert all(m.text for m in passport.moments)


def test_no_upn_flags_or_admission_number_reach_the_paper(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pupil = demo_services.passports.pupils_for(group=a_class(demo_services))[0]
    with demo_services.store.write() as session:
        row = session.get(Pupil, pupil.id)
        row.upn, row.sen, row.pupil_premium, row.eal = "A123456789012", "E", True, True
        session.add(row)
    demo_services.passports.make([pupil], tmp_path / "one.pdf")
    text = pdf_text(tmp_path / "one.pdf")
    assert "A123456789012" not in text and pupil.admission_number not in text
    for word in ("SEN", "EHCP", "Pupil premium", "pupil premium", "EAL", "English as an"):
        assert word not in text


def test_who_gets_one_and_clear_refusals(demo_services) -> None:  # type: ignore[no-untyped-def]
    service = demo_services.passports
    year3 = service.pupils_for(year_group="Year 3")
    assert year3 and all(p.year_group == "3" for p in year3)
    some = [p.admission_number for p in year3[:3]][::-1]
    assert [p.admission_number for p in service.pupils_for(admission_numbers=some)] == some
    with pytest.raises(NotFound, match="no group called 'Nowhere'"):
        service.pupils_for(group="Nowhere")
    with pytest.raises(UserError, match="'Year 9' is not a primary year group"):
        service.pupils_for(year_group="Year 9")
    with pytest.raises(NotFound, match="admission number 000000"):
        service.pupils_for(admission_numbers=["000000"])
    with pytest.raises(UserError, match="Choose a class"):
        service.pupils_for()


def test_locales() -> None:
    assert check_locale("cy") == "cy" and check_locale("en") == "en_GB"
    assert check_locale("ar-EG") == "ar_EG"
    with pytest.raises(UserError, match="'klingon' is not a language"):
        check_locale("klingon")


def test_welsh_polish_and_arabic_wording(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pupil = demo_services.passports.pupils_for(group=a_class(demo_services))[0]
    expected = {"cy": "Fy mhasbort sgiliau", "pl": "Mój paszport umiejętności",
                "ar": shape("جواز مهاراتي"), "ur": "My skills passport"}
    for locale, title in expected.items():
        demo_services.passports.make([pupil], tmp_path / f"{locale}.pdf", locale=locale)
        assert title in pdf_text(tmp_path / f"{locale}.pdf"), locale


def test_framework_translations_are_used_where_they_exist(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import tomllib

    import tomli_w

    source = demo_services.frameworks.export("essential-skills", tmp_path / "es.toml")
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    data["framework"]["code"] = "essential-cy"
    for step in data["skills"][0]["steps"]:
        step["translations"] = {"cy": {"child": f"Cam {step['number']} yn Gymraeg."}}
    data["skills"][0]["translations"] = {"cy": {"name": "Gwrando"}}
    (tmp_path / "es-cy.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    demo_services.frameworks.import_file(tmp_path / "es-cy.toml")
    with demo_services.store.write() as session:
        school_repo.set_setting(session, "framework", "essential-cy")
    pupils = demo_services.passports.pupils_for(group=a_class(demo_services))[:3]
    welsh = demo_services.passports.gather(pupils, "cy")
    polish = demo_services.passports.gather(pupils, "pl")
    english = demo_services.frameworks.current().skills[0]
    for cy, pl in zip(welsh, polish, strict=True):
        assert cy.skills[0].name == "Gwrando" and pl.skills[0].name == english.name
        assert cy.skills[0].next_text == f"Cam {cy.skills[0].next} yn Gymraeg."
        assert pl.skills[0].next_text == english.steps[pl.skills[0].next].child
        assert cy.skills[1].next_text == pl.skills[1].next_text  # no translation: English


def test_comment_and_picked_moments(demo_services) -> None:  # type: ignore[no-untyped-def]
    service = demo_services.passports
    pupil = service.pupils_for(group=a_class(demo_services))[0]
    service.set_comment(pupil, "  Always the first to help tidy up.  ")
    candidates = service.candidates(pupil)
    assert len(candidates) >= 2
    chosen = [candidates[-1].id, candidates[0].id]
    service.pick(pupil, chosen)
    assert service.note(pupil).picked == tuple(chosen)
    passport = service.gather([pupil])[0]
    assert passport.teacher_comment == "Always the first to help tidy up."
    assert [m.text for m in passport.moments] == [candidates[-1].note, candidates[0].note]
    other = service.pupils_for(group=a_class(demo_services))[1]
    with pytest.raises(UserError, match="Only this pupil's observations"):
        service.pick(other, [chosen[0]])
    with pytest.raises(UserError, match="at most 3"):
        service.pick(pupil, [c.id for c in candidates[:4]])
    with pytest.raises(UserError, match="longer than 600"):
        service.set_comment(pupil, "x" * 601)
    service.pick(pupil, [])  # back to the most recent ones
    assert service.gather([pupil])[0].moments != passport.moments


def test_families_slips_come_back_on_the_next_passport(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = demo_services.passports
    pupil = service.pupils_for(group=a_class(demo_services))[0]
    framework = demo_services.frameworks.current()
    skill = framework.skills[2]
    service.add_family_note(pupil, "Built a den with her brother and shared the jobs.",
                            TODAY - dt.timedelta(days=2), skill.code)
    service.add_family_note(pupil, "Told us all about the class trip.", TODAY)
    from_parents = [o for o in demo_services.observations.list(pupil.admission_number)
                    if o.source == "parent"]
    assert len(from_parents) == 1
    entry = from_parents[0]
    assert (entry.setting, entry.level, entry.skill) == ("home", 1, skill.code)
    assert entry.note == "Built a den with her brother and shared the jobs."
    passport = service.gather([pupil])[0]
    assert [(m.text, m.skill) for m in passport.from_home] == [
        ("Told us all about the class trip.", ""),
        ("Built a den with her brother and shared the jobs.", skill.name)]
    # A family's word never secures a step by itself.
    after = demo_services.progress.for_pupils(framework, [pupil])[0]
    assert passport.skills[2].current == after.skills[2].current
    service.make([pupil], tmp_path / "p.pdf")
    assert "What you told us" in pdf_text(tmp_path / "p.pdf")
    with pytest.raises(UserError, match="Type what the family wrote"):
        service.add_family_note(pupil, "   ", TODAY)
    with pytest.raises(UserError, match="in the future"):
        service.add_family_note(pupil, "Tomorrow", TODAY + dt.timedelta(days=1))
    with pytest.raises(NotFound, match="not a skill"):
        service.add_family_note(pupil, "Hi", TODAY, "juggling")


def test_one_file_per_pupil(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pupils = demo_services.passports.pupils_for(group=a_class(demo_services))[:4]
    result = demo_services.passports.make(pupils, tmp_path / "out", per_pupil=True)
    assert len(result.paths) == 4 and all(p.parent == tmp_path / "out" for p in result.paths)
    for pupil, path in zip(pupils, result.paths, strict=True):
        assert path.name == passport_batch.file_name(demo_services.passports.gather([pupil])[0])
        assert as_drawn(pupil.first_name) in pdf_text(path)
        assert len(PdfReader(str(path)).pages) in (1, 2)
    (tmp_path / "file.pdf").write_bytes(b"x")
    with pytest.raises(UserError, match="is a file"):
        demo_services.passports.make(pupils, tmp_path / "file.pdf", per_pupil=True)


def test_worker_processes_give_the_same_passports_and_cancel_writes_nothing(
        demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pupils = demo_services.passports.pupils_for(group=a_class(demo_services))[:6]
    passports = demo_services.passports.gather(pupils)
    seen: list[tuple[int, int]] = []
    pooled = passport_batch.one_pdf(passports, "en_GB", tmp_path / "pooled.pdf", workers=2,
                                    progress=lambda d, t: seen.append((d, t)))
    single = passport_batch.one_pdf(passports, "en_GB", tmp_path / "single.pdf", workers=1)
    assert pooled.pages == single.pages
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)
    pooled_pages = [p.extract_text() for p in PdfReader(str(tmp_path / "pooled.pdf")).pages]
    single_pages = [p.extract_text() for p in PdfReader(str(tmp_path / "single.pdf")).pages]
    assert pooled_pages == single_pages
    flag = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 2:
            flag.set()

    with pytest.raises(passport_batch.Cancelled):
        passport_batch.one_pdf(passports, "en_GB", tmp_path / "cancelled.pdf", workers=1,
                               progress=progress, cancel=flag)
    assert not (tmp_path / "cancelled.pdf").exists()
    flag.clear()
    with pytest.raises(passport_batch.Cancelled):
        passport_batch.per_pupil(passports, "en_GB", tmp_path / "files", progress=progress,
                                 cancel=flag)
    assert not list((tmp_path / "files").glob("*.pdf"))


def test_logo(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    Image.new("RGB", (30, 30), (10, 120, 60)).save(tmp_path / "logo.png")
    demo_services.passports.set_logo(tmp_path / "logo.png")
    pupil = demo_services.passports.pupils_for(group=a_class(demo_services))[0]
    stored = demo_services.passports.gather([pupil])[0].logo
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (30, 30) and image.getpixel((5, 5))[:3] == (10, 120, 60)
    # A photo-sized logo is kept small, its transparency kept.
    Image.new("RGBA", (2400, 1200), (200, 30, 30, 0)).save(tmp_path / "big.png")
    demo_services.passports.set_logo(tmp_path / "big.png")
    with Image.open(io.BytesIO(demo_services.passports.logo())) as image:
        assert image.size == (600, 300) and image.mode == "RGBA"
    good = demo_services.passports.logo()
    (tmp_path / "logo.txt").write_text("not a picture")
    (tmp_path / "broken.png").write_bytes((tmp_path / "logo.png").read_bytes()[:60])
    for bad in ("logo.txt", "broken.png"):
        with pytest.raises(UserError, match=f"{bad} is not a PNG or JPEG picture"):
            demo_services.passports.set_logo(tmp_path / bad)
        assert demo_services.passports.logo() == good  # nothing changed
    with pytest.raises(UserError, match="missing.png could not be read"):
        demo_services.passports.set_logo(tmp_path / "missing.png")
    demo_services.passports.set_logo(None)
    assert demo_services.passports.gather([pupil])[0].logo is None


def test_an_empty_school_prints_without_a_name(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with services.store.write() as session:
        pupil_repo.insert_pupils(session, [{"admission_number": "1001", "legal_first_name": "Siân",
                                            "legal_last_name": "Ó Briain", "year_group": "R"}])
    pupils = services.passports.pupils_for(admission_numbers=["1001"])
    services.passports.make(pupils, tmp_path / "p.pdf")
    text = pdf_text(tmp_path / "p.pdf")
    assert "Siân Ó Briain" in text and "Our school" in text and "Starting out" in text
    assert len(PdfReader(io.BytesIO((tmp_path / "p.pdf").read_bytes())).pages) == 2


def test_a_note_naming_another_child_is_not_picked_by_itself(demo_services) -> None:  # type: ignore[no-untyped-def]
    service = demo_services.passports
    pupils = service.pupils_for(group=a_class(demo_services))
    pupil, friend = pupils[0], pupils[1]
    framework = demo_services.frameworks.current()
    from skillsdesk.services.recording import Entry

    note = f"Helped {friend.first_name} find a partner and explained the game."
    recorded = demo_services.recording.record(framework, framework.skills[0].code,
                                              [Entry(pupil.id, 1, 2)], observed_on=TODAY,
                                              note=note)
    own = "Explained the game to the whole table."
    demo_services.recording.record(framework, framework.skills[1].code,
                                   [Entry(pupil.id, 1, 2)],
                                   observed_on=TODAY - dt.timedelta(days=1), note=own)
    moments = [m.text for m in service.gather([pupil])[0].moments]
    assert note not in moments and own in moments
    service.pick(pupil, [recorded.ids[0]])  # the teacher read it and chose it
    assert [m.text for m in service.gather([pupil])[0].moments] == [note]


def test_who_may_print_and_every_print_is_audited(demo_services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk.domain.permissions import Actor, PermissionDenied
    from skillsdesk.services.context import Context
    from skillsdesk.services.passports import PassportService
    from skillsdesk.storage import audit as audit_repo
    from skillsdesk.storage import passports as repo

    s = demo_services
    staff = {p.login: p for p in s.school.staff()}
    teacher = next(p for p in staff.values() if p.role == "teacher")
    with s.store.read() as session:
        own = repo.pupils_taught_by(session, teacher.id, s.school.current_year())
    roll = s.school.pupils()
    mine = [p for p in roll if p.id in own][:2]
    other = next(p for p in roll if p.id not in own)
    assert mine

    def service(person) -> PassportService:  # type: ignore[no-untyped-def]
        context = Context(Actor(person.id, person.login, person.name, person.role))
        return PassportService(s.store, s.school, s.frameworks, s.progress, s.recording,
                               context)

    as_teacher = service(teacher)
    as_teacher.make(mine, tmp_path / "mine.pdf")
    with pytest.raises(PermissionDenied, match="classes that are not their own"):
        as_teacher.make(mine + [other], tmp_path / "more.pdf")
    assert not (tmp_path / "more.pdf").exists()
    lunch = next(p for p in staff.values() if p.role == "lunchtime")
    with pytest.raises(PermissionDenied, match="print skills passports"):
        service(lunch).make(mine, tmp_path / "lunch.pdf")
    with pytest.raises(PermissionDenied):
        service(lunch).set_comment(mine[0], "Lovely")
    service(staff["head"]).make(mine + [other], tmp_path / "head.pdf", locale="cy")
    with s.store.read() as session:
        printed = audit_repo.browse(session, action="passport.print")
    assert len(printed) == len(mine) * 2 + 1
    newest = printed[0]
    assert newest.login == "head" and newest.after == {"language": "cy"}
    assert {r.pupil_id for r in printed} == {p.id for p in mine + [other]}


def test_a_leavers_passport_is_headed_with_the_year_and_class_they_left(demo_dir: Path,
                                                                       tmp_path: Path) -> None:
    """Printed from the Records page before erasure, a year after they left: the passport
    speaks of their last class and that year, with that year's comment, not of this year."""
    from skillsdesk.services.container import open_services

    before = open_services(demo_dir, today=TODAY)  # 2026/27
    year6 = next(p for p in before.school.pupils() if p.year_group == "6")
    before.passports.set_comment(year6, "A wonderful last year with us.")
    before.close()
    after = open_services(demo_dir, today=dt.date(2027, 10, 5))  # 2027/28, not set up yet
    try:
        after.rollover.rollover()  # Year 6 leave on 31 August 2027
        assert year6.id not in {p.id for p in after.school.pupils()}
        leaver = after.erasure.pupil_info(year6.admission_number)
        assert leaver.class_name is None
        passport = after.passports.gather([leaver])[0]
        assert (passport.academic_year, passport.class_name) == ("2026/27", year6.class_name)
        assert passport.teacher_comment == "A wonderful last year with us."
        assert passport.printed_on == dt.date(2027, 10, 5)
        on_roll = after.school.pupils()[0]  # beside a pupil on roll, each keeps their own year
        mixed = after.passports.gather([on_roll, leaver])
        assert [p.academic_year for p in mixed] == ["2027/28", "2026/27"]
        after.passports.make([leaver], tmp_path / "leaver.pdf")
        text = pdf_text(tmp_path / "leaver.pdf")
        assert "2026/27" in text and f"Class {year6.class_name}" in text
        assert "2027/28" not in text
    finally:
        after.close()


def test_the_same_words_are_not_shown_twice(demo_services) -> None:  # type: ignore[no-untyped-def]
    service = demo_services.passports
    pupil = service.pupils_for(group=a_class(demo_services))[0]
    framework = demo_services.frameworks.current()
    from skillsdesk.services.recording import Entry

    note = "Waited for a turn and then built on what a friend had said."
    for days, skill in ((0, 0), (1, 1)):
        demo_services.recording.record(framework, framework.skills[skill].code,
                                       [Entry(pupil.id, 1, 2)],
                                       observed_on=TODAY - dt.timedelta(days=days), note=note)
    moments = [m.text for m in service.gather([pupil])[0].moments]
    assert moments.count(note) == 1 and len(moments) > 1


def test_a_profile_lists_every_slip_to_staff_who_may_read_notes(demo_services) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk.domain.permissions import Actor

    service = demo_services.passports
    pupil = service.pupils_for(group=a_class(demo_services))[0]
    service.add_family_note(pupil, "Long ago.", dt.date(2025, 3, 1))  # an earlier year
    service.add_family_note(pupil, "Baked bread.", TODAY, "teamwork")
    slips = service.from_home(pupil)
    assert [(s.on, s.text) for s in slips] == [(TODAY, "Baked bread."),
                                               (dt.date(2025, 3, 1), "Long ago.")]
    assert slips[0].skill == next(s.name for s in demo_services.frameworks.current().skills
                                  if s.code == "teamwork") and slips[1].skill == ""
    lunch = next(p for p in demo_services.school.staff() if p.role == "lunchtime")
    demo_services.context.set_actor(Actor(lunch.id, lunch.login, lunch.name, lunch.role))
    try:
        assert service.from_home(pupil) == []
    finally:
        demo_services.context.set_actor(None)


def test_a_failed_write_keeps_the_old_file_and_says_so(demo_services, tmp_path,
                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from skillsdesk import safefile

    pupils = demo_services.passports.pupils_for(group=a_class(demo_services))[:2]
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "class.pdf"
    target.write_bytes(b"last week's passports")

    def full(source: Path, destination: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safefile, "_replace", full)
    with pytest.raises(UserError, match=r"class.pdf could not be written \(No space left"):
        demo_services.passports.make(pupils, target)
    assert target.read_bytes() == b"last week's passports"  # the old file, whole
    assert [p.name for p in target.parent.iterdir()] == ["class.pdf"]  # no temporary file left
