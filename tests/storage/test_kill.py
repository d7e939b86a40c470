"""Kill -9 at random moments during random writes (RELIABILITY.md G1).

A child process (``kill_worker.py``) writes through the services and acknowledges each write
once it has returned; this test kills it with SIGKILL at a random moment, then checks the files
as the next start finds them: the start-up check finds no damage, ``integrity_check`` is ok,
``foreign_key_check`` is empty, every acknowledged write is there, every 300-pupil import is all
or nothing, the framework is one whole revision, every change has exactly its audit row (and no
audit row describes a change that is not there), and every acknowledged backup is a verified
copy. The next worker then opens the school the way the app does.

Speed: the server imports SkillsDesk once, does each kind of write once on a scratch school
(so lazy imports and per-process caches are warm), and forks every worker from itself, so a
worker has the school open within about 0.1 s. The kill clock starts when the worker says it is
open: most rounds are killed 0-100 ms later (one round in ten up to 500 ms, so slow writes also
finish sometimes), one round in ten while it is still opening (WAL recovery, start-up check).
Each worker does its slow writes early and at most once (kill_worker.plan), so kills often land
inside them. The default of 200 kills (RELIABILITY.md G1) takes about a minute on two busy
cores. Where ``os.fork`` is missing (Windows) each worker is a fresh interpreter and the default
is 20. ``SKILLSDESK_KILL_ROUNDS`` sets the number for a long run, e.g. 1000.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite_module

from skillsdesk.services.container import open_services
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage.backup import inspect_file, read_info
from skillsdesk.storage.database import DB_FILE
from skillsdesk.storage.recovery import examine
from tests.conftest import TODAY

ROUNDS = int(os.environ.get("SKILLSDESK_KILL_ROUNDS", "200" if hasattr(os, "fork") else "20"))
# How long a worker writes before it is killed, at most (seconds after it has opened the school).
WRITE_WINDOW = 0.1
# SIGKILL where it exists; elsewhere os.kill ends the process at once (TerminateProcess).
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)
WORKER = Path(__file__).with_name("kill_worker.py")


class Lines:
    """Lines from a pipe, with a deadline (the worker's acknowledgements).

    A thread reads the pipe (select() does not take pipes everywhere), so waiting for the next
    line is a queue read with a timeout.
    """

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for raw in stream:
            self._queue.put(raw.decode("utf-8").rstrip("\n"))
        self._queue.put(None)

    def next(self, timeout: float) -> str | None:
        try:
            line = self._queue.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None
        if line is None:
            raise AssertionError("the kill server stopped")
        return line


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


def check_audit(conn, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    """Every change has exactly its audit row, and every audit row its change (one transaction)."""
    observations = {row[0] for row in conn.execute("SELECT id FROM observation")}
    audited: dict[str, int] = {}
    for entity, count in conn.execute("SELECT entity_id, count(*) FROM audit_event WHERE "
                                      "action = 'observation.add' GROUP BY entity_id"):
        audited[entity.replace("-", "")] = count
    assert not observations - set(audited), "an observation has no audit row"
    assert not set(audited) - observations, "an audit row describes a missing observation"
    assert set(audited.values()) <= {1}, "an observation has more than one audit row"
    imports: dict[str, int] = {}
    for source, count in conn.execute("SELECT entity_id, count(*) FROM audit_event WHERE "
                                      "action = 'pupils.import' GROUP BY entity_id"):
        imports[source] = count
    for batch in ledger.imports_started:
        present = conn.execute("SELECT count(*) FROM pupil WHERE admission_number LIKE ?",
                               (f"{batch}-%",)).fetchone()[0]
        assert imports.get(f"{batch}.csv", 0) == (1 if present else 0), \
            f"import {batch}: {present} pupils but {imports.get(f'{batch}.csv', 0)} audit rows"
    versions = [json.loads(text)["after"]["version"] for (text,) in conn.execute(
        "SELECT c.content_json FROM audit_event e JOIN audit_content c ON c.sequence = e.sequence "
        "WHERE e.action = 'framework.import' AND e.entity_id = 'kill-test' ORDER BY e.sequence")]
    assert len(versions) == len(set(versions)), "a framework import was audited twice"
    assert {int(v) for v in versions} <= set(ledger.framework_started), \
        "an audit row describes a framework import that never ran"
    assert set(ledger.framework_done) <= {int(v) for v in versions}, \
        "an acknowledged framework import has no audit row"
    current = conn.execute(
        "SELECT step.descriptor FROM step JOIN skill ON skill.id = step.skill_id "
        "JOIN framework ON framework.id = skill.framework_id "
        "WHERE framework.code = 'kill-test' LIMIT 1").fetchone()
    if current is not None:
        assert versions and versions[-1] == current[0].split()[1], \
            "the framework in use is not the last audited import"
    last = conn.execute("SELECT max(sequence), count(*) FROM audit_event").fetchone()
    assert last[0] == last[1], "the audit sequence has a gap"


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
        check_audit(conn, ledger)
    finally:
        conn.close()
    for name in ledger.backups:
        if name in checked_backups:
            continue
        path = folder / "backups" / name
        assert path.exists() and read_info(path).verified, f"backup {name} is missing"
        assert inspect_file(path).integrity == "ok"
        checked_backups.add(name)


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
    kills = opened = 0
    try:
        assert lines.next(60) == "ready"
        for round_ in range(ROUNDS):
            server.stdin.write(f"go {round_ + 1}\n".encode())
            server.stdin.flush()
            first = lines.next(30)
            assert first is not None and first.startswith("pid "), first
            pid = int(first.split()[1])
            if rng.random() < 0.1:  # now and then while it opens the school (recovery, checks)
                wait_for_open, window = False, 0.0
                deadline = time.monotonic() + rng.uniform(0.0, 0.1)
            else:  # usually while it writes, however long opening took on a busy machine
                wait_for_open = True
                deadline = time.monotonic() + 60
                # Now and then a long round, so slow writes (an import) also finish on a busy
                # machine and later rounds find their rows.
                window = WRITE_WINDOW * (5 if rng.random() < 0.1 else 1)
            while (left := deadline - time.monotonic()) > 0:
                line = lines.next(left)
                if line == "open":
                    opened += 1
                    if wait_for_open:
                        deadline = time.monotonic() + rng.uniform(0.0, window)
                elif line is not None:
                    ledger.take(line)
            os.kill(pid, KILL)
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
    assert kills == ROUNDS and opened >= ROUNDS // 2
    # The loop did real work, of every kind.
    assert len(ledger.observations) > ROUNDS and ledger.imports_done and ledger.backups
    assert ledger.imports_started - ledger.imports_done, "no kill landed inside an import"
    assert ledger.framework_done
    services = open_services(folder, today=TODAY)  # and the app opens it as usual
    try:
        assert services.store.quick_check() == "ok"
        with services.store.read() as session:  # the audit chain is whole after every kill
            assert audit_repo.verify_chain(session) is None
    finally:
        services.close()
