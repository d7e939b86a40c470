"""The trust export's tables, built from per-pupil facts that never leave this module's caller.

Pure: the audit service reads the facts from storage (no names, no dates, no notes: only year
group, characteristics, steps and counts), this module turns them into aggregate cells, ties the
cells together with the sums a reader could do (row and column totals, "at or above expected",
the year group's size that every table repeats) and lets ``suppression`` decide what shows.

Step bands are relative to the year group's expected step (DOMAIN.md §7 asks "counts per step
band or % at expectation"), so the trust can compare year groups and schools; the steps each band
covers are published alongside. A band that cannot hold anyone (no step below 0) is ``None``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from skillsdesk.domain.suppression import Constraint, Published, percent, publish, suppress
from skillsdesk.domain.yeargroups import YEAR_GROUPS
from skillsdesk.i18n import N_

BANDS = ("not_yet", "well_below", "just_below", "at", "above")
BELOW = ("not_yet", "well_below", "just_below")
GAINED = ("gained_0", "gained_1", "gained_2_plus")
ENCOUNTERS = ("none", "one", "two", "three_or_more")
CHARACTERISTICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gender", ("F", "M", "other")),
    ("pupil_premium", ("yes", "no")),
    ("sen", ("E", "K", "N")),
    ("eal", ("yes", "no")),
)
ALL = "all"


@dataclass(frozen=True)
class SkillFacts:
    code: str
    lowest: int
    highest: int


@dataclass(frozen=True)
class PupilFacts:
    """One pupil as the export needs them: never a name, a number or a date."""

    year_group: str
    gender: str        # F, M or other (anything else, or not recorded)
    sen: str           # E, K or N
    pupil_premium: bool
    eal: bool
    now: tuple[int | None, ...]    # current step per skill (None: nothing secured)
    start: tuple[int | None, ...]  # the same at the start of the academic year
    observed: tuple[bool, ...]     # seen in that skill this term
    encounters: int = 0            # careers activities taken part in this year

    def group(self, characteristic: str) -> str:
        if characteristic == "gender":
            return self.gender if self.gender in ("F", "M") else "other"
        if characteristic == "sen":
            return self.sen if self.sen in ("E", "K") else "N"
        return "yes" if getattr(self, characteristic) else "no"


@dataclass(frozen=True)
class AuditFacts:
    skills: tuple[SkillFacts, ...]
    expected: Mapping[str, int]
    pupils: Sequence[PupilFacts]
    settings: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (yg, setting) -> obs
    setting_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # marked with N_; translated where shown
    kind: str   # label | count | percent | mean | number


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Published | float | str, ...], ...]

    def records(self) -> list[dict[str, Published | float | str]]:
        return [dict(zip((c.key for c in self.columns), row, strict=True)) for row in self.rows]


def band_of(step: int | None, expected: int) -> str:
    if step is None:
        return "not_yet"
    if step >= expected:
        return "at" if step == expected else "above"
    return "just_below" if step == expected - 1 else "well_below"


def band_steps(skill: SkillFacts, expected: int) -> dict[str, tuple[int, int] | None]:
    """The steps each band covers for one skill and year group (None: the band is empty)."""
    e = min(max(expected, skill.lowest), skill.highest)
    return {
        "not_yet": None,
        "well_below": (skill.lowest, e - 2) if e - 2 >= skill.lowest else None,
        "just_below": (e - 1, e - 1) if e - 1 >= skill.lowest else None,
        "at": (e, e),
        "above": (e + 1, skill.highest) if e < skill.highest else None,
    }


def expected_for(expected: Mapping[str, int], year_group: str, skill: SkillFacts) -> int:
    from skillsdesk.domain.yeargroups import DEFAULT_EXPECTED_STEP

    value = expected.get(year_group, DEFAULT_EXPECTED_STEP.get(year_group, skill.lowest))
    return min(max(int(value), skill.lowest), skill.highest)


def _gained(now: int | None, start: int | None, lowest: int) -> int:
    before = lowest - 1 if start is None else start
    after = lowest - 1 if now is None else now
    return max(0, after - before)


class _Cells:
    """Counts under keys, and the sums that tie them together."""

    def __init__(self) -> None:
        self.values: Counter[Hashable] = Counter()
        self.constraints: list[Constraint] = []
        # Steps gained summed per (year group, skill, row): averages, not cells.
        self.gain_sums: Counter[Hashable] = Counter()

    def touch(self, key: Hashable) -> Hashable:
        self.values[key] += 0
        return key

    def tie(self, whole: Hashable, parts: Sequence[Hashable]) -> None:
        self.touch(whole)
        for part in parts:
            self.touch(part)
        self.constraints.append(Constraint(whole, tuple(parts)))


def year_groups_of(pupils: Sequence[PupilFacts]) -> list[str]:
    present = {p.year_group for p in pupils}
    return [yg for yg in YEAR_GROUPS if yg in present]


def _rows_of(year_group: str) -> list[tuple[str, str]]:
    return [(ALL, ALL)] + [(c, g) for c, groups in CHARACTERISTICS for g in groups]


def build_cells(facts: AuditFacts) -> _Cells:
    cells = _Cells()
    years = year_groups_of(facts.pupils)
    for pupil in facts.pupils:
        yg = pupil.year_group
        rows = [(ALL, ALL)] + [(c, pupil.group(c)) for c, _groups in CHARACTERISTICS]
        for row in rows:
            cells.values[("pupils", yg, *row)] += 1
        for index, skill in enumerate(facts.skills):
            exp = expected_for(facts.expected, yg, skill)
            band = band_of(pupil.now[index], exp)
            gained = _gained(pupil.now[index], pupil.start[index], skill.lowest)
            gain_key = GAINED[min(gained, 2)]
            below = band in BELOW
            for row in rows:
                cells.values[("band", yg, skill.code, *row, band)] += 1
                cells.values[("below" if below else "at_or_above", yg, skill.code, *row)] += 1
                cells.values[(gain_key, yg, skill.code, *row)] += 1
                cells.gain_sums[(yg, skill.code, *row)] += gained
            cells.values[("observed" if pupil.observed[index] else "not_observed",
                          yg, skill.code)] += 1
        cells.values[("encounters", yg, ENCOUNTERS[min(pupil.encounters, 3)])] += 1
    for yg in years:
        size = ("pupils", yg, ALL, ALL)
        for characteristic, groups in CHARACTERISTICS:
            cells.tie(size, [("pupils", yg, characteristic, g) for g in groups])
        cells.tie(size, [("encounters", yg, e) for e in ENCOUNTERS])
        for skill in facts.skills:
            code = skill.code
            bands = [b for b, steps in band_steps(skill, expected_for(facts.expected, yg, skill))
                     .items() if b == "not_yet" or steps is not None]
            cells.tie(size, [("observed", yg, code), ("not_observed", yg, code)])
            columns = [("band", b) for b in bands] + [("below",), ("at_or_above",)] + \
                      [(g,) for g in GAINED]
            for row in _rows_of(yg):
                key = ("pupils", yg, *row)
                cells.tie(key, [("band", yg, code, *row, b) for b in bands])
                cells.tie(key, [("below", yg, code, *row), ("at_or_above", yg, code, *row)])
                cells.tie(("below", yg, code, *row),
                          [("band", yg, code, *row, b) for b in bands if b in BELOW])
                cells.tie(("at_or_above", yg, code, *row),
                          [("band", yg, code, *row, b) for b in bands if b not in BELOW])
                cells.tie(key, [(g, yg, code, *row) for g in GAINED])
            for characteristic, groups in CHARACTERISTICS:
                for column in columns:
                    name, *rest = column
                    cells.tie((name, yg, code, ALL, ALL, *rest),
                              [(name, yg, code, characteristic, g, *rest) for g in groups])
    _settings_cells(cells, facts, years)
    return cells


def _settings_cells(cells: _Cells, facts: AuditFacts, years: list[str]) -> None:
    names = facts.setting_names
    for yg in years:
        for setting in names:
            cells.values[("settings", yg, setting)] += facts.settings.get((yg, setting), 0)
        cells.values[("settings", yg, ALL)] += sum(facts.settings.get((yg, s), 0) for s in names)
    for setting in (*names, ALL):
        cells.values[("settings", ALL, setting)] += sum(
            cells.values[("settings", yg, setting)] for yg in years)
    if not years:
        return
    for yg in (*years, ALL):
        cells.tie(("settings", yg, ALL), [("settings", yg, s) for s in names])
    for setting in (*names, ALL):
        cells.tie(("settings", ALL, setting), [("settings", yg, setting) for yg in years])


@dataclass(frozen=True)
class Suppressed:
    """Every cell's published value, with what was decided."""

    shown: Mapping[Hashable, Published]
    hidden: frozenset[Hashable]
    values: Mapping[Hashable, int]

    def get(self, key: Hashable) -> Published:
        return self.shown.get(key)


