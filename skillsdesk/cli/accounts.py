"""Commands for the school's accounts: ``init`` (first run), and signing in for every command.

Passwords never travel on the command line: they come from ``SKILLSDESK_PASSWORD`` (for scripts)
or a prompt that does not echo.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _

USER_ENV = "SKILLSDESK_USER"
PASSWORD_ENV = "SKILLSDESK_PASSWORD"
NEW_PASSWORD_ENV = "SKILLSDESK_NEW_PASSWORD"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    init = sub.add_parser("init", parents=[common],
                          help=_("create a new encrypted school and its first admin"))
    init.add_argument("--school", required=True, metavar="NAME")
    init.add_argument("--admin", required=True, metavar="LOGIN")
    init.add_argument("--name", metavar="NAME", help=_("the admin's full name"))
    init.set_defaults(handler=_init, needs_services=False)


def read_password(variable: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(variable)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(_("A password is needed: set {variable} or run the command in a "
                          "terminal.").format(variable=variable))
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Type it again: ")) != value:
        raise UserError(_("The two passwords were not the same; nothing was changed."))
    return value


def open_signed_in(data_dir: Path, user: str | None) -> Any:
    """Services for a command: signed in on an encrypted school, plain otherwise."""
    from skillsdesk.services import signin as vault
    from skillsdesk.services.signin import sign_in

    state = vault.folder_state(data_dir)
    history = (data_dir / "backups").is_dir() or any(data_dir.glob("*.corrupt-*"))
    if state == vault.NEW and not history:
        raise UserError(_("There is no school in {folder} yet. Create one with 'skillsdesk init "
                          "--school NAME --admin LOGIN' or 'skillsdesk demo'.").format(
            folder=data_dir))
    if state != vault.ENCRYPTED:
        # A plain store, or a folder whose database is gone or damaged: opening it says which
        # backup to restore, and never makes an empty school in its place.
        from skillsdesk.services.container import open_services

        return open_services(data_dir)
    login = user or os.environ.get(USER_ENV)
    if not login:
        raise UserError(_("The data is encrypted: say who you are with --user LOGIN (or "
                          "{variable}).").format(variable=USER_ENV))
    return sign_in(data_dir, login, read_password(PASSWORD_ENV, _("Password for {login}: ").format(
        login=login)))


def _init(args: argparse.Namespace, data_dir: Path) -> int:
    from skillsdesk.services.signin import init_school

    password = read_password(PASSWORD_ENV, _("New password for {login}: ").format(
        login=args.admin), confirm=True)
    services, recovery_key = init_school(data_dir, args.school, args.admin,
                                         args.name or args.admin, password)
    services.close()
    print(_("Created {school} in {folder}, with {login} as its first admin.").format(
        school=args.school, folder=data_dir, login=args.admin))
    print()
    print(_("Recovery key (print it or write it down, and keep it locked away):"))
    print(f"    {recovery_key}")
    print(_("It opens this school's data if every admin password is forgotten. SkillsDesk shows "
            "it only now; without it, lost passwords mean lost data."))
    return 0
