"""The anonymised trust audit export (journey J6): what leaves the school, and the zip it goes in.

``build`` gathers counts from storage (never names, numbers, dates of birth, notes or exact dates),
runs the step rule now and at the start of the academic year, and hands per-pupil facts to
``domain.audit_tables``, which suppresses small numbers. The result is exactly what the preview
shows and what ``save`` writes (``services.audit_package`` makes the files).

Careers activity counts, the benchmark self-audit and staff counts by role are about the school,
not about children, so they are published as they are: a staff headcount by role is already
public (the school workforce census), and no staff member's own figures are included. Staff
appraisal counts are not public, so ``domain.audit_appraisal`` suppresses them like pupil counts.

Schema version 2 added the staff appraisal table; version 1 files (without it) are still read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from skillsdesk import __version__
from skillsdesk.domain.audit_appraisal import appraisal_table
from skillsdesk.domain.audit_tables import (
    AuditFacts,
    Column,
    PupilFacts,
    SkillFacts,
    Table,
    build_tables,
)
from skillsdesk.domain.calendar import school_year_of
from skillsdesk.domain.careers import KINDS
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.records import ROLES, SETTINGS
from skillsdesk.domain.steprule import current_steps
from skillsdesk.domain.suppression import DEFAULT_MIN_CELL, check_min_cell
from skillsdesk.domain.yeargroups import YEAR_GROUPS
from skillsdesk.i18n import N_, _
from skillsdesk.services.context import Context
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.progress import ProgressService
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import appraisal as appraisal_repo
from skillsdesk.storage import audit_export as repo
from skillsdesk.storage import observations as obs_repo
from skillsdesk.storage.database import Store

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)  # what the trust report accepts; 1 has no staff_appraisal
FORMAT = "skillsdesk-audit-export"
BENCHMARK_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{1,2}$")
AUDIT_STATUSES = ("not-started", "in-progress", "achieved")


@dataclass(frozen=True)
class ExportSettings:
    min_cell: int = DEFAULT_MIN_CELL
    rounding: bool = False

    def __post_init__(self) -> None:
        check_min_cell(self.min_cell)

    @property
    def rounding_name(self) -> str:
        return "nearest-5" if self.rounding else "none"


@dataclass(frozen=True)
class ExportMeta:
    school: str
    urn: str | None
    trust: str | None
    academic_year: str
    term: str
    framework_code: str
    framework_name: str
    framework_version: str
    skillsdesk_version: str
    min_cell: int
    rounding: str
    created: dt.date
    skills: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (code, name)


@dataclass(frozen=True)
class AuditExport:
    meta: ExportMeta
    tables: tuple[Table, ...]
    suppressed_cells: int
    cells: int

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


@dataclass(frozen=True)
class SavedExport:
    path: Path
    files: tuple[str, ...]
    size: int


class AuditExportService:
    def __init__(self, store: Store, school: SchoolService, frameworks: FrameworkService,
                 progress: ProgressService, context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store
        self._school = school
        self._frameworks = frameworks
        self._progress = progress

    def build(self, settings: ExportSettings | None = None) -> AuditExport:
        """Every table that would leave the school, suppressed: the preview and the file."""
        self._context.require("trust.export")
        settings = settings or ExportSettings()
        today = self._school.today()
        year = school_year_of(today)
        framework = self._frameworks.current()
        skill_ids = [s.id for s in framework.skills]
        with self._store.read() as session:
            name, urn, trust = repo.school_details(session)
            pupils = repo.pupils_on_roll(session)
            now = obs_repo.step_evidence(session, skill_ids)
            start = obs_repo.step_evidence(session, skill_ids, before=year.starts_on)
            term_name, term_start, term_end = _term(repo.terms(session, year.label), today)
            observed = repo.observed_pairs(session, skill_ids, term_start, min(term_end, today))
            by_setting = repo.observations_by_setting(session, skill_ids, term_start,
                                                      min(term_end, today))
            encounters = repo.careers_encounters(session, year.starts_on, today)
            kinds, benchmarks = repo.careers_activity_counts(session, year.starts_on, today)
            audit_day, audit_entries = repo.latest_careers_audit(session, today)
            staff = repo.staff_by_role(session)
            cycles = appraisal_repo.cycle_counts(session, year.label)
            training = appraisal_repo.training_hours_by_role(session, year.starts_on, today)
        if not name:
            raise UserError(_("The school has no name yet; set it up before exporting."))
        rule = self._progress.rule()
        steps_now, steps_start = current_steps(now, rule), current_steps(start, rule)
        facts = AuditFacts(
            skills=tuple(SkillFacts(s.code, s.lowest, s.highest) for s in framework.skills),
            expected=dict(framework.expected),
            pupils=[PupilFacts(
                year_group=yg, gender=gender if gender in ("F", "M") else "other",
                sen=sen if sen in ("E", "K") else "N", pupil_premium=bool(pp), eal=bool(eal),
                now=tuple(steps_now.get((pid, sid)) for sid in skill_ids),
                start=tuple(steps_start.get((pid, sid)) for sid in skill_ids),
                observed=tuple((pid, sid) in observed for sid in skill_ids),
                encounters=encounters.get(pid, 0))
                for pid, yg, gender, sen, pp, eal in pupils if yg in YEAR_GROUPS],
            settings={k: v for k, v in by_setting.items() if k[1] in SETTINGS},
            setting_names=SETTINGS)
        tables, result = build_tables(facts, settings.min_cell, settings.rounding)
        appraisal = appraisal_table(cycles, training, staff, settings.min_cell, settings.rounding)
        tables += _school_tables(kinds, benchmarks, audit_day, audit_entries, staff, appraisal)
        meta = ExportMeta(
            school=name, urn=urn, trust=trust, academic_year=year.label, term=term_name,
            framework_code=framework.code, framework_name=framework.name,
            framework_version=framework.version, skillsdesk_version=__version__,
            min_cell=settings.min_cell, rounding=settings.rounding_name, created=today,
            skills=tuple((s.code, s.name) for s in framework.skills))
        hidden = sum(1 for key in result.hidden if key in result.values)  # counts, not sums
        cells = len(result.values)
        for column, *values in zip(appraisal.columns, *appraisal.rows, strict=True):
            if column.kind == "count":
                cells += len(values)
                hidden += values.count("c")
        return AuditExport(meta, tuple(tables), hidden, cells)

    def save(self, export: AuditExport, path: Path) -> SavedExport:
        """Write the zip (CSV, JSON, PDF summary, manifest) in one go through safefile."""
        from skillsdesk.services.audit_package import write_package

        self._context.require("trust.export")
        saved = write_package(export, Path(path))
        # A disclosure: who exported, when and with which settings (never what it held).
        with self._store.write() as session:
            self._context.audit(session, "trust.export", "export", saved.path.name, after={
                "min_cell": export.meta.min_cell, "rounding": export.meta.rounding})
        return saved

    def export(self, path: Path, settings: ExportSettings | None = None) -> SavedExport:
        return self.save(self.build(settings), path)


def _term(found: list[tuple[str, dt.date, dt.date]],
          today: dt.date) -> tuple[str, dt.date, dt.date]:
    """The term holding ``today`` (or the last one begun), from the school's own dates."""
    from skillsdesk.domain.calendar import default_terms

    terms = found or [(t.name, t.starts_on, t.ends_on)
                      for t in default_terms(school_year_of(today))]
    begun = [t for t in terms if t[1] <= today] or terms[:1]
    inside = [t for t in begun if t[2] >= today]
    return (inside or begun)[-1]


