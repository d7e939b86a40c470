"""The subject access PDF: the same content as the JSON bundle, for a person to read.

Plain data in (``SarDocument``), PDF bytes out. Every piece of text goes through
``BidiParagraph`` so Welsh, Polish, Arabic and Chinese names and notes are drawn with the shipped
fonts and shaped correctly. No table layout: each record is a bold line with its note below, so a
long note simply flows on to the next page.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer

from skillsdesk.i18n import _, ngettext
from skillsdesk.reports.fonts import SANS, register_fonts
from skillsdesk.reports.textlayout import BidiParagraph

INK = HexColor("#1f2933")
MUTED = HexColor("#52606d")
ACCENT = HexColor("#1d5f8a")
# Pupil columns shown under "Details held", in this order (others follow as they come).
_DETAIL_ORDER = ("admission_number", "legal_first_name", "legal_last_name",
                 "preferred_first_name", "preferred_last_name", "year_group", "gender", "sen",
                 "pupil_premium", "eal", "first_language", "photo_consent", "protected",
                 "started_on", "left_on", "created_at", "updated_at")
# Never printed: the UPN is said to be held or not in a sentence of its own (DOMAIN.md §3.3).
_NOT_SHOWN = {"id", "upn", "upn_held"}


def _label(key: str) -> str:
    labels = {
        "admission_number": _("Admission number"), "legal_first_name": _("Legal first name"),
        "legal_last_name": _("Legal last name"), "preferred_first_name": _("Preferred first name"),
        "preferred_last_name": _("Preferred last name"), "year_group": _("Year group"),
        "gender": _("Gender"), "sen": _("SEN (E, K or N)"), "pupil_premium": _("Pupil premium"),
        "eal": _("English as an additional language"), "first_language": _("First language"),
        "photo_consent": _("Photo consent"), "protected": _("Protected record"),
        "started_on": _("Started on"), "left_on": _("Left on"),
        "created_at": _("Record created"),
        "updated_at": _("Record last changed"),
    }
    return labels.get(key, key.replace("_", " ").capitalize())


def _level(level: Any) -> str:
    labels = {1: _("with help"), 2: _("independently"), 3: _("secured")}
    return labels.get(level, str(level))


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class SarDocument:
    title: str
    school: str
    made_on: str
    pupil: dict[str, Any]
    groups: tuple[dict[str, Any], ...]
    observations: tuple[dict[str, Any], ...]
    targets: tuple[dict[str, Any], ...]
    other_records: dict[str, list[dict[str, Any]]]
    drafts: tuple[dict[str, Any], ...]
    audit: tuple[dict[str, Any], ...]
    upn_statement: str = ""

    @classmethod
    def from_bundle(cls, bundle: dict[str, Any]) -> SarDocument:
        pupil = bundle["pupil"]
        name = f"{pupil.get('legal_first_name', '')} {pupil.get('legal_last_name', '')}".strip()
        return cls(
            title=_("Subject access: {name}").format(name=name), school=bundle.get("school") or "",
            made_on=bundle["made_on"], pupil=pupil, groups=tuple(bundle["groups"]),
            observations=tuple(bundle["observations"]), targets=tuple(bundle["targets"]),
            other_records=dict(bundle["other_records"]), drafts=tuple(bundle["drafts"]),
            audit=tuple(bundle["audit"]),
            upn_statement=bundle.get("unique_pupil_number") or "")


def _heading(text: str) -> list[Any]:
    return [CondPageBreak(30 * mm), Spacer(1, 4 * mm),
            BidiParagraph(text, 13, bold=True, colour=ACCENT), Spacer(1, 1.5 * mm)]


def _line(text: str, *, bold: bool = False, muted: bool = False, size: float = 9.5) -> Any:
    return BidiParagraph(text, size, bold=bold, colour=MUTED if muted else INK)


def _story(doc: SarDocument) -> list[Any]:
    story: list[Any] = [BidiParagraph(doc.title, 18, bold=True, colour=INK),
                        _line(_("{school} · made on {date}").format(school=doc.school,
                                                                     date=doc.made_on)
                              if doc.school else _("Made on {date}").format(date=doc.made_on),
                              muted=True),
                        Spacer(1, 2 * mm),
                        _line(_("Everything SkillsDesk holds about this pupil. Names of other "
                                "pupils have been replaced by \"[another pupil]\"."), muted=True)]
    story += _heading(_("Details held"))
    keys = [k for k in _DETAIL_ORDER if k in doc.pupil]
    keys += [k for k in doc.pupil if k not in keys and k not in _NOT_SHOWN]
    for key in keys:
        story.append(_line(_("{label}: {value}").format(label=_label(key),
                                                          value=_value(doc.pupil[key]))))
    if doc.upn_statement:
        story += [Spacer(1, 1.5 * mm), _line(doc.upn_statement)]
    story += _heading(_("Classes and groups"))
    if not doc.groups:
        story.append(_line(_("None."), muted=True))
    for group in doc.groups:
        story.append(_line(_("{year}: {name} ({kind})").format(
            year=group["academic_year"], name=group["name"], kind=group["kind"])))
    story += _heading(_("Observations ({n})").format(n=len(doc.observations)))
    if not doc.observations:
        story.append(_line(_("None."), muted=True))
    for item in doc.observations:
        deleted = _(" — deleted {when}").format(when=item["deleted_at"]) \
            if item.get("deleted_at") else ""
        story.append(_line(_("{date} · {skill}, step {step} · {level} · {setting} · "
                             "{observer}{deleted}").format(
            date=item["observed_on"], skill=item["skill"], step=item["step"],
            level=_level(item["level"]), setting=item["setting"],
            observer=item.get("observer") or _("observer not recorded"), deleted=deleted),
            bold=True, size=9))
        if item.get("note"):
            story.append(_line(item["note"], size=9))
        story.append(Spacer(1, 1.2 * mm))
    story += _heading(_("Targets"))
    if not doc.targets:
        story.append(_line(_("None."), muted=True))
    for target in doc.targets:
        story.append(_line(_("{skill}, step {step}: set {set_on}, due {due}, met {met}").format(
            skill=target["skill"], step=target["step"], set_on=target["set_on"],
            due=_value(target["due_on"]), met=_value(target["met_on"]))))
    story += _heading(_("Other records"))
    if not doc.other_records:
        story.append(_line(_("None."), muted=True))
    for table, rows in sorted(doc.other_records.items()):
        story.append(_line(_label(table), bold=True))
        for row in rows:
            # Ids mean nothing to a reader (the JSON keeps them).
            shown = {k: v for k, v in row.items() if k != "id" and not k.endswith("_id")}
            story.append(_line("; ".join(f"{_label(k)}: {_value(v)}"
                                         for k, v in shown.items()), size=9))
    story += _heading(_("Unsaved drafts"))
    if not doc.drafts:
        story.append(_line(_("None."), muted=True))
    for draft in doc.drafts:
        story.append(_line(_("saved {when}").format(when=draft["saved_at"]), bold=True, size=9))
        story.append(_line(draft["text"], size=9))
    story += _heading(ngettext("Audit trail ({n} event)", "Audit trail ({n} events)",
                               len(doc.audit)).format(n=len(doc.audit)))
    if not doc.audit:
        story.append(_line(_("None."), muted=True))
    for event in doc.audit:
        who = event.get("login") or _("nobody signed in")
        story.append(_line(f"#{event['sequence']} · {event['at']} · {who} · {event['action']}",
                           size=9))
        for part in ("before", "after"):
            if event.get(part) is not None:
                story.append(_line(f"{part}: {_value(event[part])}", muted=True, size=8.5))
    return story


def _footer(canvas: Canvas, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(SANS, 8)
    canvas.setFillColor(MUTED)
    canvas.drawString(18 * mm, 10 * mm, _("Subject access bundle — confidential"))
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page {n}").format(n=doc.page))
    canvas.restoreState()


def build_sar_pdf(doc: SarDocument) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=16 * mm, bottomMargin=18 * mm, title=doc.title,
                                 author=doc.school or "SkillsDesk", creator="SkillsDesk")
    template.build(_story(doc), onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
