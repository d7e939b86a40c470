"""Trust export benchmark (DESIGN.md §9): the whole anonymised export beside the raw SQL aggregate.

Run on demand, never by pytest:
    /work/venv/bin/python tests/benchmarks/bench_trust_export.py [--quick] [--pupils N] [--years Y]
Exits 1 if the export takes more than 3x the raw aggregate.

"Raw" is the aggregate a hand-written report would start from, as plain SQL through the driver:
per year group, skill and combination of characteristics, how many pupils are at each current
step, at each step at the start of the year and seen this term, plus observations by setting.
"Ours" is ``audit_export.export``: the same reads through the app's storage layer, the step rule,
suppression with its exact check, the CSV and JSON files, the PDF summary, the manifest and the zip.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_foundation import FULL_DENSITY, TODAY, Line, paired_ms, print_table, raw_connect, timed

from skillsdesk.services.container import open_services
from skillsdesk.services.demo import build_demo
from skillsdesk.storage.database import DB_FILE

BUDGET = 3.0

SECURED = """SELECT pupil_id, skill_id, step_number FROM observation
    WHERE deleted_at IS NULL AND skill_id IN ({skills}) {before}
    GROUP BY pupil_id, skill_id, step_number
    HAVING MAX(level) >= 3 OR COUNT(DISTINCT CASE WHEN level >= 2 THEN observed_on END) >= 2"""
AGGREGATE = """
WITH now AS (SELECT pupil_id, skill_id, MAX(step_number) AS step FROM ({now}) GROUP BY 1, 2),
start AS (SELECT pupil_id, skill_id, MAX(step_number) AS step FROM ({start}) GROUP BY 1, 2),
seen AS (SELECT DISTINCT pupil_id, skill_id FROM observation
         WHERE deleted_at IS NULL AND observed_on BETWEEN ? AND ?)
SELECT p.year_group, s.code, p.gender, p.sen, p.pupil_premium, p.eal, now.step, start.step,
       seen.pupil_id IS NOT NULL, COUNT(*)
FROM pupil p CROSS JOIN skill s
LEFT JOIN now ON now.pupil_id = p.id AND now.skill_id = s.id
LEFT JOIN start ON start.pupil_id = p.id AND start.skill_id = s.id
LEFT JOIN seen ON seen.pupil_id = p.id AND seen.skill_id = s.id
WHERE p.left_on IS NULL AND s.framework_id = ?
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"""
SETTINGS = """SELECT p.year_group, o.setting, COUNT(*) FROM observation o
JOIN pupil p ON p.id = o.pupil_id
WHERE o.deleted_at IS NULL AND p.left_on IS NULL AND o.observed_on BETWEEN ? AND ?
GROUP BY 1, 2"""


def raw_aggregate(conn: Any, skills: list[str], framework: str, year_start: dt.date,
                  term: tuple[dt.date, dt.date]) -> tuple[list[Any], list[Any]]:
    marks = ",".join("?" * len(skills))
    sql = AGGREGATE.format(now=SECURED.format(skills=marks, before=""),
                           start=SECURED.format(skills=marks, before="AND observed_on < ?"))
    rows = conn.execute(sql, [*skills, *skills, year_start.isoformat(), term[0].isoformat(),
                              term[1].isoformat(), framework]).fetchall()
    settings = conn.execute(SETTINGS, [term[0].isoformat(), term[1].isoformat()]).fetchall()
    return rows, settings


def check_agreement(export: Any, rows: list[Any], expected: dict[str, int]) -> int:
    """Every figure the export shows for all pupils at or above expected matches raw SQL."""
    raw: dict[tuple[str, str], int] = {}
    for yg, code, _g, _sen, _pp, _eal, now, _start, _seen, n in rows:
        if now is not None and now >= expected.get(yg, 0):
            raw[(yg, code)] = raw.get((yg, code), 0) + n
    compared = 0
    for record in export.table("attainment").records():
        if record["characteristic"] == "all" and record["at_or_above_expected"] != "c":
            assert record["at_or_above_expected"] == raw.get(
                (record["year_group"], record["skill"]), 0), record
            compared += 1
    return compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int)
    parser.add_argument("--years", type=int)
    parser.add_argument("--density", type=float)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--quick", action="store_true", help="small smoke run (~20 s)")
    parser.add_argument("--school", type=Path,
                        help="keep the demo school in this folder and reuse it on later runs "
                             "(the trust-scale build takes minutes)")
    args = parser.parse_args(argv)
    pupils = args.pupils or (300 if args.quick else 1500)
    years = args.years or (3 if args.quick else 7)
    density = args.density or (1.0 if args.quick else FULL_DENSITY)
    runs = args.runs or (3 if args.quick else 5)
    started = time.perf_counter()
    lines: list[Line] = []
    with tempfile.TemporaryDirectory(prefix="skillsdesk-bench-trust-") as tmp:
        school = args.school or Path(tmp) / "school"
        if (school / DB_FILE).exists():
            print(f"reusing the demo school in {school}")
        else:
            print(f"building {pupils} pupils x {years} years (density {density}) ...")
            build_s, summary = timed(lambda: build_demo(school, pupils=pupils, years=years,
                                                        encrypted=False, seed=2026,
                                                        density=density, today=TODAY))
            print(f"demo: {summary.observations:,} observations in {build_s:.0f} s")
        services = open_services(school, today=TODAY)
        conn = raw_connect(school / DB_FILE)
        try:
            framework = services.frameworks.current()
            skills = [s.id.hex for s in framework.skills]
            year_start = dt.date(TODAY.year if TODAY.month >= 9 else TODAY.year - 1, 9, 1)
            term = (year_start, TODAY)  # the demo keeps the default terms: Autumn so far
            out = Path(tmp) / "export.zip"
            ours_ms, raw_ms, saved, (rows, _settings) = paired_ms(
                lambda: services.audit_export.export(out),
                lambda: raw_aggregate(conn, skills, framework.id.hex, year_start, term), runs)
            export = services.audit_export.build()
            compared = check_agreement(export, rows, framework.expected)
            print(f"export: {len(saved.files)} files, {saved.size / 1000:.0f} kB, "
                  f"{export.suppressed_cells:,} of {export.cells:,} counts withheld; "
                  f"{compared} shown figures agree with raw SQL")
            build_ms, _ = paired_ms(lambda: services.audit_export.build(), lambda: None, runs)[::2]
            lines.append(Line("trust export, whole zip (ms)", ours_ms, raw_ms, BUDGET))
            lines.append(Line("  of which figures + suppression (ms)", build_ms, raw_ms))
        finally:
            conn.close()
            services.close()
    print_table(lines)
    missed = [line.what for line in lines if line.ok is False]
    print(f"\n{time.perf_counter() - started:.0f} s in all; "
          + (f"MISSED: {', '.join(missed)}" if missed else "all budgets met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