def _school_tables(kinds: dict[str, int], benchmarks: dict[str, int], audit_day: dt.date | None,
                   audit_entries: list[tuple[str, str]], staff: dict[str, int],
                   appraisal: Table) -> list[Table]:
    """Figures about the school rather than its pupils: activities, self-audit, staff appraisal
    (already suppressed) and, last, staff by role."""
    kind_rows: dict[str, int] = {}
    for kind, n in kinds.items():
        # Kinds are codes; anything else (free text from an older file) is only "other".
        key = kind if kind in KINDS else "other"
        kind_rows[key] = kind_rows.get(key, 0) + n
    bench_rows = sorted((code, n) for code, n in benchmarks.items() if BENCHMARK_CODE.match(code))
    status: dict[str, dict[str, int]] = {}
    for bench, state in audit_entries:
        if BENCHMARK_CODE.match(bench) and state in AUDIT_STATUSES:
            status.setdefault(bench, dict.fromkeys(AUDIT_STATUSES, 0))[state] += 1
    assessed = "" if audit_day is None else _term_label(audit_day)
    number = "number"
    return [
        Table("careers_activities_by_kind", N_("Careers activities this academic year by kind"),
              (Column("kind", N_("Kind"), "label"), Column("activities", N_("Activities"), number)),
              tuple((k, kind_rows[k]) for k in (*KINDS, "other") if k in kind_rows)),
        Table("careers_activities_by_benchmark",
              N_("Careers activities this academic year by benchmark"),
              (Column("benchmark", N_("Benchmark"), "label"),
               Column("activities", N_("Activities"), number)),
              tuple(bench_rows)),
        Table("careers_self_audit", N_("Latest careers benchmark self-audit: criteria by status"),
              (Column("benchmark", N_("Benchmark"), "label"),
               Column("assessed", N_("Assessed"), "label"),
               Column("not_started", N_("Not started"), number),
               Column("in_progress", N_("In progress"), number),
               Column("achieved", N_("Achieved"), number)),
              tuple((b, assessed, *(status[b][s] for s in AUDIT_STATUSES))
                    for b in sorted(status, key=lambda c: (len(c), c)))),
        appraisal,
        Table("staff", N_("Staff by role"),
              (Column("role", N_("Role"), "label"), Column("staff", N_("Staff"), number)),
              tuple((role, staff.get(role, 0)) for role in ROLES)),
    ]


def _term_label(day: dt.date) -> str:
    """A term and year ("Autumn 2026/27"): a school-level date, generalised all the same."""
    from skillsdesk.domain.calendar import term_of

    return f"{term_of(day)} {school_year_of(day).label}"

