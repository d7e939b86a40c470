"""The command line (DESIGN.md §6): headless commands over the services.

Each area registers its commands from its own module (``COMMAND_MODULES``): a module has a
``register(subparsers, common)`` function, and every command it adds sets a ``handler`` default.
A handler gets the opened services and the arguments; one that must run without an open school
(``demo``, ``trust-report``) also sets ``needs_services=False`` and gets the data folder instead.

Exit codes: 0 success, 1 input rejected (a message on stderr, nothing changed), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib

from skillsdesk.cli.output import FORMATS, csv_safe, emit
from skillsdesk.i18n import _
from skillsdesk.paths import resolve_data_dir

__all__ = ["FORMATS", "build_parser", "csv_safe", "emit", "parse_args", "run"]

COMMAND_MODULES = (
    "skillsdesk.cli.accounts", "skillsdesk.cli.school", "skillsdesk.cli.careers",
    "skillsdesk.cli.passports", "skillsdesk.cli.trust", "skillsdesk.cli.safety",
    "skillsdesk.cli.appraisal",
)


def _top_parser(add_help: bool = True) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The program's own options (those of the GUI), and the ones every command shares."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help=_("data folder (default: SKILLSDESK_DATA_DIR or the user data "
                               "folder)"))
    common.add_argument("--user", metavar="LOGIN", default=argparse.SUPPRESS,
                        help=_("sign in as LOGIN (or SKILLSDESK_USER); the password comes from "
                               "SKILLSDESK_PASSWORD or a prompt"))
    parser = argparse.ArgumentParser(
        prog="skillsdesk", parents=[common], add_help=add_help, exit_on_error=add_help,
        description=_("Track primary pupils' essential skills, offline."))
    parser.add_argument("--demo", action="store_true",
                        help=_("open the GUI on the demo school (built on first use)"))
    parser.add_argument("--version", action="store_true", help=_("print the version and exit"))
    return parser, common


def build_parser() -> argparse.ArgumentParser:
    parser, common = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line. Starting the GUI (no command: only the program's own options)
    does not build the commands' parsers: their modules import most of the domain, which costs
    more than Qt takes to show a window. Anything else goes through the whole parser."""
    quick, _common = _top_parser(add_help=False)
    try:
        args, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:
        rest = ["?"]  # let the whole parser say what is wrong
    if rest:
        return build_parser().parse_args(argv)
    args.command = None
    return args


def run(args: argparse.Namespace) -> int:
    """Run one parsed command; UserError and StorageError are handled by the caller."""
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    if not getattr(args, "needs_services", True):
        return int(args.handler(args, data_dir))
    from skillsdesk.cli.accounts import open_signed_in

    services = open_signed_in(data_dir, getattr(args, "user", None))
    try:
        return int(args.handler(services, args))
    finally:
        services.close()
