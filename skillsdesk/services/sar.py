"""Subject access: everything held about one pupil, as JSON and as a PDF (RELIABILITY.md G19).

The bundle holds the pupil's details and flags, class and group memberships (the group's name,
never its other members), every observation (soft-deleted ones too: they are still held), notes,
targets, drafts, every other row that points at the pupil, and the audit trail's events about
them. Nothing about another pupil goes in: a note that names another pupil (first and last name,
legal or preferred, any case) has that name replaced by "[another pupil]" in both files, and a
separate review list for staff, which is not to be sent, says which notes were changed and why,
so a person can check the redaction before anything leaves the school. Making a bundle is
recorded in the audit trail as a disclosure.

The Unique Pupil Number is a "blind number" that goes only to the LA, the DfE and the next school
(DOMAIN.md §3.3; DESIGN.md §5): the bundle says whether one is held and that the school office can
confirm it, and its value appears nowhere in the files (should a note or an audit event ever
contain it, it is replaced by "[UPN withheld]").
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillsdesk import safefile
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, require
from skillsdesk.i18n import _
from skillsdesk.services.context import Context
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import pupil_records as records
from skillsdesk.storage.database import Store

FORMAT = "skillsdesk-subject-access"
REDACTED = "[another pupil]"
UPN_WITHHELD = "[UPN withheld]"
_AUDIT_LIMIT = 1_000_000


@dataclass(frozen=True)
class Redaction:
    where: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class SarResult:
    json_path: Path
    pdf_path: Path
    review_path: Path
    observations: int
    audit_events: int
    redactions: tuple[Redaction, ...]
    photo_path: Path | None = None  # the pupil's photo, when one is held


def upn_statement(held: bool) -> str:
    """What the bundle says about the UPN, in place of its value."""
    if held:
        return _("A Unique Pupil Number (UPN) is held for this pupil. It is not shown in this "
                 "bundle: it is a reference number used only between the school, the local "
                 "authority, the Department for Education and the pupil's next school. The "
                 "school office can confirm it on request.")
    return _("No Unique Pupil Number (UPN) is held for this pupil in SkillsDesk. The school "
             "office can confirm this on request.")


def _withhold(value: Any, upn: str, found: list[int]) -> Any:
    """``value`` with every occurrence of the UPN (any case) replaced; counts them in found."""
    if isinstance(value, str):
        if upn.casefold() not in value.casefold():
            return value
        found.append(1)
        return re.sub(re.escape(upn), UPN_WITHHELD, value, flags=re.IGNORECASE)
    if isinstance(value, list):
        return [_withhold(v, upn, found) for v in value]
    if isinstance(value, dict):
        return {k: _withhold(v, upn, found) for k, v in value.items()}
    return value


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


class _Redactor:
    """Finds other pupils' full names in free text and replaces them."""

    def __init__(self, names: list[tuple[str, str]], own: set[str]) -> None:
        full = {f"{first} {last}".strip() for first, last in names}
        full = {n for n in full if n and _fold(n) not in own}
        self._names = {_fold(n): n for n in full}
        # Longest first, so "Ann Lee-Smith" wins over "Ann Lee"; whitespace runs match any space.
        parts = sorted(self._names, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<!\w)(" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in parts)
            + r")(?!\w)", re.IGNORECASE) if parts else None
        self.found: list[Redaction] = []

    def text(self, value: str, where: str) -> str:
        if self._pattern is None or not value:
            return value
        normal = unicodedata.normalize("NFC", value)
        hits = [m for m in self._pattern.finditer(normal)
                if _fold(" ".join(m.group(0).split())) in self._names]
        if not hits:
            return value
        names = tuple(sorted({self._names[_fold(" ".join(m.group(0).split()))] for m in hits}))
        self.found.append(Redaction(where, names))
        return self._pattern.sub(
            lambda m: REDACTED if _fold(" ".join(m.group(0).split())) in self._names
            else m.group(0), normal)

    def walk(self, value: Any, where: str) -> Any:
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, list):
            return [self.walk(v, where) for v in value]
        if isinstance(value, dict):
            return {k: self.walk(v, where) for k, v in value.items()}
        return value