def suppress_cells(cells: _Cells, min_cell: int, rounding: bool) -> Suppressed:
    values = dict(cells.values)
    hidden = suppress(values, cells.constraints, min_cell)
    shown = {key: publish(value, key in hidden, rounding) for key, value in values.items()}
    return Suppressed(shown, hidden | suppress_gain_sums(cells, hidden, min_cell), values)


def suppress_gain_sums(cells: _Cells, hidden: frozenset[Hashable], min_cell: int
                       ) -> frozenset[Hashable]:
    """Which groups' average steps gained stay hidden (as ("gain_sum", ...) keys).

    An average is a sum of gains over a group: shown beside hidden "gained 0/1/2+" counts it
    could give them away (an average of 0.0 says every child gained nothing), and the groups'
    sums add up to the year group's, so a hidden one could be worked back from the others.
    So the sums are suppressed as cells of their own: hidden wherever a count of the row is,
    then given company like any other cell.
    """
    sums = {("gain_sum", *key): total for key, total in cells.gain_sums.items()}
    constraints = []
    for (yg, code, ch, _g) in cells.gain_sums:
        if ch == ALL:
            for characteristic, groups in CHARACTERISTICS:
                constraints.append(Constraint(("gain_sum", yg, code, ALL, ALL), tuple(
                    ("gain_sum", yg, code, characteristic, group) for group in groups)))
    for constraint in constraints:
        for key in constraint.parts:
            sums.setdefault(key, 0)  # an empty group sums to 0
    force = {key for key in sums
             if ("pupils", key[1], *key[3:]) in hidden
             or any((g, *key[1:]) in hidden for g in GAINED)}
    return suppress(sums, constraints, min_cell, force)


