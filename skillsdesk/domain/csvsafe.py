"""CSV that is safe to open in a spreadsheet (RELIABILITY.md G22), shared by every CSV writer.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, tab, CR or NUL would be run as a formula
by Excel or LibreOffice (OWASP "CSV injection"), so it gets a leading ``'``; numbers are written as
numbers, negative ones included, because only text is ever prefixed. Files are RFC 4180 (CRLF,
quotes doubled, a field quoted when it holds a comma, quote or line break) and UTF-8 with a byte
order mark, which is what makes Excel on Windows read accents correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def csv_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; anything that is not text passes."""
    if isinstance(value, str) and value[:1] in DANGEROUS_STARTS:
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        # A short, locale-free decimal: 2.5, not 2.5000000001.
        return f"{value:.6g}"
    return csv_safe(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """The whole file as text: header, then one line per row, every text cell made safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return (BOM if bom else "") + buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM, ready for ``safefile.write_bytes`` or a zip entry."""
    return csv_text(header, rows).encode("utf-8")