class SubjectAccessService:
    def __init__(self, store: Store, school: SchoolService,
                 context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store
        self._school = school

    def collect(self, admission_number: str, actor: Actor | None = None
                ) -> tuple[dict[str, Any], list[Redaction]]:
        """The bundle as JSON-ready data, and the redactions made in it; audited."""
        actor = actor or self._context.actor
        if actor is not None:
            require(actor, "sar")
        with self._store.write() as session:
            pupil_id: uuid.UUID = records.pupil_by_admission(session, admission_number)["id"]
            data = records.subject_data(session, pupil_id)
            upn = records.upn_value(session, pupil_id)
            names = records.other_pupil_names(session, pupil_id)
            events = audit_repo.browse(session, pupil_id=pupil_id, limit=_AUDIT_LIMIT)
            audit_repo.record(session, actor, "pupil.sar", "pupil", pupil_id, pupil_id=pupil_id)
        pupil = data["pupil"]
        own = {_fold(f"{pupil[first]} {pupil[last]}") for first, last in (
            ("legal_first_name", "legal_last_name"),
            ("preferred_first_name", "legal_last_name"),
            ("preferred_first_name", "preferred_last_name"),
            ("legal_first_name", "preferred_last_name")) if pupil.get(first) and pupil.get(last)}
        redactor = _Redactor(names, own)
        for item in data["observations"]:
            item["note"] = redactor.text(item["note"] or "", _(
                "observation of {date} ({skill}), note").format(
                date=item["observed_on"], skill=item["skill"])) or None
        for item in data["drafts"]:
            item["text"] = redactor.text(item["text"], _("unsaved draft note"))
        data["other_records"] = {
            table: [redactor.walk(row, table) for row in rows]
            for table, rows in data["other_records"].items()}
        audit = []
        for event in reversed(events):
            audit.append(redactor.walk({
                "sequence": event.sequence, "at": event.at.isoformat(timespec="seconds"),
                "login": event.login, "role": event.role, "action": event.action,
                "entity": event.entity_type, "entity_id": event.entity_id,
                "before": event.before, "after": event.after,
                "content_erased": event.content_erased}, _("audit event {n}").format(
                n=event.sequence)))
        bundle = {
            "format": FORMAT, "version": 1,
            "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "made_on": self._school.today().isoformat(),
            "school": self._school.name(), **data, "audit": audit,
            "redacted_notes": len(redactor.found),
            "unique_pupil_number": upn_statement(bool(upn)),
        }
        if upn and upn.strip():
            bundle = _withhold(bundle, upn.strip(), [])
        return bundle, redactor.found

    def write(self, admission_number: str, out_dir: Path,
              actor: Actor | None = None) -> SarResult:
        """Write ``sar-<adno>-<date>.json`` and ``.pdf`` and the staff's review list."""
        bundle, redactions = self.collect(admission_number, actor)
        safe = re.sub(r"[^A-Za-z0-9_-]", "_", admission_number)
        base = Path(out_dir) / f"sar-{safe}-{bundle['made_on']}"
        # A photo goes beside the JSON as its own image file, which the JSON names (base64 in
        # the JSON would be unreadable to a family, and meaningless in the PDF).
        photos: list[tuple[Path, bytes]] = []
        for index, row in enumerate(bundle["other_records"].get("pupil_photo", [])):
            image = row.get("image")
            if isinstance(image, dict) and "base64" in image:
                data = base64.b64decode(image["base64"])
                suffix = "" if index == 0 else f"-{index + 1}"
                path = base.with_name(f"{base.name}-photo{suffix}.jpg")
                row["image"] = path.name
                row["image_bytes"] = len(data)
                photos.append((path, data))
        # reportlab loads when a PDF is made, not at start-up (STACK.md §10).
        from skillsdesk.reports.sar import SarDocument, build_sar_pdf

        pdf = build_sar_pdf(SarDocument.from_bundle(bundle))
        review = [_("Subject access bundle for admission number {adno}: review before sending. "
                    "This list is for staff only; do not send it.").format(adno=admission_number),
                  ""]
        if redactions:
            review.append(_("Other pupils' names were replaced by \"{mark}\" in:").format(
                mark=REDACTED))
            review += [f"- {r.where}: {', '.join(r.names)}" for r in redactions]
        else:
            review.append(_("No other pupil's full name was found in the notes."))
        review.append("")
        review.append(_("Names written differently (a first name alone, a nickname, a "
                        "misspelling) are not found automatically: read the notes too."))
        paths = (base.with_suffix(".json"), base.with_suffix(".pdf"),
                 base.with_name(base.name + "-review.txt"))
        try:
            safefile.write_text(paths[0], json.dumps(bundle, ensure_ascii=False, indent=2,
                                                     default=str) + "\n")
            safefile.write_bytes(paths[1], pdf)
            safefile.write_text(paths[2], "\n".join(review) + "\n")
            for path, data in photos:
                safefile.write_bytes(path, data)
        except OSError as exc:
            raise UserError(_("The subject access bundle could not be written to {folder} "
                              "({reason}).").format(folder=out_dir,
                                                    reason=exc.strerror or exc)) from exc
        return SarResult(paths[0], paths[1], paths[2], len(bundle["observations"]),
                         len(bundle["audit"]), tuple(redactions),
                         photos[0][0] if photos else None)
