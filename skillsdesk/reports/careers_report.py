"""The careers report for governors, an award assessor or the trust: the benchmark self-audit
with RAG and evidence, the year's activities at a glance, the action plan and pupils'
aspirations (small numbers suppressed).

Plain data in, PDF bytes out. No pupil is named anywhere in it: coverage is given as counts.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from skillsdesk.domain.benchmarks import (
    ACTION_STATUS_LABELS,
    GREEN,
    NOT_STARTED,
    RAG_LABELS,
    RED,
    STATUS_LABELS,
    ActionInfo,
    AuditInfo,
    BenchmarkChange,
    BenchmarkSet,
)
from skillsdesk.domain.careers import (
    CHALLENGE_LABELS,
    KINDS,
    PUPIL_GENDER_LABELS,
    ActivityInfo,
    AspirationChart,
    Coverage,
    area_short,
    kind_label,
)
from skillsdesk.domain.yeargroups import year_group_label
from skillsdesk.i18n import _, format_date
from skillsdesk.reports.fonts import SANS, SANS_BOLD, SANS_ITALIC, font_for, register_fonts

RAG_COLOURS = {RED: colors.HexColor("#f4c7c3"), "amber": colors.HexColor("#fce8b2"),
               GREEN: colors.HexColor("#b7e1cd")}
OVERDUE = colors.HexColor("#b3261e")
GRID = colors.HexColor("#b0b7bf")
HEAD = colors.HexColor("#e8edf2")
EVIDENCE_LIMIT = 12  # activities listed per benchmark before "and N more"


@dataclass(frozen=True)
class CareersReportData:
    school: str
    year: str
    generated_on: dt.date
    benchmarks: BenchmarkSet
    audit: AuditInfo | None
    previous_on: dt.date | None
    changes: tuple[BenchmarkChange, ...]
    evidence: dict[str, tuple[ActivityInfo, ...]]
    actions: tuple[ActionInfo, ...]
    coverage: Coverage
    chart: AspirationChart
    on_roll: int = field(default=0)


class _Styles:
    def __init__(self) -> None:
        register_fonts()
        self.title = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=17, leading=21,
                                    spaceAfter=4)
        self.h2 = ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=12.5, leading=16,
                                 spaceBefore=10, spaceAfter=5,
                                 textColor=colors.HexColor("#1f3a5f"))
        self.h3 = ParagraphStyle("h3", fontName=SANS_BOLD, fontSize=10.5, leading=13,
                                 spaceBefore=8, spaceAfter=2)
        self.body = ParagraphStyle("body", fontName=SANS, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", fontName=SANS, fontSize=7.8, leading=9.6)
        self.small_bold = ParagraphStyle("smallb", parent=self.small, fontName=SANS_BOLD)
        self.italic = ParagraphStyle("italic", parent=self.body, fontName=SANS_ITALIC,
                                     textColor=colors.HexColor("#444444"))
        self.centre = ParagraphStyle("centre", parent=self.small, alignment=TA_CENTER)
        self.tiny = ParagraphStyle("tiny", parent=self.small, fontSize=6.6, leading=8,
                                   alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle, bold: bool = False) -> Paragraph:
    """A paragraph of plain text, escaped, in a font that can draw it."""
    font = font_for(text, bold=bold or style.fontName == SANS_BOLD)
    if font in (SANS, SANS_BOLD) and style.fontName == SANS_ITALIC:
        font = SANS_ITALIC
    return Paragraph(escape(text).replace("\n", "<br/>"), ParagraphStyle(
        f"{style.name}-{font}", parent=style, fontName=font))


def _grid(extra: list[tuple] | None = None) -> TableStyle:  # type: ignore[type-arg]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # tables default to Helvetica otherwise
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    return TableStyle(commands + (extra or []))


def build_careers_report(data: CareersReportData) -> bytes:
    s = _Styles()
    story: list = []  # type: ignore[type-arg]
    story.append(_p(data.school, s.title))
    story.append(_p(_("Careers provision: benchmark self-audit, {year}").format(year=data.year),
                    s.h3))
    if data.audit is None:
        story.append(_p(_("No self-audit has been saved yet: every benchmark shows as not "
                          "started."), s.body))
    else:
        who = data.audit.assessed_by or _("not recorded")
        line = _("Assessed on {date} by {name}.").format(
            date=format_date(data.audit.assessed_on, "long"), name=who)
        if data.previous_on is not None:
            line += " " + _("Compared with the audit of {date}.").format(
                date=format_date(data.previous_on, "long"))
        story.append(_p(line, s.body))
        if data.audit.note:
            story.append(_p(data.audit.note, s.italic))
    story += _summary(data, s)
    story += _activities(data, s)
    story += _details(data, s)
    story += _action_plan(data, s)
    story += _aspirations(data, s)

    buffer = io.BytesIO()
    footer = _("{school} · careers report · produced by SkillsDesk on {date}").format(
        school=data.school, date=format_date(data.generated_on, "long"))

    def on_page(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(font_for(footer), 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(16 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 16 * mm, 10 * mm,
                               _("Page {n}").format(n=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=15 * mm, bottomMargin=17 * mm,
                            title=_("Careers report {year}").format(year=data.year),
                            author=data.school, creator="SkillsDesk",
                            initialFontName=SANS)  # never the Helvetica default
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _summary(data: CareersReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    rows = [[_p(_("Benchmark"), s.small_bold), _p(_("RAG"), s.small_bold),
             _p(_("Criteria achieved"), s.small_bold), _p(_("Since last audit"), s.small_bold),
             _p(_("Activities logged"), s.small_bold)]]
    extra = []
    for index, change in enumerate(data.changes, start=1):
        now = change.after
        moved = _describe_change(change)
        rows.append([
            _p(f"{change.code} {change.name}", s.small),
            _p(_(RAG_LABELS[now.rag]), s.small_bold),
            _p(_("{done} of {total} ({pct}%)").format(done=now.achieved, total=now.total,
                                                    pct=now.percentage), s.small),
            _p(moved, s.small),
            _p(str(len(data.evidence.get(change.code, ()))), s.small)])
        extra.append(("BACKGROUND", (1, index), (1, index), RAG_COLOURS[now.rag]))
    table = Table(rows, colWidths=[70 * mm, 18 * mm, 30 * mm, 36 * mm, 24 * mm], repeatRows=1)
    table.setStyle(_grid(extra))
    key = _("RAG: green when every criterion is achieved; amber when work is under way (a "
            "criterion in progress or achieved); red when nothing has started.")
    return [_p(_("Summary"), s.h2), table, Spacer(1, 3), _p(key, s.small)]


def _describe_change(change: BenchmarkChange) -> str:
    before, points = change.before, change.points
    if before is None or points is None:
        return _("first audit")
    was = _(RAG_LABELS[before.rag])
    if points == 0:
        return _("no change") if before.rag == change.after.rag else _("was {rag}").format(rag=was)
    return _("{sign}{n} points (was {rag})").format(sign="+" if points > 0 else "-",
                                                    n=abs(points), rag=was)


def _activities(data: CareersReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    cov = data.coverage
    reached = len(cov.pupils) - len(cov.without)
    rows = [
        (_("Activities logged this year"), str(cov.activities)),
        (_("Meaningful (all four criteria met)"), str(cov.meaningful)),
        (_("Pupils on roll who took part in at least one"),
         _("{n} of {total}").format(n=reached, total=len(cov.pupils))),
        (_("Pupils with no encounter yet"), str(len(cov.without))),
        (_("Sectors met"), ", ".join(f"{x.sector} ({x.activities})" for x in cov.sectors)
         or _("none yet")),
    ]
    rows.append((_("Pupils who had each kind of activity"), ", ".join(
        f"{kind_label(k)}: {_kind_total(cov, k)}" for k in KINDS if _kind_total(cov, k))
        or _("none yet")))
    for (gender, area), count in cov.challenges:
        rows.append((_(CHALLENGE_LABELS[(gender, area)]), str(count)))
    rows.append((_("Pupils who met someone challenging a stereotype"), str(cov.pupils_challenged)))
    table = Table([[_p(a, s.small), _p(b, s.small)] for a, b in rows],
                  colWidths=[80 * mm, 98 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                               ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (0, -1), HEAD)]))
    return [_p(_("Activities this year at a glance"), s.h2), table]


def _kind_total(cov: Coverage, kind: str) -> int:
    """Pupils on roll who had this kind of activity this year."""
    return sum(1 for p in cov.pupils if kind in p.kinds)


def _details(data: CareersReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    out: list = [_p(_("The benchmarks in detail"), s.h2)]  # type: ignore[type-arg]
    for change, benchmark in zip(data.changes, data.benchmarks.benchmarks, strict=True):
        now = change.after
        head = _p(_("{code} {name}: {rag}, {pct}% achieved").format(
            code=benchmark.code, name=benchmark.name, rag=_(RAG_LABELS[now.rag]),
            pct=now.percentage), s.h3)
        rows = [[_p(_("Criterion"), s.small_bold), _p(_("Status"), s.small_bold),
                 _p(_("Evidence"), s.small_bold)]]
        for criterion in benchmark.criteria:
            entry = data.audit.entry(criterion.code) if data.audit else None
            status = entry.status if entry else NOT_STARTED
            rows.append([_p(f"{criterion.code} {criterion.text}", s.small),
                         _p(_(STATUS_LABELS[status]), s.small),
                         _p(entry.evidence if entry and entry.evidence else "–", s.small)])
        table = Table(rows, colWidths=[82 * mm, 22 * mm, 74 * mm], repeatRows=1)
        table.setStyle(_grid())
        linked = data.evidence.get(benchmark.code, ())
        block = [head, _p(benchmark.intent, s.italic), Spacer(1, 3), table]
        if linked:
            lines = [_("{date} · {title}{partner} · {who}").format(
                date=format_date(a.held_on), title=a.title,
                partner=f" ({a.partner})" if a.partner else "",
                who=", ".join(a.classes) or _("{n} pupils").format(n=a.pupil_count))
                for a in linked[:EVIDENCE_LIMIT]]
            if len(linked) > EVIDENCE_LIMIT:
                lines.append(_("… and {n} more").format(n=len(linked) - EVIDENCE_LIMIT))
            block.append(_p(_("Activities logged for {code} this year:").format(
                code=benchmark.code), s.small_bold))
            block.append(_p("\n".join(lines), s.small))
        else:
            block.append(_p(_("No activity logged for {code} this year.").format(
                code=benchmark.code), s.small))
        out.append(KeepTogether(block[:4]))
        out.extend(block[4:])
    return out


def _action_plan(data: CareersReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    out: list = [_p(_("Action plan"), s.h2)]  # type: ignore[type-arg]
    if not data.actions:
        return out + [_p(_("No actions have been planned yet."), s.body)]
    rows = [[_p(t, s.small_bold) for t in (_("Benchmark"), _("Action"), _("Owner"), _("Due"),
                                          _("Status"), _("Evidence it is done"),
                                          _("Review note"))]]
    extra = []
    overdue = 0
    for index, action in enumerate(data.actions, start=1):
        late = action.overdue(data.generated_on)
        due = format_date(action.due_on)
        if late:
            overdue += 1
            due = _("{date} (overdue)").format(date=due)
            extra += [("TEXTCOLOR", (3, index), (3, index), OVERDUE),
                      ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#fdecea"))]
        rows.append([_p(action.benchmark, s.small), _p(action.action, s.small),
                     _p(action.owner or "–", s.small),
                     _p(due, s.small_bold if late else s.small),
                     _p(_(ACTION_STATUS_LABELS.get(action.status, action.status)), s.small),
                     _p(action.success_evidence or "–", s.small),
                     _p(action.review_note or "–", s.small)])
    table = Table(rows, colWidths=[18 * mm, 44 * mm, 23 * mm, 20 * mm, 17 * mm, 30 * mm,
                                   26 * mm], repeatRows=1)
    table.setStyle(_grid(extra))
    out.append(table)
    if overdue:
        out.append(_p(_("{n} action(s) are past their due date and not done (shaded).").format(
            n=overdue), s.small))
    return out


def _aspirations(data: CareersReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    chart = data.chart
    out: list = [_p(_("Pupils' aspirations, {year}").format(year=chart.year), s.h2)]  # type: ignore[type-arg]
    if not chart.rows:
        return out + [_p(_("No aspirations have been recorded this year."), s.body)]
    header = [_p(_("Year group"), s.tiny)] + [_p(area_short(a), s.tiny) for a in chart.areas]
    rows = [header]
    shade = []
    top = max((c or 0 for r in chart.rows if r.year_group is not None for c in r.counts),
              default=0)
    for number, row in enumerate(chart.rows, start=1):
        who = _("All years") if row.year_group is None else year_group_label(row.year_group)
        label = f"{who} · {_(PUPIL_GENDER_LABELS[row.gender])}"
        rows.append([_p(label, s.small_bold if row.year_group is None else s.small)]
                    + [_p(row.cell(i), s.centre) for i in range(len(chart.areas))])
        if row.year_group is None:
            shade.append(("BACKGROUND", (0, number), (-1, number), HEAD))
            continue
        for column, count in enumerate(row.counts, start=1):
            if count and top:  # a heat map of the cells that may be shown
                strength = 0.15 + 0.6 * count / top
                shade.append(("BACKGROUND", (column, number), (column, number),
                              colors.Color(0.25, 0.5, 0.8, alpha=strength)))
    width = (178 - 34) / len(chart.areas)
    table = Table(rows, colWidths=[34 * mm] + [width * mm] * len(chart.areas), repeatRows=1)
    table.setStyle(_grid(shade))
    out.append(table)
    out.append(_p(_("Counts of pupils by the area of work they would like to go into. "
                    "c = fewer than {n} pupils, not shown so no child can be singled out.")
                  .format(n=chart.minimum), s.small))
    return out
