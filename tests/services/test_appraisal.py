"""Staff appraisal (journey J4): a cycle end to end, its checks, the lunchtime counts, the audit
trail, the demo's records and the appraisal record PDF (read back with pypdf)."""

import datetime as dt
import io
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.domain.appraisal import COMPLETE, iso_week
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, PermissionDenied
from skillsdesk.services.recording import Entry
from skillsdesk.storage import audit as audit_repo
from tests.conftest import TODAY


def person(s, login):  # type: ignore[no-untyped-def]
    return next(p for p in s.school.staff() if p.login == login)


def pdf_text(path: Path) -> str:
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())  # lines rewrap


def test_a_full_cycle_is_recorded_audited_and_printed(demo_services, tmp_path: Path) -> None:
    s, a = demo_services, demo_services.appraisal
    ta, deputy = person(s, "ta1"), person(s, "deputy")
    current = a.cycle_for(ta.id)
    assert current is not None  # the demo's open cycle for this year
    a.set_status(current.id, "open")
    with pytest.raises(UserError, match="already has an appraisal"):
        a.open_cycle(ta.id, deputy.id)
    skills = a.framework().skills
    view = a.self_assess(current.id, skills[0].code, 11, "I listen to every child",
                         dt.date(2026, 11, 20))
    assert view.latest_self_assessment()[skills[0].id].step == 11
    view = a.observe_practice(current.id, skills[7].id, "Helped children take turns fairly.",
                              "lunchtime", dt.date(2026, 11, 25))
    view = a.set_target(current.id, "Coach children to include anyone left out",
                        dt.date(2027, 3, 1), skills[7].code)
    target = next(t for t in view.targets if t.text.startswith("Coach children to include"))
    view = a.target_met(target.id, TODAY)
    view = a.log_training(current.id, "Playground games that build teamwork", 2.5,
                          dt.date(2026, 11, 10), skills[7].code, "Sets up team games weekly")
    assert any(t.title == "Playground games that build teamwork" for t in view.training)
    assert next(t for t in view.targets if t.id == target.id).met_on == TODAY
    with s.store.read() as session:
        events = audit_repo.browse(session, action="appraisal.training")
        kinds = {e.action for e in audit_repo.browse(session) if e.entity_type == "appraisal"}
    assert events and events[0].pupil_id is None
    assert {"appraisal.self_assess", "appraisal.observe", "appraisal.target",
            "appraisal.target_met", "appraisal.training", "appraisal.status"} <= kinds
    out = a.write_report("ta1", tmp_path / "ta1.pdf")
    text = pdf_text(out)
    assert f"Appraisal record: {ta.name}" in text
    assert "I listen to every child" in text and "Helped children take turns fairly." in text
    assert "Coach children to include anyone left out" in text
    assert "Playground games that build teamwork" in text and "Signed" in text
    done = a.set_status(current.id, COMPLETE)
    with pytest.raises(UserError, match="complete"):
        a.self_assess(done.id, skills[0].code, 12)


def test_bad_input_is_refused_with_a_sentence(demo_services) -> None:
    s, a = demo_services, demo_services.appraisal
    cycle = a.cycle_for(person(s, "lunch1").id)
    skill = a.framework().skills[0]
    with pytest.raises(UserError, match="no step 99"):
        a.self_assess(cycle.id, skill.code, 99)
    with pytest.raises(UserError, match="after today"):
        a.self_assess(cycle.id, skill.code, 8, day=TODAY + dt.timedelta(days=1))
    with pytest.raises(UserError, match="outside the 2026/27"):
        a.observe_practice(cycle.id, skill.code, "x", day=dt.date(2026, 8, 1))
    with pytest.raises(UserError, match="not a skill"):
        a.set_target(cycle.id, "x", TODAY, "juggling")
    with pytest.raises(UserError, match="hours"):
        a.log_training(cycle.id, "Course", 0, TODAY)
    with pytest.raises(UserError, match="not support or lunchtime"):
        a.open_cycle(person(s, "teacher1").id, None)
    with pytest.raises(UserError, match="own line manager"):
        a.open_cycle(person(s, "ta2").id, person(s, "ta2").id, "2027/28")


