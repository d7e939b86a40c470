"""The trust report: several schools' verified exports side by side, in tables and bar charts.

Plain data in (each school's ``audit.json`` document, already checked against its manifest),
PDF bytes out. It prints only figures the schools published, ``c`` included: nothing is added
up across schools, because a sum over suppressed cells would have to guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

from skillsdesk.domain.audit_tables import ROLE_TITLES, SETTING_TITLES
from skillsdesk.domain.yeargroups import YEAR_GROUPS, year_group_label
from skillsdesk.i18n import _
from skillsdesk.reports.audit_summary import MARGIN, PAGE, grid, label, render, styles, text
from skillsdesk.reports.charts import grouped_bars
from skillsdesk.reports.fonts import register_fonts

Document = dict[str, Any]


def _rows(doc: Document, table: str) -> list[dict[str, Any]]:
    return list(doc.get("tables", {}).get(table, {}).get("rows", []))


def _school(doc: Document) -> str:
    return str(doc["meta"]["school"]["name"])


def _years(docs: Sequence[Document]) -> list[str]:
    found = {r["year_group"] for d in docs for r in _rows(d, "attainment")}
    return [yg for yg in YEAR_GROUPS if yg in found]


def build_trust_pdf(docs: Sequence[Document], today: dt.date) -> bytes:
    register_fonts()
    st = styles()
    first = docs[0]["meta"]
    schools = [_school(d) for d in docs]
    width = PAGE[0] - 2 * MARGIN
    story: list[Any] = [
        Paragraph(_("Trust skills report"), st["title"]),
        Paragraph(escape(_("{n} schools · {framework} · made {day}").format(
            n=len(docs), framework=first["framework"]["name"], day=today.isoformat())),
            st["body"]),
        Paragraph(_("Figures are as each school published them: c marks a count too small to "
                    "show, or one it could be worked out from. Step bands are relative to the "
                    "expected step of each year group."), st["small"]),
        Paragraph(_("Schools"), st["h2"]),
        grid([_("School"), _("Academic year"), _("Term"), _("Framework version"),
              _("Minimum cell size"), _("Rounding"), _("Exported")],
             [[_school(d), d["meta"]["academic_year"], d["meta"]["term"],
               d["meta"]["framework"]["version"], str(d["meta"]["suppression"]["min_cell"]),
               d["meta"]["suppression"]["rounding"], d["meta"]["created"]] for d in docs],
             st, first_width=6 * PAGE[0] / 29.7 * 0.9),
    ]
    years = _years(docs)
    story.append(Paragraph(_("Pupils at or above the expected step (%)"), st["h2"]))
    for code, name in [(s["code"], s["name"]) for s in first.get("skills", [])]:
        values = [{r["year_group"]: r["at_or_above_percent"] for r in _rows(d, "attainment")
                   if r["skill"] == code and r["characteristic"] == "all"} for d in docs]
        block = [
            Paragraph(escape(name), st["h2"]),
            grid([_("School")] + [year_group_label(yg) for yg in years],
                 [[school] + [text(v.get(yg), "%") for yg in years]
                  for school, v in zip(schools, values, strict=True)], st, first_width=5.5 * 28.35),
            Spacer(1, 4),
            grouped_bars([year_group_label(yg) for yg in years],
                         [(school, [v.get(yg) for yg in years])
                          for school, v in zip(schools, values, strict=True)], width, 5.2 * 28.35),
        ]
        story += [CondPageBreak(9 * 28.35), KeepTogether(block)]
    story += _settings(docs, schools, st, width)
    story += _careers(docs, schools, st, width, years)
    return render(story, _("Trust skills report"))


def _settings(docs: Sequence[Document], schools: list[str], st: Any, width: float) -> list[Any]:
    settings: list[str] = []
    shares = []
    for doc in docs:
        found = {}
        for r in _rows(doc, "coverage_settings"):
            if r["year_group"] == "all" and r["setting"] != "all":
                found[r["setting"]] = r["percent_of_year_group"]
                if r["setting"] not in settings:
                    settings.append(r["setting"])
        shares.append(found)
    return [CondPageBreak(10 * 28.35), KeepTogether([
        Paragraph(_("Observations this term by setting, all year groups (%)"), st["h2"]),
        grid([_("School")] + [label(SETTING_TITLES, k) for k in settings],
             [[school] + [text(s.get(k), "%") for k in settings]
                                        for school, s in zip(schools, shares, strict=True)], st,
             first_width=5.5 * 28.35),
        Spacer(1, 4),
        grouped_bars([label(SETTING_TITLES, k) for k in settings],
                     [(school, [s.get(k) for k in settings])
                                for school, s in zip(schools, shares, strict=True)],
                     width, 5.2 * 28.35)])]


def _careers(docs: Sequence[Document], schools: list[str], st: Any, width: float,
             years: list[str]) -> list[Any]:
    benches: list[str] = sorted({r["benchmark"] for d in docs
                                 for r in _rows(d, "careers_activities_by_benchmark")},
                                key=lambda c: (len(c), c))
    counts = [{r["benchmark"]: r["activities"] for r in _rows(d, "careers_activities_by_benchmark")}
              for d in docs]
    top = max([1] + [n for c in counts for n in c.values() if isinstance(n, int)])
    none = [{r["year_group"]: r["none"] for r in _rows(d, "careers_encounters")} for d in docs]
    roles = list(dict.fromkeys(r["role"] for d in docs for r in _rows(d, "staff")))
    staff = [{r["role"]: r["staff"] for r in _rows(d, "staff")} for d in docs]
    return [
        CondPageBreak(10 * 28.35),
        KeepTogether([
            Paragraph(_("Careers activities this academic year by benchmark"), st["h2"]),
            grid([_("School")] + benches, [[school] + [text(c.get(b, 0)) for b in benches]
                                           for school, c in zip(schools, counts, strict=True)],
                 st, first_width=5.5 * 28.35),
            Spacer(1, 4),
            grouped_bars(benches, [(school, [c.get(b, 0) for b in benches])
                                   for school, c in zip(schools, counts, strict=True)],
                         width, 5.2 * 28.35, maximum=float(top), unit="")]),
        Paragraph(_("Pupils with no careers encounter yet this academic year"), st["h2"]),
        grid([_("School")] + [year_group_label(yg) for yg in years],
             [[school] + [text(n.get(yg)) for yg in years]
              for school, n in zip(schools, none, strict=True)], st, first_width=5.5 * 28.35),
        Paragraph(_("Staff by role"), st["h2"]),
        grid([_("School")] + [label(ROLE_TITLES, r) for r in roles],
             [[school] + [text(s.get(r)) for r in roles]
                                     for school, s in zip(schools, staff, strict=True)], st,
             first_width=5.5 * 28.35),
        *_appraisal(docs, schools, st),
    ]


def _appraisal(docs: Sequence[Document], schools: list[str], st: Any) -> list[Any]:
    """Appraisal counts per school and role; a version 1 export has none (shown as a dash)."""
    found = [{r["role"]: r for r in _rows(d, "staff_appraisal")} for d in docs]
    roles = list(dict.fromkeys(role for f in found for role in f))
    if not roles:
        return []
    columns = ("cycles_open", "cycles_complete", "training_hours")
    header = [_("School"), _("Role"), _("Appraisals open"), _("Appraisals complete"),
              _("Training hours")]
    rows = [[school, label(ROLE_TITLES, role)] + [text(f.get(role, {}).get(c)) for c in columns]
            for school, f in zip(schools, found, strict=True) for role in roles]
    return [KeepTogether([
        Paragraph(_("Staff appraisal this academic year (counts only)"), st["h2"]),
        grid(header, rows, st, first_width=5.5 * 28.35)])]
