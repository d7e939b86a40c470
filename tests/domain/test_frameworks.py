import tomllib
from pathlib import Path

import pytest
import tomli_w

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.frameworks import (
    framework_to_toml_data,
    parse_framework,
    read_framework,
    read_mapping,
)
from skillsdesk.paths import frameworks_dir


def test_shipped_essential_skills_is_complete() -> None:
    spec = read_framework(frameworks_dir() / "essential-skills.toml")
    assert len(spec.skills) == 8
    for skill in spec.skills:
        assert [s.number for s in skill.steps] == list(range(16))
        for step in skill.steps:
            assert step.descriptor and step.home
            assert step.child.startswith("I can")
    texts = [t for s in spec.skills for st in s.steps for t in (st.descriptor, st.child, st.home)]
    assert len(texts) == len(set(texts)), "every step text is its own"


def test_shipped_trust_six_and_template() -> None:
    trust = read_framework(frameworks_dir() / "trust-six.toml")
    assert [s.code for s in trust.skills] == [
        "resilience", "communication", "team-working", "being-safe", "problem-solving",
        "self-motivation"]
    template = read_framework(frameworks_dir() / "skills-builder-template.toml")
    assert template.structure_only
    assert len(template.skills) == 8
    assert all(not st.descriptor and not st.child and not st.home
               for s in template.skills for st in s.steps), "no licensed text ships"


def test_shipped_mapping() -> None:
    mapping = read_mapping(frameworks_dir() / "mappings" / "trust-six--essential-skills.toml")
    pairs = {(link.from_skill, link.to_skill) for link in mapping.links}
    assert ("communication", "listening") in pairs and ("communication", "speaking") in pairs
    assert not any(link.from_skill == "being-safe" for link in mapping.links)


def _valid() -> dict:
    return {
        "framework": {"code": "mini", "name": "Mini", "version": "1"},
        "skills": [{"code": "kind", "name": "Kindness", "colour": "#123456", "steps": [
            {"number": 0, "descriptor": "d0", "child": "I can share", "home": "At home share"},
            {"number": 1, "descriptor": "d1", "child": "I can help", "home": "At home help"},
        ]}],
    }


def test_every_problem_is_listed_with_its_field() -> None:
    data = _valid()
    data["framework"]["code"] = "Not OK"
    data["skills"][0]["colour"] = "red"
    data["skills"][0]["steps"][1]["number"] = 3
    del data["skills"][0]["steps"][0]["child"]
    data["skills"][0]["extra"] = 1
    with pytest.raises(UserError) as caught:
        parse_framework(data, "mini.toml")
    fields = {p.field for p in caught.value.problems}
    assert {"framework.code", "skills[1].colour", "skills[1].steps",
            "skills[1].steps[1].child", "skills[1].extra"} <= fields
    assert "mini.toml" in caught.value.message


def test_duplicate_skill_codes_are_refused() -> None:
    data = _valid()
    data["skills"].append(dict(data["skills"][0]))
    with pytest.raises(UserError, match="problem"):
        parse_framework(data)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[framework\ncode=", encoding="utf-8")
    with pytest.raises(UserError, match="broken.toml"):
        read_framework(path)


def test_round_trip_through_toml(tmp_path: Path) -> None:
    spec = read_framework(frameworks_dir() / "trust-six.toml")
    path = tmp_path / "again.toml"
    path.write_text(tomli_w.dumps(framework_to_toml_data(spec)), encoding="utf-8")
    assert read_framework(path) == spec
    assert tomllib.loads(path.read_text(encoding="utf-8"))["framework"]["code"] == "trust-six"