def test_visibility_and_who_may_write(demo_services) -> None:
    s = demo_services
    a = s.appraisal
    lunch1, lunch2, ta1 = person(s, "lunch1"), person(s, "lunch2"), person(s, "ta1")
    own_cycle = a.cycle_for(lunch1.id)
    ta_cycle = a.cycle_for(ta1.id)

    def act(login: str) -> None:
        p = person(s, login)
        s.context.set_actor(Actor(p.id, p.login, p.name, p.role))

    try:
        act("lunch1")
        assert [p.login for p in a.visible_staff()] == ["lunch1"]
        with pytest.raises(PermissionDenied):
            a.cycles(lunch2.id)
        with pytest.raises(PermissionDenied):
            a.view(ta_cycle.id)
        with pytest.raises(PermissionDenied):
            a.lunchtime_practice(lunch2.id)
        a.self_assess(own_cycle.id, a.framework().skills[2].code, 9, "Better at this now")
        with pytest.raises(PermissionDenied):
            a.observe_practice(own_cycle.id, a.framework().skills[2].code, "Seen")
        act("teacher1")
        assert a.visible_staff() == []
        with pytest.raises(PermissionDenied, match="line manager"):
            a.view(ta_cycle.id)
        with pytest.raises(PermissionDenied):
            a.self_assess(ta_cycle.id, a.framework().skills[0].code, 8)
        act("deputy")  # an admin and the support staff's line manager
        assert {p.login for p in a.visible_staff()} >= {"ta1", "lunch1"}
        a.observe_practice(ta_cycle.id, a.framework().skills[0].code, "Calm, clear questions",
                           "classroom")
    finally:
        s.context.set_actor(None)


def test_a_non_admin_line_manager_sees_and_appraises_only_their_staff(demo_services) -> None:
    s, a = demo_services, demo_services.appraisal
    ta3, teacher = person(s, "ta3"), person(s, "teacher2")
    cycle = a.cycle_for(ta3.id)
    a.set_manager(cycle.id, teacher.id)
    s.context.set_actor(Actor(teacher.id, teacher.login, teacher.name, teacher.role))
    try:
        assert [p.login for p in a.visible_staff()] == ["ta3"]
        assert len(a.cycles(ta3.id)) == 2  # every cycle of theirs, last year's too
        a.set_target(cycle.id, "Lead one group task a week", TODAY + dt.timedelta(days=60))
        with pytest.raises(PermissionDenied):
            a.open_cycle(ta3.id, teacher.id, "2027/28")
    finally:
        s.context.set_actor(None)


def test_lunchtime_counts_by_skill_and_week(demo_services) -> None:
    s, a = demo_services, demo_services.appraisal
    lunch1 = person(s, "lunch1")
    framework = s.frameworks.current()
    skill = framework.skills[7]
    before = a.lunchtime_practice(lunch1.id)
    school_before = {sk.code: n for sk, n, _kids in a.lunchtime_by_skill()}
    assert before.total() > 0 and all(w.startswith("2026-W") for w in before.weeks)
    pupils = s.school.pupils()[:3]
    s.recording.record(framework, skill.code, [Entry(p.id, 1, 2) for p in pupils],
                       setting="lunchtime", observed_on=dt.date(2026, 11, 25),
                       observer_id=lunch1.id)
    s.recording.record(framework, skill.code, [Entry(pupils[0].id, 1, 2)],
                       setting="playground", observed_on=dt.date(2026, 11, 25),
                       observer_id=lunch1.id)  # not lunchtime: not counted
    after = a.lunchtime_practice(lunch1.id)
    week = iso_week(dt.date(2026, 11, 25))
    assert week == "2026-W48"
    assert after.cells[(skill.id, week)] == before.cells.get((skill.id, week), 0) + 3
    assert after.total() == before.total() + 3
    school_after = {sk.code: n for sk, n, _kids in a.lunchtime_by_skill()}
    assert school_after[skill.code] == school_before[skill.code] + 3
    assert set(school_after) == {sk.code for sk in framework.skills}


