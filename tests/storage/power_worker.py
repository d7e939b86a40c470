"""The writer that ``test_power_loss.py`` kills: ``kill_worker.py``'s server and workers, on the
LazyFS mount, with one test-only switch.

Run as ``python power_worker.py DATA_DIR WORK_DIR`` (the protocol is ``kill_worker.py``'s). With
``SKILLSDESK_TEST_SYNCHRONOUS=NORMAL`` in its environment, every connection this process and its
workers open is switched to ``synchronous=NORMAL`` right after SkillsDesk's own pragmas (which
say FULL): commits are then acknowledged before the WAL is fsynced, so a power cut must lose
some, and the test proves the harness would see such a loss. The switch lives only here, in
the test tree; SkillsDesk itself has no setting for it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import kill_worker  # beside this file, which is the first entry of sys.path

SYNC_ENV = "SKILLSDESK_TEST_SYNCHRONOUS"


def weaken_sync(mode: str) -> None:
    """Make every new connection use ``synchronous = mode`` (before any engine is created)."""
    from skillsdesk.storage import engine

    if mode not in ("NORMAL", "OFF"):
        raise SystemExit(f"{SYNC_ENV} must be NORMAL or OFF, not {mode!r}")
    original = engine._apply_pragmas

    def apply_pragmas(dbapi_conn: Any, record: Any) -> None:
        original(dbapi_conn, record)
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA synchronous = {mode}")
        finally:
            cursor.close()

    # create_engines looks the listener up when it is called, so every engine gets this one.
    engine._apply_pragmas = apply_pragmas


if __name__ == "__main__":
    sys.path.insert(0, str(kill_worker.ROOT))
    if os.environ.get(SYNC_ENV):
        weaken_sync(os.environ[SYNC_ENV])
    kill_worker.serve(Path(sys.argv[1]), Path(sys.argv[2]))
