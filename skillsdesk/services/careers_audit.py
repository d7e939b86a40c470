"""The primary benchmark self-audit, the careers action plan and the careers report.

An audit is a dated snapshot: saving one never changes an earlier one (saving twice on the same
day replaces that day's). Its evidence is of two kinds: the free text written against each
criterion, and the activities logged for that benchmark in the audit's academic year up to the
audit date, found automatically from the activities log.

Changing the audit or the plan and writing the report need ``careers.audit`` (admin: the careers
lead); each change and each report written leaves an audit row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillsdesk import safefile
from skillsdesk.domain.benchmarks import (
    ActionDraft,
    ActionInfo,
    AuditEntry,
    AuditInfo,
    BenchmarkChange,
    check_action,
    check_entries,
    compare,
)
from skillsdesk.domain.calendar import school_year_of
from skillsdesk.domain.careers import ActivityInfo
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.i18n import _
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import careers_audit as repo
from skillsdesk.storage.database import Store

if TYPE_CHECKING:
    from skillsdesk.reports.careers_report import CareersReportData
    from skillsdesk.services.careers import CareersService


@dataclass(frozen=True)
class AuditView:
    """One audit (or a fresh start when there is none) with everything shown beside it."""

    audit: AuditInfo | None
    previous: AuditInfo | None
    assessed_on: dt.date
    changes: tuple[BenchmarkChange, ...]
    evidence: dict[str, tuple[ActivityInfo, ...]]  # benchmark -> linked activities


class CareersAuditService:
    def __init__(self, store: Store, school: SchoolService, careers: CareersService) -> None:
        self._store = store
        self._school = school
        self._careers = careers

    # -- self-audit -----------------------------------------------------------------------------
    def audits(self) -> list[AuditInfo]:
        """Every saved audit, newest first."""
        with self._store.read() as session:
            return repo.list_audits(session)

    def latest(self) -> AuditInfo | None:
        found = self.audits()
        return found[0] if found else None

    def save_audit(self, entries: Iterable[AuditEntry], assessed_on: dt.date | None = None,
                   assessed_by: uuid.UUID | None = None, note: str = "") -> AuditInfo:
        day = assessed_on or self._school.today()
        if day > self._school.today():
            raise UserError(_("The self-audit was not saved: {date} is after today.").format(
                date=day.isoformat()))
        if len(note) > 5_000:
            raise UserError(_("The self-audit was not saved: the note is longer than 5,000 "
                              "characters."))
        self._careers.context.require("careers.audit")
        checked = check_entries(self._careers.benchmarks(), entries)
        with self._store.write() as session:
            if assessed_by is not None and not repo.staff_exists(session, assessed_by):
                raise NotFound(_("The member of staff who assessed it no longer exists."))
            saved = repo.save_audit(session, day, checked, assessed_by, note)
            self._careers.context.audit(session, "careers.self_audit.save", "careers_audit",
                                        saved, after={"assessed_on": day.isoformat(),
                                                      "criteria": len(checked)})
        return next(a for a in self.audits() if a.id == saved)

    def delete_audit(self, audit_id: uuid.UUID) -> None:
        self._careers.context.require("careers.audit")
        with self._store.write() as session:
            if not repo.delete_audit(session, audit_id):
                raise NotFound(_("That self-audit no longer exists."))
            self._careers.context.audit(session, "careers.self_audit.delete", "careers_audit",
                                        audit_id)

    def evidence(self, on: dt.date) -> dict[str, tuple[ActivityInfo, ...]]:
        """Activities of ``on``'s academic year, up to ``on``, per benchmark they evidence."""
        span = school_year_of(on)
        found: dict[str, list[ActivityInfo]] = {}
        for activity in self._careers.activities(span.label):
            if activity.held_on <= on:
                for code in activity.benchmarks:
                    found.setdefault(code, []).append(activity)
        return {code: tuple(items) for code, items in found.items()}

    def view(self, audit_id: uuid.UUID | None = None) -> AuditView:
        """The chosen audit (default: the latest) against the one before it."""
        audits = self.audits()
        if audit_id is None:
            index = 0 if audits else None
        else:
            index = next((i for i, a in enumerate(audits) if a.id == audit_id), None)
            if index is None:
                raise NotFound(_("That self-audit no longer exists."))
        audit = None if index is None else audits[index]
        previous = audits[index + 1] if index is not None and index + 1 < len(audits) else None
        day = audit.assessed_on if audit else self._school.today()
        changes = compare(self._careers.benchmarks(),
                          None if previous is None else previous.entries,
                          audit.entries if audit else ())
        return AuditView(audit, previous, day, tuple(changes), self.evidence(day))

    def new_audit_view(self) -> AuditView:
        """A new audit for today, starting from the latest one's statuses and evidence text,
        with today's evidence from the log and the latest audit as the one to compare with."""
        latest = self.latest()
        today = self._school.today()
        entries = latest.entries if latest else ()
        changes = compare(self._careers.benchmarks(), entries if latest else None, entries)
        return AuditView(latest, latest, today, tuple(changes), self.evidence(today))

    # -- action plan ----------------------------------------------------------------------------
    def actions(self) -> list[ActionInfo]:
        """The whole plan, soonest due first."""
        with self._store.read() as session:
            return repo.list_actions(session)

    def overdue(self) -> list[ActionInfo]:
        today = self._school.today()
        return [a for a in self.actions() if a.overdue(today)]

    def add_action(self, draft: ActionDraft) -> ActionInfo:
        return self._save_action(draft, None)

    def update_action(self, action_id: uuid.UUID, draft: ActionDraft) -> ActionInfo:
        return self._save_action(draft, action_id)

    def delete_action(self, action_id: uuid.UUID) -> None:
        self._careers.context.require("careers.audit")
        with self._store.write() as session:
            if not repo.delete_action(session, action_id):
                raise NotFound(_("That action no longer exists."))
            self._careers.context.audit(session, "careers.action.delete", "careers_action",
                                        action_id)

    def _save_action(self, draft: ActionDraft, action_id: uuid.UUID | None) -> ActionInfo:
        self._careers.context.require("careers.audit")
        problems = check_action(draft, self._careers.benchmarks())
        if problems:
            raise UserError(_("The action was not saved: {n} problem(s).").format(
                n=len(problems)), problems)
        with self._store.write() as session:
            if draft.owner_id is not None and not repo.staff_exists(session, draft.owner_id):
                raise NotFound(_("The action's owner is not a member of staff here."))
            saved = repo.save_action(session, draft, self._school.today(), action_id)
            if saved is None:
                raise NotFound(_("That action no longer exists."))
            self._careers.context.audit(
                session, "careers.action.add" if action_id is None else "careers.action.edit",
                "careers_action", saved, after={"benchmark": draft.benchmark,
                                                "status": draft.status})
        return next(a for a in self.actions() if a.id == saved)

    # -- report and summary ---------------------------------------------------------------------
    def report_data(self, year: str | None = None) -> CareersReportData:
        """Everything the report shows, for an academic year (default: this one)."""
        span = self._careers.school_year(year)
        in_year = [a for a in self.audits() if span.contains(a.assessed_on)]
        view = self.view(in_year[0].id) if in_year else None
        if view is None:  # no audit that year: an empty one, judged against nothing
            changes = tuple(compare(self._careers.benchmarks(), None, ()))
            evidence = self.evidence(min(span.ends_on, self._school.today()))
            audit, previous = None, None
        else:
            changes, evidence = view.changes, view.evidence
            audit, previous = view.audit, view.previous
        # reportlab loads when a PDF is made, not at start-up (STACK.md §10).
        from skillsdesk.reports.careers_report import CareersReportData

        return CareersReportData(
            school=self._school.name() or _("Your school"), year=span.label,
            generated_on=self._school.today(), benchmarks=self._careers.benchmarks(),
            audit=audit, previous_on=previous.assessed_on if previous else None,
            changes=changes, evidence=evidence, actions=tuple(self.actions()),
            coverage=self._careers.coverage(span.label),
            chart=self._careers.aspiration_chart(span.label))

    def write_report(self, path: Path, year: str | None = None) -> Path:
        from skillsdesk.reports.careers_report import build_careers_report

        self._careers.context.require("careers.audit")
        data = self.report_data(year)
        pdf = build_careers_report(data)
        try:
            safefile.write_bytes(Path(path), pdf)
        except OSError as exc:
            raise UserError(_("{file} could not be written ({reason}).").format(
                file=path, reason=exc.strerror or exc)) from exc
        with self._store.write() as session:  # an export: who wrote which year's report
            self._careers.context.audit(session, "careers.report", "file", Path(path).name,
                                        after={"year": data.year})
        return Path(path)

    def summary(self, year: str | None = None) -> dict[str, Any]:
        """Counts and statuses only (no pupil, no free text), for the trust export."""
        data = self.report_data(year)
        return {
            "year": data.year,
            "audit_date": data.audit.assessed_on.isoformat() if data.audit else None,
            "benchmarks": {c.code: {"rag": c.after.rag, "percentage": c.after.percentage}
                           for c in data.changes},
            "activities": data.coverage.activities,
            "meaningful_activities": data.coverage.meaningful,
            "activities_by_benchmark": {c.code: len(data.evidence.get(c.code, ()))
                                        for c in data.changes},
            "actions": len(data.actions),
            "actions_overdue": sum(1 for a in data.actions if a.overdue(data.generated_on)),
        }