def test_the_demo_has_a_year_of_appraisals(demo_services) -> None:
    s, a = demo_services, demo_services.appraisal
    for login in ("ta1", "lunch1"):
        cycles = a.cycles(person(s, login).id)
        assert [c.academic_year for c in cycles] == ["2026/27", "2025/26"]
        last = a.view(cycles[1].id)
        assert cycles[1].status == COMPLETE and last.self_assessments and last.targets
        assert last.practice and last.training
    assert a.cycle_for(person(s, "ta1").id).manager_name == person(s, "deputy").name
    assert a.cycle_for(person(s, "lunch1").id).manager_name == person(s, "head").name


def test_unknown_cycle(demo_services) -> None:
    with pytest.raises(UserError, match="no longer exists"):
        demo_services.appraisal.view(uuid.uuid4())


def test_staff_records_reach_no_pupil_bundle_or_passport(demo_services) -> None:
    """A pupil a lunchtime supervisor logged: their subject access bundle and passport hold
    nothing of that supervisor's appraisal (no table, no words, no appraisal audit event)."""
    from sqlmodel import select

    from skillsdesk.storage.tables import Observation
    from skillsdesk.storage.tables_appraisal import (
        AppraisalCycle,
        AppraisalTarget,
        PracticeObservation,
        SelfAssessment,
        TrainingRecord,
    )

    s, a = demo_services, demo_services.appraisal
    lunch1 = person(s, "lunch1")
    cycle = a.cycle_for(lunch1.id)
    skill = a.framework().skills[0].code
    marks = ["Zebrastaff self words", "Zebrastaff seen words", "Zebrastaff target words",
             "Zebrastaff training words"]
    a.self_assess(cycle.id, skill, 8, marks[0])
    a.observe_practice(cycle.id, skill, marks[1])
    a.set_target(cycle.id, marks[2], TODAY + dt.timedelta(days=30), skill)
    a.log_training(cycle.id, marks[3], 1.0, TODAY, skill, marks[3])
    for table in (AppraisalCycle, SelfAssessment, PracticeObservation, AppraisalTarget,
                  TrainingRecord):  # nothing in a staff table points at a pupil
        assert not any("pupil" in column for column in table.model_fields), table
    with s.store.read() as session:
        pupil_id = session.exec(select(Observation.pupil_id).where(
            Observation.observer_id == lunch1.id, Observation.setting == "lunchtime")).first()
    pupil = next(p for p in s.school.pupils() if p.id == pupil_id)
    bundle, _redactions = s.sar.collect(pupil.admission_number)
    text = repr(bundle).casefold()
    assert "zebrastaff" not in text
    assert not any("apprais" in table for table in bundle["other_records"])
    assert not any(e["action"].startswith("appraisal") for e in bundle["audit"])
    assert bundle["observations"]  # the bundle does hold the pupil's own observations
    passport = s.passports.gather([pupil])[0]
    assert "zebrastaff" not in repr(passport).casefold()
    printed = " ".join(page.extract_text() for page in PdfReader(
        io.BytesIO(s.passports.preview(pupil))).pages)
    assert pupil.first_name in printed and "zebrastaff" not in printed.casefold()


def test_hours_of_training_in_a_sentence() -> None:
    from skillsdesk.reports.appraisal import hours_of_training
    from skillsdesk.ui.pages.appraisal_tabs import hours_of_training as on_screen
    for say in (hours_of_training, on_screen):
        assert say(1.0, "2026/27") == "1 hour of training in 2026/27."
        assert say(2.5, "2026/27") == "2.5 hours of training in 2026/27."
        assert say(0, "2026/27") == "0 hours of training in 2026/27."
