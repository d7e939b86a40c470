"""Appraisal entries corrected and deleted (audited, by whoever may write them), staff logging
their own training, and the framework staff are appraised on (issue 7)."""

import datetime as dt
from pathlib import Path

import pytest

from skillsdesk.domain.appraisal import COMPLETE
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, PermissionDenied
from skillsdesk.services.appraisal import FRAMEWORK_SETTING
from skillsdesk.storage import appraisal as repo
from skillsdesk.storage import audit as audit_repo
from tests.conftest import TODAY
from tests.services.test_appraisal import pdf_text, person

DAY = dt.date(2026, 11, 20)


def act(s, login):  # type: ignore[no-untyped-def]
    p = person(s, login) if login else None
    s.context.set_actor(Actor(p.id, p.login, p.name, p.role) if p else None)


def events(s, action: str) -> list:  # type: ignore[type-arg]
    with s.store.read() as session:
        return audit_repo.browse(session, action=action)


def last_audit_content(s, action: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """The before/after of the newest event of ``action``."""
    newest = events(s, action)[0]
    return newest.before or {}, newest.after or {}


def test_each_entry_kind_is_edited_and_deleted_with_before_and_after(demo_services,
                                                                    tmp_path: Path) -> None:
    s, a = demo_services, demo_services.appraisal
    ta1 = person(s, "ta1")
    cycle = a.cycle_for(ta1.id)
    skills = a.framework().skills
    view = a.self_assess(cycle.id, skills[0].code, 8, "Listening first draft", DAY)
    mine = next(x for x in view.self_assessments if x.comment == "Listening first draft")
    view = a.observe_practice(cycle.id, skills[1].code, "Calm voice in the hall", "lunchtime",
                              DAY)
    seen = next(x for x in view.practice if x.seen == "Calm voice in the hall")
    view = a.set_target(cycle.id, "Lead a circle game", TODAY + dt.timedelta(days=30))
    target = next(x for x in view.targets if x.text == "Lead a circle game")
    view = a.log_training(cycle.id, "Zones of calm", 1.5, DAY)
    course = next(x for x in view.training if x.title == "Zones of calm")

    view = a.edit_self_assessment(mine.id, step=12, comment="Listening, corrected")
    edited = next(x for x in view.self_assessments if x.id == mine.id)
    assert (edited.step, edited.comment, edited.assessed_on) == (12, "Listening, corrected", DAY)
    view = a.edit_practice(seen.id, seen="Calm voice and clear turn-taking", setting="playground",
                           skill=skills[2].code)
    edited_p = next(x for x in view.practice if x.id == seen.id)
    assert (edited_p.seen, edited_p.setting, edited_p.skill_id) == (
        "Calm voice and clear turn-taking", "playground", skills[2].id)
    view = a.edit_target(target.id, text="Lead a circle game each week", skill=skills[3].code)
    assert next(x for x in view.targets if x.id == target.id).skill_id == skills[3].id
    view = a.edit_target(target.id, skill=None)  # no particular skill any more
    edited_t = next(x for x in view.targets if x.id == target.id)
    assert (edited_t.text, edited_t.skill_id) == ("Lead a circle game each week", None)
    view = a.edit_training(course.id, title="Zones of regulation", hours=3,
                           changed="Names feelings with children")
    edited_c = next(x for x in view.training if x.id == course.id)
    assert (edited_c.title, edited_c.hours, edited_c.changed) == (
        "Zones of regulation", 3.0, "Names feelings with children")

    # Audited with what it was and what it became; nothing points at a pupil.
    for action in ("appraisal.self_assess.edit", "appraisal.observe.edit",
                   "appraisal.target.edit", "appraisal.training.edit"):
        found = events(s, action)
        assert found and found[0].pupil_id is None and found[0].entity_id == str(cycle.id)
    before, after = last_audit_content(s, "appraisal.self_assess.edit")
    assert before == {"id": str(mine.id), "step_number": 8, "comment": "Listening first draft"}
    assert after == {"id": str(mine.id), "step_number": 12, "comment": "Listening, corrected"}

    # The PDF carries the corrected values.
    text = pdf_text(a.write_report("ta1", tmp_path / "ta1.pdf"))
    for value in ("Listening, corrected", "Calm voice and clear turn-taking",
                  "Lead a circle game each week", "Zones of regulation",
                  "Names feelings with children"):
        assert value in text
    assert "Listening first draft" not in text and "Zones of calm" not in text

    # Deleting removes the row; the audit row keeps every value it had.
    view = a.delete_self_assessment(mine.id)
    assert mine.id not in {x.id for x in view.self_assessments}
    view = a.delete_practice(seen.id)
    view = a.delete_target(target.id)
    view = a.delete_training(course.id)
    assert seen.id not in {x.id for x in view.practice}
    assert target.id not in {x.id for x in view.targets}
    assert course.id not in {x.id for x in view.training}
    before, after = last_audit_content(s, "appraisal.training.delete")
    assert before["title"] == "Zones of regulation" and before["hours"] == 3.0 and not after
    for action in ("appraisal.self_assess.delete", "appraisal.observe.delete",
                   "appraisal.target.delete"):
        assert events(s, action)
    with pytest.raises(UserError, match="no longer exists"):
        a.delete_target(target.id)
    text = pdf_text(a.write_report("ta1", tmp_path / "ta1-after.pdf"))
    assert "Zones of regulation" not in text and "Lead a circle game each week" not in text


def test_edits_are_refused_for_whoever_may_not_write_them(demo_services) -> None:
    s, a = demo_services, demo_services.appraisal
    ta1, lunch1 = person(s, "ta1"), person(s, "lunch1")
    ta_cycle, lunch_cycle = a.cycle_for(ta1.id), a.cycle_for(lunch1.id)
    skill = a.framework().skills[0].code
    own = a.self_assess(lunch_cycle.id, skill, 9, "Mine", DAY)
    mine = next(x for x in own.self_assessments if x.comment == "Mine")
    seen = next(x for x in a.observe_practice(lunch_cycle.id, skill, "Kind words", day=DAY)
                .practice if x.seen == "Kind words")
    target = next(x for x in a.set_target(ta_cycle.id, "Model turn-taking", TODAY).targets
                  if x.text == "Model turn-taking")
    try:
        act(s, "lunch1")
        view = a.edit_self_assessment(mine.id, comment="Mine, on reflection")  # their own
        assert any(x.comment == "Mine, on reflection" for x in view.self_assessments)
        with pytest.raises(PermissionDenied):
            a.edit_practice(seen.id, seen="I saw it differently")  # the manager's side
        with pytest.raises(PermissionDenied):
            a.delete_practice(seen.id)
        with pytest.raises(PermissionDenied, match="line manager"):
            a.delete_target(target.id)  # someone else's appraisal
        act(s, "teacher1")
        with pytest.raises(PermissionDenied, match="line manager"):
            a.edit_self_assessment(mine.id, step=10)
        act(s, None)
        a.set_status(lunch_cycle.id, COMPLETE)
        act(s, "lunch1")
        with pytest.raises(UserError, match="complete"):
            a.delete_self_assessment(mine.id)  # only while the cycle is open
    finally:
        act(s, None)
    assert not events(s, "appraisal.observe.edit") and not events(s, "appraisal.target.delete")
    assert len(events(s, "appraisal.self_assess.edit")) == 1


def test_a_lunchtime_supervisor_logs_and_corrects_their_own_training(demo_services) -> None:
    s, a = demo_services, demo_services.appraisal
    lunch1, lunch2 = person(s, "lunch1"), person(s, "lunch2")
    own, other = a.cycle_for(lunch1.id), a.cycle_for(lunch2.id)
    try:
        act(s, "lunch1")
        view = a.log_training(own.id, "First aid refresher", 3, DAY)
        course = next(x for x in view.training if x.title == "First aid refresher")
        view = a.edit_training(course.id, hours=3.5)
        assert next(x for x in view.training if x.id == course.id).hours == 3.5
        with pytest.raises(PermissionDenied, match="line manager"):
            a.log_training(other.id, "Not mine", 1, DAY)
        act(s, "teacher1")
        with pytest.raises(PermissionDenied):
            a.delete_training(course.id)
        act(s, "head")  # lunch1's line manager sees it
        assert any(x.id == course.id for x in a.view(own.id).training)
        act(s, "lunch1")
        view = a.delete_training(course.id)
        assert course.id not in {x.id for x in view.training}
    finally:
        act(s, None)
    logged = events(s, "appraisal.training")
    assert logged[0].login == "lunch1"


def test_the_staff_framework_applies_to_new_cycles_only(demo_services, tmp_path: Path) -> None:
    s, a = demo_services, demo_services.appraisal
    school = s.frameworks.current()
    assert a.framework_setting() is None and a.framework().code == school.code
    ta2 = person(s, "ta2")
    existing = a.cycle_for(ta2.id)
    a.set_framework("trust-six")
    assert a.framework().code == "trust-six" and a.framework_setting() == "trust-six"
    assert a.cycle_for(ta2.id).framework_code == existing.framework_code == school.code
    new = a.open_cycle(ta2.id, person(s, "deputy").id, "2027/28")
    assert new.framework_code == "trust-six"
    # A lunchtime supervisor appraised on it: their skills in trust-six, while the counts of
    # what they logged of the children stay in the pupils' framework.
    lunch1 = person(s, "lunch1")
    with s.store.write() as session:
        repo.set_cycle(session, a.cycle_for(lunch1.id).id, framework_code="trust-six")
    cycle = a.cycle_for(lunch1.id)
    view = a.self_assess(cycle.id, "resilience", 7, "Bounce back after a wet play", DAY)
    assert any(x.skill_name == "Resilience" and x.comment == "Bounce back after a wet play"
               for x in view.self_assessments)
    text = pdf_text(a.write_report("lunch1", tmp_path / "lunch1.pdf"))
    assert "Skills framework: Our six skills" in text and "Bounce back after a wet play" in text
    counts = a.lunchtime_practice(lunch1.id)
    busiest = max(school.skills, key=lambda sk: counts.total(sk.id))
    assert f"{busiest.name} {counts.total(busiest.id)}" in text
    with pytest.raises(UserError, match="no framework called 'nonsense'"):
        a.set_framework("nonsense")
    assert a.framework_setting() == "trust-six"
    try:
        act(s, "ta1")
        with pytest.raises(PermissionDenied):
            a.set_framework(None)
    finally:
        act(s, None)
    a.set_framework(None)
    assert a.framework().code == school.code
    with s.store.read() as session:
        from skillsdesk.storage import school as school_repo

        assert school_repo.get_setting(session, FRAMEWORK_SETTING) is None
    changes = events(s, "appraisal.framework")
    assert len(changes) == 2
    before, after = last_audit_content(s, "appraisal.framework")
    assert before == {"framework": "trust-six"} and after == {"framework": None}


def test_undo_puts_each_kind_back_under_its_own_id(demo_services) -> None:
    """Undo of an edit writes the values before back; undo of a delete re-inserts the entry
    with its id, audited as a restore; whoever may not change it cannot put it back."""
    s, a = demo_services, demo_services.appraisal
    lunch1 = person(s, "lunch1")
    cycle = a.cycle_for(lunch1.id)
    skills = a.framework().skills
    view = a.self_assess(cycle.id, skills[0].code, 8, "Undo self", DAY)
    view = a.observe_practice(cycle.id, skills[1].code, "Undo practice", "lunchtime", DAY)
    view = a.set_target(cycle.id, "Undo target", TODAY + dt.timedelta(days=30), skills[2].code)
    view = a.log_training(cycle.id, "Undo training", 2.0, DAY, skills[3].code, "Undo changed")
    made = {"self_assessment": next(x.id for x in view.self_assessments
                                    if x.comment == "Undo self"),
            "practice": next(x.id for x in view.practice if x.seen == "Undo practice"),
            "target": next(x.id for x in view.targets if x.text == "Undo target"),
            "training": next(x.id for x in view.training if x.title == "Undo training")}
    a.target_met(made["target"], DAY)

    before = a.entry_snapshot("self_assessment", made["self_assessment"])
    a.edit_self_assessment(made["self_assessment"], step=12, comment="Edited")
    view = a.put_back("self_assessment", made["self_assessment"], before)
    back = next(x for x in view.self_assessments if x.id == made["self_assessment"])
    assert (back.step, back.comment) == (8, "Undo self")
    old, new = last_audit_content(s, "appraisal.self_assess.edit")
    assert (old["step_number"], new["step_number"]) == (12, 8)

    for kind, entry_id in made.items():
        snapshot = a.entry_snapshot(kind, entry_id)
        a.delete_entry(kind, entry_id)
        with s.store.read() as session:
            assert repo.entry_values(session, kind, entry_id) is None
        view = a.restore_entry(kind, snapshot)
        with s.store.read() as session:
            assert {"id": entry_id, **repo.entry_values(session, kind, entry_id)} == snapshot
        _none, after = last_audit_content(s, f"{repo_action(kind)}.restore")
        assert after["id"] == str(entry_id)
        with pytest.raises(UserError, match="already there"):
            a.restore_entry(kind, snapshot)
    assert next(x for x in view.targets if x.id == made["target"]).met_on == DAY
    assert next(x for x in view.training if x.id == made["training"]).changed == "Undo changed"

    snapshot = a.entry_snapshot("training", made["training"])
    a.delete_entry("training", made["training"])
    try:
        act(s, "lunch2")  # not theirs: cannot put it back
        with pytest.raises(PermissionDenied):
            a.restore_entry("training", snapshot)
        act(s, "lunch1")  # their own training: they may
        a.restore_entry("training", snapshot)
        act(s, None)
        a.delete_entry("training", made["training"])
        a.set_status(cycle.id, COMPLETE)
        with pytest.raises(UserError, match="complete"):
            a.restore_entry("training", snapshot)
        with pytest.raises(UserError, match="incomplete"):
            a.restore_entry("target", {"id": made["target"]})
    finally:
        act(s, None)


def repo_action(kind: str) -> str:
    from skillsdesk.services.appraisal_entries import AUDIT_ACTIONS
    return AUDIT_ACTIONS[kind]
