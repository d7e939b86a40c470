"""Commands for journey J6: the school's anonymised audit export, and the trust's report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from skillsdesk.domain.suppression import DEFAULT_MIN_CELL
from skillsdesk.i18n import _, ngettext


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    export = sub.add_parser("audit-export", parents=[common],
                            help=_("write the anonymised trust audit export (a zip)"))
    export.add_argument("--out", metavar="FILE.zip", type=Path, required=True)
    export.add_argument("--min-cell", metavar="N", type=_whole, default=DEFAULT_MIN_CELL,
                        help=_("smallest count shown (default {n}; never below 5)").format(
                            n=DEFAULT_MIN_CELL))
    export.add_argument("--round5", action="store_true",
                        help=_("round the counts shown to the nearest 5"))
    export.set_defaults(handler=_audit_export)

    report = sub.add_parser("trust-report", parents=[common],
                            help=_("check schools' export zips and compare them in one PDF"))
    report.add_argument("exports", metavar="EXPORT.zip", nargs="+", type=Path)
    report.add_argument("--out", metavar="FILE.pdf", type=Path, required=True)
    report.add_argument("--csv", metavar="FILE.csv", type=Path,
                        help=_("also write every school's figures to one CSV file"))
    report.set_defaults(handler=_trust_report, needs_services=False)


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number").format(text=text)) from None


def _audit_export(s: Any, args: argparse.Namespace) -> int:
    from skillsdesk.services.audit_export import ExportSettings

    # Settings are checked (minimum cell size at least 5) before anything is read or written.
    settings = ExportSettings(min_cell=args.min_cell, rounding=args.round5)
    export = s.audit_export.build(settings)
    saved = s.audit_export.save(export, args.out)
    print(_("Wrote {file}: {n} files; {hidden} of {cells} counts shown as c (minimum cell size "
            "{min}, {rounding}).").format(
        file=saved.path, n=len(saved.files), hidden=export.suppressed_cells, cells=export.cells,
        min=settings.min_cell,
        rounding=_("rounded to the nearest 5") if settings.rounding else _("not rounded")))
    return 0


def _trust_report(args: argparse.Namespace, _data_dir: Path) -> int:
    from skillsdesk.services.trust_report import build_trust_report

    report = build_trust_report(args.exports, args.out, args.csv)
    print(ngettext("Checked {n} export and wrote {file}.", "Checked {n} exports and wrote {file}.",
                   len(report.schools)).format(n=len(report.schools), file=report.pdf))
    if report.csv is not None:
        print(_("Wrote {file}.").format(file=report.csv))
    return 0
