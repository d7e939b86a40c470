"""Aggregate reads for the anonymised trust export (journey J6).

Nothing here returns a name, an admission number, a UPN, a date of birth, a note or an exact
observation date: pupils come back as an opaque id (used only to join figures in memory) with
their year group and characteristics, and everything else is a count. The step rule's own
aggregate is ``observations.step_evidence``; this module adds the counts the export needs
besides. (``storage/audit.py`` is the audit trail, a different thing.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

from sqlalchemy import func
from sqlmodel import Session, select

from skillsdesk.storage.tables import AcademicYear, Observation, Pupil, School, Staff, Term
from skillsdesk.storage.tables_careers import (
    CareersActivity,
    CareersActivityBenchmark,
    CareersActivityPupil,
    CareersAudit,
    CareersAuditEntry,
)

PupilRow = tuple[uuid.UUID, str, str | None, str, bool, bool]


def school_details(session: Session) -> tuple[str | None, str | None, str | None]:
    """(name, URN, trust name) of the school, or Nones before it has been set up."""
    row = session.exec(select(School)).first()
    return (None, None, None) if row is None else (row.name, row.urn, row.trust_name)


def pupils_on_roll(session: Session) -> list[PupilRow]:
    """(id, year group, gender, SEN, pupil premium, EAL) of every pupil on roll."""
    rows = session.exec(select(Pupil.id, Pupil.year_group, Pupil.gender, Pupil.sen,
                               Pupil.pupil_premium, Pupil.eal).where(Pupil.left_on.is_(None)))
    return [tuple(r) for r in rows]  # type: ignore[misc]


def terms(session: Session, year_label: str) -> list[tuple[str, dt.date, dt.date]]:
    rows = session.exec(select(Term.name, Term.starts_on, Term.ends_on)
                        .join(AcademicYear, AcademicYear.id == Term.academic_year_id)
                        .where(AcademicYear.label == year_label).order_by(Term.starts_on))
    return [tuple(r) for r in rows]  # type: ignore[misc]


def observed_pairs(session: Session, skill_ids: list[uuid.UUID], start: dt.date,
                   end: dt.date) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(pupil, skill) pairs with at least one live observation from ``start`` to ``end``."""
    rows = session.exec(select(Observation.pupil_id, Observation.skill_id).distinct()
                        .where(Observation.deleted_at.is_(None),
                               Observation.skill_id.in_(skill_ids),
                               Observation.observed_on >= start, Observation.observed_on <= end))
    return {(p, s) for p, s in rows}


def observations_by_setting(session: Session, skill_ids: list[uuid.UUID], start: dt.date,
                            end: dt.date) -> dict[tuple[str, str], int]:
    """(year group, setting) -> live observations of pupils on roll from ``start`` to ``end``."""
    rows = session.exec(
        select(Pupil.year_group, Observation.setting, func.count())
        .join(Pupil, Pupil.id == Observation.pupil_id)
        .where(Observation.deleted_at.is_(None), Observation.skill_id.in_(skill_ids),
               Observation.observed_on >= start, Observation.observed_on <= end,
               Pupil.left_on.is_(None))
        .group_by(Pupil.year_group, Observation.setting))
    return {(yg, setting): int(n) for yg, setting, n in rows}


def careers_encounters(session: Session, start: dt.date, end: dt.date) -> dict[uuid.UUID, int]:
    """Pupil -> careers activities taken part in from ``start`` to ``end``."""
    rows = session.exec(
        select(CareersActivityPupil.pupil_id, func.count(func.distinct(CareersActivity.id)))
        .join(CareersActivity, CareersActivity.id == CareersActivityPupil.activity_id)
        .where(CareersActivity.held_on >= start, CareersActivity.held_on <= end)
        .group_by(CareersActivityPupil.pupil_id))
    return {pid: int(n) for pid, n in rows}


def careers_activity_counts(session: Session, start: dt.date, end: dt.date
                            ) -> tuple[Counter[str], Counter[str]]:
    """Activities from ``start`` to ``end``: by kind, and by benchmark evidenced."""
    kinds: Counter[str] = Counter()
    for kind, n in session.exec(
            select(CareersActivity.kind, func.count())
            .where(CareersActivity.held_on >= start, CareersActivity.held_on <= end)
            .group_by(CareersActivity.kind)):
        kinds[kind] += int(n)
    benchmarks: Counter[str] = Counter()
    for code, n in session.exec(
            select(CareersActivityBenchmark.benchmark,
                   func.count(func.distinct(CareersActivity.id)))
            .join(CareersActivity, CareersActivity.id == CareersActivityBenchmark.activity_id)
            .where(CareersActivity.held_on >= start, CareersActivity.held_on <= end)
            .group_by(CareersActivityBenchmark.benchmark)):
        benchmarks[code] += int(n)
    return kinds, benchmarks


def latest_careers_audit(session: Session, on_or_before: dt.date
                         ) -> tuple[dt.date | None, list[tuple[str, str]]]:
    """The newest benchmark self-audit: its day and (benchmark, status) per criterion."""
    audit = session.exec(select(CareersAudit.id, CareersAudit.assessed_on)
                         .where(CareersAudit.assessed_on <= on_or_before)
                         .order_by(CareersAudit.assessed_on.desc())).first()
    if audit is None:
        return None, []
    rows = session.exec(select(CareersAuditEntry.benchmark, CareersAuditEntry.status)
                        .where(CareersAuditEntry.audit_id == audit[0]))
    return audit[1], [(b, s) for b, s in rows]


def staff_by_role(session: Session) -> dict[str, int]:
    rows = session.exec(select(Staff.role, func.count()).where(Staff.active == True)  # noqa: E712
                        .group_by(Staff.role))
    return {role: int(n) for role, n in rows}
