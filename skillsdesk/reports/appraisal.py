"""The appraisal record of one member of support or lunchtime staff for one year: their own
self-assessment beside the line manager's observations of practice, agreed targets, the
training log, (for lunchtime staff) counts of what they logged of the children, and lines to sign.

Plain data in, PDF bytes out. A confidential staff record: no pupil is named in it.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from skillsdesk.domain.appraisal import STATUS_LABELS, AppraisalView, WeekCounts, setting_label
from skillsdesk.domain.permissions import role_label
from skillsdesk.domain.records import FrameworkInfo, SkillInfo
from skillsdesk.i18n import _, format_date, ngettext
from skillsdesk.reports.fonts import SANS, SANS_BOLD, SANS_ITALIC, font_for, register_fonts

GRID = colors.HexColor("#b0b7bf")
HEAD = colors.HexColor("#e8edf2")
INK = colors.HexColor("#1f3a5f")
WIDTH = A4[0] - 32 * mm


@dataclass(frozen=True)
class AppraisalReportData:
    school: str
    generated_on: dt.date
    framework: FrameworkInfo
    view: AppraisalView
    lunchtime: WeekCounts | None = None
    # The skills the lunchtime counts are kept in: the pupils' framework, which may not be the
    # one staff are appraised on (None: the same).
    lunchtime_skills: tuple[SkillInfo, ...] | None = None


class _Styles:
    def __init__(self) -> None:
        register_fonts()
        self.title = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=16, leading=20,
                                    spaceAfter=3)
        self.h2 = ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=12, leading=15,
                                 spaceBefore=10, spaceAfter=4, textColor=INK)
        self.body = ParagraphStyle("body", fontName=SANS, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", fontName=SANS, fontSize=8, leading=10)
        self.bold = ParagraphStyle("smallb", parent=self.small, fontName=SANS_BOLD)
        self.italic = ParagraphStyle("italic", parent=self.small, fontName=SANS_ITALIC,
                                     textColor=colors.HexColor("#555555"))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text, escaped, in a font that can draw it (Naskh for Arabic-script names)."""
    font = font_for(text, bold=style.fontName == SANS_BOLD)
    if style.fontName == SANS_ITALIC and font == SANS:
        font = SANS_ITALIC
    return Paragraph(escape(text).replace("\n", "<br/>"),
                     ParagraphStyle(f"{style.name}-{font}", parent=style, fontName=font))


def _table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # tables default to Helvetica otherwise
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _date(day: dt.date | None) -> str:
    return format_date(day, "medium") if day else ""


def _step_text(skill: SkillInfo | None, number: int) -> str:
    step = next((s for s in skill.steps if s.number == number), None) if skill else None
    label = _("Step {n}").format(n=number)
    return f"{label}: {step.descriptor}" if step and step.descriptor else label


