"""English primary year groups: codes, order, and reading what MIS exports write.

Codes follow the census: E1, E2 (before nursery), N1, N2 (nursery), R (reception), then 1 to 6.
"""

from __future__ import annotations

import re

from skillsdesk.i18n import N_, _

YEAR_GROUPS: tuple[str, ...] = ("E1", "E2", "N1", "N2", "R", "1", "2", "3", "4", "5", "6")

_LABELS = {
    "E1": N_("Early years 1"),
    "E2": N_("Early years 2"),
    "N1": N_("Nursery 1"),
    "N2": N_("Nursery 2"),
    "R": N_("Reception"),
}

# Default expected step (on a 0-15 ladder) at the end of each year group. A school setting
# overrides these; they follow the rough guide that primary covers steps 0-5.
DEFAULT_EXPECTED_STEP = {
    "E1": 0, "E2": 0, "N1": 0, "N2": 0, "R": 1,
    "1": 1, "2": 2, "3": 2, "4": 3, "5": 4, "6": 5,
}

_WORDS = {
    "reception": "R", "rec": "R", "yr": "R", "r": "R", "yr0": "R", "y0": "R", "year0": "R",
    "0": "R", "fs2": "R", "f2": "R",
    "nursery": "N2", "nur": "N2", "fs1": "N2", "f1": "N2",
}
_PATTERN = re.compile(
    r"^(?:(?P<e>e|early\s*years?)\s*(?P<en>[12])"
    r"|(?P<n>n|nur|nursery)\s*(?P<nn>[12])"
    r"|(?:y|yr|year|nc\s*year|ncy)?\s*(?P<y>[1-6]))$"
)


def normalise_year_group(text: str | int | float | None) -> str | None:
    """Return the census code for what an MIS wrote, or None when it is not a primary year.

    >>> normalise_year_group("Year 3"), normalise_year_group("YR"), normalise_year_group("N1")
    ('3', 'R', 'N1')
    """
    if text is None:
        return None
    if isinstance(text, float):
        if not text.is_integer():
            return None
        text = int(text)
    raw = re.sub(r"[\s_\-.]+", " ", str(text).strip().lower()).strip()
    if not raw:
        return None
    compact = raw.replace(" ", "")
    if compact in _WORDS:
        return _WORDS[compact]
    match = _PATTERN.match(raw) or _PATTERN.match(compact)
    if not match:
        return None
    if match.group("en"):
        return "E" + match.group("en")
    if match.group("nn"):
        return "N" + match.group("nn")
    return match.group("y")


def year_group_rank(code: str) -> int:
    """Position in school order, for sorting (E1 first, Year 6 last)."""
    return YEAR_GROUPS.index(code)


def year_group_label(code: str) -> str:
    """A label a parent would recognise: "Reception", "Year 3"."""
    if code in _LABELS:
        return _(_LABELS[code])
    return _("Year {number}").format(number=code)


def shift_year_group(code: str, years: int) -> str | None:
    """The year group ``years`` later (negative: earlier), or None outside the primary range."""
    index = year_group_rank(code) + years
    if 0 <= index < len(YEAR_GROUPS):
        return YEAR_GROUPS[index]
    return None
