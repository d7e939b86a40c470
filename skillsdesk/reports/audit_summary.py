"""The short PDF that travels inside a trust export: the headline figures, with a chart.

Plain data in (the export's meta as a dict, and the suppressed tables), PDF bytes out. Only
published figures are drawn, so the PDF can hold nothing the CSV files do not.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from skillsdesk.domain.audit_tables import ROLE_TITLES, SETTING_TITLES, Table
from skillsdesk.domain.careers import kind_label
from skillsdesk.domain.yeargroups import year_group_label
from skillsdesk.i18n import _
from skillsdesk.reports.charts import grouped_bars
from skillsdesk.reports.fonts import SANS, SANS_BOLD, register_fonts

PAGE = landscape(A4)
MARGIN = 1.5 * cm
GREY = colors.HexColor("#f1f1f1")


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=17, leading=21,
                                spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=12, leading=15, spaceBefore=8,
                             spaceAfter=4),
        "body": ParagraphStyle("body", fontName=SANS, fontSize=9, leading=12),
        "small": ParagraphStyle("small", fontName=SANS, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=8, leading=10),
        "head": ParagraphStyle("head", fontName=SANS_BOLD, fontSize=8, leading=10),
    }


def text(value: Any, suffix: str = "") -> str:
    """A published figure as printed: ``c`` stays ``c``, a missing figure is a dash."""
    if value is None or value == "":
        return "–"
    if value == "c":
        return "c"
    return f"{value}{suffix}"


def grid(header: Sequence[str], rows: Sequence[Sequence[str]], st: dict[str, ParagraphStyle],
         first_width: float = 3.2 * cm, width: float | None = None) -> PdfTable:
    """A table with a bold header row, wrapped cells, and suppressed cells shaded."""
    width = width or PAGE[0] - 2 * MARGIN
    others = (width - first_width) / max(1, len(header) - 1)
    data = [[Paragraph(escape(h), st["head"]) for h in header]]
    data += [[Paragraph(escape(c), st["cell"]) for c in row] for row in rows]
    table = PdfTable(data, colWidths=[first_width] + [others] * (len(header) - 1), repeatRows=1,
                     hAlign="LEFT")
    style = [("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4ecf5")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if cell == "c":
                style.append(("BACKGROUND", (c, r), (c, r), GREY))
    table.setStyle(TableStyle(style))
    return table


def label(titles: Mapping[str, str], code: str) -> str:
    """The translated title of a code, or the code itself when it has none."""
    return _(titles[code]) if code in titles else code


def by_year_and_skill(table: Table, column: str, skills: Sequence[tuple[str, str]],
                      where: Mapping[str, str] | None = None) -> list[tuple[str, list[Any]]]:
    """Rows per year group, a value per skill, from one column of a long table."""
    found: dict[str, dict[str, Any]] = {}
    for record in table.records():
        if where and any(record.get(k) != v for k, v in where.items()):
            continue
        found.setdefault(str(record["year_group"]), {})[str(record["skill"])] = record[column]
    return [(yg, [cells.get(code) for code, _n in skills]) for yg, cells in found.items()]


def _find(tables: Sequence[Table], name: str) -> Table:
    return next(t for t in tables if t.name == name)


def build_summary_pdf(meta: Mapping[str, Any], tables: Sequence[Table]) -> bytes:
    st = styles()
    skills = [(s["code"], s["name"]) for s in meta["skills"]]
    skill_names = [name for _c, name in skills]
    rounding = _("rounded to the nearest 5") if meta["suppression"]["rounding"] == "nearest-5" \
        else _("not rounded")
    story: list[Any] = [
        Paragraph(_("Skills audit summary: {school}").format(school=escape(meta["school"]["name"])),
                  st["title"]),
        Paragraph(_("{year}, {term} term · {framework} (version {version}) · created {day}").format(
            year=escape(meta["academic_year"]), term=escape(meta["term"]),
            framework=escape(meta["framework"]["name"]),
            version=escape(meta["framework"]["version"]), day=meta["created"]), st["body"]),
        Paragraph(_("Counts below {n} pupils, and any figure they could be worked out from, are "
                    "shown as c. Counts are {rounding}. No pupil's name, number, date or note is "
                    "in this export.").format(n=meta["suppression"]["min_cell"],
                                              rounding=rounding), st["small"]),
    ]
    attainment = by_year_and_skill(_find(tables, "attainment"), "at_or_above_percent", skills,
                                   {"characteristic": "all"})
    story.append(Paragraph(_("Pupils at or above the expected step (%)"), st["h2"]))
    story.append(grid([_("Year group")] + skill_names,
                      [[year_group_label(yg)] + [text(v, "%") for v in values]
                       for yg, values in attainment], st))
    story.append(Spacer(1, 6))
    story.append(grouped_bars([year_group_label(yg) for yg, _v in attainment],
                              [(name, [vals[i] for _yg, vals in attainment])
                               for i, name in enumerate(skill_names)],
                              PAGE[0] - 2 * MARGIN, 6.5 * cm))
    story.append(PageBreak())
    coverage = by_year_and_skill(_find(tables, "coverage_skills"), "observed_percent", skills)
    story.append(Paragraph(_("Pupils observed in each skill this term (%)"), st["h2"]))
    story.append(grid([_("Year group")] + skill_names,
                      [[year_group_label(yg)] + [text(v, "%") for v in values]
                       for yg, values in coverage], st))
    story.extend(_settings_section(_find(tables, "coverage_settings"), st))
    story.extend(_careers_section(tables, st))
    return render(story)


def _settings_section(table: Table, st: dict[str, ParagraphStyle]) -> list[Any]:
    records = table.records()
    settings = list(dict.fromkeys(r["setting"] for r in records if r["setting"] != "all"))
    years = list(dict.fromkeys(r["year_group"] for r in records))
    share = {(r["year_group"], r["setting"]): r["percent_of_year_group"] for r in records}
    rows = [[_("All year groups") if yg == "all" else year_group_label(yg)]
            + [text(share.get((yg, s)), "%") for s in settings] for yg in years]
    return [KeepTogether([Paragraph(_("Observations this term by setting (% of the year group's "
                                      "observations)"), st["h2"]),
                          grid([_("Year group")] + [label(SETTING_TITLES, s) for s in settings],
                               rows, st)])]


def _careers_section(tables: Sequence[Table], st: dict[str, ParagraphStyle]) -> list[Any]:
    enc = _find(tables, "careers_encounters")
    out: list[Any] = [Paragraph(_("Careers encounters this academic year (pupils)"), st["h2"]),
                      grid([_("Year group"), _("Pupils"), _("None"), _("One"), _("Two"),
                            _("Three or more")],
                           [[year_group_label(str(r[0]))] + [text(v) for v in r[1:]]
                            for r in enc.rows], st)]
    half = (PAGE[0] - 2 * MARGIN - 0.6 * cm) / 2
    kinds = _find(tables, "careers_activities_by_kind")
    benches = _find(tables, "careers_activities_by_benchmark")
    staff = _find(tables, "staff")
    pair = PdfTable([[
        grid([_("Kind of activity"), _("Activities")],
             [[kind_label(str(k)) if k != "other" else _("Other"), text(n)] for k, n in kinds.rows]
             or [["–", "0"]], st, first_width=half * 0.7, width=half),
        grid([_("Benchmark"), _("Activities")], [[str(b), text(n)] for b, n in benches.rows]
             or [["–", "0"]], st, first_width=half * 0.7, width=half)]],
        colWidths=[half + 0.3 * cm, half + 0.3 * cm])
    pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out += [Paragraph(_("Careers activities this academic year"), st["h2"]), pair,
            Paragraph(_("Staff by role"), st["h2"]),
            grid([_("Role"), _("Staff")],
                 [[label(ROLE_TITLES, str(r)), text(n)] for r, n in staff.rows], st,
                 first_width=half * 0.7, width=half)]
    appraisal = next((t for t in tables if t.name == "staff_appraisal"), None)
    if appraisal is not None:
        out += [KeepTogether([
            Paragraph(_("Staff appraisal this academic year (counts only)"), st["h2"]),
            grid([_("Role"), _("Appraisals open"), _("Appraisals complete"),
                  _("Staff with training logged"), _("Training hours")],
                 [[label(ROLE_TITLES, str(r[0]))] + [text(v) for v in r[1:]]
                  for r in appraisal.rows], st, first_width=4.5 * cm,
                 width=PAGE[0] - 2 * MARGIN - 6 * cm)])]
    return out


def render(story: list[Any], title: str = "SkillsDesk") -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=title,
                            author="SkillsDesk", creator="SkillsDesk", invariant=1)

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(SANS, 7)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2,
                               _("Page {n}").format(n=document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
