"""Small value normalisers shared by the pupil and observation importers.

MIS exports and hand-made spreadsheets write the same fact many ways ("Y", "Yes", "TRUE", "✓";
"K - SEN Support"; "22/11/2026", "45983"). These functions turn one cell into one value, or
``None`` when the text is not understood, so the caller can report the row instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _

_WHITESPACE = re.compile(r"\s+")


def header_key(text: str) -> str:
    """A loose key for matching headers: "Adm. No" and "ADMNO" both become "admno"."""
    folded = unicodedata.normalize("NFC", text.replace("\ufeff", "").casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def name(text: str) -> str:
    """A name exactly as written, but NFC (macOS and Excel can write NFD) and tidily spaced."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def has_control_characters(text: str) -> bool:
    """True for characters no name should hold (NUL, escape, bell…); tabs count too."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


_TRUE = {
    "y", "yes", "true", "t", "1", "1.0", "x", "✓", "✔", "☑", "✅", "-1",
    "fsm", "pp", "eal", "eligible", "ever6", "ever6fsm", "yesever6", "ticked",
}
_FALSE = {
    "", "n", "no", "false", "f", "0", "0.0", "✗", "✘", "☐", "-", "none", "na",
    "noteligible", "ineligible", "notfsm", "notpp", "noteal",
}


def yes_no(text: str) -> bool | None:
    """Read a yes/no cell. Blank means no (the column is there, nothing was ticked).

    Returns None for text that is neither, so the caller can report it.
    """
    raw = text.strip().casefold()
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    key = header_key(raw)
    if not key:
        # Only punctuation or symbols that are not a tick: "?" or "*" are not answers.
        return None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


# Census SEN provision: E = EHC plan, K = SEN support, N = no SEN. Before 2014 the codes were
# A = School Action, P = School Action Plus, S = Statement; old exports still carry them.
_SEN_WORDS = {
    "e": "E", "ehc": "E", "ehcp": "E", "ehcplan": "E", "educationhealthandcareplan": "E",
    "educationhealthcareplan": "E", "statement": "E", "statemented": "E", "s": "E",
    "k": "K", "sensupport": "K", "support": "K", "senk": "K", "a": "K", "p": "K",
    "schoolaction": "K", "schoolactionplus": "K",
    "n": "N", "no": "N", "none": "N", "nosen": "N", "notsen": "N", "na": "N",
    "nospecialeducationalneed": "N", "nospecialeducationalneeds": "N",
}
_SEN_PREFIX = re.compile(r"^\s*([EKNekn])\s*[-–—:=]\s*\S")


def sen_code(text: str) -> str | None:
    """The census SEN code "E", "K" or "N" for what a file wrote; blank means "N"."""
    raw = text.strip()
    if not raw:
        return "N"
    prefixed = _SEN_PREFIX.match(raw)  # "K - SEN Support", "E: EHC plan"
    if prefixed:
        return prefixed.group(1).upper()
    key = header_key(raw)
    if not key:
        return "N" if raw in {"-", "–", "—"} else None
    return _SEN_WORDS.get(key)


_GENDERS = {"m": "M", "male": "M", "boy": "M", "f": "F", "female": "F", "girl": "F"}


def gender(text: str) -> str | None:
    """"M" or "F" for the usual spellings; anything else is kept as the family wrote it."""
    raw = name(text)
    if not raw:
        return None
    return _GENDERS.get(raw.casefold(), raw)


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\S*)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_D_MON_Y = re.compile(r"^(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([A-Za-z]+)\.?"
                      r"[\s\-/.,]+(\d{4}|\d{2})$")
_SERIAL = re.compile(r"^(\d{1,5})(?:\.\d+)?$")
# English month names only: MIS exports are in English whatever the app's language.
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)


def _year(text: str) -> int:
    """Two-digit years follow Python's %y rule: 00-68 are 2000s, 69-99 are 1900s."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 69 else 1900
    return year


