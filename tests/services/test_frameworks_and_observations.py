import datetime as dt
import tomllib
from pathlib import Path

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.paths import frameworks_dir


def test_a_new_school_has_the_shipped_frameworks(services) -> None:
    codes = {f.code: f for f in services.frameworks.list()}
    assert set(codes) == {"essential-skills", "trust-six", "skills-builder-template"}
    assert codes["essential-skills"].skills == 8 and codes["essential-skills"].steps == 128
    assert services.frameworks.current().code == "essential-skills"
    links = services.frameworks.links("trust-six", "essential-skills")
    assert ("communication", "speaking", "main") in links


def test_export_then_import_updates_in_place_and_archives_what_went(services, tmp_path) -> None:
    out = services.frameworks.export("trust-six", tmp_path / "six.toml")
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert data["framework"]["code"] == "trust-six"
    text = out.read_text(encoding="utf-8").replace('name = "Resilience"', 'name = "Bouncing back"')
    (tmp_path / "six.toml").write_text(text, encoding="utf-8")
    summary = services.frameworks.import_file(tmp_path / "six.toml")
    assert not summary.created
    assert services.frameworks.get("trust-six").skills[0].name == "Bouncing back"


def test_a_bad_framework_file_changes_nothing(services, tmp_path) -> None:
    source = (frameworks_dir() / "trust-six.toml").read_text(encoding="utf-8")
    broken = source.replace('colour = "', 'colour = "not-a-colour', 1).replace(
        'name = "Our six skills"', 'name = "Changed"')
    (tmp_path / "bad.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        services.frameworks.import_file(tmp_path / "bad.toml")
    assert any(p.field and p.field.endswith("colour") for p in caught.value.problems)
    assert services.frameworks.get("trust-six").name == "Our six skills"


def test_export_of_an_unknown_framework(services, tmp_path) -> None:
    with pytest.raises(UserError, match="no framework"):
        services.frameworks.export("nope", tmp_path / "x.toml")


def _observation_file(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "history.csv"
    path.write_text("Adno,Skill,Step,Date,Setting,Level,Note,Observer\n" + rows, encoding="utf-8")
    return path


def test_observation_import_is_all_or_nothing_and_idempotent(demo_services, tmp_path) -> None:
    pupil = demo_services.school.pupils()[0]
    before = demo_services.observations.count()
    good = (f"{pupil.admission_number},listening,3,01/10/2026,classroom,independently,"
            "Listened well,head\n"
            f"{pupil.admission_number},Speaking,2,2026-10-02,lunch,secured,,\n")
    report = demo_services.observations.import_file(_observation_file(tmp_path, good))
    assert report.added == 2
    assert demo_services.observations.count() == before + 2
    again = demo_services.observations.import_file(_observation_file(tmp_path, good))
    assert again.added == 0 and again.already_held == 2
    listed = demo_services.observations.list(pupil.admission_number)
    assert any(o.note == "Listened well" and o.observed_on == dt.date(2026, 10, 1)
               for o in listed)
    bad = good + "999999,listening,3,01/10/2026,classroom,independently,,\n" \
                 f"{pupil.admission_number},juggling,3,01/10/2026,classroom,secured,,\n" \
                 f"{pupil.admission_number},listening,40,01/10/2026,classroom,secured,,\n"
    with pytest.raises(UserError) as caught:
        demo_services.observations.import_file(_observation_file(tmp_path, bad))
    assert {p.line for p in caught.value.problems} == {4, 5, 6}
    assert demo_services.observations.count() == before + 2


def test_progress_for_a_pupil_follows_imported_evidence(services, tmp_path) -> None:
    (tmp_path / "p.csv").write_text(
        "Adno,Forename,Surname,Year\n000777,Nia,Parry,2\n", encoding="utf-8")
    services.pupils.import_file(tmp_path / "p.csv")
    year = services.school.current_year()
    framework = services.frameworks.current()
    assert services.progress.for_pupil(framework, "000777", year).current("listening") is None
    services.observations.import_file(_observation_file(
        tmp_path, "000777,listening,2,01/10/2026,classroom,independently,,\n"
                  "000777,listening,2,08/10/2026,classroom,independently,,\n"))
    result = services.progress.for_pupil(framework, "000777", year)
    assert result.current("listening") == 2
    assert next(s for s in result.skills if s.skill == "listening").next == 3
