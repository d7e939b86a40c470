"""``skillsdesk passports``: skills passports for a class, a year group or chosen pupils."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from skillsdesk.i18n import _, ngettext


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "passports", parents=[common],
        help=_("print skills passports for families as PDF"),
        description=_("Skills passports for a class, a year group or chosen pupils: one PDF "
                      "(each passport starting on a front side for double-sided printing) or "
                      "one file per pupil."))
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--group", metavar="NAME", help=_("a class or group, by name"))
    who.add_argument("--year-group", metavar="YG", help=_("a year group, such as R or 3"))
    who.add_argument("--pupil", metavar="ADNO", action="append",
                     help=_("a pupil's admission number (repeat for several)"))
    parser.add_argument("--out", metavar="PATH", type=Path, required=True,
                        help=_("the PDF to write, or the folder with --per-pupil"))
    parser.add_argument("--lang", metavar="LOCALE", default="en_GB",
                        help=_("the family's language, such as cy, pl or ar (default English)"))
    parser.add_argument("--per-pupil", action="store_true",
                        help=_("write one PDF per pupil into the folder PATH"))
    parser.set_defaults(handler=_passports)


def _passports(s: Any, args: argparse.Namespace) -> int:
    from skillsdesk.services.passports import check_locale

    locale = check_locale(args.lang)  # before any work, so a typo fails at once
    pupils = s.passports.pupils_for(group=args.group, year_group=args.year_group,
                                    admission_numbers=args.pupil)
    # Typed characters no font can draw print as [?]: say so, pupil by pupil, and print anyway.
    for found in s.passports.unprintable(pupils, locale):
        _warn(_("Warning: {pupil} ({adno}): {texts}. These characters cannot be printed and "
                "show as [?] on the passport; edit the text to keep them.").format(
            pupil=found.pupil.display_name, adno=found.pupil.admission_number,
            texts=found.describe()))
    result = s.passports.make(pupils, args.out, locale=locale, per_pupil=args.per_pupil,
                              progress=_progress)
    if args.per_pupil:
        print(ngettext("Wrote {n} passport ({pages} pages) into {folder}.",
                       "Wrote {n} passports ({pages} pages) into {folder}.",
                       result.passports).format(n=result.passports, pages=result.pages,
                                                folder=args.out))
    else:
        print(ngettext("Wrote {n} passport ({pages} pages) to {file}.",
                       "Wrote {n} passports ({pages} pages) to {file}.",
                       result.passports).format(n=result.passports, pages=result.pages,
                                                file=args.out))
    return 0


def _warn(text: str) -> None:
    """A line on stderr that cannot fail on a console that has no emoji (Windows' cp1252)."""
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding, "replace"),
          file=sys.stderr)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print("\r" + _("Passports: {done} of {total}").format(done=done, total=total), end="",
              file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)
