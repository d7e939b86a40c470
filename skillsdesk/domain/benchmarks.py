"""The primary careers benchmarks as data, and the self-audit arithmetic.

The benchmark list lives in ``resources/careers/primary-benchmarks.toml`` so a school or a future
update can change it without a release. It is checked in full (every problem with its field)
before anything uses it, like the framework files.

Audit arithmetic, per benchmark: the percentage is the share of its criteria *achieved*; the RAG
is green when every criterion is achieved, amber when any criterion is in progress or achieved,
red when nothing has started. A criterion the audit does not mention counts as not started.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillsdesk.domain.errors import Problem, UserError
from skillsdesk.i18n import N_, _

MAX_FILE_BYTES = 500_000
MAX_BENCHMARKS = 30
MAX_CRITERIA = 30
MAX_TEXT = 1_000
BENCHMARK_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")

NOT_STARTED, IN_PROGRESS, ACHIEVED = "not-started", "in-progress", "achieved"
STATUSES = (NOT_STARTED, IN_PROGRESS, ACHIEVED)
STATUS_LABELS = {NOT_STARTED: N_("Not started"), IN_PROGRESS: N_("In progress"),
                 ACHIEVED: N_("Achieved")}
RED, AMBER, GREEN = "red", "amber", "green"
RAG_LABELS = {RED: N_("Red"), AMBER: N_("Amber"), GREEN: N_("Green")}

_SET_KEYS = {"code", "name", "version", "note"}
_BENCHMARK_KEYS = {"code", "name", "intent", "criteria"}
_CRITERION_KEYS = {"code", "text"}


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str


@dataclass(frozen=True)
class Benchmark:
    code: str
    name: str
    intent: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class BenchmarkSet:
    code: str
    name: str
    version: str
    note: str
    benchmarks: tuple[Benchmark, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.benchmarks)

    def get(self, code: str) -> Benchmark | None:
        return next((b for b in self.benchmarks if b.code == code), None)

    def benchmark_of(self, criterion: str) -> str | None:
        for benchmark in self.benchmarks:
            if any(c.code == criterion for c in benchmark.criteria):
                return benchmark.code
        return None


@dataclass(frozen=True)
class AuditEntry:
    benchmark: str
    criterion: str
    status: str
    evidence: str = ""


@dataclass(frozen=True)
class BenchmarkResult:
    code: str
    name: str
    achieved: int
    in_progress: int
    total: int
    percentage: int
    rag: str


@dataclass(frozen=True)
class BenchmarkChange:
    code: str
    name: str
    before: BenchmarkResult | None
    after: BenchmarkResult
    criteria_changed: tuple[tuple[str, str, str], ...]  # (criterion, old status, new status)

    @property
    def points(self) -> int | None:
        return None if self.before is None else self.after.percentage - self.before.percentage


# -- reading the file ---------------------------------------------------------------------------
def read_benchmarks(path: Path) -> BenchmarkSet:
    """Read and check a benchmark file; raise UserError naming every problem, or return it."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(_("{file}: the file cannot be opened ({reason}).").format(
            file=name, reason=exc.strerror or exc)) from exc
    if size > MAX_FILE_BYTES:
        raise UserError(_("{file}: the file is too large to be a benchmark list.").format(
            file=name))
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(_("{file}: the file is not UTF-8 text.").format(file=name)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError(_("{file}: the file is not valid TOML ({reason}).").format(
            file=name, reason=exc)) from exc
    return parse_benchmarks(data, name)


def parse_benchmarks(data: dict[str, Any], source: str = "benchmarks") -> BenchmarkSet:
    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append(Problem(message=message, field=where))

    def text(table: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                add(f"{where}.{key}", _("is missing"))
            return ""
        if not isinstance(value, str):
            add(f"{where}.{key}", _("must be text"))
            return ""
        if required and not value.strip():
            add(f"{where}.{key}", _("must not be empty"))
        if len(value) > MAX_TEXT:
            add(f"{where}.{key}", _("is longer than {limit} characters").format(limit=MAX_TEXT))
        return value.strip()

    def unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            add(f"{where}.{key}", _("is not a key SkillsDesk knows"))

    head = data.get("set")
    if not isinstance(head, dict):
        raise UserError(_("{file}: there is no [set] table.").format(file=source))
    unknown(data, {"set", "benchmark"}, "file")
    unknown(head, _SET_KEYS, "set")
    set_code, set_name = text(head, "code", "set"), text(head, "name", "set")
    version = head.get("version")
    if isinstance(version, int) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip():
        add("set.version", _("is missing"))
        version = ""
    note = text(head, "note", "set", required=False)

    raw = data.get("benchmark")
    if not isinstance(raw, list) or not raw:
        add("benchmark", _("the file has no [[benchmark]] tables"))
        raw = []
    if len(raw) > MAX_BENCHMARKS:
        add("benchmark", _("more than {limit} benchmarks").format(limit=MAX_BENCHMARKS))
        raw = raw[:MAX_BENCHMARKS]
    benchmarks: list[Benchmark] = []
    codes: set[str] = set()
    criterion_codes: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = f"benchmark[{index}]"
        if not isinstance(item, dict):
            add(where, _("must be a table"))
            continue
        unknown(item, _BENCHMARK_KEYS, where)
        code = text(item, "code", where)
        if code and not BENCHMARK_CODE.match(code):
            add(f"{where}.code", _("must be capital letters and digits, like PB1"))
        if code in codes:
            add(f"{where}.code", _("'{code}' is used by another benchmark").format(code=code))
        codes.add(code)
        criteria: list[Criterion] = []
        raw_criteria = item.get("criteria")
        if not isinstance(raw_criteria, list) or not raw_criteria:
            add(f"{where}.criteria", _("the benchmark has no criteria"))
            raw_criteria = []
        if len(raw_criteria) > MAX_CRITERIA:
            add(f"{where}.criteria", _("more than {limit} criteria").format(limit=MAX_CRITERIA))
            raw_criteria = raw_criteria[:MAX_CRITERIA]
        for number, criterion in enumerate(raw_criteria, start=1):
            spot = f"{where}.criteria[{number}]"
            if not isinstance(criterion, dict):
                add(spot, _("must be a table"))
                continue
            unknown(criterion, _CRITERION_KEYS, spot)
            ccode = text(criterion, "code", spot)
            if ccode and code and not ccode.startswith(f"{code}."):
                add(f"{spot}.code", _("must start with '{prefix}'").format(prefix=f"{code}."))
            if ccode and ccode in criterion_codes:
                add(f"{spot}.code", _("'{code}' is used by another criterion").format(code=ccode))
            criterion_codes.add(ccode)
            criteria.append(Criterion(ccode, text(criterion, "text", spot)))
        benchmarks.append(Benchmark(code, text(item, "name", where), text(item, "intent", where),
                                    tuple(criteria)))
    if problems:
        raise UserError(_("{file} was not loaded: it has {count} problem(s).").format(
            file=source, count=len(problems)), problems)
    return BenchmarkSet(set_code, set_name, version.strip(), note, tuple(benchmarks))


# -- audit arithmetic ---------------------------------------------------------------------------
def rag_for(achieved: int, in_progress: int, total: int) -> str:
    if total and achieved >= total:
        return GREEN
    if achieved or in_progress:
        return AMBER
    return RED


def score(benchmarks: BenchmarkSet, entries: Iterable[AuditEntry]) -> list[BenchmarkResult]:
    """Percentage and RAG per benchmark, in the file's order."""
    status = {e.criterion: e.status for e in entries}
    results = []
    for benchmark in benchmarks.benchmarks:
        found = [status.get(c.code, NOT_STARTED) for c in benchmark.criteria]
        achieved, in_progress = found.count(ACHIEVED), found.count(IN_PROGRESS)
        total = len(found)
        percentage = round(100 * achieved / total) if total else 0
        results.append(BenchmarkResult(benchmark.code, benchmark.name, achieved, in_progress,
                                       total, percentage, rag_for(achieved, in_progress, total)))
    return results


def compare(benchmarks: BenchmarkSet, previous: Iterable[AuditEntry] | None,
            current: Iterable[AuditEntry]) -> list[BenchmarkChange]:
    """Each benchmark now and at the previous audit, with the criteria whose status moved."""
    current = list(current)
    before = None if previous is None else list(previous)
    now = score(benchmarks, current)
    then = None if before is None else score(benchmarks, before)
    old_status = {} if before is None else {e.criterion: e.status for e in before}
    new_status = {e.criterion: e.status for e in current}
    changes = []
    for index, benchmark in enumerate(benchmarks.benchmarks):
        moved = []
        if before is not None:
            for criterion in benchmark.criteria:
                a = old_status.get(criterion.code, NOT_STARTED)
                b = new_status.get(criterion.code, NOT_STARTED)
                if a != b:
                    moved.append((criterion.code, a, b))
        changes.append(BenchmarkChange(benchmark.code, benchmark.name,
                                       None if then is None else then[index], now[index],
                                       tuple(moved)))
    return changes


def check_entries(benchmarks: BenchmarkSet, entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Entries for criteria this list knows, with known statuses; UserError otherwise."""
    problems = []
    out = []
    seen: set[str] = set()
    for entry in entries:
        owner = benchmarks.benchmark_of(entry.criterion)
        if owner is None:
            problems.append(Problem(_("'{code}' is not a criterion of {name}").format(
                code=entry.criterion, name=benchmarks.name), field=entry.criterion))
            continue
        if entry.status not in STATUSES:
            problems.append(Problem(_("'{status}' is not a status; use {choices}").format(
                status=entry.status, choices=", ".join(STATUSES)), field=entry.criterion))
            continue
        if len(entry.evidence) > 5_000:
            problems.append(Problem(_("the evidence is longer than 5,000 characters"),
                                    field=entry.criterion))
            continue
        if entry.criterion in seen:
            problems.append(Problem(_("the criterion is given twice"), field=entry.criterion))
            continue
        seen.add(entry.criterion)
        out.append(AuditEntry(owner, entry.criterion, entry.status, entry.evidence.strip()))
    if problems:
        raise UserError(_("The self-audit was not saved: {n} problem(s).").format(
            n=len(problems)), problems)
    return out


# -- audits and the action plan as records ---------------------------------------------------
@dataclass(frozen=True)
class AuditInfo:
    id: uuid.UUID
    assessed_on: dt.date
    assessed_by_id: uuid.UUID | None
    assessed_by: str | None
    note: str
    entries: tuple[AuditEntry, ...]

    def entry(self, criterion: str) -> AuditEntry | None:
        return next((e for e in self.entries if e.criterion == criterion), None)


ACTION_STATUSES = (NOT_STARTED, IN_PROGRESS, "done")
ACTION_STATUS_LABELS = {NOT_STARTED: N_("Not started"), IN_PROGRESS: N_("In progress"),
                        "done": N_("Done")}


@dataclass(frozen=True)
class ActionDraft:
    benchmark: str
    action: str
    owner_id: uuid.UUID | None
    due_on: dt.date
    status: str = NOT_STARTED
    success_evidence: str = ""
    review_note: str = ""


@dataclass(frozen=True)
class ActionInfo:
    id: uuid.UUID
    benchmark: str
    action: str
    owner_id: uuid.UUID | None
    owner: str | None
    due_on: dt.date
    status: str
    success_evidence: str
    review_note: str
    done_on: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        """Past its due date and not done."""
        return self.status != "done" and self.due_on < today


def check_action(draft: ActionDraft, benchmarks: BenchmarkSet) -> list[Problem]:
    problems = []
    if benchmarks.get(draft.benchmark) is None:
        problems.append(Problem(_("'{code}' is not one of the benchmarks ({codes})").format(
            code=draft.benchmark, codes=", ".join(benchmarks.codes)), field=_("benchmark")))
    if not draft.action.strip():
        problems.append(Problem(_("say what will be done"), field=_("action")))
    elif len(draft.action) > 2_000:
        problems.append(Problem(_("is longer than 2,000 characters"), field=_("action")))
    if draft.status not in ACTION_STATUSES:
        problems.append(Problem(_("'{status}' is not a status; use {choices}").format(
            status=draft.status, choices=", ".join(ACTION_STATUSES)), field=_("status")))
    for name, value in ((_("success evidence"), draft.success_evidence),
                        (_("review note"), draft.review_note)):
        if len(value) > 5_000:
            problems.append(Problem(_("is longer than 5,000 characters"), field=name))
    return problems
