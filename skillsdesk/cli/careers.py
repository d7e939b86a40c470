"""Careers commands: the report for governors, and listings of the activities log, the self-audit,
the action plan, coverage and the (suppressed) aspirations chart."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from skillsdesk.cli.output import FORMATS, emit
from skillsdesk.domain.benchmarks import ACTION_STATUS_LABELS, RAG_LABELS
from skillsdesk.domain.careers import CRITERIA, KINDS, PUPIL_GENDER_LABELS
from skillsdesk.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    careers = sub.add_parser("careers", parents=[common],
                             help=_("careers activities, benchmark self-audit and action plan"))
    actions = careers.add_subparsers(dest="action", metavar="ACTION", required=True)

    report = actions.add_parser("report", parents=[common],
                                help=_("write the careers report (self-audit, activities, "
                                       "action plan) as a PDF"))
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument("--year", metavar="YYYY/YY", help=_("academic year (default: this one)"))
    report.set_defaults(handler=_report)

    for name, handler, text in (
        ("activities", _activities, _("list the careers activities of a year")),
        ("audit", _audit, _("show the latest benchmark self-audit")),
        ("actions", _actions, _("list the careers action plan")),
        ("coverage", _coverage, _("which classes have had which kinds of activity")),
        ("aspirations", _aspirations, _("pupils' aspirations by year group and gender "
                                        "(small numbers shown as c)")),
    ):
        command = actions.add_parser(name, parents=[common], help=text)
        if name not in ("audit", "actions"):
            command.add_argument("--year", metavar="YYYY/YY",
                                 help=_("academic year (default: this one)"))
        command.add_argument("--format", choices=FORMATS, default="table")
        command.set_defaults(handler=handler)


def _report(s: Any, args: argparse.Namespace) -> int:
    path = s.careers.audit.write_report(args.out, args.year)
    print(_("Wrote {file}.").format(file=path))
    return 0


def _activities(s: Any, args: argparse.Namespace) -> int:
    rows = []
    for a in s.careers.activities(args.year):
        rows.append({
            "date": a.held_on.isoformat(), "title": a.title, "kind": a.kind,
            "partner": a.partner, "sector": a.sector, "classes": ", ".join(a.classes),
            "pupils": a.pupil_count, "skills": ", ".join(a.skill_names),
            "benchmarks": ", ".join(a.benchmarks),
            "criteria_met": ", ".join(c for c in CRITERIA if c in a.criteria),
            "meaningful": a.meaningful,
            "role_models": "; ".join(f"{p.job} ({p.gender})" for p in a.role_models),
            "observations": a.observations, "notes": a.notes})
    emit(rows, args.format)
    return 0


def _audit(s: Any, args: argparse.Namespace) -> int:
    view = s.careers.audit.view()
    if view.audit is None and args.format == "table":
        print(_("No self-audit has been saved yet."))
        return 0
    rows = []
    for change in view.changes:
        rows.append({
            "benchmark": change.code, "name": change.name, "rag": _(RAG_LABELS[change.after.rag]),
            "achieved": change.after.achieved, "in_progress": change.after.in_progress,
            "criteria": change.after.total, "percentage": change.after.percentage,
            "previous_percentage": "" if change.before is None else change.before.percentage,
            "activities": len(view.evidence.get(change.code, ())),
            "assessed_on": view.assessed_on.isoformat()})
    emit(rows, args.format)
    return 0


def _actions(s: Any, args: argparse.Namespace) -> int:
    today = s.school.today()
    rows = [{"benchmark": a.benchmark, "action": a.action, "owner": a.owner or "",
             "due": a.due_on.isoformat(),
             "status": _(ACTION_STATUS_LABELS.get(a.status, a.status)),
             "overdue": a.overdue(today), "evidence_when_done": a.success_evidence,
             "review_note": a.review_note} for a in s.careers.audit.actions()]
    emit(rows, args.format)
    return 0


def _coverage(s: Any, args: argparse.Namespace) -> int:
    cov = s.careers.coverage(args.year)
    rows = []
    for c in cov.classes:
        row: dict[str, Any] = {"class": c.name, "pupils": c.pupils, "reached": c.reached}
        row.update({kind: c.count(kind) for kind in KINDS})
        rows.append(row)
    emit(rows, args.format)
    return 0


def _aspirations(s: Any, args: argparse.Namespace) -> int:
    chart = s.careers.aspiration_chart(args.year)
    rows = []
    for row in chart.rows:
        out: dict[str, Any] = {
            "year_group": row.year_group or _("all"),
            "gender": _(PUPIL_GENDER_LABELS[row.gender])}
        out.update({area: row.cell(i) for i, area in enumerate(chart.areas)})
        rows.append(out)
    emit(rows, args.format)
    return 0
