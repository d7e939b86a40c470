"""Erasure of one pupil's data, and the leavers' retention period (RELIABILITY.md G20).

An erasure is one transaction: every row about the pupil goes (observations, class and group
memberships, targets, notes, drafts, the pupil), the before/after content of their audit events
is removed, and one event says "pupil #id erased by X" with no content. ``secure_delete`` is on
for every connection, so the deleted bytes are zeroed in the pages; the WAL, which can still hold
older copies of those pages, is then checkpointed and truncated. A verified backup is made first
(it still holds the pupil), so the result says when the rotation will have removed every backup
that exists now.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, PermissionDenied, can, require
from skillsdesk.domain.records import PupilInfo
from skillsdesk.i18n import _
from skillsdesk.services.backups import BackupInfo, backup_before, service_for
from skillsdesk.services.context import Context
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import backup as backup_repo
from skillsdesk.storage import pupil_records as records
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store

RETENTION_SETTING = "retention.leaver_months"
DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 25 * 12


@dataclass(frozen=True)
class ErasureResult:
    pupil_id: uuid.UUID
    admission_number: str
    rows: dict[str, int]  # rows deleted per table
    backup: BackupInfo
    backups_age_out_on: dt.date | None
    wal_truncated: bool


@dataclass(frozen=True)
class LeaverDue:
    pupil_id: uuid.UUID
    admission_number: str
    name: str
    left_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class PupilFound:
    """A pupil on roll or a leaver, as the erasure and subject access screens list them."""

    pupil_id: uuid.UUID
    admission_number: str
    name: str
    year_group: str | None
    left_on: dt.date | None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has at least 28 days")


class ErasureService:
    def __init__(self, store: Store, school: SchoolService,
                 context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store
        self._school = school

    def erase(self, admission_number: str, actor: Actor | None = None) -> ErasureResult:
        actor = actor or self._context.actor
        if actor is not None:
            require(actor, "erase")
        with self._store.read() as session:
            pupil_id = records.pupil_by_admission(session, admission_number)["id"]
        made = backup_before(self._store, "erase")
        with self._store.write() as session:
            rows = records.erase(session, pupil_id)
            audit_repo.erase_content(session, pupil_id)
            audit_repo.record(session, actor, "pupil.erase", "pupil", pupil_id, pupil_id=pupil_id)
        return ErasureResult(pupil_id, admission_number, rows, made,
                             service_for(self._store).ages_out_on(), self._truncate_wal())

    def _truncate_wal(self) -> bool:
        # A reader still on an old snapshot keeps the WAL from being reset; readers are short,
        # so a few tries a moment apart are enough.
        for _attempt in range(10):
            busy, _log, _copied = backup_repo.checkpoint(self._store.engines)
            if not busy:
                return True
            time.sleep(0.05)
        return False

    def retention_months(self) -> int:
        with self._store.read() as session:
            value = school_repo.get_setting(session, RETENTION_SETTING, DEFAULT_RETENTION_MONTHS)
        return int(value)

    def set_retention_months(self, months: int, actor: Actor | None = None) -> None:
        actor = actor or self._context.actor
        if actor is not None:
            require(actor, "settings")
        if not 1 <= months <= MAX_RETENTION_MONTHS:
            raise UserError(_("Keep leavers' records for 1 to {most} months.").format(
                most=MAX_RETENTION_MONTHS))
        with self._store.write() as session:
            school_repo.set_setting(session, RETENTION_SETTING, int(months))

    def leavers_due(self, today: dt.date | None = None) -> list[LeaverDue]:
        """Leavers whose retention period has ended: to be offered for erasure."""
        today = today or self._school.today()
        months = self.retention_months()
        with self._store.read() as session:
            found = records.leavers(session)
        due = []
        for row in found:
            ends = add_months(row["left_on"], months)
            if ends <= today:
                due.append(LeaverDue(row["id"], row["admission_number"],
                                     f"{row['first_name']} {row['last_name']}", row["left_on"],
                                     ends))
        return due

    def _may_find(self, actor: Actor | None) -> None:
        actor = actor or self._context.actor
        if actor is not None and not (can(actor.role, "erase") or can(actor.role, "sar")):
            raise PermissionDenied(actor, "erase")

    def find(self, text: str, limit: int = 50, actor: Actor | None = None) -> list[PupilFound]:
        """Pupils on roll and leavers whose name or admission number contains ``text``
        (any case); an exact admission number first. For choosing whom to erase or whose
        records to send, so only those who may do either can look."""
        self._may_find(actor)
        wanted = " ".join(text.split()).casefold()
        if not wanted:
            return []
        with self._store.read() as session:
            on_roll = pupil_repo.list_pupils(session, self._school.current_year())
            left = records.leavers(session)
        found = [PupilFound(p.id, p.admission_number, p.display_name, p.year_group, None)
                 for p in on_roll]
        found += [PupilFound(r["id"], r["admission_number"],
                             f"{r['first_name']} {r['last_name']}", None, r["left_on"])
                  for r in left]
        hits = [p for p in found if wanted in p.name.casefold()
                or wanted in p.admission_number.casefold()]
        hits.sort(key=lambda p: (p.admission_number.casefold() != wanted,
                                 p.name.casefold(), p.admission_number))
        return hits[:limit]

    def pupil_info(self, admission_number: str, actor: Actor | None = None) -> PupilInfo:
        """One pupil, on roll or a leaver, as the passport service takes them (to print a
        leaver's passport before erasure)."""
        self._may_find(actor)
        with self._store.read() as session:
            row = records.pupil_by_admission(session, admission_number)
        return PupilInfo(
            id=row["id"], admission_number=row["admission_number"],
            first_name=row["preferred_first_name"] or row["legal_first_name"],
            last_name=row["preferred_last_name"] or row["legal_last_name"],
            legal_first_name=row["legal_first_name"], legal_last_name=row["legal_last_name"],
            year_group=row["year_group"], class_name=None, gender=row["gender"],
            sen=row["sen"], pupil_premium=row["pupil_premium"], eal=row["eal"],
            first_language=row["first_language"])
