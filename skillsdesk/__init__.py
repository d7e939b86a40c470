"""SkillsDesk: track primary pupils' essential skills, offline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skillsdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
