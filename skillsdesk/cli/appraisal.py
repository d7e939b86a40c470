"""Staff appraisal commands (journey J4): the appraisal record PDF, the cycles a person may see,
and the counts-only lunchtime practice of one supervisor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from skillsdesk.cli.output import FORMATS, emit
from skillsdesk.domain.appraisal import STATUS_LABELS
from skillsdesk.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    appraisal = sub.add_parser("appraisal", parents=[common],
                               help=_("support-staff appraisal records"))
    actions = appraisal.add_subparsers(dest="action", metavar="ACTION", required=True)

    report = actions.add_parser("report", parents=[common],
                                help=_("write one member of staff's appraisal record as a PDF"))
    report.add_argument("--staff", required=True, metavar="LOGIN")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument("--year", metavar="YYYY/YY", help=_("academic year (default: this one)"))
    report.set_defaults(handler=_report)

    listing = actions.add_parser("list", parents=[common],
                                 help=_("list the appraisal cycles you may see"))
    listing.add_argument("--year", metavar="YYYY/YY", help=_("academic year (default: all)"))
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(handler=_list)

    lunch = actions.add_parser("lunchtime", parents=[common],
                               help=_("what a lunchtime supervisor logged of the children, "
                                      "counted by skill and week"))
    lunch.add_argument("--staff", required=True, metavar="LOGIN")
    lunch.add_argument("--year", metavar="YYYY/YY", help=_("academic year (default: this one)"))
    lunch.add_argument("--format", choices=FORMATS, default="table")
    lunch.set_defaults(handler=_lunchtime)

    chooser = actions.add_parser("framework", parents=[common],
                                 help=_("show or set the framework staff are appraised on "
                                        "(applies to appraisals opened from now on)"))
    chooser.add_argument("code", nargs="?", metavar="CODE",
                         help=_("a loaded framework's code (see 'framework list')"))
    chooser.add_argument("--reset", action="store_true",
                         help=_("go back to the school's own framework"))
    chooser.set_defaults(handler=_framework)


def _report(s: Any, args: argparse.Namespace) -> int:
    path = s.appraisal.write_report(args.staff, args.out, args.year)
    print(_("Wrote {file}.").format(file=path))
    return 0


def _list(s: Any, args: argparse.Namespace) -> int:
    year = s.appraisal.school_year(args.year).label if args.year else None
    rows = []
    for person in s.appraisal.visible_staff():
        for cycle in s.appraisal.cycles(person.id):
            if year is not None and cycle.academic_year != year:
                continue
            view = s.appraisal.view(cycle.id)
            rows.append({
                "login": person.login, "name": person.name, "role": person.role,
                "year": cycle.academic_year, "manager": cycle.manager_name or "",
                "status": _(STATUS_LABELS.get(cycle.status, cycle.status)),
                "self_assessed_skills": len(view.latest_self_assessment()),
                "practice_observations": len(view.practice), "targets": len(view.targets),
                "training_hours": view.training_hours})
    emit(rows, args.format)
    return 0


def _lunchtime(s: Any, args: argparse.Namespace) -> int:
    person = s.appraisal.staff(args.staff)
    counts = s.appraisal.lunchtime_practice(person.id, args.year)
    rows = []
    for skill in s.frameworks.current().skills:
        row: dict[str, Any] = {"skill": skill.name, "total": counts.total(skill.id)}
        row.update({week: counts.cells.get((skill.id, week), 0) for week in counts.weeks})
        rows.append(row)
    emit(rows, args.format)
    return 0


def _framework(s: Any, args: argparse.Namespace) -> int:
    if args.code and args.reset:
        print(_("Give a framework code or --reset, not both."), file=sys.stderr)
        return 2
    if args.code or args.reset:
        chosen = s.appraisal.set_framework(None if args.reset else args.code)
        print(_("Appraisals opened from now on use {name} ({code}); appraisals already opened "
                "keep their framework.").format(name=chosen.name, code=chosen.code))
        return 0
    chosen = s.appraisal.framework()
    if s.appraisal.framework_setting() is None:
        print(_("Staff are appraised on the school's own framework: {name} ({code}).").format(
            name=chosen.name, code=chosen.code))
    else:
        print(_("Staff are appraised on {name} ({code}).").format(name=chosen.name,
                                                                 code=chosen.code))
    return 0