def _month(word: str) -> int | None:
    """1-12 for "Nov", "November" or "Sept"; None for anything shorter than three letters."""
    word = word.casefold()
    if len(word) < 3:
        return None
    for number, full in enumerate(_MONTH_NAMES, start=1):
        if full.startswith(word):
            return number
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """A date from ISO, UK day-first (never US month-first), "22 Nov 2026" or an Excel serial."""
    raw = text.strip()
    if not raw:
        return None
    if match := _ISO.match(raw):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _YMD_SLASH.match(raw):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY.match(raw):
        return _date(_year(match[4]), int(match[3]), int(match[1]))
    if match := _D_MON_Y.match(raw):
        month = _month(match[2])
        return None if month is None else _date(_year(match[3]), month, int(match[1]))
    if match := _SERIAL.match(raw):
        serial = int(match[1])
        if 1 <= serial <= 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    return None

_ADNO_EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d+$")


def admission_number(text: str) -> str:
    """An admission number as written (leading zeros kept), minus Excel's trailing ".0"."""
    raw = name(text)
    match = _ADNO_EXCEL_FLOAT.match(raw)
    return match[1] if match else raw


def looks_scientific(text: str) -> bool:
    """True for "1.23457E+11": Excel has already lost the digits, so the value cannot be used."""
    return bool(_SCIENTIFIC.match(text.strip()))


@dataclass(frozen=True)
class ColumnMatch:
    """Which header (by position) holds each field, and which headers nothing used."""

    index: dict[str, int]
    columns: dict[str, str]
    ignored: tuple[str, ...]
    superseded: tuple[tuple[str, str, str], ...]  # (field, header used, header not used)


def match_columns(headers: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> ColumnMatch:
    """Match headers to fields loosely. Earlier aliases win when two headers fit one field."""
    rank: dict[str, tuple[str, int]] = {}
    for field, names in aliases.items():
        for position, alias in enumerate(names):
            rank.setdefault(header_key(alias), (field, position))
    chosen: dict[str, tuple[int, int]] = {}  # field -> (alias position, column)
    candidates: dict[str, list[int]] = {}
    ignored: list[str] = []
    for column, header in enumerate(headers):
        hit = rank.get(header_key(header))
        if hit is None:
            if header.strip():
                ignored.append(header)
            continue
        field, position = hit
        candidates.setdefault(field, []).append(column)
        if field not in chosen or position < chosen[field][0]:
            chosen[field] = (position, column)
    superseded: list[tuple[str, str, str]] = []
    for field, columns in candidates.items():
        for column in columns:
            if column != chosen[field][1]:
                superseded.append((field, headers[chosen[field][1]], headers[column]))
                ignored.append(headers[column])
    index = {field: column for field, (_position, column) in chosen.items()}
    ordered = tuple(h for h in headers if h in ignored)
    return ColumnMatch(
        index=index,
        columns={field: headers[column] for field, column in index.items()},
        ignored=tuple(dict.fromkeys(ordered)),
        superseded=tuple(superseded),
    )


def missing_columns_error(
    source: str,
    headers: Sequence[str],
    missing: Sequence[str],
    labels: Mapping[str, str],
    aliases: Mapping[str, Sequence[str]],
) -> UserError:
    """The error for a file that lacks a column SkillsDesk cannot do without."""
    looked_for = "; ".join(
        _("{field}: {headers}").format(
            field=_(labels[field]), headers=", ".join(f'"{a}"' for a in aliases[field])
        )
        for field in missing
    )
    found = ", ".join(f'"{h}"' for h in headers if h.strip()) or _("(none)")
    return UserError(
        _(
            'The file "{file}" has no column for: {missing}. SkillsDesk looks for these '
            "headers: {looked_for}. The headers in the file are: {found}. Rename the columns "
            "in the file, or export it again with these columns included."
        ).format(
            file=source,
            missing=", ".join(_(labels[field]) for field in missing),
            looked_for=looked_for,
            found=found,
        )
    )
