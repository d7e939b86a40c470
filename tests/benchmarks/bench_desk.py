"""The desk's budgets (DESIGN.md §9, issue "The desk"), measured side by side in one run.

    python tests/benchmarks/bench_desk.py [--pupils 1500] [--years 7] [--density 4.25] [--quick]
                                          [--school DIR] [--encrypted-school DIR] [--typing 3]

- start-up: the real start (python -m skillsdesk) to the class grid showing data on the
  trust-scale school, beside a bare PySide6 window's start (budget: within 3x). A real school is
  encrypted: its line is process start to the sign-in dialog shown plus Sign in pressed to the
  grid (the typing is the person's), with the password's KDF timed apart; the first window alone
  has its own 3x line; a plain development store is reported;
- resident memory with that school open (budget: 350 MB);
- Save pressed to the grid row updated (budget: under 50 ms, median of 15).

Figures are in tests/benchmarks/README.md: on a quiet machine the sign-in dialog at 2.0x the bare
window, Sign in pressed to grid 0.49 s (of which the Argon2id unlock 0.22 s), the signed-in start
at 4.7x: the unlock alone is 1.3x the bare window, which is why the strict sum misses 3x.
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

# The real start (python -m skillsdesk --data-dir DIR), watched from inside by a timer that
# takes no part in it: it prints when the sign-in dialog shows (then types the password after
# --typing seconds and presses Sign in) and when the main window's class grid has rows.
APP = textwrap.dedent("""
    import os, resource, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    typing, seen = float(sys.argv[2]), set()

    def say(what):
        print(what, repr(time.time()), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
              flush=True)

    def press(dialog):
        dialog.login.setText("head"); dialog.password.setText("skillsdesk-demo")
        say("pressed"); dialog.try_sign_in()

    def watch():
        for widget in app.topLevelWidgets():
            kind = type(widget).__name__
            if kind == "SignInDialog" and widget.isVisible() and "signin" not in seen:
                seen.add("signin"); say("signin")
                QTimer.singleShot(int(typing * 1000), lambda dialog=widget: press(dialog))
            if kind == "MainWindow" and widget.isVisible() and "window" not in seen:
                seen.add("window"); say("window")
            if kind == "MainWindow" and widget.isVisible() and "ready" not in seen and any(
                    e.key == "classes" and e.built for e in widget.pages) \\
                    and widget.page("classes").pupils.rowCount():
                app.processEvents(); seen.add("ready"); say("ready")
            if kind == "MainWindow" and "ready" in seen:
                # The start-up check may still run beside the open window (writes wait for it).
                gate = widget._services.store.gate
                if gate is None or gate.settled:
                    say("checked")
                    # Teardown is no part of start-up, but the store is closed (its WAL written
                    # back): a WAL left with frames would send the next run down the crash path.
                    widget._services.close(); os._exit(0)

    timer = QTimer(); timer.timeout.connect(watch); timer.start(5)
    QTimer.singleShot(120_000, lambda: (print("no grid after 120 s", file=sys.stderr), os._exit(3)))
    from skillsdesk.__main__ import main
    sys.exit(main(["--data-dir", sys.argv[1]]))
