"""What the PyInstaller spec leaves out of the bundle: pure functions, unit-tested in
tests/test_packaging.py without a build.

The spec (packaging/skillsdesk.spec) holds the lists of what to drop, each with the reason it is
safe; this module only decides which collected files those lists match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

BABEL_LOCALE_DATA = ("babel", "locale-data")
SOURCE_LANGUAGES = ("en",)  # the source language: en_GB, whose babel parents are en_001 and en


def shipped_languages(catalogues: Path) -> list[str]:
    """The languages SkillsDesk has text for: English plus one per ``i18n/<locale>.po``."""
    found = {po.stem.split("_")[0] for po in catalogues.glob("*.po")}
    return sorted(found | set(SOURCE_LANGUAGES))


def babel_parent(name: str, parent_exceptions: Mapping[str, str]) -> str | None:
    """The locale babel merges ``name`` onto when it loads it (``babel.localedata.load``):
    an explicit CLDR parent, else the name without its last part, else ``root``."""
    if name == "root":
        return None
    if name in parent_exceptions:
        return parent_exceptions[name]
    parts = name.split("_")
    return "root" if len(parts) == 1 else "_".join(parts[:-1])


def babel_locales_to_keep(available: Iterable[str], languages: Iterable[str],
                          parent_exceptions: Mapping[str, str]) -> set[str]:
    """The babel locale data files (names without ``.dat``) the bundle needs.

    Every locale of a shipped language is kept (``ar``, ``ar_EG``, ``cy_GB``, ``en_GB`` ...,
    so a family's language typed with a region still works), then every file babel loads
    beneath them, following each parent up to ``root``. A parent that is not among
    ``available`` is left out, so the result never names a file that does not exist.
    """
    available = set(available)
    wanted = set(languages)
    keep = {name for name in available if name.split("_")[0] in wanted}
    keep.add("root")
    for name in list(keep):
        parent = babel_parent(name, parent_exceptions)
        while parent is not None and parent in available:
            keep.add(parent)
            parent = babel_parent(parent, parent_exceptions)
    return keep & (available | {"root"})


def is_unused_babel_locale(dest: str, keep: set[str]) -> bool:
    """Whether ``dest`` (a path inside the bundle) is a babel locale file not in ``keep``."""
    path = PurePosixPath(dest.replace("\\", "/"))
    return (tuple(path.parts[-3:-1]) == BABEL_LOCALE_DATA and path.suffix == ".dat"
            and path.stem not in keep)


def qt_name(dest: str) -> tuple[str, str]:
    """(folder, name) of a Qt file as Linux and Windows both spell it: the plugin folder
    ("platforms") or the folder a library sits in, and the file name without ``lib``, any
    version suffix and extension (``libqvnc.so`` and ``qvnc.dll`` are both ``qvnc``,
    ``libQt6Quick.so.6`` and ``Qt6Quick.dll`` both ``Qt6Quick``)."""
    path = PurePosixPath(dest.replace("\\", "/"))
    name = path.name.split(".")[0]
    if name.startswith("lib"):
        name = name[3:]
    return path.parent.name, name


def is_dropped_qt_file(dest: str, libraries: Iterable[str],
                       plugins: Mapping[str, Iterable[str] | None]) -> bool:
    """Whether ``dest`` is a PySide6 file the spec leaves out: a Qt library named in
    ``libraries``, a plugin named in ``plugins[folder]`` (``None``: the whole folder), or one
    of Qt's own translations (``.qm``)."""
    path = PurePosixPath(dest.replace("\\", "/"))
    if not path.parts or path.parts[0] != "PySide6":
        return False
    if path.suffix == ".qm" and "translations" in path.parts:
        return True
    folder, name = qt_name(dest)
    if "plugins" in path.parts and folder in plugins:
        names = plugins[folder]
        return names is None or name in set(names)
    return name in set(libraries)
