"""The desk's budgets (DESIGN.md §9, issue "The desk"), measured side by side in one run.

    python tests/benchmarks/bench_desk.py [--pupils 1500] [--years 7] [--density 4.25] [--quick]
                                          [--school DIR]

- start-up: process start to the class grid showing data on the trust-scale school, beside a bare
  PySide6 window's start, each timed to its "ready" line (budget: within 3x);
- resident memory with that school open (budget: 350 MB);
- Save pressed to the grid row updated (budget: under 50 ms, median of 15).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 30)

BARE = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv)
    window = QMainWindow(); window.resize(1280, 800); window.show(); app.processEvents()
    print("ready", flush=True)
""")

APP = textwrap.dedent("""
    import os, resource, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv)
    from skillsdesk.services.container import open_services
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner
    data = Path(sys.argv[1])
    services = open_services(data)
    window = MainWindow(services, QSettings(str(data / "bench.ini"), QSettings.Format.IniFormat),
                        TaskRunner())
    window.resize(1280, 800); window.show(); app.processEvents()
    # The window may show before the grid's rows arrive: "ready" is the grid showing data.
    grid = window.page("classes").pupils
    while grid.rowCount() == 0:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    app.processEvents()
    print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, flush=True)
""")


def time_process(code: str, *args: str) -> tuple[float, str]:
    """Seconds from starting the process to its "ready" line (its exit is not start-up)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert process.stdout is not None
    ready, line = None, ""
    for line in process.stdout:
        if line.startswith("ready"):
            ready = time.perf_counter() - started
            break
    _out, err = process.communicate()
    if ready is None or process.returncode != 0:
        raise RuntimeError(f"the process did not get ready: {err[-2000:]}")
    return ready, line


def save_latency(data: Path, runs: int) -> list[float]:
    """From Save to the grid row updated, through the real undo command and task runner."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from skillsdesk.services.container import open_services
    from skillsdesk.services.recording import Entry
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.record_dialog import RecordRequest
    from skillsdesk.ui.tasks import TaskRunner
    from skillsdesk.ui.undo import RecordCommand

    app = QApplication.instance() or QApplication(sys.argv)
    services = open_services(data, today=TODAY)
    tasks = TaskRunner()
    window = MainWindow(services, QSettings(str(data / "bench.ini"), QSettings.Format.IniFormat),
                        tasks)
    window.show()
    page = window.page("classes")
    while page.pupils.rowCount() == 0:  # the grid's rows may arrive just after the window
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    framework = page.current_framework()
    times = []
    for run in range(runs):
        pupil = page.pupils.pupil_at(run % page.pupils.rowCount())
        request = RecordRequest(framework.skills[run % 8].code, (Entry(pupil.pupil.id, 1, 2),),
                                "classroom", TODAY, None)
        loop = QEventLoop()
        page.pupils.dataChanged.connect(loop.quit)
        timeout = QTimer()  # stopped after each run, so it can never end a later run's wait
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        timeout.start(5000)
        started = time.perf_counter()
        window.undo_stack.push(RecordCommand(services.recording, framework, request, None, tasks,
                                             page.refresh_pupils, print))
        loop.exec()
        times.append((time.perf_counter() - started) * 1000)
        timeout.stop()
        page.pupils.dataChanged.disconnect(loop.quit)
    tasks.wait()
    services.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--density", type=float, default=4.25)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--school", type=Path,
                        help="keep the demo school in this folder and reuse it on later runs "
                             "(its build is most of the time; the save runs add a few rows)")
    args = parser.parse_args()
    if args.quick:
        args.pupils, args.years, args.density = 300, 3, 1.0
    from skillsdesk.services.demo import build_demo
    from skillsdesk.storage.database import DB_FILE

    with tempfile.TemporaryDirectory() as folder:
        data = args.school or Path(folder) / "school"
        if (data / DB_FILE).exists():
            print(f"reusing the demo school in {data}")
        else:
            summary = build_demo(data, pupils=args.pupils, years=args.years,
                                 density=args.density, encrypted=False, today=TODAY)
            print(f"school: {summary.pupils} pupils, {summary.observations:,} observations")
        bare, app = [], []
        memory = 0
        for _ in range(3):  # alternate so both see the same machine load
            bare.append(time_process(BARE)[0])
            seconds, line = time_process(APP, str(data))
            app.append(seconds)
            memory = max(memory, int(line.split()[1]))
        start_ratio = statistics.median(app) / statistics.median(bare)
        saves = save_latency(data, 15)
    save_ms = statistics.median(saves)
    rows = [
        ("start-up to grid (s)", f"{statistics.median(app):.2f}", f"{statistics.median(bare):.2f}",
         f"{start_ratio:.2f}", "<= 3.0", start_ratio <= 3.0),
        ("resident memory (MB)", str(memory), "-", "-", "<= 350", memory <= 350),
        ("save to grid (ms)", f"{save_ms:.1f}", "-", "-", "< 50", save_ms < 50),
    ]
    print(f"{'what':24} {'SkillsDesk':>11} {'bare Qt':>9} {'ratio':>6}  budget")
    for what, ours, raw, ratio, budget, ok in rows:
        print(f"{what:24} {ours:>11} {raw:>9} {ratio:>6}  {budget} {'ok' if ok else 'MISSED'}")
    return 0 if all(row[-1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
