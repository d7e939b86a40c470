"""Who reads which pupils (DESIGN.md §8), and careers' role checks, on the plain demo school.

The actor is set straight on the shared context (no encrypted sign-in needed): support staff see
their own groups, lunchtime supervisors their own entries without flags or notes, teachers and
admins everything.
"""

import datetime as dt

import pytest

from skillsdesk.domain.benchmarks import ActionDraft
from skillsdesk.domain.careers import ActivityDraft
from skillsdesk.domain.permissions import Actor, PermissionDenied
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import school as school_repo
from tests.conftest import TODAY


@pytest.fixture
def s(demo_services):  # type: ignore[no-untyped-def]
    yield demo_services
    demo_services.context.set_actor(None)


def sign_as(services, login: str) -> Actor:  # type: ignore[no-untyped-def]
    person = next(p for p in services.school.staff() if p.login == login)
    actor = Actor(person.id, person.login, person.name, person.role)
    services.context.set_actor(actor)
    return actor


def test_a_support_assistant_sees_only_their_groups(s) -> None:  # type: ignore[no-untyped-def]
    framework = s.frameworks.current()
    every_class = s.school.classes()
    everyone = s.school.pupils()
    sign_as(s, "ta1")
    mine = s.school.classes()
    assert mine and len(mine) < len(every_class)
    assert {g.id for g in mine} <= {g.id for g in every_class}
    theirs = next(g for g in every_class if g.id not in {m.id for m in mine})
    # The class switcher's class: the grid holds exactly its pupils.
    pupils = s.school.pupils(group=mine[0].name)
    grid = s.progress.for_grid(framework, pupils, TODAY - dt.timedelta(days=60))
    assert pupils and [r.pupil.id for r in grid.rows] == [p.id for p in pupils]
    # Another class: no pupils, and asking for its pupils by id gives no rows either.
    assert s.school.pupils(group=theirs.name) == []
    s.context.set_actor(None)
    others = s.school.pupils(group=theirs.name)
    sign_as(s, "ta1")
    assert s.progress.for_grid(framework, others, TODAY - dt.timedelta(days=60)).rows == ()
    assert s.progress.for_pupils(framework, others) == []
    visible = s.school.pupils()
    assert {p.id for p in visible} == {p.id for g in mine for p in s.school.pupils(group=g.name)}
    assert len(visible) < len(everyone)
    assert s.recording.timeline(framework, others[0].id) == []
    # Observations: only of pupils in their groups; support staff see notes and flags.
    listed = s.observations.list()
    names = {p.admission_number for p in visible}
    assert listed and {o.admission_number for o in listed} <= names
    assert any(o.note for o in listed)
    assert {p.sen for p in visible} <= {"E", "K", "N"}


def test_a_lunchtime_supervisor_sees_own_entries_without_flags_or_notes(s) -> None:  # type: ignore[no-untyped-def]
    framework = s.frameworks.current()
    actor = sign_as(s, "lunch1")
    groups = s.school.classes()
    assert groups and {g.kind for g in groups} == {"lunchtime"}
    listed = s.observations.list()
    assert listed
    assert {o.observer for o in listed} == {actor.name}
    assert {o.setting for o in listed} == {"lunchtime"}
    assert all(o.note is None for o in listed)
    pupils = s.school.pupils()
    assert pupils
    assert {p.sen for p in pupils} == {""}
    assert not any(p.pupil_premium or p.eal or p.first_language for p in pupils)
    grid = s.progress.for_grid(framework, pupils[:30], TODAY - dt.timedelta(days=60))
    assert all(r.pupil.sen == "" for r in grid.rows)
    seen = next(o for o in listed)
    pupil = next(p for p in pupils if p.admission_number == seen.admission_number)
    timeline = s.recording.timeline(framework, pupil.id)
    assert timeline and {t.observer for t in timeline} == {actor.name}
    assert all(t.note is None for t in timeline)
    s.context.set_actor(None)
    assert len(s.recording.timeline(framework, pupil.id)) > len(timeline)


@pytest.mark.parametrize("login", ["teacher1", "head"])
def test_teachers_and_admins_see_everything(s, login: str) -> None:  # type: ignore[no-untyped-def]
    every = s.observations.list()
    classes = s.school.classes()
    pupils = s.school.pupils()
    actor = sign_as(s, login)
    assert len(s.observations.list()) == len(every)
    assert any(o.note for o in s.observations.list(limit=500))
    assert {g.id for g in s.school.classes()} == {g.id for g in classes}
    assert s.school.pupils() == pupils
    if actor.role == "teacher":  # "all (own classes first)": their own class heads the list
        with s.store.read() as session:
            own = school_repo.group_ids_of(session, actor.staff_id)
        listed = s.school.classes()
        assert own and listed[0].id in own and classes[0].id not in own


def test_careers_refuses_roles_without_the_action(s) -> None:  # type: ignore[no-untyped-def]
    skills = s.frameworks.current().skills
    group = s.school.classes()[0]
    draft = ActivityDraft(held_on=TODAY - dt.timedelta(days=2), title="Fire station visit",
                          kind="workplace-visit", partner="County Fire", sector="Public services",
                          group_ids=(group.id,), skill_ids=(skills[0].id,), benchmarks=("PB4",),
                          criteria=frozenset({"clear_purpose"}), role_models=(), notes="")
    sign_as(s, "ta1")
    with pytest.raises(PermissionDenied) as refused:
        s.careers.record(draft)
    assert "cannot log careers activities" in refused.value.message
    sign_as(s, "teacher1")
    saved = s.careers.record(draft)  # teachers log activities for their classes
    with pytest.raises(PermissionDenied) as refused:
        s.careers.audit.add_action(ActionDraft("PB4", "Invite a parent in", None,
                                               TODAY + dt.timedelta(days=30)))
    assert "careers self-audit" in refused.value.message
    with pytest.raises(PermissionDenied):
        s.careers.audit.save_audit(())
    sign_as(s, "head")
    s.careers.delete(saved.activity.id)
    with s.store.read() as session:
        events = audit_repo.browse(session, action="careers.activity")
    assert [(e.action, e.login) for e in events[:2]] == [
        ("careers.activity.delete", "head"), ("careers.activity.add", "teacher1")]
    assert events[1].after["title"] == "Fire station visit"