""")


def time_process(code: str, *args: str) -> dict[str, tuple[float, int]]:
    """Seconds from starting the process to each line it prints (its exit is not start-up),
    with the resident memory then (MB)."""
    started = time.time()
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert process.stdout is not None
    events: dict[str, tuple[float, int]] = {}
    for line in process.stdout:
        what, *rest = line.split()
        if rest:  # "what wall-clock-time rss"
            events[what] = (float(rest[0]) - started, int(rest[1]))
        else:  # the bare window prints "ready" only: time it on arrival
            events[what] = (time.time() - started, 0)
        if what == "checked" or (what == "ready" and not rest):
            break
    _out, err = process.communicate()
    if "ready" not in events or process.returncode != 0:
        raise RuntimeError(f"the process did not get ready: {err[-2000:]}")
    return events


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


def kdf_seconds(data: Path) -> float:
    """The password's key derivation alone (Argon2id at the school's cost), median of 3."""
    from skillsdesk.storage.keyslots import KeySlots
    from skillsdesk.storage.vault import keys_path

    times = []
    for _ in range(3):
        started = time.perf_counter()
        KeySlots.load(keys_path(data)).unlock("head", "skillsdesk-demo")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def school(folder: Path | None, scratch: Path, name: str, args: argparse.Namespace,
           encrypted: bool) -> Path:
    from skillsdesk.services.demo import build_demo
    from skillsdesk.storage.database import DB_FILE

    data = folder or scratch / name
    if (data / DB_FILE).exists():
        print(f"reusing the {name} school in {data}")
    else:
        summary = build_demo(data, pupils=args.pupils, years=args.years, density=args.density,
                             encrypted=encrypted, today=TODAY)
        print(f"{name} school: {summary.pupils} pupils, {summary.observations:,} observations")
    return data


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--density", type=float, default=4.25)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--school", type=Path,
                        help="keep the plain demo school in this folder and reuse it on later "
                             "runs (its build is most of the time; the save runs add a few rows)")
    parser.add_argument("--encrypted-school", type=Path,
                        help="the same for the encrypted school (signs in as head)")
    parser.add_argument("--typing", type=float, default=3.0,
                        help="seconds the sign-in dialog waits before Sign in is pressed")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.quick:
        args.pupils, args.years, args.density = 300, 3, 1.0

    with tempfile.TemporaryDirectory() as folder:
        plain = school(args.school, Path(folder), "plain", args, encrypted=False)
        locked = school(args.encrypted_school, Path(folder), "encrypted", args, encrypted=True)
        bare, app, shown, signin, after, checked, memory = [], [], [], [], [], [], 0
        for _ in range(args.runs):  # alternate so all see the same machine load
            bare.append(time_process(BARE)["ready"][0])
            events = time_process(APP, str(plain), "0")
            app.append(events["ready"][0])
            shown.append(events["window"][0])
            memory = max(memory, events["ready"][1])
            events = time_process(APP, str(locked), str(args.typing))
            signin.append(events["signin"][0])
            after.append(events["ready"][0] - events["pressed"][0])
            checked.append(events["checked"][0] - events["pressed"][0])
            memory = max(memory, events["ready"][1])
        kdf = kdf_seconds(locked)
        saves = save_latency(plain, 15)
    median = statistics.median
    # An encrypted school's start without the person: the sign-in dialog shown, then from
    # Sign in pressed to the grid (the seconds spent typing are the person's, not the app's).
    whole = [shown_at + grid for shown_at, grid in zip(signin, after, strict=True)]
    ratio, signin_ratio = median(app) / median(bare), median(signin) / median(bare)
    whole_ratio = median(whole) / median(bare)
    save_ms = median(saves)
    rows = [
        ("start-up to grid, signed in (s)", f"{median(whole):.2f}", f"{median(bare):.2f}",
         f"{whole_ratio:.2f}", "<= 3.0", whole_ratio <= 3.0),
        ("  of which the KDF (s)", f"{kdf:.2f}", "-", f"{kdf / median(bare):.2f}", "-", True),
        ("start-up to grid, plain (s)", f"{median(app):.2f}", f"{median(bare):.2f}",
         f"{ratio:.2f}", "-", True),
        ("  of which window shown (s)", f"{median(shown):.2f}", "-", "-", "-", True),
        ("start-up to sign-in (s)", f"{median(signin):.2f}", f"{median(bare):.2f}",
         f"{signin_ratio:.2f}", "<= 3.0", signin_ratio <= 3.0),
        ("sign-in pressed to grid (s)", f"{median(after):.2f}", "-", "-", "-", True),
        ("  check done, beside it (s)", f"{median(checked):.2f}", "-", "-", "-", True),
        ("resident memory (MB)", str(memory), "-", "-", "<= 350", memory <= 350),
        ("save to grid (ms)", f"{save_ms:.1f}", "-", "-", "< 50", save_ms < 50),
    ]
    print(f"{'what':32} {'SkillsDesk':>11} {'bare Qt':>9} {'ratio':>6}  budget")
    for what, ours, raw, ratio_text, budget, ok in rows:
        verdict = "" if budget == "-" else ("ok" if ok else "MISSED")
        print(f"{what:32} {ours:>11} {raw:>9} {ratio_text:>6}  {budget} {verdict}")
    return 0 if all(row[-1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
