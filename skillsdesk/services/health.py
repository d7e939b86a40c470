"""``skillsdesk check``: is the database sound, set up safely, and is its audit trail whole?

Integrity is SQLite's full ``integrity_check`` plus ``foreign_key_check``; configuration is the
pragmas every connection must carry (RELIABILITY.md G3) and the SQLite library against the
WAL-reset bug gate; the audit chain is re-hashed from the first event (G18). Each problem is a
sentence; no problem means the report is ``ok``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillsdesk.i18n import _
from skillsdesk.services.backups import BackupInfo, service_for
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import recovery
from skillsdesk.storage.database import Store
from skillsdesk.storage.engine import storage_settings
from skillsdesk.storage.instance import location_warning

# What every connection must report (G3): WAL, synchronous FULL, foreign keys and secure delete
# on, temporary data in memory.
EXPECTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1,
            "temp_store": 2}


@dataclass(frozen=True)
class HealthReport:
    database: Path
    integrity: str
    foreign_key_problems: int
    settings: dict[str, Any]
    audit_events: int
    audit_first_break: int | None
    location: str | None
    newest_backup: BackupInfo | None
    backups: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        s = self.settings
        out = [_("Database: {file}").format(file=self.database),
               _("Integrity: {result}").format(result=self.integrity),
               _("Foreign keys: {n} problems").format(n=self.foreign_key_problems),
               _("Journal mode: {mode}; synchronous: {sync}; foreign keys: {fk}; secure delete: "
                 "{sd}; temp store: {ts}").format(
                   mode=s["journal_mode"], sync=s["synchronous"], fk=s["foreign_keys"],
                   sd=s["secure_delete"], ts=s["temp_store"]),
               _("SQLite {version}: {verdict}").format(
                   version=s["sqlite_version"],
                   verdict=_("WAL-reset bug fixed") if s["wal_reset_bug_fixed"]
                   else _("HAS THE WAL-RESET BUG"))]
        if self.audit_first_break is None:
            out.append(_("Audit trail: {n} events, chain intact").format(n=self.audit_events))
        else:
            out.append(_("Audit trail: {n} events, chain BROKEN at event {seq}").format(
                n=self.audit_events, seq=self.audit_first_break))
        if self.newest_backup is None:
            out.append(_("Backups: none yet"))
        else:
            out.append(_("Backups: {n}; newest verified {file}").format(
                n=self.backups, file=self.newest_backup.path.name))
        if self.location:
            out.append(_("Location: {warning}").format(warning=self.location))
        out.append(_("Result: ok") if self.ok else _("Result: {n} problem(s)").format(
            n=len(self.problems)))
        out.extend(f"  - {p}" for p in self.problems)
        return out


def check(store: Store) -> HealthReport:
    settings = storage_settings(store.engines.writer)
    integrity, fk_problems = recovery.integrity(store.engines.reader)
    with store.read() as session:
        first_break = audit_repo.verify_chain(session)
        head = audit_repo.head(session)
    backups = service_for(store).list()
    newest = next((b for b in backups if b.verified), None)
    location = location_warning(store.path.parent)
    problems = []
    if integrity != "ok":
        problems.append(_("SQLite's integrity check reports damage: {result}").format(
            result=integrity))
    if fk_problems:
        problems.append(_("{n} rows point at records that do not exist.").format(n=fk_problems))
    for name, wanted in EXPECTED.items():
        if settings[name] != wanted:
            problems.append(_("{name} is {found}, not {wanted}.").format(
                name=name, found=settings[name], wanted=wanted))
    if not settings["wal_reset_bug_fixed"]:
        problems.append(_("This SQLite library can corrupt a database (the WAL-reset bug); "
                          "update SkillsDesk."))
    if first_break is not None:
        problems.append(_("The audit trail was changed outside SkillsDesk at event {seq}.")
                        .format(seq=first_break))
    if location:
        problems.append(location)
    if newest is None:
        problems.append(_("There is no verified backup yet: run skillsdesk backup."))
    return HealthReport(store.path, integrity, fk_problems, settings,
                        0 if head is None else head[0], first_break, location, newest,
                        len(backups), tuple(problems))
