"""The benchmark file, the audit arithmetic, coverage and the suppressed aspirations chart."""

import datetime as dt
import uuid
from pathlib import Path

import pytest

from skillsdesk.domain.benchmarks import (
    ACHIEVED,
    IN_PROGRESS,
    NOT_STARTED,
    AuditEntry,
    check_entries,
    compare,
    parse_benchmarks,
    read_benchmarks,
    score,
)
from skillsdesk.domain.careers import (
    ActivityDraft,
    ActivityInfo,
    AspirationInfo,
    RoleModel,
    aspiration_chart,
    check_activity,
    coverage,
    guess_area,
)
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.records import PupilInfo

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "careers" / "primary-benchmarks.toml"


def small_set(**changes):  # type: ignore[no-untyped-def]
    data = {"set": {"code": "t", "name": "Test", "version": "1"},
            "benchmark": [
                {"code": "PB1", "name": "One", "intent": "First",
                 "criteria": [{"code": "PB1.1", "text": "a"}, {"code": "PB1.2", "text": "b"}]},
                {"code": "PB2", "name": "Two", "intent": "Second",
                 "criteria": [{"code": "PB2.1", "text": "c"}]}]}
    data.update(changes)
    return data


def test_the_shipped_benchmarks_load_in_full() -> None:
    found = read_benchmarks(SHIPPED)
    assert found.codes == tuple(f"PB{n}" for n in range(1, 9))
    for benchmark in found.benchmarks:
        assert benchmark.name and benchmark.intent and len(benchmark.criteria) >= 3
        assert all(c.code.startswith(benchmark.code + ".") and c.text for c in benchmark.criteria)
    assert "unverified, to confirm with the trust" in SHIPPED.read_text(encoding="utf-8")


def test_a_bad_file_names_each_field_and_reason(tmp_path: Path) -> None:
    data = small_set()
    data["benchmark"][1]["code"] = "PB1"
    data["benchmark"][1]["criteria"][0]["code"] = "PB9.1"
    data["benchmark"][0]["colour"] = "red"
    del data["benchmark"][0]["criteria"][1]["text"]
    with pytest.raises(UserError) as caught:
        parse_benchmarks(data, "mine.toml")
    assert "mine.toml" in caught.value.message
    messages = {(p.field, p.message) for p in caught.value.problems}
    assert ("benchmark[2].code", "'PB1' is used by another benchmark") in messages
    assert ("benchmark[2].criteria[1].code", "must start with 'PB1.'") in messages
    assert ("benchmark[1].colour", "is not a key SkillsDesk knows") in messages
    assert ("benchmark[1].criteria[2].text", "is missing") in messages

    broken = tmp_path / "broken.toml"
    broken.write_text("[set\ncode = 1", encoding="utf-8")
    with pytest.raises(UserError, match="broken.toml: the file is not valid TOML"):
        read_benchmarks(broken)
    with pytest.raises(UserError, match=r"no \[set\] table"):
        parse_benchmarks({"benchmark": []}, "x.toml")


def test_rag_and_percentage_per_benchmark() -> None:
    benchmarks = parse_benchmarks(small_set())
    nothing = score(benchmarks, [])
    assert [(r.code, r.rag, r.percentage) for r in nothing] == [("PB1", "red", 0),
                                                                ("PB2", "red", 0)]
    some = score(benchmarks, [AuditEntry("PB1", "PB1.1", ACHIEVED),
                              AuditEntry("PB2", "PB2.1", ACHIEVED)])
    assert [(r.rag, r.percentage, r.achieved, r.total) for r in some] == [
        ("amber", 50, 1, 2), ("green", 100, 1, 1)]
    started = score(benchmarks, [AuditEntry("PB1", "PB1.2", IN_PROGRESS)])
    assert started[0].rag == "amber" and started[0].percentage == 0


def test_comparison_with_the_previous_audit() -> None:
    benchmarks = parse_benchmarks(small_set())
    before = [AuditEntry("PB1", "PB1.1", IN_PROGRESS)]
    after = [AuditEntry("PB1", "PB1.1", ACHIEVED), AuditEntry("PB1", "PB1.2", ACHIEVED)]
    first, second = compare(benchmarks, before, after)
    assert first.before is not None and first.before.rag == "amber"
    assert first.after.rag == "green" and first.points == 100
    assert first.criteria_changed == (("PB1.1", IN_PROGRESS, ACHIEVED),
                                      ("PB1.2", NOT_STARTED, ACHIEVED))
    assert second.points == 0 and second.criteria_changed == ()
    assert compare(benchmarks, None, after)[0].points is None


def test_audit_entries_are_checked() -> None:
    benchmarks = parse_benchmarks(small_set())
    with pytest.raises(UserError) as caught:
        check_entries(benchmarks, [AuditEntry("", "PB7.1", ACHIEVED),
                                   AuditEntry("", "PB1.1", "done")])
    assert [p.field for p in caught.value.problems] == ["PB7.1", "PB1.1"]
    fixed = check_entries(benchmarks, [AuditEntry("", "PB2.1", ACHIEVED, "  minutes ")])
    assert fixed == [AuditEntry("PB2", "PB2.1", ACHIEVED, "minutes")]


