"""Write a file so that the target is either the old file or the complete new one, never half.

Temporary file in the same folder, flushed and fsynced, then renamed over the target. On Windows
an antivirus or indexer may hold the new file for a moment, so the rename is retried briefly for
"access denied" and "sharing violation" only (RELIABILITY.md §1.5).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

_RETRY_WINERRORS = {5, 32}


def write_bytes(target: Path, data: bytes) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(target, text.encode(encoding))


def _replace(source: Path, target: Path) -> None:
    for attempt in range(6):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in _RETRY_WINERRORS or attempt == 5:
                raise
            time.sleep(0.05)
