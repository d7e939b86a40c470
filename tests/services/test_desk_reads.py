"""The desk's reads kept cheap (DESIGN.md §9) give the same answers as the long way round."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from skillsdesk.services.frameworks import _summary
from skillsdesk.services.recording import Entry

TODAY = dt.date(2026, 11, 30)


def test_grid_rows_match_progress_and_seen_this_term(demo_services: Any) -> None:
    framework = demo_services.frameworks.current()
    group = demo_services.school.classes()[0]
    pupils = demo_services.school.pupils(group=group.name)
    since = dt.date(2026, 9, 1)
    # A fresh observation, so "seen" holds something recorded today as well as older ones.
    demo_services.recording.record(framework, framework.skills[2].code,
                                   [Entry(pupils[0].id, 3, 3)], observed_on=TODAY)
    grid = demo_services.progress.for_grid(framework, pupils, since)
    assert list(grid.rows) == demo_services.progress.for_pupils(framework, pupils)
    assert set(grid.seen) == demo_services.recording.seen_since(
        framework, [p.id for p in pupils], since)
    assert (pupils[0].id, framework.skills[2].code) in grid.seen
    assert grid.rows[0].current(framework.skills[2].code) is not None
    empty = demo_services.progress.for_grid(framework, [], since)
    assert empty.rows == () and empty.seen == frozenset()


def test_framework_list_counts_what_get_returns(services: Any, tmp_path: Path) -> None:
    expected = [_summary(services.frameworks.get(s.code)) for s in services.frameworks.list()]
    assert services.frameworks.list() == expected
    assert [s.code for s in expected] == sorted(s.code for s in expected) and len(expected) == 3
    # A new version with a skill and some steps gone: archived ones are not counted.
    source = Path(__file__).parents[2] / "resources" / "frameworks" / "trust-six.toml"
    text = source.read_text(encoding="utf-8")
    first_skill = text.index("[[skills]]")
    second_skill = text.index("[[skills]]", first_skill + 1)
    trimmed = text[:first_skill] + text[second_skill:]
    (tmp_path / "trust-six.toml").write_text(trimmed.replace('version = "1"', 'version = "2"', 1),
                                             encoding="utf-8")
    services.frameworks.import_file(tmp_path / "trust-six.toml")
    listed = {s.code: s for s in services.frameworks.list()}
    got = services.frameworks.get("trust-six")
    assert listed["trust-six"] == _summary(got)
    assert listed["trust-six"].skills == 5


def test_opening_a_school_writes_nothing_once_its_year_exists(
        demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from skillsdesk.services.container import open_services
    from skillsdesk.storage.database import Store

    writes: list[int] = []
    real_write = Store.write
    monkeypatch.setattr(Store, "write", lambda self: writes.append(1) or real_write(self))
    opened = open_services(demo_dir, today=TODAY)
    try:
        assert writes == [] and opened.school.current_year() == "2026/27"
        # The first open in a new academic year still adds that year, with its terms.
        later = type(opened.school)(opened.store, dt.date(2027, 9, 6))
        assert later.ensure_current_year() == "2027/28"
        assert writes == [1] and "2027/28" in opened.school.years()
    finally:
        opened.close()


def test_opening_the_desk_leaves_pdf_and_spreadsheet_libraries_unloaded() -> None:
    """STACK.md §10: what only reports, imports and PDF joining need loads when they are used."""
    code = ("import sys; import skillsdesk.services.container, skillsdesk.ui.main_window, "
            "skillsdesk.ui.pages.classes, skillsdesk.ui.pages.passports; "
            "print(' '.join(sorted(m for m in ('pypdf', 'openpyxl', 'charset_normalizer', "
            "'skillsdesk.reports.passport', 'skillsdesk.reports.sar', "
            "'skillsdesk.reports.careers_report', 'skillsdesk.reports.audit_summary', "
            "'skillsdesk.reports.trust_report', 'skillsdesk.services.passport_batch') "
            "if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert out.stdout.strip() == ""


def test_secured_steps_for_the_whole_school_and_before_a_day(demo_services: Any) -> None:
    from skillsdesk.domain.steprule import StepRule, current_steps
    from skillsdesk.storage import observations as obs_repo

    skills = [s.id for s in demo_services.frameworks.current().skills]
    pupils = [p.id for p in demo_services.school.pupils()]
    day = dt.date(2025, 9, 1)
    with demo_services.store.read() as session:
        everyone = obs_repo.secured_steps(session, skills, 2, 1)
        listed = obs_repo.secured_steps(session, skills, 2, 1, pupils)
        for days, places in ((2, 1), (2, 2)):
            earlier = obs_repo.secured_steps(session, skills, days, places, pupils, before=day)
            evidence = obs_repo.step_evidence(session, skills, pupils, before=day)
            assert earlier == current_steps(evidence, StepRule(days, places))
    assert listed and listed == {k: v for k, v in everyone.items() if k[0] in set(pupils)}
    assert all(isinstance(pupil, uuid.UUID) and isinstance(skill, uuid.UUID)
               for pupil, skill in everyone)