def skill_tables(facts: AuditFacts, cells: _Cells, result: Suppressed) -> list[Table]:
    attainment, progress, coverage, bands_rows = [], [], [], []
    for yg in year_groups_of(facts.pupils):
        for skill in facts.skills:
            code = skill.code
            exp = expected_for(facts.expected, yg, skill)
            steps = band_steps(skill, exp)
            for band in BANDS:
                span = steps[band]
                bands_rows.append((yg, code, exp, band, None if span is None else span[0],
                                   None if span is None else span[1]))
            for row in _rows_of(yg):
                size = result.get(("pupils", yg, *row))
                band_values = tuple(
                    result.get(("band", yg, code, *row, b))
                    if b == "not_yet" or steps[b] is not None else None for b in BANDS)
                at_or_above = result.get(("at_or_above", yg, code, *row))
                attainment.append((yg, code, exp, *row, size, *band_values,
                                   result.get(("below", yg, code, *row)), at_or_above,
                                   percent(at_or_above, size)))
                gains = [result.get((g, yg, code, *row)) for g in GAINED]
                progress.append((yg, code, *row, size, *gains,
                                 _mean_gained(cells, result, (yg, code, *row))))
            size = result.get(("pupils", yg, ALL, ALL))
            seen = result.get(("observed", yg, code))
            coverage.append((yg, code, size, seen, result.get(("not_observed", yg, code)),
                             percent(seen, size)))
    return [
        Table("attainment", N_("Pupils by step band and at the expected step"),
              _label_columns(("year_group", "skill")) + (
                  Column("expected_step", N_("Expected step"), "number"),
                  *_label_columns(("characteristic", "group")),
                  Column("pupils", N_("Pupils"), "count"),
                  *(Column(b, title, "count") for b, title in zip(BANDS, BAND_TITLES, strict=True)),
                  Column("below_expected", N_("Below expected"), "count"),
                  Column("at_or_above_expected", N_("At or above expected"), "count"),
                  Column("at_or_above_percent", N_("% at or above expected"), "percent")),
              tuple(attainment)),
        Table("progress", N_("Steps gained since the start of the academic year"),
              _label_columns(("year_group", "skill", "characteristic", "group")) + (
                  Column("pupils", N_("Pupils"), "count"),
                  Column("gained_0", N_("No step gained"), "count"),
                  Column("gained_1", N_("One step gained"), "count"),
                  Column("gained_2_plus", N_("Two or more steps gained"), "count"),
                  Column("average_gained", N_("Average steps gained"), "mean")),
              tuple(progress)),
        Table("coverage_skills", N_("Pupils observed in each skill this term"),
              _label_columns(("year_group", "skill")) + (
                  Column("pupils", N_("Pupils"), "count"),
                  Column("observed", N_("Observed this term"), "count"),
                  Column("not_observed", N_("Not observed this term"), "count"),
                  Column("observed_percent", N_("% observed"), "percent")),
              tuple(coverage)),
        Table("bands", N_("The steps in each band"),
              _label_columns(("year_group", "skill")) + (
                  Column("expected_step", N_("Expected step"), "number"),
                  Column("band", N_("Band"), "label"),
                  Column("from_step", N_("From step"), "number"),
                  Column("to_step", N_("To step"), "number")),
              tuple(bands_rows)),
    ]


