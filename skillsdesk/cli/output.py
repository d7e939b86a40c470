"""How commands print rows: an aligned table, CSV that is safe to open in Excel, or JSON."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from skillsdesk.domain.csvsafe import csv_safe
from skillsdesk.i18n import _

__all__ = ["FORMATS", "csv_safe", "emit"]

FORMATS = ("table", "csv", "json")


def emit(rows: Sequence[dict[str, Any]], form: str, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    if form == "json":
        json.dump(list(rows), stream, ensure_ascii=False, indent=2, default=str)
        stream.write("\n")
        return
    if not rows:
        if form == "table":
            print(_("(nothing to show)"), file=stream)
        return
    headers = list(rows[0])
    if form == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_safe(row[h]) for h in headers])
        return
    cells = [[_cell(row[h]) for h in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(), file=stream)
    for line in cells:
        text = "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True))
        print(text.rstrip(), file=stream)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value).replace("\n", " ")
