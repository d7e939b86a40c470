"""Benchmark self-audits (dated snapshots), the action plan and pupils' aspirations."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, select

from skillsdesk.domain.benchmarks import ActionDraft, ActionInfo, AuditEntry, AuditInfo
from skillsdesk.domain.careers import AspirationInfo
from skillsdesk.storage.tables import AcademicYear, Pupil, Staff
from skillsdesk.storage.tables_careers import (
    CareersAction,
    CareersAspiration,
    CareersAudit,
    CareersAuditEntry,
)


# -- audits -------------------------------------------------------------------------------------
def save_audit(session: Session, assessed_on: dt.date, entries: Iterable[AuditEntry],
               assessed_by_id: uuid.UUID | None = None, note: str = "") -> uuid.UUID:
    """Store the audit for ``assessed_on``; an audit already held for that day is replaced."""
    row = session.exec(select(CareersAudit).where(CareersAudit.assessed_on == assessed_on)).first()
    if row is None:
        row = CareersAudit(assessed_on=assessed_on)
    row.assessed_by_id, row.note = assessed_by_id, note.strip()
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)
    session.flush()
    session.execute(delete(CareersAuditEntry).where(CareersAuditEntry.audit_id == row.id))
    for entry in entries:
        session.add(CareersAuditEntry(audit_id=row.id, criterion=entry.criterion,
                                      benchmark=entry.benchmark, status=entry.status,
                                      evidence=entry.evidence))
    session.flush()
    return row.id


def delete_audit(session: Session, audit_id: uuid.UUID) -> bool:
    row = session.get(CareersAudit, audit_id)
    if row is None:
        return False
    session.execute(delete(CareersAuditEntry).where(CareersAuditEntry.audit_id == audit_id))
    session.delete(row)
    return True


def list_audits(session: Session) -> list[AuditInfo]:
    """Every audit, newest first, with its entries."""
    rows = session.exec(select(CareersAudit, Staff.name)
                        .outerjoin(Staff, Staff.id == CareersAudit.assessed_by_id)
                        .order_by(CareersAudit.assessed_on.desc())).all()
    entries: dict[uuid.UUID, list[AuditEntry]] = {}
    for entry in session.exec(select(CareersAuditEntry)):
        entries.setdefault(entry.audit_id, []).append(
            AuditEntry(entry.benchmark, entry.criterion, entry.status, entry.evidence))
    return [AuditInfo(row.id, row.assessed_on, row.assessed_by_id, name, row.note,
                      tuple(sorted(entries.get(row.id, []), key=lambda e: e.criterion)))
            for row, name in rows]


# -- action plan --------------------------------------------------------------------------------
def save_action(session: Session, draft: ActionDraft, today: dt.date,
                action_id: uuid.UUID | None = None) -> uuid.UUID | None:
    """Insert or update an action; None when ``action_id`` names no action."""
    if action_id is None:
        row = CareersAction(benchmark=draft.benchmark, action=draft.action, due_on=draft.due_on)
    else:
        found = session.get(CareersAction, action_id)
        if found is None:
            return None
        row = found
    was_done = row.status == "done" and action_id is not None
    row.benchmark, row.action = draft.benchmark, draft.action.strip()
    row.owner_id, row.due_on, row.status = draft.owner_id, draft.due_on, draft.status
    row.success_evidence = draft.success_evidence.strip()
    row.review_note = draft.review_note.strip()
    # The day it was marked done, kept while it stays done.
    row.done_on = (row.done_on if was_done else today) if draft.status == "done" else None
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)
    session.flush()
    return row.id


def delete_action(session: Session, action_id: uuid.UUID) -> bool:
    row = session.get(CareersAction, action_id)
    if row is None:
        return False
    session.delete(row)
    return True


def list_actions(session: Session) -> list[ActionInfo]:
    rows = session.exec(select(CareersAction, Staff.name)
                        .outerjoin(Staff, Staff.id == CareersAction.owner_id)
                        .order_by(CareersAction.due_on, CareersAction.benchmark)).all()
    return [ActionInfo(r.id, r.benchmark, r.action, r.owner_id, name, r.due_on, r.status,
                       r.success_evidence, r.review_note, r.done_on) for r, name in rows]


def staff_exists(session: Session, staff_id: uuid.UUID) -> bool:
    return session.get(Staff, staff_id) is not None


# -- aspirations --------------------------------------------------------------------------------
def year_id(session: Session, label: str) -> uuid.UUID | None:
    return session.exec(select(AcademicYear.id).where(AcademicYear.label == label)).first()


def pupil_year_group(session: Session, pupil_id: uuid.UUID) -> str | None:
    return session.exec(select(Pupil.year_group).where(Pupil.id == pupil_id)).first()


def save_aspiration(session: Session, pupil_id: uuid.UUID, academic_year_id: uuid.UUID,
                    recorded_on: dt.date, year_group: str, text: str, area: str) -> bool:
    """Record or replace a pupil's aspiration for the year; True when it was new."""
    row = session.exec(select(CareersAspiration).where(
        CareersAspiration.pupil_id == pupil_id,
        CareersAspiration.academic_year_id == academic_year_id)).first()
    created = row is None
    if row is None:
        row = CareersAspiration(pupil_id=pupil_id, academic_year_id=academic_year_id,
                                recorded_on=recorded_on, year_group=year_group, text=text,
                                area=area)
    row.recorded_on, row.year_group, row.text, row.area = recorded_on, year_group, text, area
    session.add(row)
    return created


def insert_aspirations(session: Session, academic_year_id: uuid.UUID,
                       rows: Iterable[dict[str, Any]]) -> int:
    """Bulk insert for a year nobody has recorded yet (the demo school); keys as the table's."""
    batch = [{"id": uuid.uuid4(), "academic_year_id": academic_year_id, **row} for row in rows]
    if batch:
        session.execute(insert(CareersAspiration), batch)
    return len(batch)


def delete_aspiration(session: Session, pupil_id: uuid.UUID, academic_year_id: uuid.UUID) -> bool:
    result = session.execute(delete(CareersAspiration).where(
        CareersAspiration.pupil_id == pupil_id,
        CareersAspiration.academic_year_id == academic_year_id))
    return bool(getattr(result, "rowcount", 0))


def list_aspirations(session: Session, year_label: str) -> list[AspirationInfo]:
    rows = session.exec(
        select(CareersAspiration, Pupil.admission_number, Pupil.preferred_first_name,
               Pupil.legal_first_name, Pupil.preferred_last_name, Pupil.legal_last_name,
               Pupil.gender)
        .join(Pupil, Pupil.id == CareersAspiration.pupil_id)
        .join(AcademicYear, AcademicYear.id == CareersAspiration.academic_year_id)
        .where(AcademicYear.label == year_label, Pupil.left_on.is_(None))).all()
    return [AspirationInfo(row.pupil_id, adno, f"{pfirst or lfirst} {plast or llast}",
                           row.year_group, gender, row.text, row.area, row.recorded_on,
                           year_label)
            for row, adno, pfirst, lfirst, plast, llast, gender in rows]
