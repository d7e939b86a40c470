"""The writer that ``test_kill.py`` kills: random writes through the services, acknowledged.

Run as ``python kill_worker.py DATA_DIR WORK_DIR``. Importing SkillsDesk takes seconds, so this
process imports once and then serves: for each line ``go SEED`` on stdin it forks a worker (no
database connection is open in this process when it forks), prints ``pid N``, waits for the
worker to die, and prints ``dead``. Where ``os.fork`` does not exist (Windows) it starts
``python kill_worker.py --child DATA_DIR WORK_DIR SEED`` instead: the same loop, only slower,
as each worker imports SkillsDesk itself. The worker opens the school exactly as the app does (the
start-up check included), prints ``open``, and writes until it is killed, printing ``start …``
before and ``ack …`` after each write returns:

- ``ack obs ID``: one observation recorded through ``services.recording.record``;
- ``ack import BATCH``: a 300-pupil import file (admission numbers ``BATCH-n``);
- ``ack framework REV``: the ``kill-test`` framework imported with every step's text "rev REV";
- ``ack backup FILE``: a backup made.

Anything the worker raises is printed as ``error …``: the test fails on it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

TODAY = dt.date(2026, 11, 30)
ROOT = Path(__file__).resolve().parents[2]
IMPORT_ROWS = 300


def _say(text: str) -> None:
    # One write per line, well under PIPE_BUF, so lines from the server and the worker never mix.
    os.write(1, (text + "\n").encode("utf-8"))


def _pupils_file(work: Path, batch: str) -> Path:
    path = work / f"{batch}.csv"
    rows = [f"{batch}-{n},Kit{n},Killer{batch},{3 + n % 4},{3 + n % 4} Kill" for n in
            range(IMPORT_ROWS)]
    path.write_text("Adno,Forename,Surname,Year,Class\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def _framework_file(work: Path, rev: int) -> Path:
    import tomli_w

    data = tomllib.loads((ROOT / "resources" / "frameworks" / "trust-six.toml")
                         .read_text(encoding="utf-8"))
    data["framework"]["code"] = "kill-test"
    data["framework"]["version"] = str(rev)
    for skill in data["skills"]:
        for step in skill["steps"]:
            step["descriptor"] = f"rev {rev}"
    path = work / f"framework-{rev}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def plan(rng: random.Random) -> Iterator[str]:
    """This worker's writes: each slow one (a 300-pupil import, a framework update, a backup)
    at most once and early, among single observations, which then go on until the kill. So a
    kill often lands inside a slow write, and the school grows by a few imports per ten rounds,
    not per round (every backup copies the whole school)."""
    slow = [op for op, chance in (("import", 0.35), ("framework", 0.3), ("backup", 0.3))
            if rng.random() < chance]
    rng.shuffle(slow)
    for op in slow:
        yield from ["obs"] * rng.randint(0, 6)
        yield op
    while True:
        yield "obs"


def work(data_dir: Path, folder: Path, seed: int) -> None:
    from skillsdesk.services.container import open_services
    from skillsdesk.services.recording import Entry

    rng = random.Random(seed)
    services = open_services(data_dir, today=TODAY)
    framework = services.frameworks.current()
    skills = [s.code for s in framework.skills]
    # The test's seed pupils (the imported ones are many, and reading them all would slow
    # every start as the school grows).
    pupils = [p.id for g in services.school.classes() if g.name.endswith(" Seed")
              for p in services.school.pupils(group=g.name)]
    _say("open")  # the school is open: the test's kill clock for this round starts now
    for n, op in enumerate(plan(rng), start=1):
        if op == "obs":
            entry = Entry(rng.choice(pupils), rng.randint(0, 5), rng.randint(1, 3))
            done = services.recording.record(framework, rng.choice(skills), [entry],
                                             note=f"kill {seed} {n}")
            _say(f"ack obs {done.ids[0].hex}")
        elif op == "import":
            batch = f"K{seed}x{n}"
            path = _pupils_file(folder, batch)
            _say(f"start import {batch}")
            services.pupils.import_file(path)
            _say(f"ack import {batch}")
        elif op == "framework":
            rev = seed * 10_000 + n
            path = _framework_file(folder, rev)
            _say(f"start framework {rev}")
            services.frameworks.import_file(path)
            _say(f"ack framework {rev}")
        else:
            made = services.backups.backup("manual")
            _say(f"ack backup {made.path.name}")


def serve(data_dir: Path, folder: Path) -> None:
    # Import everything the worker needs before the first fork, and warm what is cached per
    # process (lazy imports, SQLAlchemy's mappers): each write once, on a scratch school that
    # is closed again, so no connection is open when the server forks.
    warm_up(folder / "warm-up")
    _say("ready")
    for line in sys.stdin:
        command, _sep, seed = line.strip().partition(" ")
        if command != "go":
            break
        if hasattr(os, "fork"):
            pid = os.fork()
            if pid == 0:
                child(data_dir, folder, int(seed))
            _say(f"pid {pid}")
            os.waitpid(pid, 0)
        else:  # no fork: a fresh interpreter per round, sharing this process's stdout
            import subprocess

            proc = subprocess.Popen([sys.executable, __file__, "--child", str(data_dir),
                                     str(folder), seed], stdin=subprocess.DEVNULL)
            _say(f"pid {proc.pid}")
            proc.wait()
        _say("dead")


def warm_up(scratch: Path) -> None:
    import shutil

    from skillsdesk.services.container import open_services
    from skillsdesk.services.recording import Entry

    services = open_services(scratch / "school", today=TODAY)
    try:
        services.pupils.import_file(_pupils_file(scratch, "warm"))
        framework = services.frameworks.current()
        pupil = services.school.pupils()[0].id
        services.recording.record(framework, framework.skills[0].code, [Entry(pupil, 1, 1)])
        services.frameworks.import_file(_framework_file(scratch, 0))
        services.backups.backup("manual")
    finally:
        services.close()
    shutil.rmtree(scratch)


def child(data_dir: Path, folder: Path, seed: int) -> None:
    try:
        work(data_dir, folder, seed)
    except BaseException as exc:  # reported to the test, which fails on it
        _say(f"error {type(exc).__name__}: {exc}".replace("\n", " "))
    finally:
        os._exit(0)


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    serve(Path(sys.argv[1]), Path(sys.argv[2]))
