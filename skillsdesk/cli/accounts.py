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


RECOVERY_ENV = "SKILLSDESK_RECOVERY_KEY"
ROLE_CHOICES = ("admin", "teacher", "support", "lunchtime")


def register_staff(staff_sub: Any, common: argparse.ArgumentParser) -> None:
    """``staff passwd|role|remove|reset``, beside ``staff list|add`` (cli/school.py)."""
    passwd = staff_sub.add_parser(
        "passwd", parents=[common],
        help=_("change your own password (sign in with --user; the new one comes from "
               "SKILLSDESK_NEW_PASSWORD or a prompt)"))
    passwd.set_defaults(handler=_passwd, needs_services=False)
    role = staff_sub.add_parser("role", parents=[common], help=_("change a member of staff's role"))
    role.add_argument("login")
    role.add_argument("role", choices=ROLE_CHOICES)
    role.set_defaults(handler=_role)
    remove = staff_sub.add_parser(
        "remove", parents=[common],
        help=_("remove a member of staff: their password stops working; their records stay"))
    remove.add_argument("login")
    remove.set_defaults(handler=_remove)
    reset = staff_sub.add_parser(
        "reset", parents=[common],
        help=_("set a new password for LOGIN: as a signed-in admin, or for an admin with the "
               "recovery key (SKILLSDESK_RECOVERY_KEY or a prompt)"))
    reset.add_argument("login")
    reset.add_argument("--recovery-key", action="store_true",
                       help=_("use the printed recovery key instead of signing in"))
    reset.set_defaults(handler=_reset, needs_services=False)


def _passwd(args: argparse.Namespace, data_dir: Path) -> int:
    from skillsdesk.services import signin

    if signin.folder_state(data_dir) != signin.ENCRYPTED:
        raise UserError(_("The data in {folder} is not encrypted, so it has no passwords.")
                        .format(folder=data_dir))
    login = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not login:
        raise UserError(_("Say whose password to change with --user LOGIN (or {variable}).")
                        .format(variable=USER_ENV))
    current = read_password(PASSWORD_ENV, _("Current password for {login}: ").format(login=login))
    services = signin.sign_in(data_dir, login, current)
    try:
        new = read_password(NEW_PASSWORD_ENV, _("New password for {login}: ").format(login=login),
                            confirm=True)
        services.accounts.change_own_password(current, new)
    finally:
        services.close()
    print(_("Changed the password for {login}.").format(login=login.strip().lower()))
    return 0


def _role(s: Any, args: argparse.Namespace) -> int:
    person = s.accounts.set_role(args.login, args.role)
    print(_("{login} is now {role}.").format(login=person.login, role=person.role))
    return 0


def _remove(s: Any, args: argparse.Namespace) -> int:
    person = s.accounts.remove_staff(args.login)
    print(_("Removed {login}: their password no longer opens this school; their records keep "
            "their name.").format(login=person.login))
    return 0


def _reset(args: argparse.Namespace, data_dir: Path) -> int:
    login = args.login.strip().lower()
    if args.recovery_key:
        from skillsdesk.services.signin import reset_with_recovery

        key = read_password(RECOVERY_ENV, _("Recovery key: "))
        new = read_password(NEW_PASSWORD_ENV, _("New password for {login}: ").format(login=login),
                            confirm=True)
        reset_with_recovery(data_dir, key, login, new).close()
    else:
        services = open_signed_in(data_dir, getattr(args, "user", None))
        try:
            new = read_password(NEW_PASSWORD_ENV, _("New password for {login}: ").format(
                login=login), confirm=True)
            services.accounts.reset_password(login, new)
        finally:
            services.close()
    print(_("Set a new password for {login}.").format(login=login))
    return 0


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