def test_an_activity_draft_is_checked_field_by_field() -> None:
    today = dt.date(2026, 11, 30)
    skill = uuid.uuid4()
    draft = ActivityDraft(held_on=today + dt.timedelta(days=1), title=" ", kind="party",
                          benchmarks=("PB9",), skill_ids=(uuid.uuid4(),),
                          role_models=(RoleModel("", "robot", "space"),))
    fields = {p.field for p in check_activity(draft, ["PB1"], [skill], today)}
    assert {"title", "kind", "date", "pupils", "benchmarks", "skills", "role model 1"} <= fields
    good = ActivityDraft(held_on=today, title="Visit", kind="workplace-visit",
                         pupil_ids=(uuid.uuid4(),), skill_ids=(skill,), benchmarks=("PB1",))
    assert check_activity(good, ["PB1"], [skill], today) == []


def pupil(name: str, class_name: str | None, gender: str = "F", year: str = "3") -> PupilInfo:
    return PupilInfo(uuid.uuid4(), name, name, "X", name, "X", year, class_name, gender, "N",
                     False, False, None)


def activity(kind: str, pupils: list[PupilInfo], sector: str = "",
             people: tuple[RoleModel, ...] = (), criteria: frozenset[str] = frozenset()
             ) -> ActivityInfo:
    return ActivityInfo(uuid.uuid4(), dt.date(2026, 10, 1), kind, kind, "", sector, (), (),
                        tuple(p.id for p in pupils), (), (), (), criteria, people, "", 0)


def test_coverage_counts_classes_pupils_sectors_and_role_models() -> None:
    a1, a2, b1 = pupil("a1", "3A"), pupil("a2", "3A"), pupil("b1", "4B", "M", "4")
    cov = coverage("2026/27", [
        activity("employer-talk", [a1, b1], "Health ", (RoleModel("Nurse", "male", "health"),),
                 frozenset({"clear_purpose", "pupils_prepared", "two_way", "reflection"})),
        activity("workplace-visit", [a1], "health", (RoleModel("Engineer", "female", "stem"),
                                                     RoleModel("Pilot", "male", "other"))),
    ], [a1, a2, b1])
    assert cov.activities == 2 and cov.meaningful == 1
    three_a = next(c for c in cov.classes if c.name == "3A")
    assert (three_a.pupils, three_a.reached, three_a.count("employer-talk"),
            three_a.count("workplace-visit"), three_a.count("assembly")) == (2, 1, 1, 1, 0)
    assert [p.admission_number for p in cov.without] == ["a2"]
    assert [(s.sector, s.activities, s.pupils) for s in cov.sectors] == [("Health", 2, 2)]
    assert dict(cov.challenges)[("male", "health")] == 1
    assert dict(cov.challenges)[("female", "stem")] == 1
    assert dict(cov.challenges)[("male", "teaching")] == 0
    assert cov.pupils_challenged == 2
    assert {r.area: (r.female, r.male) for r in cov.role_models} == {
        "stem": (1, 0), "health": (0, 1), "other": (0, 1)}


def said(year_group: str, gender: str | None, area: str) -> AspirationInfo:
    return AspirationInfo(uuid.uuid4(), "1", "n", year_group, gender, "x", area,
                          dt.date(2026, 10, 1), "2026/27")


def test_the_aspirations_chart_hides_cells_under_five() -> None:
    items = ([said("3", "F", "health")] * 6 + [said("3", "F", "stem")] * 2
             + [said("3", "M", "sport")] * 5 + [said("4", "M", "sport")] * 3
             + [said("4", None, "sport")])
    chart = aspiration_chart("2026/27", items, minimum=2)  # asking for less than 5 is ignored
    assert chart.minimum == 5
    rows = {(r.year_group, r.gender): r for r in chart.rows}
    health, stem, sport = (chart.areas.index(a) for a in ("health", "stem", "sport"))
    girls3 = rows[("3", "F")]
    assert girls3.cell(health) == "6" and girls3.cell(stem) == "c"
    assert girls3.cell(sport) == "c"  # zero is hidden too: it would say something of every girl
    assert rows[("3", "M")].cell(sport) == "5"
    assert rows[("4", "M")].cell(sport) == "c"
    assert rows[("4", "other")].cell(sport) == "c"
    assert rows[(None, "M")].cell(sport) == "8"
    assert ("4", "F") not in rows  # no girl in Year 4 said anything: no row at all
    assert chart.recorded == len(items)
    assert all(v is None or v >= 5 for r in chart.rows for v in r.counts)
    assert aspiration_chart("2026/27", items[:4]).recorded is None


@pytest.mark.parametrize(("text", "area"), [
    ("a footballer", "sport"), ("Nursery teacher", "teaching"), ("vet", "health"),
    ("engineer like my mum", "stem"), ("police officer", "public"), ("YouTuber", "creative"),
    ("astronomer's assistant", "other"),
])
def test_guessing_an_area_from_what_a_child_said(text: str, area: str) -> None:
    assert guess_area(text) == area
