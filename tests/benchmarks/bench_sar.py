"""Subject access speed (RELIABILITY.md G19): one pupil's bundle with 2,000 observations.

    /work/venv/bin/python tests/benchmarks/bench_sar.py            # 2,000 observations
    /work/venv/bin/python tests/benchmarks/bench_sar.py --quick    # 200, a smoke run

A plain school is built in a temporary folder (not timed): a class of 30 pupils, one of whom
(the subject) gets N observations through ``services.recording.record`` (each one its own
transaction with its audit row, as in the app), spread over every skill of the current framework
and three years, every fifth note naming a classmate and every seventh a long note; a second pupil
with a similar name gets a canary note. Then ``services.sar.write`` is timed (gathering, redaction,
JSON, PDF, review list, all written through safefile), median of ``--runs`` (default 3).
The bundle is checked as well as timed: all N observations, the classmate's names redacted, the
canary and the second pupil's admission number absent.

Budget: under **60 s** for 2,000 observations (G19). Exit status 1 when it is missed or a check
fails; the quick run checks that everything works and judges nothing against the budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from skillsdesk.services.container import open_services  # noqa: E402
from skillsdesk.services.recording import Entry  # noqa: E402
from skillsdesk.services.sar import REDACTED  # noqa: E402

BUDGET_S = 60.0
TODAY = dt.date(2026, 11, 30)
CANARY = "Canary-note-about-the-other-Amira"
FIRSTS = ["Amira", "Ben", "Cara", "Dev", "Ella", "Finn", "Gita", "Hugo", "Iris", "Jack"]
LASTS = ["Haddad", "Okoro", "Nolan", "Patel", "Evans", "Wright", "Kaur", "Lopez", "Reid", "Young"]


def roll(path: Path, pupils: int) -> None:
    lines = ["Adno,Forename,Surname,Year,Class"]
    lines.append("S0001,Amira,Haddad,4,4 Oak")
    lines.append("S0002,Amira,Haddadi,4,4 Oak")  # the similarly named second pupil
    for i in range(3, pupils + 1):
        lines.append(f"S{i:04d},{FIRSTS[i % 10]},{LASTS[(i // 10) % 10]}{i},4,4 Oak")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(folder: Path, observations: int, pupils: int) -> None:
    s = open_services(folder, today=TODAY)
    try:
        csv = folder.parent / "roll.csv"
        roll(csv, pupils)
        s.pupils.import_file(csv)
        by_adno = {p.admission_number: p for p in s.school.pupils()}
        subject, other = by_adno["S0001"], by_adno["S0002"]
        classmate = next(p for a, p in by_adno.items() if a not in ("S0001", "S0002"))
        framework = s.frameworks.current()
        skills = [k.code for k in framework.skills]
        s.recording.record(framework, skills[0], [Entry(other.id, 1, 1)], note=CANARY)
        for n in range(observations):
            note = f"Observation {n}: worked calmly and explained the next step."
            if n % 5 == 0:
                note = f"Observation {n}: shared the task with {classmate.display_name}."
            elif n % 7 == 0:
                note = f"Observation {n}: " + "a longer note that runs on " * 20
            s.recording.record(framework, skills[n % len(skills)],
                               [Entry(subject.id, 1 + n % 10, 1 + n % 3)], note=note,
                               observed_on=TODAY - dt.timedelta(days=n % 1000))
    finally:
        s.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--observations", type=int)
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    observations = args.observations or (200 if args.quick else 2000)
    with tempfile.TemporaryDirectory(prefix="bench-sar-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        build(root / "school", observations, args.pupils)
        print(f"build ({observations} observations, one transaction each): "
              f"{time.perf_counter() - started:.1f} s (not timed against the budget)")
        s = open_services(root / "school", today=TODAY)
        times, failures = [], []
        try:
            for run in range(args.runs):
                out = root / f"out{run}"
                out.mkdir()
                started = time.perf_counter()
                result = s.sar.write("S0001", out)
                times.append(time.perf_counter() - started)
                if run == 0:
                    failures += check(result, observations)
        finally:
            s.close()
    median = statistics.median(times)
    print(f"sar.write, {observations} observations (s): median {median:.2f} of "
          f"{', '.join(f'{t:.2f}' for t in times)}")
    if failures:
        for failure in failures:
            print(f"CHECK FAILED: {failure}")
        return 1
    if not args.quick and observations >= 2000:
        verdict = "within" if median < BUDGET_S else "OVER"
        print(f"budget: {BUDGET_S:.0f} s for 2,000 observations: {verdict}")
        return 0 if median < BUDGET_S else 1
    print("quick run: the budget is judged on a full run only")
    return 0


def check(result: object, observations: int) -> list[str]:
    failures = []
    bundle = json.loads(result.json_path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    raw = result.json_path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    pages = PdfReader(result.pdf_path).pages  # type: ignore[attr-defined]
    text = "".join(page.extract_text() for page in pages)
    if len(bundle["observations"]) != observations:
        failures.append(f"{len(bundle['observations'])} observations, not {observations}")
    if not any(REDACTED in (o["note"] or "") for o in bundle["observations"]):
        failures.append("no classmate's name was redacted")
    for where, content in (("JSON", raw), ("PDF", text)):
        if CANARY in content or "S0002" in content or "Haddadi" in content:
            failures.append(f"the second pupil appears in the {where}")
    print(f"bundle: {len(pages)} PDF pages, {len(bundle['audit'])} audit events, "
          f"{len(result.redactions)} notes redacted")  # type: ignore[attr-defined]
    return failures


if __name__ == "__main__":
    sys.exit(main())
