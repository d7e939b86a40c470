"""Kill -9 at random moments during random writes (RELIABILITY.md G1).

A child process (``kill_worker.py``) writes through the services and acknowledges each write
once it has returned; this test kills it with SIGKILL at a random moment, then checks the files
as the next start finds them: the start-up check finds no damage, ``integrity_check`` is ok,
``foreign_key_check`` is empty, every acknowledged write is there, every 300-pupil import is all
or nothing, the framework is one whole revision, and every acknowledged backup is a verified
copy. The next worker then opens the school the way the app does.

The default is 20 kills (about 20 s on two cores, so the whole suite stays within three
minutes; each round still runs every kind of write several times); set ``SKILLSDESK_KILL_ROUNDS``
for a long run, e.g. ``SKILLSDESK_KILL_ROUNDS=200`` (RELIABILITY.md G1) or ``1000``.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlite_module

from skillsdesk.services.container import open_services
from skillsdesk.storage.backup import inspect_file, read_info
from skillsdesk.storage.database import DB_FILE
from skillsdesk.storage.recovery import examine
from tests.conftest import TODAY

ROUNDS = int(os.environ.get("SKILLSDESK_KILL_ROUNDS", "20"))
WORKER = Path(__file__).with_name("kill_worker.py")


class Lines:
    """Lines from a pipe, with a deadline (the worker's acknowledgements)."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self._fd = stream.fileno()
        self._buffer = b""

    def next(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                return None
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise AssertionError("the kill server stopped")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8")


class Ledger:
    """What the worker said it started and finished."""

    def __init__(self) -> None:
        self.observations: list[str] = []
        self.imports_started: set[str] = set()
        self.imports_done: set[str] = set()
        self.framework_started: list[int] = []
        self.framework_done: list[int] = []
        self.backups: list[str] = []

    def take(self, line: str) -> None:
        if line.startswith("error"):
            raise AssertionError(f"the worker failed: {line}")
        kind, _sep, rest = line.partition(" ")
        what, _sep, value = rest.partition(" ")
        if kind == "ack" and what == "obs":
            self.observations.append(value)
        elif what == "import":
            (self.imports_done if kind == "ack" else self.imports_started).add(value)
        elif what == "framework":
            (self.framework_done if kind == "ack" else self.framework_started).append(int(value))
        elif kind == "ack" and what == "backup":
            self.backups.append(value)


def verify(folder: Path, ledger: Ledger, checked_backups: set[str]) -> None:
    db = folder / DB_FILE
    assert examine(db, expect_data=True) is None
    conn = sqlite_module.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        wanted = ledger.observations
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found = conn.execute(f"SELECT count(*) FROM observation WHERE id IN "
                                 f"({','.join('?' * len(chunk))})", chunk).fetchone()[0]
            assert found == len(chunk), "an acknowledged observation is missing"
        for batch in ledger.imports_started:
            count = conn.execute("SELECT count(*) FROM pupil WHERE admission_number LIKE ?",
                                 (f"{batch}-%",)).fetchone()[0]
            assert count in (0, 300), f"import {batch} is half there ({count} pupils)"
            if batch in ledger.imports_done:
                assert count == 300
        revisions = {r[0] for r in conn.execute(
            "SELECT step.descriptor FROM step JOIN skill ON skill.id = step.skill_id "
            "JOIN framework ON framework.id = skill.framework_id "
            "WHERE framework.code = 'kill-test'")}
        if ledger.framework_started:
            assert len(revisions) <= 1, f"the framework is mixed: {sorted(revisions)[:4]}"
        if ledger.framework_done:
            assert revisions, "an acknowledged framework import is missing"
            rev = int(revisions.pop().split()[1])
            assert rev >= ledger.framework_done[-1]
    finally:
        conn.close()
    for name in ledger.backups:
        if name in checked_backups:
            continue
        path = folder / "backups" / name
        assert path.exists() and read_info(path).verified, f"backup {name} is missing"
        assert inspect_file(path).integrity == "ok"
        checked_backups.add(name)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill loop needs fork and SIGKILL")
def test_kill_nine_loses_no_acknowledged_write(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    services = open_services(folder, today=TODAY)
    try:
        rows = "\n".join(f"S{n},Seed{n},Pupil{n},{3 + n % 4},{3 + n % 4} Seed" for n in range(40))
        csv = tmp_path / "seed.csv"
        csv.write_text("Adno,Forename,Surname,Year,Class\n" + rows + "\n", encoding="utf-8")
        services.pupils.import_file(csv)
    finally:
        services.close()
    server = subprocess.Popen([sys.executable, str(WORKER), str(folder), str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=False,
                              cwd=str(Path(__file__).resolve().parents[2]))
    assert server.stdin is not None and server.stdout is not None
    lines = Lines(server.stdout)
    rng = random.Random(2026)
    ledger = Ledger()
    checked: set[str] = set()
    kills = 0
    try:
        assert lines.next(60) == "ready"
        for round_ in range(ROUNDS):
            server.stdin.write(f"go {round_ + 1}\n".encode())
            server.stdin.flush()
            first = lines.next(30)
            assert first is not None and first.startswith("pid "), first
            pid = int(first.split()[1])
            deadline = time.monotonic() + rng.uniform(0.25, 1.25)
            while (left := deadline - time.monotonic()) > 0:
                line = lines.next(left)
                if line is not None:
                    ledger.take(line)
            os.kill(pid, signal.SIGKILL)
            kills += 1
            while (line := lines.next(30)) != "dead":
                assert line is not None, "the worker did not die"
                ledger.take(line)
            verify(folder, ledger, checked)
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert kills == ROUNDS
    # The loop did real work, of every kind.
    assert len(ledger.observations) > ROUNDS and ledger.imports_done and ledger.backups
    assert ledger.framework_done
    services = open_services(folder, today=TODAY)  # and the app opens it as usual
    try:
        assert services.store.quick_check() == "ok"
    finally:
        services.close()