BAND_TITLES = (N_("No step secured yet"), N_("Two or more steps below"), N_("One step below"),
               N_("At the expected step"), N_("Above the expected step"))
SETTING_TITLES = {"classroom": N_("Classroom"), "lunchtime": N_("Lunchtime"),
                  "playground": N_("Playground"), "trip": N_("Trip"),
                  "employer": N_("Employer activity"), "home": N_("Home"), "online": N_("Online"),
                  ALL: N_("All settings")}
ROLE_TITLES = {"admin": N_("Leaders and admins"), "teacher": N_("Teachers"),
               "support": N_("Support staff"), "lunchtime": N_("Lunchtime supervisors")}
LABEL_TITLES = {"year_group": N_("Year group"), "skill": N_("Skill"),
                "characteristic": N_("Characteristic"), "group": N_("Group"),
                "setting": N_("Setting")}


def _label_columns(keys: Sequence[str]) -> tuple[Column, ...]:
    return tuple(Column(k, LABEL_TITLES[k], "label") for k in keys)


def _mean_gained(cells: _Cells, result: Suppressed, where: tuple[str, ...]) -> Published | float:
    """Average steps gained, only where the group's sum of gains may be shown."""
    if ("gain_sum", *where) in result.hidden:
        return "c"
    size = result.values.get(("pupils", where[0], *where[2:]), 0)
    return round(cells.gain_sums[where] / size, 1) if size else None


def pupil_tables(facts: AuditFacts, result: Suppressed) -> list[Table]:
    encounters, settings = [], []
    years = year_groups_of(facts.pupils)
    for yg in years:
        encounters.append((yg, result.get(("pupils", yg, ALL, ALL)),
                           *(result.get(("encounters", yg, e)) for e in ENCOUNTERS)))
    for yg in (*years, ALL) if years else ():
        whole = result.get(("settings", yg, ALL))
        for setting in (*facts.setting_names, ALL):
            shown = result.get(("settings", yg, setting))
            settings.append((yg, setting, shown, percent(shown, whole)))
    return [
        Table("coverage_settings", N_("Observations this term by setting"),
              _label_columns(("year_group", "setting")) + (
                  Column("observations", N_("Observations"), "count"),
                  Column("percent_of_year_group", N_("% of the year group's observations"),
                         "percent")),
              tuple(settings)),
        Table("careers_encounters", N_("Pupils by careers encounters this academic year"),
              _label_columns(("year_group",)) + (
                  Column("pupils", N_("Pupils"), "count"),
                  Column("none", N_("None"), "count"),
                  Column("one", N_("One"), "count"),
                  Column("two", N_("Two"), "count"),
                  Column("three_or_more", N_("Three or more"), "count")),
              tuple(encounters)),
    ]


def build_tables(facts: AuditFacts, min_cell: int,
                 rounding: bool) -> tuple[list[Table], Suppressed]:
    """The pupil-based tables, suppressed together (they share the year groups' sizes)."""
    cells = build_cells(facts)
    result = suppress_cells(cells, min_cell, rounding)
    return skill_tables(facts, cells, result) + pupil_tables(facts, result), result
