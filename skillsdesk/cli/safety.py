"""Commands that keep the data safe: backup, restore, check, rollover, erase, retention, sar.

Commands that replace or remove data (restore, rollover, erase) and ``check`` (which may move a
damaged database aside) take the data folder's lock first, so they never run beside an open
SkillsDesk window. Every command here warns on stderr when the data folder is on a network or
cloud-synced drive.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from skillsdesk.cli.output import FORMATS, emit
from skillsdesk.i18n import _, format_date, ngettext

Handler = Callable[[Any, argparse.Namespace], int]


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser("backup", parents=[common],
                            help=_("make a verified backup now, or list the backups"))
    backup.add_argument("--to", metavar="DIR", type=Path,
                        help=_("write the copy to DIR (for example a USB stick) instead"))
    backup.add_argument("--list", action="store_true", help=_("list the backups instead"))
    backup.add_argument("--format", choices=FORMATS, default="table")
    backup.set_defaults(handler=_warned(_backup))

    restore = sub.add_parser("restore", parents=[common],
                             help=_("replace the database with a backup (it is backed up first)"))
    restore.add_argument("file", type=Path)
    restore.set_defaults(handler=_restore, needs_services=False)

    check = sub.add_parser("check", parents=[common],
                           help=_("check integrity, settings and the audit trail"))
    check.set_defaults(handler=_locked(_check), needs_services=False)

    rollover = sub.add_parser("rollover", parents=[common],
                              help=_("start the new academic year: pupils move up a year"))
    rollover.add_argument("--dry-run", action="store_true")
    rollover.set_defaults(handler=_locked(_rollover), needs_services=False)

    erase = sub.add_parser("erase", parents=[common],
                           help=_("erase every record about one pupil (cannot be undone)"))
    erase.add_argument("--pupil", metavar="ADNO", required=True)
    erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    erase.set_defaults(handler=_locked(_erase), needs_services=False)

    retention = sub.add_parser("retention", parents=[common],
                               help=_("leavers' retention period, and leavers past it"))
    retention.add_argument("--months", type=int, metavar="N",
                           help=_("keep leavers' records for N months after they leave"))
    retention.add_argument("--format", choices=FORMATS, default="table")
    retention.set_defaults(handler=_warned(_retention))

    sar = sub.add_parser("sar", parents=[common],
                         help=_("subject access bundle for one pupil (PDF and JSON)"))
    sar.add_argument("--pupil", metavar="ADNO", required=True)
    sar.add_argument("--out", metavar="DIR", type=Path, required=True)
    sar.set_defaults(handler=_warned(_sar))


def _warn_location(data_dir: Path) -> None:
    from skillsdesk.services.backups import location_warning

    warning = location_warning(data_dir)
    if warning:
        print(_("Warning: {text}").format(text=warning), file=sys.stderr)


def _warned(handler: Handler) -> Handler:
    def run(services: Any, args: argparse.Namespace) -> int:
        _warn_location(services.store.path.parent)
        return handler(services, args)

    return run


def _locked(handler: Handler) -> Callable[[argparse.Namespace, Path], int]:
    """Take the data folder's lock, open the services, run, close, release."""
    def run(args: argparse.Namespace, data_dir: Path) -> int:
        from skillsdesk.services.backups import acquire_instance_lock
        from skillsdesk.services.container import open_services

        _warn_location(data_dir)
        with acquire_instance_lock(data_dir):
            services = open_services(data_dir)
            try:
                return handler(services, args)
            finally:
                services.close()

    return run


