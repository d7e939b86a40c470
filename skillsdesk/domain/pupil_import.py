"""Turn a pupil list exported from an MIS (Arbor, SIMS, Bromcom, ScholarPack, Wonde…) into records.

Every row is checked and every problem kept, so the import preview can show a school office
all that is wrong with a file at once instead of one error per attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.gb import upn as stdnum_upn

from skillsdesk.domain import normalise
from skillsdesk.domain.errors import Problem
from skillsdesk.domain.tabular import Row, Table
from skillsdesk.domain.yeargroups import normalise_year_group
from skillsdesk.i18n import N_, _, ngettext

PUPIL_FIELDS = (
    "admission_number", "legal_first_name", "legal_last_name", "preferred_first_name",
    "preferred_last_name", "year_group", "registration_group", "gender", "sen", "pupil_premium",
    "eal", "first_language", "upn",
)
REQUIRED = ("admission_number", "legal_first_name", "legal_last_name", "year_group")
MAX_NAME = 100

# Earlier aliases win when a file has two columns for one field ("Legal Forename" beats
# "Forename"; "Pupil Premium" beats "FSM", because FSM is only part of pupil premium).
ALIASES: dict[str, tuple[str, ...]] = {
    "admission_number": (
        "Admission Number", "Adno", "Adm No", "Admission No", "Pupil ID", "MIS ID", "Student ID",
        "Id",
    ),
    "legal_first_name": (
        "Legal First Name", "Legal Forename", "Forename", "First Name", "Firstname", "Given Name",
    ),
    "legal_last_name": ("Legal Last Name", "Legal Surname", "Surname", "Last Name", "Family Name"),
    "preferred_first_name": (
        "Preferred First Name", "Preferred Forename", "Known As", "KnownAs", "Preferred Name",
        "Chosen Name",
    ),
    "preferred_last_name": ("Preferred Last Name", "Preferred Surname"),
    "year_group": (
        "Year Group", "NC Year", "National Curriculum Year", "Curriculum Year", "Year", "Yr",
    ),
    "registration_group": (
        "Registration Group", "Registration Form", "Reg Group", "Reg", "Form/Tutor Group",
        "Tutor Group", "Form", "Class", "Class Name",
    ),
    "gender": ("Gender", "Sex", "Legal Sex"),
    "sen": ("SEN Status", "SEN Provision", "SEN", "SEND", "SEN Stage"),
    "pupil_premium": (
        "Pupil Premium", "Pupil Premium Eligibility", "Pupil Premium Indicator",
        "Pupil Premium Eligible", "PP", "PP Eligible", "Disadvantaged", "FSM", "FSM Eligibility",
        "FSM Eligible", "Ever 6 FSM", "FSM Ever 6", "Free School Meals",
    ),
    "eal": ("EAL", "EAL Status", "English as an Additional Language"),
    "first_language": ("First Language", "Home Language", "Main Language", "Language"),
    "upn": ("UPN", "Unique Pupil Number"),
}

LABELS = {
    "admission_number": N_("admission number"),
    "legal_first_name": N_("legal first name"),
    "legal_last_name": N_("legal last name"),
    "preferred_first_name": N_("preferred first name"),
    "preferred_last_name": N_("preferred last name"),
    "year_group": N_("year group"),
    "registration_group": N_("registration group"),
    "gender": N_("gender"),
    "sen": N_("SEN status"),
    "pupil_premium": N_("pupil premium"),
    "eal": N_("EAL"),
    "first_language": N_("first language"),
    "upn": N_("UPN"),
}


@dataclass(frozen=True)
class PupilRecord:
    line: int
    admission_number: str
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str | None
    preferred_last_name: str | None
    year_group: str
    registration_group: str | None
    gender: str | None
    sen: str | None
    pupil_premium: bool | None
    eal: bool | None
    first_language: str | None
    upn: str | None


@dataclass(frozen=True)
class ParsedPupils:
    source: str
    records: tuple[PupilRecord, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    columns: dict[str, str]
    ignored_columns: tuple[str, ...]
    invalid_lines: frozenset[int]


def superseded_warnings(match: normalise.ColumnMatch, labels: dict[str, str]) -> list[Problem]:
    """Say which column was left out when two columns hold the same thing."""
    return [
        Problem(
            _('Both "{used}" and "{unused}" hold the {field}; SkillsDesk used "{used}" and '
              'left "{unused}" out.').format(used=used, unused=unused, field=_(labels[field])),
            field=unused,
        )
        for field, used, unused in match.superseded
    ]


def ragged_problem(row: Row, width: int) -> Problem | None:
    """A row with a different number of cells usually has a stray comma, so its columns slip."""
    extra = row.cells[width:]
    if len(row.cells) < width or any(extra):
        return Problem(
            _("This row has {count} cells where the header has {expected}, so its columns "
              "may have slipped (look for a stray comma or quote mark).").format(
                count=len(row.cells), expected=width),
            line=row.line,
        )
    return None


class RowReader:
    """Reads one row's cells by field and collects that row's problems (shared by importers)."""

    def __init__(
        self, row: Row, match: normalise.ColumnMatch, labels: dict[str, str] = LABELS
    ) -> None:
        self.row = row
        self.index = match.index
        self.columns = match.columns
        self.labels = labels
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def has(self, field: str) -> bool:
        return field in self.index

    def raw(self, field: str) -> str:
        column = self.index.get(field)
        if column is None or column >= len(self.row.cells):
            return ""
        return self.row.cells[column]

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(message, line=self.row.line, field=self.columns.get(field)))

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(Problem(message, line=self.row.line, field=self.columns.get(field)))

    def text(self, field: str, *, required: bool, limit: int = MAX_NAME) -> str | None:
        """A name-like cell: NFC, spaces tidied; blank, too long or control characters reported."""
        value = normalise.name(self.raw(field))
        if not value:
            if required:
                self.problem(field, _("The {field} is blank.").format(field=_(self.labels[field])))
            return None
        if len(value) > limit:
            self.problem(field, _("The {field} is {count} characters long; the most SkillsDesk "
                                  "accepts is {limit}.").format(
                field=_(self.labels[field]), count=len(value), limit=limit))
        if normalise.has_control_characters(value):
            self.problem(field, _("The {field} contains hidden control characters; retype it "
                                  "in the file.").format(field=_(self.labels[field])))
        if "?" in value or "\ufffd" in value:
            # Excel's "CSV (Comma delimited)" turns letters like Ł and ż into "?".
            self.warn(field, _('"{value}" contains "?", which may be a letter lost when the '
                               'file was saved. Saving it as "CSV UTF-8" keeps every letter.')
                      .format(value=value))
        return value

    def flag(self, field: str) -> bool | None:
        if not self.has(field):
            return None
        raw = self.raw(field)
        value = normalise.yes_no(raw)
        if value is None:
            self.problem(field, _('"{value}" is not a yes or no answer SkillsDesk recognises '
                                  "(use Yes or No).").format(value=raw))
        return value


def _admission_number(reader: RowReader) -> str | None:
    raw = reader.raw("admission_number")
    if normalise.looks_scientific(raw):
        reader.problem("admission_number", _(
            '"{value}" has been turned into a rounded number by Excel. Format the column as '
            "text in your school system's export and export again.").format(value=raw))
        return None
    value = normalise.admission_number(raw)
    if not value:
        reader.problem("admission_number", _("The admission number is blank."))
        return None
    if len(value) > 50 or normalise.has_control_characters(value):
        reader.problem("admission_number", _('"{value}" is not an admission number.').format(
            value=value[:60]))
        return None
    return value


def _year_group(reader: RowReader) -> str | None:
    raw = reader.raw("year_group")
    if not raw:
        reader.problem("year_group", _("The year group is blank."))
        return None
    code = normalise_year_group(raw)
    if code is None:
        reader.problem("year_group", _(
            '"{value}" is not a primary year group. SkillsDesk takes nursery, reception and '
            "Years 1 to 6.").format(value=raw))
    return code


def _upn(reader: RowReader) -> str | None:
    raw = reader.raw("upn")
    if not reader.has("upn") or not raw:
        return None
    value = stdnum_upn.compact(raw)
    if stdnum_upn.is_valid(value):
        return value
    # The UPN itself is never repeated in a message: it must not appear on screen or in logs.
    reader.warn("upn", _("The UPN on this row is not a valid UPN, so it was left out. The rest "
                         "of the row is fine."))
    return None


def _sen(reader: RowReader) -> str | None:
    if not reader.has("sen"):
        return None
    raw = reader.raw("sen")
    code = normalise.sen_code(raw)
    if code is None:
        reader.problem("sen", _('"{value}" is not a SEN status SkillsDesk recognises (use E for '
                                "an EHC plan, K for SEN support or N for none).").format(value=raw))
    return code


def _gender(reader: RowReader) -> str | None:
    value = normalise.gender(reader.raw("gender"))
    if value is not None and (len(value) > 50 or normalise.has_control_characters(value)):
        reader.problem("gender", _('"{value}" is too long or contains hidden characters.').format(
            value=value[:60]))
    return value


def parse_pupils(table: Table) -> ParsedPupils:
    """Check every row of a pupil list; raise UserError only when a needed column is missing."""
    match = normalise.match_columns(table.headers, ALIASES)
    missing = [field for field in REQUIRED if field not in match.index]
    if missing:
        raise normalise.missing_columns_error(table.source, table.headers, missing, LABELS, ALIASES)
    problems: list[Problem] = list(table.problems)
    warnings: list[Problem] = superseded_warnings(match, LABELS)
    candidates: list[PupilRecord] = []
    invalid: set[int] = {p.line for p in table.problems if p.line is not None}
    seen: dict[str, tuple[int, str]] = {}  # casefolded admission number -> (first line, as written)
    repeats: dict[int, list[int]] = {}  # first line -> later lines
    for row in table.rows:
        reader = RowReader(row, match)
        ragged = ragged_problem(row, len(table.headers))
        if ragged:
            reader.problems.append(ragged)
        adno = _admission_number(reader)
        if adno is not None:
            first, _written = seen.setdefault(adno.casefold(), (row.line, adno))
            if first != row.line:
                repeats.setdefault(first, []).append(row.line)
                reader.problem("admission_number", _(
                    "Admission number {number} is also on line {first}; each pupil needs their "
                    "own.").format(number=adno, first=first))
        record = PupilRecord(
            line=row.line,
            admission_number=adno or "",
            legal_first_name=reader.text("legal_first_name", required=True) or "",
            legal_last_name=reader.text("legal_last_name", required=True) or "",
            preferred_first_name=reader.text("preferred_first_name", required=False),
            preferred_last_name=reader.text("preferred_last_name", required=False),
            year_group=_year_group(reader) or "",
            registration_group=reader.text("registration_group", required=False),
            gender=_gender(reader),
            sen=_sen(reader),
            pupil_premium=reader.flag("pupil_premium"),
            eal=reader.flag("eal"),
            first_language=reader.text("first_language", required=False),
            upn=_upn(reader),
        )
        problems.extend(reader.problems)
        warnings.extend(reader.warnings)
        if reader.problems:
            invalid.add(row.line)
        else:
            candidates.append(record)
    # The first of two rows sharing an admission number is as doubtful as the repeat.
    written = {line: adno for line, adno in seen.values()}
    for first, later in repeats.items():
        invalid.add(first)
        problems.append(Problem(
            ngettext("Admission number {number} is used again on line {lines}; each pupil "
                     "needs their own.",
                     "Admission number {number} is used again on lines {lines}; each pupil "
                     "needs their own.", len(later)).format(
                number=written[first],
                lines=", ".join(str(n) for n in later)),
            line=first, field=match.columns["admission_number"]))
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return ParsedPupils(
        source=table.source,
        records=tuple(r for r in candidates if r.line not in invalid),
        problems=tuple(problems),
        warnings=tuple(warnings),
        columns=dict(match.columns),
        ignored_columns=match.ignored,
        invalid_lines=frozenset(invalid),
    )

