import unicodedata

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.services.demo import build_demo
from tests.conftest import TODAY


def test_demo_school_is_realistic(demo_services) -> None:
    school = demo_services.school
    assert school.name() == "Brackenfield Primary School"
    roles = {p.role for p in school.staff()}
    assert roles == {"admin", "teacher", "support", "lunchtime"}
    assert any(p.login == "head" and p.role == "admin" for p in school.staff())
    assert len(school.years()) == 3
    pupils = school.pupils()
    assert len(pupils) == 90
    year_groups = {p.year_group for p in pupils}
    assert {"N1", "N2", "R", "1", "6"} <= year_groups
    classes = school.classes()
    assert any(c.name.startswith("3 ") for c in classes)
    assert all(c.pupil_count > 0 for c in classes)
    names = " ".join(f"{p.legal_first_name} {p.legal_last_name}" for p in pupils)
    assert all(unicodedata.is_normalized("NFC", p.legal_first_name) for p in pupils)
    assert any(ord(ch) > 0x600 for ch in names) or any(ch in names for ch in "ŁłżśŷŵșțáéíóúÓ'’-")


def test_demo_observations_show_progress_by_age(demo_services) -> None:
    framework = demo_services.frameworks.current()
    year = demo_services.school.current_year()
    table = demo_services.progress.school_distribution(framework, year)

    def mean(year_group: str) -> float:
        steps = [step for (yg, _), counts in table.items() if yg == year_group
                 for step, n in counts.items() for _ in range(n) if step is not None]
        return sum(steps) / max(1, len(steps))

    assert mean("6") > mean("3") > mean("R")
    observations = demo_services.observations.list()
    assert {"lunchtime", "classroom"} <= {o.setting for o in observations}
    assert len({o.observed_on.year for o in observations}) >= 3
    assert max(o.observed_on for o in observations) <= TODAY


def test_demo_has_careers_activities(demo_services) -> None:
    from sqlalchemy import text

    with demo_services.store.read() as session:
        count = session.execute(text("SELECT count(*) FROM careers_activity")).scalar()
        linked = session.execute(text("SELECT count(*) FROM careers_activity_group")).scalar()
    assert count >= 3 and linked >= count


def test_demo_refuses_a_folder_with_a_school(demo_dir) -> None:
    with pytest.raises(UserError, match="already holds"):
        build_demo(demo_dir, pupils=10, today=TODAY)


def test_demo_is_reproducible(tmp_path) -> None:
    a = build_demo(tmp_path / "a", pupils=20, years=1, seed=5, today=TODAY)
    b = build_demo(tmp_path / "b", pupils=20, years=1, seed=5, today=TODAY)
    assert (a.pupils, a.observations) == (b.pupils, b.observations)
