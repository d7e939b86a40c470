"""Foundation benchmark (DESIGN.md §9, STACK.md §7): SkillsDesk beside raw SQLite, in one run.

Run on demand, never by pytest:
    /work/venv/bin/python tests/benchmarks/bench_foundation.py [--pupils 1500] [--years 7] [--quick]
Exits 1 if a budget is missed, so it can gate a release checklist.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3.dbapi2 as sqlite

from skillsdesk.domain.yeargroups import year_group_rank
from skillsdesk.services.container import Services, open_services
from skillsdesk.services.demo import build_demo
from skillsdesk.storage.database import DB_FILE

T = TypeVar("T")
TODAY = dt.date(2026, 11, 30)  # fixed, so every run builds the same school
FULL_DENSITY = 4.25  # calibrated: 1,500 pupils x 7 years -> about 1,000,000 observations
GRID_BUDGET = 2.0  # class grid within 2x of raw SQL (DESIGN.md §9)
IMPORT_BUDGET_S = 3.0  # 5,000-row pupil import (foundation issue)

# The step rule's default (secured judgement, or independently on two different days), in SQL.
SECURED_STEPS = """
    SELECT pupil_id, skill_id, step_number FROM observation
    WHERE deleted_at IS NULL AND skill_id IN ({skills}) {pupils}
    GROUP BY pupil_id, skill_id, step_number
    HAVING MAX(level) >= 3 OR COUNT(DISTINCT CASE WHEN level >= 2 THEN observed_on END) >= 2"""
CURRENT_SQL = "SELECT pupil_id, skill_id, MAX(step_number) FROM ({secured}) GROUP BY 1, 2"
DISTRIBUTION_SQL = """
    WITH cur AS (SELECT pupil_id, skill_id, MAX(step_number) AS step FROM ({secured}) GROUP BY 1, 2)
    SELECT p.year_group, s.code, cur.step, COUNT(*) FROM pupil p CROSS JOIN skill s
    LEFT JOIN cur ON cur.pupil_id = p.id AND cur.skill_id = s.id
    WHERE p.left_on IS NULL AND s.framework_id = ? GROUP BY 1, 2, 3"""
RAW_TABLE = """CREATE TABLE observation (id CHAR(32) PRIMARY KEY, pupil_id CHAR(32) NOT NULL,
    skill_id CHAR(32) NOT NULL, step_number INTEGER NOT NULL, observed_on DATE NOT NULL,
    setting VARCHAR(20) NOT NULL, level INTEGER NOT NULL, note TEXT, observer_id CHAR(32),
    source VARCHAR(10) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
    deleted_at DATETIME)"""
CSV_HEADERS = ["Admission Number", "Legal First Name", "Legal Last Name", "Year Group",
               "Registration Form", "Gender", "SEN Status", "Pupil Premium", "EAL", "Date of Birth"]


@dataclass(frozen=True)
class Line:
    what: str
    ours: float
    raw: float | None = None
    budget: float | None = None  # limit on ours/raw, or on ours itself (ms) if not budget_on_ratio
    budget_on_ratio: bool = True

    @property
    def ratio(self) -> float | None:
        return self.ours / self.raw if self.raw else None

    @property
    def ok(self) -> bool | None:
        if self.budget is None:
            return None
        value = self.ratio if self.budget_on_ratio else self.ours
        return value is not None and value <= self.budget


def num(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 \
        else f"{value:.2f}"


def print_table(lines: list[Line]) -> None:
    print(f"\n{'what':<36} {'SkillsDesk':>11} {'raw':>11} {'ratio':>7}   budget")
    for line in lines:
        budget = "-" if line.budget is None else \
            f"<= {line.budget:{'.1f' if line.budget_on_ratio else ',.0f'}}  " \
            f"{'ok' if line.ok else 'MISSED'}"
        ratio = "-" if line.ratio is None else f"{line.ratio:.2f}"
        print(f"{line.what:<36} {num(line.ours):>11} {num(line.raw):>11} {ratio:>7}   {budget}")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_ms(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    """Median wall time in ms after one warm-up call (first call pays for caches and compiling)."""
    ours_ms, _, result, _ = paired_ms(fn, lambda: None, runs)
    return ours_ms, result


def paired_ms(ours: Callable[[], T], raw: Callable[[], Any], runs: int
              ) -> tuple[float, float, T, Any]:
    """Medians in ms of ``ours`` and ``raw`` run alternately, so both see the same machine load."""
    mine, theirs = ours(), raw()  # warm-up: caches, statement compiling, page cache
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        seconds, mine = timed(ours)
        times[0].append(seconds)
        seconds, theirs = timed(raw)
        times[1].append(seconds)
    return (statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000, mine, theirs)


def raw_connect(path: Path) -> Any:
    """A bare driver connection with the app's durability pragmas (WAL + FULL)."""
    conn = sqlite.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def raw_insert_rate(path: Path, count: int) -> float:
    """rows/s for one executemany of ``count`` observation-shaped rows in one transaction."""
    rng = random.Random(7)
    pupils = [f"{rng.getrandbits(128):032x}" for _ in range(1500)]
    skills = [f"{rng.getrandbits(128):032x}" for _ in range(8)]
    days = [(dt.date(2020, 9, 1) + dt.timedelta(days=d)).isoformat() for d in range(2000)]
    settings = ("classroom", "playground", "lunchtime", "trip")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")

    def rows() -> Iterator[tuple[Any, ...]]:
        # Random 128-bit ids like uuid4, so the primary-key b-tree sees the same scattered inserts.
        for i in range(count):
            yield (f"{rng.getrandbits(128):032x}", pupils[i % 1500], skills[i // 7 % 8], i % 16,
                   days[i % 2000], settings[i % 4], 1 + i % 3, "Well done." if i % 8 == 0
                   else None, pupils[i % 50], "staff", now, now, None)

    conn = raw_connect(path)
    conn.execute(RAW_TABLE)
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO observation VALUES ({', '.join('?' * 13)})", rows())
    conn.execute("COMMIT")
    rate = count / (time.perf_counter() - start)
    conn.close()
    return rate


def pick_class(services: Services, size: int = 30) -> str:
    """The current-year class nearest ``size`` pupils, oldest year first (longest history)."""
    classes = services.school.classes()
    best = min(classes, key=lambda g: (abs(g.pupil_count - size),
                                       -year_group_rank(g.year_group or "6"), g.name))
    return best.name


def bench_grid(services: Services, db: Path, runs: int) -> Line:
    framework = services.frameworks.current()
    name = pick_class(services)
    pupils = services.school.pupils(group=name)  # fetched once: only the progress call is timed
    skill_hex = {s.code: s.id.hex for s in framework.skills}
    ids = [p.id.hex for p in pupils]  # Uuid columns are stored as 32-char hex on SQLite
    skills = list(skill_hex.values())
    sql = CURRENT_SQL.format(secured=SECURED_STEPS.format(
        skills=",".join("?" * len(skills)), pupils=f"AND pupil_id IN ({','.join('?' * len(ids))})"))
    conn = raw_connect(db)
    ours_ms, raw_ms, progress, rows = paired_ms(
        lambda: services.progress.for_pupils(framework, pupils),
        lambda: conn.execute(sql, skills + ids).fetchall(), runs)
    conn.close()
    ours = {(p.pupil.id.hex, skill_hex[s.skill]): s.current
            for p in progress for s in p.skills if s.current is not None}
    raw = {(pid, sid): step for pid, sid, step in rows}
    assert ours == raw, f"class grid differs from raw SQL: {len(ours)} vs {len(raw)} entries"
    print(f"class grid: {name}, {len(pupils)} pupils x {len(skills)} skills, "
          f"{len(ours)} current steps agree with raw SQL")
    return Line(f"class grid {len(pupils)}x{len(skills)} (ms)", ours_ms, raw_ms, GRID_BUDGET)


def bench_distribution(services: Services, db: Path, runs: int) -> Line:
    framework = services.frameworks.current()
    year = services.school.current_year()
    skills = [s.id.hex for s in framework.skills]
    sql = DISTRIBUTION_SQL.format(secured=SECURED_STEPS.format(
        skills=",".join("?" * len(skills)), pupils=""))
    conn = raw_connect(db)
    ours_ms, raw_ms, table, rows = paired_ms(
        lambda: services.progress.school_distribution(framework, year),
        lambda: conn.execute(sql, [*skills, framework.id.hex]).fetchall(), runs)
    conn.close()
    ours = {(yg, code, step): n for (yg, code), counts in table.items()
            for step, n in counts.items()}
    raw = {(yg, code, step): n for yg, code, step, n in rows}
    assert ours == raw, "school distribution differs from raw SQL"
    return Line("school distribution (ms)", ours_ms, raw_ms)


def write_pupil_csv(path: Path, count: int) -> None:
    """An MIS-style export: N1 to Year 6, six forms a year, some names with accents."""
    rng = random.Random(5)
    firsts = ["Amelia", "Oliver", "Siân", "Zoë", "Mohammed", "Isla", "Llŷr", "Noah", "Ava", "Leo"]
    lasts = ["Smith", "Jones", "Ó Briain", "Kowalczyk", "Patel", "ap Rhys", "Brontë-Evans", "Khan"]
    years = ["N1", "N2", "R", "1", "2", "3", "4", "5", "6"]
    forms = ["Oak", "Ash", "Elm", "Birch", "Rowan", "Willow"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(CSV_HEADERS)
        for i in range(count):
            rank = i % len(years)
            born = dt.date(2023 - rank, 9, 1) + dt.timedelta(days=rng.randint(0, 364))
            out.writerow([f"{100000 + i}", rng.choice(firsts), rng.choice(lasts), years[rank],
                          f"{years[rank]} {rng.choice(forms)}", rng.choice(["Male", "Female"]),
                          rng.choice("NNNNNKKE"), rng.choice(["Yes", "No", "No"]),
                          rng.choice("YNNN"), born.isoformat()])


def bench_import(folder: Path, count: int) -> list[Line]:
    path = folder / f"pupils_{count}.csv"
    write_pupil_csv(path, count)
    raw_ms, rows = median_ms(lambda: read_csv(path), 5)
    assert len(rows) == count
    services = open_services(folder / "fresh", today=TODAY)
    try:
        first_s, first = timed(lambda: services.pupils.import_file(path))
        again_s, again = timed(lambda: services.pupils.import_file(path))
    finally:
        services.close()
    assert len(first.added) == count and not first.skipped, "first import did not add everyone"
    assert again.added == () and again.unchanged == count, "second import changed something"
    return [Line(f"pupil import {count:,} rows (ms)", first_s * 1000, raw_ms,
                 IMPORT_BUDGET_S * 1000, budget_on_ratio=False),
            Line(f"pupil re-import {count:,} rows (ms)", again_s * 1000, raw_ms)]


def read_csv(path: Path) -> list[dict[str, str]]:
    """The raw reference for an import: the csv module alone, no checks, no database."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int)
    parser.add_argument("--years", type=int)
    parser.add_argument("--density", type=float, help="observations multiplier for the demo")
    parser.add_argument("--import-rows", type=int)
    parser.add_argument("--quick", action="store_true", help="small smoke run (~10 s)")
    args = parser.parse_args(argv)
    pupils = args.pupils or (300 if args.quick else 1500)
    years = args.years or (3 if args.quick else 7)
    density = args.density or (1.0 if args.quick else FULL_DENSITY)
    import_rows = args.import_rows or (1000 if args.quick else 5000)
    runs, dist_runs = (5, 2) if args.quick else (20, 5)
    started = time.perf_counter()
    lines: list[Line] = []
    with tempfile.TemporaryDirectory(prefix="skillsdesk-bench-") as tmp:
        folder = Path(tmp)
        school = folder / "school"
        print(f"building {pupils} pupils x {years} years (density {density}) in {school} ...")
        build_s, summary = timed(lambda: build_demo(school, pupils=pupils, years=years, seed=2026,
                                                    encrypted=False, density=density,
                                                    today=TODAY))
        size_mb = (school / DB_FILE).stat().st_size / 1e6
        print(f"demo: {summary.observations:,} observations, {summary.classes} classes, "
              f"{build_s:.1f} s, db {size_mb:.0f} MB")
        raw_rate = raw_insert_rate(folder / "raw.db", summary.observations)
        lines.append(Line("demo build (rows/s)", summary.observations / build_s, raw_rate))
        services = open_services(school, today=TODAY)
        try:
            lines.append(bench_grid(services, school / DB_FILE, runs))
            lines.append(bench_distribution(services, school / DB_FILE, dist_runs))
        finally:
            services.close()
        lines.extend(bench_import(folder, import_rows))
    # ru_maxrss is in KiB on Linux: the whole harness, raw reference included.
    lines.append(Line("peak RSS, whole run (MB)", resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024))
    print_table(lines)
    missed = [line.what for line in lines if line.ok is False]
    print(f"\n{time.perf_counter() - started:.0f} s in all; "
          + (f"MISSED: {', '.join(missed)}" if missed else "all budgets met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
