"""Careers activities log, coverage and aspirations, over the demo school."""

import datetime as dt

import pytest

from skillsdesk.domain.careers import ActivityDraft, RoleModel
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.steprule import INDEPENDENTLY
from skillsdesk.storage import careers as careers_repo
from tests.conftest import TODAY


def a_class(services, year_group: str = "3"):  # type: ignore[no-untyped-def]
    return next(c for c in services.school.classes() if c.year_group == year_group)


def draft_for(services, group, **changes) -> ActivityDraft:  # type: ignore[no-untyped-def]
    skills = services.frameworks.current().skills
    values = dict(held_on=TODAY - dt.timedelta(days=3), title="Bridge builders",
                  kind="skills-challenge", partner="Tyne Bridges Ltd", sector="Engineering",
                  group_ids=(group.id,), skill_ids=(skills[0].id, skills[3].id),
                  benchmarks=("PB4", "PB5"), criteria=frozenset({"clear_purpose", "two_way"}),
                  role_models=(RoleModel("Civil engineer", "female", "stem"),),
                  notes="Photos in the careers folder.")
    values.update(changes)
    return ActivityDraft(**values)  # type: ignore[arg-type]


def test_recording_an_activity_logs_an_observation_per_pupil_and_skill(demo_services) -> None:
    s = demo_services
    group = a_class(s)
    members = s.school.pupils(group=group.name)
    framework = s.frameworks.current()
    before = s.progress.for_pupils(framework, members)
    count_before = s.observations.count()

    result = s.careers.record(draft_for(s, group), log_observations=True)

    activity = result.activity
    assert activity.pupil_count == len(members) and activity.classes == (group.name,)
    assert activity.benchmarks == ("PB4", "PB5") and not activity.meaningful
    assert activity.role_models == (RoleModel("Civil engineer", "female", "stem"),)
    assert result.observations_added == activity.observations == 2 * len(members)
    assert s.observations.count() == count_before + 2 * len(members)
    wanted = {}
    for progress in before:
        for code in (framework.skills[0].code, framework.skills[3].code):
            position = next(p for p in progress.skills if p.skill == code)
            wanted[(progress.pupil.admission_number, code)] = position.next
    logged = [o for p in members for o in s.observations.list(p.admission_number)
              if o.note == "Careers: Bridge builders"]
    assert len(logged) == 2 * len(members)
    for obs in logged:
        assert obs.setting == "employer" and obs.level == INDEPENDENTLY
        assert obs.observed_on == activity.held_on
        assert obs.step == wanted[(obs.admission_number, obs.skill)]