def build_appraisal_report(data: AppraisalReportData) -> bytes:
    s = _Styles()
    cycle = data.view.cycle
    story: list = [  # type: ignore[type-arg]
        _p(_("Appraisal record: {name}").format(name=cycle.staff_name), s.title),
        _p(_("{school} · {year} · {role}{job}").format(
            school=data.school, year=cycle.academic_year, role=role_label(cycle.staff_role),
            job=f" ({cycle.job_title})" if cycle.job_title and cycle.job_title.casefold()
            != role_label(cycle.staff_role).casefold() else ""), s.body),
        _p(_("Line manager: {manager} · Skills framework: {framework} · Status: {status}")
           .format(manager=cycle.manager_name or _("not set"), framework=data.framework.name,
                   status=_(STATUS_LABELS.get(cycle.status, cycle.status))), s.body),
    ]
    story += _skills(data, s)
    story += _targets(data, s)
    story += _training(data, s)
    if data.lunchtime is not None:
        story += _lunchtime(data, data.lunchtime, s)
    story += _signatures(data, s)

    buffer = io.BytesIO()
    footer = _("Confidential staff record · kept apart from pupil records · produced by "
               "SkillsDesk on {date}").format(date=format_date(data.generated_on, "long"))

    def on_page(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(font_for(footer), 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(16 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 16 * mm, 10 * mm, _("Page {n}").format(n=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=15 * mm, bottomMargin=17 * mm,
                            title=_("Appraisal record: {name}, {year}").format(
                                name=cycle.staff_name, year=cycle.academic_year),
                            author=data.school, creator="SkillsDesk", initialFontName=SANS)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _skills(data: AppraisalReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    view = data.view
    latest = view.latest_self_assessment()
    seen: dict[uuid.UUID, list[str]] = {}
    for item in view.practice:
        who = f" ({item.manager_name})" if item.manager_name else ""
        seen.setdefault(item.skill_id, []).append(
            f"{_date(item.observed_on)}, {setting_label(item.setting)}{who}: {item.seen}")
    out: list = [_p(_("Skills: self-assessment and the manager's view"), s.h2)]  # type: ignore[type-arg]
    rows: list[list[object]] = [[_p(_("Skill"), s.bold), _p(_("Self-assessment"), s.bold),
                                 _p(_("Observed practice (line manager)"), s.bold)]]
    untouched = []
    for skill in data.framework.skills:
        mine, theirs = latest.get(skill.id), seen.get(skill.id, [])
        if mine is None and not theirs:
            untouched.append(skill.name)
            continue
        own: list[object] = []
        if mine is not None:
            own.append(_p(_step_text(skill, mine.step), s.small))
            if mine.comment:
                own.append(_p(f"“{mine.comment}”", s.italic))
            own.append(_p(_("Judged on {date}").format(date=_date(mine.assessed_on)), s.italic))
            earlier = [a for a in view.self_assessments if a.skill_id == skill.id and a != mine]
            if earlier:
                own.append(_p(_("Earlier: {steps}").format(steps="; ".join(
                    _("step {n} on {date}").format(n=a.step, date=_date(a.assessed_on))
                    for a in earlier)), s.italic))
        else:
            own.append(_p(_("Not self-assessed yet."), s.italic))
        manager = [_p(line, s.small) for line in theirs] or [_p(_("Not observed yet."), s.italic)]
        rows.append([_p(skill.name, s.bold), own, manager])
    if len(rows) > 1:
        out.append(_table(rows, [0.16 * WIDTH, 0.42 * WIDTH, 0.42 * WIDTH]))
    else:
        out.append(_p(_("Nothing has been recorded against the skills yet."), s.body))
    if untouched:
        out.append(Spacer(1, 3))
        out.append(_p(_("Not yet assessed or observed: {skills}.").format(
            skills=", ".join(untouched)), s.italic))
    return out


def _targets(data: AppraisalReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    out: list = [_p(_("Targets"), s.h2)]  # type: ignore[type-arg]
    if not data.view.targets:
        return [*out, _p(_("No targets agreed yet."), s.body)]
    rows: list[list[object]] = [[_p(h, s.bold) for h in (
        _("Target"), _("Skill"), _("Agreed"), _("Review by"), _("Met"))]]
    for t in data.view.targets:
        rows.append([_p(t.text, s.small), _p(t.skill_name or "", s.small),
                     _p(_date(t.set_on), s.small), _p(_date(t.review_on), s.small),
                     _p(_date(t.met_on) or _("not yet"), s.small)])
    out.append(_table(rows, [0.46 * WIDTH, 0.16 * WIDTH, 0.13 * WIDTH, 0.13 * WIDTH,
                             0.12 * WIDTH]))
    return out


def _training(data: AppraisalReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    out: list = [_p(_("Training"), s.h2)]  # type: ignore[type-arg]
    training = data.view.training
    if not training:
        return [*out, _p(_("No training logged in this academic year."), s.body)]
    rows: list[list[object]] = [[_p(h, s.bold) for h in (
        _("Date"), _("Course or session"), _("Hours"), _("Skill"),
        _("What changed in practice"))]]
    for t in training:
        rows.append([_p(_date(t.attended_on), s.small), _p(t.title, s.small),
                     _p(f"{t.hours:g}", s.small), _p(t.skill_name or "", s.small),
                     _p(t.changed, s.small)])
    out.append(_table(rows, [0.13 * WIDTH, 0.27 * WIDTH, 0.08 * WIDTH, 0.14 * WIDTH,
                             0.38 * WIDTH]))
    out.append(Spacer(1, 2))
    out.append(_p(hours_of_training(data.view.training_hours, data.view.cycle.academic_year),
                  s.italic))
    return out


def hours_of_training(hours: float, year: str) -> str:
    """'1 hour of training in 2026/27.', '2.5 hours …' (whole numbers choose the plural form;
    a fraction takes the form for 2)."""
    count = int(hours) if hours == int(hours) else 2
    return ngettext("{hours:g} hour of training in {year}.",
                    "{hours:g} hours of training in {year}.", count).format(hours=hours, year=year)


def _lunchtime(data: AppraisalReportData, counts: WeekCounts,
               s: _Styles) -> list:  # type: ignore[type-arg]
    out: list = [_p(_("Lunchtime practice: what they noticed of the children"), s.h2)]  # type: ignore[type-arg]
    total = counts.total()
    if not total:
        return [*out, _p(_("No lunchtime observations logged this year."), s.body)]
    out.append(_p(_("{n} lunchtime observations logged, in {weeks} different weeks (counts only, "
                    "no child named).").format(n=total, weeks=len(counts.weeks)), s.body))
    rows: list[list[object]] = [[_p(_("Skill"), s.bold), _p(_("Observations"), s.bold),
                                 _p(_("Weeks with one or more"), s.bold)]]
    for skill in data.lunchtime_skills or data.framework.skills:
        weeks = sum(1 for (sid, _week), n in counts.cells.items() if sid == skill.id and n)
        rows.append([_p(skill.name, s.small), _p(str(counts.total(skill.id)), s.small),
                     _p(str(weeks), s.small)])
    out.append(_table(rows, [0.4 * WIDTH, 0.3 * WIDTH, 0.3 * WIDTH]))
    return out


def _signatures(data: AppraisalReportData, s: _Styles) -> list:  # type: ignore[type-arg]
    cycle = data.view.cycle
    line = "_" * 38
    rows = [
        [_p(_("Staff member: {name}").format(name=cycle.staff_name), s.body),
         _p(_("Signed {line}").format(line=line), s.body),
         _p(_("Date {line}").format(line="_" * 14), s.body)],
        [_p(_("Line manager: {name}").format(name=cycle.manager_name or ""), s.body),
         _p(_("Signed {line}").format(line=line), s.body),
         _p(_("Date {line}").format(line="_" * 14), s.body)],
    ]
    table = Table(rows, colWidths=[0.34 * WIDTH, 0.44 * WIDTH, 0.22 * WIDTH])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("TOPPADDING", (0, 0), (-1, -1), 14)]))
    return [KeepTogether([_p(_("Agreed by"), s.h2), table])]