def _backup(s: Any, args: argparse.Namespace) -> int:
    if args.list:
        rows = [{"file": b.path.name, "made_at_utc": b.made_at.strftime("%Y-%m-%d %H:%M:%S"),
                 "reason": b.reason or "", "verified": b.verified,
                 "pupils": b.contents.pupils if b.contents else "",
                 "observations": b.contents.observations if b.contents else "",
                 "size_kb": b.size // 1024} for b in s.backups.list()]
        emit(rows, args.format)
        return 0
    if args.to is not None:
        made = s.backups.copy_to(args.to)
        print(_("Wrote a verified copy to {file}.").format(file=made.path))
        if made.keys_path is not None:
            print(_("Its key file is beside it: {file}. Both are needed to open it.").format(
                file=made.keys_path.name))
        print(_("Warning: this copy holds every pupil's records. Keep the drive locked away, "
                "and delete the copy when it is no longer needed."), file=sys.stderr)
        return 0
    made = s.backups.backup("manual")
    contents = made.contents
    print(_("Backed up to {file} ({pupils} pupils, {observations} observations; checked).")
          .format(file=made.path, pupils=contents.pupils if contents else 0,
                  observations=contents.observations if contents else 0))
    return 0


def _restore(args: argparse.Namespace, data_dir: Path) -> int:
    from skillsdesk.services.backups import acquire_instance_lock, restore_into

    _warn_location(data_dir)
    with acquire_instance_lock(data_dir):
        result = restore_into(data_dir, args.file)
    print(_("Restored {file}: {pupils} pupils, {observations} observations.").format(
        file=result.restored.name, pupils=result.contents.pupils,
        observations=result.contents.observations))
    if result.safety_backup is not None:
        print(_("What was there before is kept in the backup {file}.").format(
            file=result.safety_backup.path.name))
    for path in result.moved_aside:
        print(_("The damaged database was kept as {file}.").format(file=path.name))
    return 0


def _check(s: Any, args: argparse.Namespace) -> int:
    from skillsdesk.services.health import check

    report = check(s.store)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def _rollover(s: Any, args: argparse.Namespace) -> int:
    print("\n".join(s.rollover.rollover(dry_run=args.dry_run).lines()))
    return 0


def _erase(s: Any, args: argparse.Namespace) -> int:
    if not args.yes and sys.stdin.isatty():
        answer = input(_("Erase every record about pupil {adno}? This cannot be undone. Type the "
                         "admission number to confirm: ").format(adno=args.pupil))
        if answer.strip() != args.pupil:
            print(_("Nothing was erased."), file=sys.stderr)
            return 1
    result = s.erasure.erase(args.pupil)
    total = sum(n for table, n in result.rows.items() if table != "pupil")
    print(ngettext("Erased pupil {adno} and {n} other record about them.",
                   "Erased pupil {adno} and {n} other records about them.", total).format(
        adno=args.pupil, n=total))
    if not result.wal_truncated:
        print(_("Warning: the write-ahead log could not be emptied yet; it will be when "
                "SkillsDesk next closes."), file=sys.stderr)
    print(_("The backup made just before ({file}) and earlier backups still hold this pupil's "
            "records.").format(file=result.backup.path.name))
    if result.backups_age_out_on is not None:
        print(_("With a backup at least daily, the last of them is removed by {date}. Copies "
                "made with 'backup --to' must be deleted by hand.").format(
            date=format_date(result.backups_age_out_on)))
    return 0


def _retention(s: Any, args: argparse.Namespace) -> int:
    if args.months is not None:
        s.erasure.set_retention_months(args.months)
    months = s.erasure.retention_months()
    print(_("Leavers' records are kept for {n} months after they leave.").format(n=months),
          file=sys.stderr)
    rows = [{"admission_number": d.admission_number, "name": d.name,
             "left_on": d.left_on.isoformat(), "erase_from": d.due_on.isoformat()}
            for d in s.erasure.leavers_due()]
    emit(rows, args.format)
    return 0


def _sar(s: Any, args: argparse.Namespace) -> int:
    result = s.sar.write(args.pupil, args.out)
    print(_("Wrote {json} and {pdf} ({n} observations, {events} audit events).").format(
        json=result.json_path, pdf=result.pdf_path, n=result.observations,
        events=result.audit_events))
    if result.photo_path is not None:
        print(_("Wrote the pupil's photo, which is part of the bundle, as {file}.").format(
            file=result.photo_path))
    print(_("Review before sending: {file} (for staff only; {n} notes had another pupil's name "
            "removed).").format(file=result.review_path, n=len(result.redactions)))
    return 0
