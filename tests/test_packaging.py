"""The packaging files agree with the project: version, resources, ids and the frozen entry."""

from __future__ import annotations

import ast
import configparser
import datetime as dt
import importlib.util
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "org.skillsdesk.SkillsDesk"


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _version() -> str:
    """The project's version: in pyproject.toml, or (a dynamic version) in the package."""
    project = _project()
    if "version" in project:
        return str(project["version"])
    assert "version" in project.get("dynamic", [])  # type: ignore[operator]
    tree = ast.parse((ROOT / "skillsdesk" / "__init__.py").read_text(encoding="utf-8"))
    return next(ast.literal_eval(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "__version__")


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
    assert newest is not None and newest.get("version") == _version(), (
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


# -- what the spec leaves out of the bundle (packaging/trim_bundle.py, no build needed) ------

def _trim() -> Any:
    spec = importlib.util.spec_from_file_location("trim_bundle", PACKAGING / "trim_bundle.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _spec_lists() -> dict[str, Any]:
    """QT_LIBRARIES and QT_PLUGINS as the spec writes them."""
    tree = ast.parse((PACKAGING / "skillsdesk.spec").read_text(encoding="utf-8"))
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in ("QT_LIBRARIES", "QT_PLUGINS")}


def test_babel_keeps_each_shipped_language_and_every_file_babel_loads_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from babel import Locale, UnknownLocaleError, dates, localedata
    from babel.core import get_global

    trim = _trim()
    languages = trim.shipped_languages(ROOT / "i18n")
    assert {"en", "ar", "cy", "pl"} <= set(languages)
    available = localedata.locale_identifiers() + ["root"]
    keep = trim.babel_locales_to_keep(available, languages, get_global("parent_exceptions"))
    assert {"root", "en", "en_001", "en_GB", "ar", "ar_EG", "cy", "cy_GB", "pl"} <= keep
    assert not {"fr", "de", "zh", "hi_Latn"} & keep
    assert len(keep) < len(available) / 4

    # babel loads from a folder holding only the kept files: every shipped locale works there,
    # and a language that is not shipped is refused, as check_locale expects.
    source = Path(localedata._dirname)
    for name in keep:
        (tmp_path / f"{name}.dat").symlink_to(source / f"{name}.dat")
    monkeypatch.setattr(localedata, "_dirname", str(tmp_path))
    monkeypatch.setattr(localedata, "_cache", {})
    localedata.exists.cache_clear()
    localedata.locale_identifiers.cache_clear()
    try:
        for code in ["en_GB", "en", "ar_EG", "cy_GB", *languages]:
            locale = Locale.parse(code)
            assert dates.format_date(dt.date(2026, 11, 30), "long", locale=locale)
            assert locale.get_display_name(locale)
        with pytest.raises(UnknownLocaleError):
            Locale.parse("fr")
    finally:
        localedata.exists.cache_clear()
        localedata.locale_identifiers.cache_clear()


def test_babel_parents_are_followed_across_languages_and_missing_ones_skipped() -> None:
    trim = _trim()
    available = ["root", "en", "en_001", "en_IN", "hi", "hi_Latn", "fr", "pl", "pl_PL"]
    parents = {"en_IN": "en_001", "hi_Latn": "en_IN", "en_001": "en"}
    assert trim.babel_locales_to_keep(available, ["hi"], parents) == {
        "root", "hi", "hi_Latn", "en_IN", "en_001", "en"}
    assert trim.babel_locales_to_keep(["root", "pl_PL"], ["pl"], {}) == {"root", "pl_PL"}
    keep = {"root", "cy"}
    assert trim.is_unused_babel_locale("babel/locale-data/fr.dat", keep)
    assert trim.is_unused_babel_locale("babel\\locale-data\\fr.dat", keep)
    for kept in ("babel/locale-data/cy.dat", "babel/locale-data/root.dat", "babel/global.dat",
                 "skillsdesk/_i18n/fr.po"):
        assert not trim.is_unused_babel_locale(kept, keep), kept


def test_the_spec_keeps_every_qt_part_the_app_uses() -> None:
    trim = _trim()
    lists = _spec_lists()
    libraries, plugins = lists["QT_LIBRARIES"], lists["QT_PLUGINS"]

    def dropped(dest: str) -> bool:
        return bool(trim.is_dropped_qt_file(dest, libraries, plugins))

    for lib in ("Core", "Gui", "Widgets", "PrintSupport", "Pdf", "PdfWidgets", "DBus", "Svg",
                "Network", "XcbQpa", "WaylandClient", "OpenGL"):
        # Linux and Windows spell them differently; both must stay.
        assert not dropped(f"PySide6/Qt/lib/libQt6{lib}.so.6"), lib
        assert not dropped(f"PySide6\\Qt6{lib}.dll"), lib
    for plugin in ("platforms/libqxcb.so", "platforms/libqwayland.so",
                   "platforms/libqoffscreen.so", "imageformats/libqjpeg.so",
                   "imageformats/libqsvg.so", "iconengines/libqsvgicon.so",
                   "printsupport/libcupsprintersupport.so", "platformthemes/libqgtk3.so",
                   "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                   "platforminputcontexts/libibusplatforminputcontextplugin.so",
                   "xcbglintegrations/libqxcb-glx-integration.so",
                   "wayland-shell-integration/libxdg-shell.so"):
        assert not dropped(f"PySide6/Qt/plugins/{plugin}"), plugin
    for plugin in ("platforms/qwindows.dll", "styles/qmodernwindowsstyle.dll",
                   "imageformats/qjpeg.dll"):
        assert not dropped(f"PySide6\\plugins\\{plugin}"), plugin
    assert not dropped("PySide6/QtPdf.abi3.so") and not dropped("sqlcipher3/_sqlite3.so")

    assert dropped("PySide6/Qt/lib/libQt6Quick.so.6") and dropped("PySide6\\Qt6Qml.dll")
    assert dropped("PySide6/Qt/plugins/platforms/libqvnc.so")
    assert dropped("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so")
    assert dropped("PySide6/Qt/plugins/generic/libqevdevtouchplugin.so")
    assert dropped("PySide6/Qt/translations/qtbase_pl.qm")
    assert dropped("PySide6\\translations\\qt_ar.qm")
