"""Where SkillsDesk finds its shipped files and keeps its data. Nothing happens at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "SkillsDesk"
DATA_DIR_ENV = "SKILLSDESK_DATA_DIR"
DB_FILE = "skillsdesk.db"

_PACKAGE = Path(__file__).resolve().parent


def _shipped(installed: str, source: str) -> Path:
    # A wheel carries the folders inside the package; a source checkout (or an editable
    # install) has them at the top of the repository.
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / source


def resources_dir() -> Path:
    return _shipped("_resources", "resources")


def catalogues_dir() -> Path:
    return _shipped("_i18n", "i18n")


def frameworks_dir() -> Path:
    return resources_dir() / "frameworks"


def default_data_dir() -> Path:
    """The non-roaming user data folder: never Documents, which schools redirect to shares."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def demo_data_dir() -> Path:
    return default_data_dir().parent / f"{APP_NAME}-demo"


def resolve_data_dir(given: str | os.PathLike[str] | None) -> Path:
    """The data folder named on the command line, else in the environment, else the default."""
    if given:
        return Path(given).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"
