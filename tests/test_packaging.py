"""The packaging files agree with the project: version, resources, ids and the frozen entry."""

from __future__ import annotations

import ast
import configparser
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "org.skillsdesk.SkillsDesk"


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_bundle_carries_every_shipped_folder() -> None:
    spec = (PACKAGING / "skillsdesk.spec").read_text(encoding="utf-8")
    ast.parse(spec)  # a spec is Python
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force = wheel["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    # The bundle puts each folder where an installed wheel has it, which is where
    # skillsdesk.paths looks.
    for source, target in force.items():
        assert f'ROOT / "{source}"), "{target}"' in spec, (source, target)
    assert "copy_metadata" in spec and "collect_submodules(\"skillsdesk\")" in spec
    for test_only in ("pytest", "hypothesis"):
        assert f'"{test_only}"' in spec


def test_the_frozen_entry_calls_freeze_support_before_the_app() -> None:
    tree = ast.parse((PACKAGING / "launch.py").read_text(encoding="utf-8"))
    source = ast.unparse(tree)
    assert source.index("multiprocessing.freeze_support()") < source.index(
        "from skillsdesk.__main__ import main")


def test_desktop_entry_and_metainfo_name_the_same_app() -> None:
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]
    desktop.read(PACKAGING / "linux" / f"{APP_ID}.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Exec"] == "skillsdesk"
    assert entry["Icon"] == APP_ID and entry["Categories"].endswith(";")
    assert "skillsdesk" in _project()["scripts"]  # type: ignore[operator]

    meta = ET.parse(PACKAGING / "linux" / f"{APP_ID}.metainfo.xml").getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.find("launchable").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]
    assert meta.findtext("project_license") == _project()["license"]
    newest = meta.find("releases/release")
    assert newest is not None and newest.get("version") == _project()["version"], (
        "add a <release> for the new version to the metainfo file")


def test_icons_exist_for_every_package() -> None:
    icons = ROOT / "resources" / "icons"
    for name in ("skillsdesk.svg", "skillsdesk-256.png", "skillsdesk-48.png", "skillsdesk.ico"):
        assert (icons / name).stat().st_size > 0, name
    assert (icons / "skillsdesk-256.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (icons / "skillsdesk.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_windows_installer_uses_the_bundle_and_the_licence() -> None:
    script = (PACKAGING / "windows" / "skillsdesk.iss").read_text(encoding="utf-8")
    assert r"dist\skillsdesk\*" in script and "PrivilegesRequired=lowest" in script
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith(
        "                    GNU GENERAL PUBLIC LICENSE")
