"""Commands over the school's own records: demo, pupils, observations, frameworks, staff,
progress."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from skillsdesk.cli.output import FORMATS, emit
from skillsdesk.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help=_("build a realistic demo school"))
    demo.add_argument("--pupils", type=_positive, default=420)
    demo.add_argument("--years", type=_positive, default=3)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(handler=_demo, needs_services=False)

    pupils = sub.add_parser("pupils", parents=[common], help=_("import and list pupils"))
    pupils_sub = pupils.add_subparsers(dest="action", metavar="ACTION", required=True)
    pimport = pupils_sub.add_parser("import", parents=[common], help=_("import an MIS export"))
    pimport.add_argument("file", type=Path)
    pimport.add_argument("--dry-run", action="store_true")
    pimport.add_argument("--skip-invalid", action="store_true")
    pimport.set_defaults(handler=_pupils_import)
    plist = pupils_sub.add_parser("list", parents=[common], help=_("list pupils on roll"))
    plist.add_argument("--group", metavar="NAME")
    plist.add_argument("--format", choices=FORMATS, default="table")
    plist.set_defaults(handler=_pupils_list)
    pphotos = pupils_sub.add_parser(
        "photos", parents=[common],
        help=_("import pupils' photos from a folder of files named by admission number or UPN"))
    pphotos.add_argument("folder", type=Path)
    pphotos.add_argument("--dry-run", action="store_true")
    pphotos.set_defaults(handler=_pupils_photos)

    obs = sub.add_parser("observations", parents=[common], help=_("import and list observations"))
    obs_sub = obs.add_subparsers(dest="action", metavar="ACTION", required=True)
    oimport = obs_sub.add_parser("import", parents=[common], help=_("import history from a file"))
    oimport.add_argument("file", type=Path)
    oimport.add_argument("--dry-run", action="store_true")
    oimport.set_defaults(handler=_observations_import)
    olist = obs_sub.add_parser("list", parents=[common], help=_("list observations"))
    olist.add_argument("--pupil", metavar="ADNO")
    olist.add_argument("--limit", type=_positive)
    olist.add_argument("--format", choices=FORMATS, default="table")
    olist.set_defaults(handler=_observations_list)

    fw = sub.add_parser("framework", parents=[common], help=_("import, list and export frameworks"))
    fw_sub = fw.add_subparsers(dest="action", metavar="ACTION", required=True)
    fimport = fw_sub.add_parser("import", parents=[common], help=_("import a framework TOML file"))
    fimport.add_argument("file", type=Path)
    fimport.set_defaults(handler=_framework_import)
    flist = fw_sub.add_parser("list", parents=[common], help=_("list frameworks"))
    flist.add_argument("--format", choices=FORMATS, default="table")
    flist.set_defaults(handler=_framework_list)
    fexport = fw_sub.add_parser("export", parents=[common], help=_("export a framework as TOML"))
    fexport.add_argument("code")
    fexport.add_argument("file", type=Path)
    fexport.set_defaults(handler=_framework_export)

    staff = sub.add_parser("staff", parents=[common], help=_("list, add and manage staff"))
    staff_sub = staff.add_subparsers(dest="action", metavar="ACTION", required=True)
    slist = staff_sub.add_parser("list", parents=[common], help=_("list staff"))
    slist.add_argument("--format", choices=FORMATS, default="table")
    slist.set_defaults(handler=_staff_list)
    sadd = staff_sub.add_parser("add", parents=[common], help=_("add a member of staff"))
    sadd.add_argument("login")
    sadd.add_argument("--name", required=True)
    sadd.add_argument("--role", required=True, choices=("admin", "teacher", "support", "lunchtime"))
    sadd.add_argument("--job-title", default="")
    sadd.set_defaults(handler=_staff_add)
    from skillsdesk.cli.accounts import register_staff

    register_staff(staff_sub, common)  # passwd, role, remove, reset

    progress = sub.add_parser("progress", parents=[common],
                              help=_("current step per skill for a pupil or a group"))
    target = progress.add_mutually_exclusive_group(required=True)
    target.add_argument("--pupil", metavar="ADNO")
    target.add_argument("--group", metavar="NAME")
    progress.add_argument("--format", choices=FORMATS, default="table")
    progress.set_defaults(handler=_progress)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number").format(text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def _demo(args: argparse.Namespace, data_dir: Path) -> int:
    from skillsdesk.services.demo import build_demo

    summary = build_demo(data_dir, pupils=args.pupils, years=args.years, seed=args.seed,
                         progress=_print_progress)
    print(summary.describe())
    return 0


def _print_progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{label} {done * 100 // max(total, 1)}%", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)


def _pupils_import(s: Any, args: argparse.Namespace) -> int:
    report = s.pupils.import_file(args.file, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
    print("\n".join(report.lines()))
    return 0


def _pupils_photos(s: Any, args: argparse.Namespace) -> int:
    """Photos for pupils with photo consent; exit 1 when no file at all could be stored."""
    report = s.photos.import_folder(args.folder, dry_run=args.dry_run)
    print("\n".join(report.lines()))
    return 1 if report.left_out and not report.stored else 0


def _pupils_list(s: Any, args: argparse.Namespace) -> int:
    pupils = s.school.pupils(group=args.group)
    rows = [{"admission_number": p.admission_number, "first_name": p.first_name,
             "last_name": p.last_name, "year_group": p.year_group, "class": p.class_name or "",
             "gender": p.gender or "", "sen": p.sen, "pupil_premium": p.pupil_premium,
             "eal": p.eal} for p in pupils]
    emit(rows, args.format)
    return 0


def _observations_import(s: Any, args: argparse.Namespace) -> int:
    print("\n".join(s.observations.import_file(args.file, dry_run=args.dry_run).lines()))
    return 0


def _observations_list(s: Any, args: argparse.Namespace) -> int:
    rows = [{"date": o.observed_on.isoformat(), "admission_number": o.admission_number,
             "pupil": o.pupil_name, "skill": o.skill, "step": o.step, "level": o.level,
             "setting": o.setting, "observer": o.observer or "", "source": o.source,
             "note": o.note or "", "staff_only": o.staff_only}
            for o in s.observations.list(args.pupil, args.limit)]
    emit(rows, args.format)
    return 0


def _framework_import(s: Any, args: argparse.Namespace) -> int:
    summary = s.frameworks.import_file(args.file)
    verb = _("Imported") if summary.created else _("Updated")
    print(_("{verb} {name} ({code}, version {version}): {skills} skills, {steps} steps.").format(
        verb=verb, name=summary.name, code=summary.code, version=summary.version,
        skills=summary.skills, steps=summary.steps))
    return 0


def _framework_list(s: Any, args: argparse.Namespace) -> int:
    rows = [{"code": f.code, "name": f.name, "version": f.version, "skills": f.skills,
             "steps": f.steps, "structure_only": f.structure_only} for f in s.frameworks.list()]
    emit(rows, args.format)
    return 0


def _framework_export(s: Any, args: argparse.Namespace) -> int:
    path = s.frameworks.export(args.code, args.file)
    print(_("Wrote {file}.").format(file=path))
    return 0


def _staff_list(s: Any, args: argparse.Namespace) -> int:
    rows = [{"login": p.login, "name": p.name, "initials": p.initials, "role": p.role,
             "job_title": p.job_title, "active": p.active} for p in s.school.staff()]
    emit(rows, args.format)
    return 0


def _staff_add(s: Any, args: argparse.Namespace) -> int:
    from skillsdesk.cli.accounts import NEW_PASSWORD_ENV, read_password

    password = None
    if s.accounts.encrypted:
        password = read_password(NEW_PASSWORD_ENV, _("Password for {login}: ").format(
            login=args.login), confirm=True)
    person = s.accounts.add_staff(args.login, args.name, args.role, password, args.job_title)
    print(_("Added {name} ({login}, {role}).").format(name=person.name, login=person.login,
                                                     role=person.role))
    return 0


def _progress(s: Any, args: argparse.Namespace) -> int:
    framework = s.frameworks.current()
    year = s.school.current_year()
    if args.pupil:
        results = [s.progress.for_pupil(framework, args.pupil, year)]
    else:
        results = s.progress.for_pupils(framework, s.school.pupils(group=args.group))
    rows = []
    for result in results:
        row: dict[str, Any] = {"admission_number": result.pupil.admission_number,
                               "pupil": result.pupil.display_name}
        for position in result.skills:
            row[position.skill] = "" if position.current is None else position.current
        rows.append(row)
    emit(rows, args.format)
    return 0