def test_activity_and_observations_are_one_transaction(demo_services, monkeypatch) -> None:
    s = demo_services
    before = (len(s.careers.activities()), s.observations.count())

    def fail(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(careers_repo, "link_observations", fail)
    with pytest.raises(RuntimeError):
        s.careers.record(draft_for(s, a_class(s)), log_observations=True)
    assert (len(s.careers.activities()), s.observations.count()) == before


def test_bad_activities_are_refused_and_change_nothing(demo_services) -> None:
    s = demo_services
    before = len(s.careers.activities())
    with pytest.raises(UserError) as caught:
        s.careers.record(draft_for(s, a_class(s), title="", held_on=TODAY + dt.timedelta(days=2),
                                   benchmarks=("PB12",), group_ids=()))
    fields = {p.field for p in caught.value.problems}
    assert {"title", "date", "benchmarks", "pupils"} <= fields
    assert "not saved" in caught.value.message
    assert len(s.careers.activities()) == before


def test_edit_and_delete_an_activity(demo_services) -> None:
    s = demo_services
    first, second = a_class(s, "3"), a_class(s, "4")
    saved = s.careers.record(draft_for(s, first), log_observations=True).activity
    both = draft_for(s, first, group_ids=(first.id, second.id), title="Bridge builders 2",
                     criteria=frozenset({"clear_purpose", "pupils_prepared", "two_way",
                                         "reflection"}))
    changed = s.careers.update(saved.id, both, log_observations=True)
    assert changed.activity.title == "Bridge builders 2" and changed.activity.meaningful
    assert set(changed.activity.classes) == {first.name, second.name}
    newcomers = changed.activity.pupil_count - saved.pupil_count
    assert changed.observations_added == 2 * newcomers  # only pupils with none from it yet
    total = s.observations.count()
    withdrawn = s.careers.delete(saved.id, withdraw_observations=True)
    assert withdrawn == changed.activity.observations
    assert s.observations.count() == total - withdrawn
    with pytest.raises(NotFound):
        s.careers.activity(saved.id)
    with pytest.raises(NotFound):
        s.careers.delete(saved.id)


def test_coverage_this_year(demo_services) -> None:
    s = demo_services
    pupils = s.school.pupils()
    cov = s.careers.coverage()
    assert cov.year == s.school.current_year() and cov.activities >= 1
    assert len(cov.pupils) == len(pupils)
    had = {pid for a in s.careers.activities() for pid in a.pupil_ids}
    assert {p.id for p in cov.without} == {p.id for p in pupils} - had
    # A Year 3 visit reaches every Year 3 pupil of that class, and shows in the class's row.
    group = a_class(s)
    s.careers.record(draft_for(s, group, kind="workplace-visit", sector="  Engineering  "))
    cov = s.careers.coverage()
    row = next(c for c in cov.classes if c.name == group.name)
    assert row.count("workplace-visit") == row.pupils == row.reached
    assert not any(p.class_name == group.name for p in cov.without)
    engineering = next(x for x in cov.sectors if x.sector == "Engineering")
    assert engineering.pupils >= group.pupil_count
    assert dict(cov.challenges)[("female", "stem")] >= 1


def test_aspirations_once_a_year_and_a_suppressed_chart(services) -> None:
    s = services
    rows = "Adno,Forename,Surname,Year,Class,Gender\n" + "".join(
        f"{n},P{n},Test,3,3A,{'F' if n < 8 else 'M'}\n" for n in range(1, 11))
    path = s.store.path.parent / "roll.csv"
    path.write_text(rows, encoding="utf-8")
    s.pupils.import_file(path)
    for n in range(1, 7):
        s.careers.record_aspiration(str(n), "a vet")
    s.careers.record_aspiration("7", "an engineer")
    first = s.careers.record_aspiration("8", "footballer")
    again = s.careers.record_aspiration("8", "a nurse", area="health")
    assert (first.area, again.area, again.text) == ("sport", "health", "a nurse")
    assert len(s.careers.aspirations()) == 8  # recording again replaced pupil 8's
    chart = s.careers.aspiration_chart()
    rows_by = {(r.year_group, r.gender): r for r in chart.rows}
    health = chart.areas.index("health")
    assert rows_by[("3", "F")].cell(health) == "6"
    assert rows_by[("3", "F")].cell(chart.areas.index("stem")) == "c"
    assert rows_by[("3", "M")].cell(health) == "c"
    assert all(v is None or v >= 5 for r in chart.rows for v in r.counts)
    with pytest.raises(UserError):
        s.careers.record_aspiration("9", "   ")
    with pytest.raises(NotFound):
        s.careers.record_aspiration("999", "vet")
    assert s.careers.delete_aspiration("8") and len(s.careers.aspirations()) == 7


def test_the_demo_school_has_a_careers_year(demo_services) -> None:
    s = demo_services
    this_year = s.careers.activities()
    last_year = s.careers.activities("2025/26")
    assert len(last_year) >= 10 and this_year
    assert all(a.held_on <= TODAY for a in this_year)
    assert any(a.partner and a.sector for a in last_year)
    genders = {p.gender for a in last_year for p in a.role_models}
    assert {"female", "male"} <= genders
    assert all(a.pupil_count and a.benchmarks for a in last_year)
    assert len(s.careers.audit.audits()) == 2
    actions = s.careers.audit.actions()
    assert actions and any(a.overdue(TODAY) for a in actions)
    assert all(a.owner for a in actions)
    said = s.careers.aspirations()
    assert len(said) > len(s.school.pupils()) / 2
