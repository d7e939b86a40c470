"""Passport printing speed (DESIGN.md §9): SkillsDesk against a plain reportlab script, one run.

    /work/venv/bin/python tests/benchmarks/bench_passports.py            # 1,500 passports
    /work/venv/bin/python tests/benchmarks/bench_passports.py --quick    # 150, a smoke run

The quick run checks that every line works; the budget is judged on full runs only.

A demo school is built in a temporary folder and its passports gathered once (not timed); then,
in three rounds of a third of the pupils each, one line after the other so that all of them see
the same machine load (other work on a 2-core machine moves absolute numbers by +-50 %):
- the reference: one process, plain reportlab platypus, the page STACK.md §8 measured (an A4
  table of 8 skills x 16 steps with ticks, a bar chart, then 8 wrapped paragraphs; two pages a
  pupil, fonts subset-embedded), all pupils into one PDF;
- SkillsDesk: ``passport_batch.one_pdf`` (every core, chunks joined, written through safefile)
  and ``passport_batch.per_pupil`` (one file each), plus one PDF on a single process for context.
Budget: one PDF at >= 1.5x the reference's pages/s. Exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reportlab.graphics.charts.barcharts import VerticalBarChart  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from skillsdesk.reports.fonts import SANS, SANS_BOLD, register_fonts  # noqa: E402
from skillsdesk.reports.passport import Passport  # noqa: E402
from skillsdesk.services import passport_batch  # noqa: E402

BUDGET = 1.5
TODAY = dt.date(2026, 11, 30)


def reference(passports: list[Passport], target: Path) -> int:
    """The plain script: what a developer would write first, in one process."""
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=10, leading=13)
    title = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=20, leading=24)
    story: list[object] = []
    for p in passports:
        story.append(Paragraph(f"{p.pupil_name} — {p.class_name}", title))
        story.append(Spacer(1, 8))
        rows = [["Skill", *[str(n) for n in range(16)]]]
        for skill in p.skills:
            rows.append([skill.name, *["X" if skill.current is not None and n <= skill.current
                                       else "" for n in range(16)]])
        table = Table(rows, colWidths=[100] + [24] * 16)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), SANS, 9),
                                   ("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
        story.append(table)
        chart = Drawing(500, 220)
        bars = VerticalBarChart()
        bars.x, bars.y, bars.width, bars.height = 40, 30, 440, 170
        bars.data = [[s.current or 0 for s in p.skills]]
        bars.categoryAxis.categoryNames = [s.name[:10] for s in p.skills]
        bars.categoryAxis.labels.fontName = SANS
        bars.valueAxis.labels.fontName = SANS
        bars.valueAxis.valueMin, bars.valueAxis.valueMax = 0, 15
        chart.add(bars)
        story.append(chart)
        story.append(PageBreak())
        for skill in p.skills:
            story.append(Paragraph(f"<b>{skill.name}</b>: {skill.secured_text} "
                                   f"{skill.next_text} {skill.home_tip}", body))
            story.append(Spacer(1, 6))
        story.append(PageBreak())
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    doc.build(story)
    target.write_bytes(buffer.getvalue())
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(buffer.getvalue())).pages)


def gather(folder: Path, pupils: int) -> list[Passport]:
    from skillsdesk.services.container import open_services
    from skillsdesk.services.demo import build_demo

    build_demo(folder, pupils=pupils, years=2, seed=11, today=TODAY, encrypted=False)
    services = open_services(folder, today=TODAY)
    try:
        roll = services.school.pupils()
        return services.passports.gather(roll, "en_GB")
    finally:
        services.close()


def timed(work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pupils", type=int, default=1500)
    args = parser.parse_args()
    count = 150 if args.quick else args.pupils
    rounds = 1 if args.quick else 3
    totals = {key: [0, 0.0] for key in ("ref", "one", "files", "single")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        passports = gather(folder / "school", count)
        print(f"{len(passports)} passports gathered in {time.perf_counter() - started:.1f} s "
              f"(not timed below); {os.cpu_count()} cores; {rounds} rounds")
        size = -(-len(passports) // rounds)
        for start in range(0, len(passports), size):
            part = passports[start:start + size]
            runs = {
                "ref": lambda p=part: reference(p, folder / "reference.pdf"),
                "one": lambda p=part: passport_batch.one_pdf(p, "en_GB", folder / "all.pdf").pages,
                "files": lambda p=part: passport_batch.per_pupil(p, "en_GB", folder / "f").pages,
                "single": lambda p=part: passport_batch.one_pdf(p, "en_GB", folder / "one.pdf",
                                                                workers=1).pages,
            }
            for key, work in runs.items():
                seconds, pages = timed(work)
                totals[key][0] += pages  # type: ignore[operator]
                totals[key][1] += seconds
    ref_rate = totals["ref"][0] / totals["ref"][1]
    labels = {"ref": "reference script, 1 process, one PDF",
              "one": "SkillsDesk, all cores, one PDF",
              "files": "SkillsDesk, all cores, a file per pupil",
              "single": "SkillsDesk, 1 process, one PDF"}
    print(f"{'line':45} {'pages':>6} {'s':>7} {'pages/s':>8} {'x ref':>6}")
    for key, label in labels.items():
        pages, seconds = totals[key]
        rate = pages / seconds
        print(f"{label:45} {int(pages):6d} {seconds:7.2f} {rate:8.1f} {rate / ref_rate:6.2f}")
    ratio = totals["one"][0] / totals["one"][1] / ref_rate
    if args.quick:
        # 150 passports is too few to pay for starting the worker processes (1-2 s).
        print(f"quick run: one PDF at {ratio:.2f}x the reference (budget judged on full runs)")
        return 0
    ok = ratio >= BUDGET
    print(f"budget: one PDF at >= {BUDGET}x the reference's pages/s: "
          f"{ratio:.2f}x {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
