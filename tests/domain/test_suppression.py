"""Small-number suppression (RELIABILITY.md G21): the rule on its own, then over random schools.

The school-level properties rebuild every sum a reader could do from the *published* tables
(they do not reuse the module's own constraint list), then look for leaks two ways: any sum with
exactly one hidden cell in it, and exact linear algebra over all the sums together.
"""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillsdesk.domain.audit_tables import (
    BANDS,
    BELOW,
    CHARACTERISTICS,
    ENCOUNTERS,
    GAINED,
    AuditFacts,
    PupilFacts,
    SkillFacts,
    band_of,
    build_tables,
)
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.suppression import (
    Constraint,
    check_min_cell,
    determined,
    percent,
    round_to_5,
    suppress,
)
from skillsdesk.domain.yeargroups import DEFAULT_EXPECTED_STEP, YEAR_GROUPS

SETTINGS = ("classroom", "lunchtime", "home")


def test_min_cell_below_5_is_refused() -> None:
    for bad in (4, 0, -10):
        with pytest.raises(UserError, match="below 5"):
            check_min_cell(bad)
    assert check_min_cell(5) == 5
    with pytest.raises(UserError):
        suppress({"a": 1, "b": 1, "t": 2}, [Constraint("t", ("a", "b"))], min_cell=3)


def test_rounding_and_percentages() -> None:
    assert [round_to_5(v) for v in (0, 10, 12, 13, 17, 18, 22)] == [0, 10, 10, 15, 15, 20, 20]
    assert percent(13, 40) == 33 and percent(1, 2) == 50 and percent(0, 0) is None
    assert percent("c", 40) == "c" and percent(12, "c") == "c"


def test_one_small_cell_in_a_row_takes_company_and_the_sum_stays_large() -> None:
    values = {"a": 3, "b": 12, "c": 14, "d": 40, "t": 69}
    hidden = suppress(values, [Constraint("t", ("a", "b", "c", "d"))], 10)
    assert hidden == {"a", "b"}  # b is the smallest other part; 3 + 12 >= 10


def test_two_small_cells_whose_sum_is_small_take_a_third() -> None:
    values = {"a": 3, "b": 4, "c": 14, "d": 40, "t": 61}
    hidden = suppress(values, [Constraint("t", ("a", "b", "c", "d"))], 10)
    assert hidden == {"a", "b", "c"}


def test_a_small_group_hides_its_zeros_but_a_large_one_shows_them() -> None:
    values = {"x0": 0, "x1": 3, "x": 3, "y0": 0, "y1": 20, "y": 20}
    cons = [Constraint("x", ("x0", "x1")), Constraint("y", ("y0", "y1"))]
    hidden = suppress(values, cons, 10)
    assert {"x", "x0", "x1"} <= hidden and not {"y0", "y1", "y"} & hidden


def test_two_blocks_joined_by_one_cell_are_caught_by_the_exact_check() -> None:
    # Rows r1..r4, columns c1..c4 with margins; hidden cells form two 2x2 rectangles joined by
    # a single cell (a bridge), which no single row or column gives away but the sums do.
    hidden = {(1, 1), (1, 2), (2, 1), (2, 2), (3, 3), (3, 4), (4, 3), (4, 4), (2, 3)}
    values = {(r, c): 20 for r in range(1, 5) for c in range(1, 5)}
    cons = []
    for r in range(1, 5):
        values[(r, 0)] = 80
        cons.append(Constraint((r, 0), tuple((r, c) for c in range(1, 5))))
    for c in range(1, 5):
        values[(0, c)] = 80
        cons.append(Constraint((0, c), tuple((r, c) for r in range(1, 5))))
    assert (2, 3) in determined(values, cons, hidden)
    assert not determined(values, cons, hidden - {(2, 3)})
    # Given those nine as small counts, every line looks safe on its own; the exact check is
    # what hides more.
    small = dict(values)
    for r in range(1, 5):
        for c in range(1, 5):
            small[(r, c)] = 6 if (r, c) in hidden else 20
        small[(r, 0)] = sum(small[(r, c)] for c in range(1, 5))
    for c in range(1, 5):
        small[(0, c)] = sum(small[(r, c)] for r in range(1, 5))
    result = suppress(small, cons, 10)
    assert hidden < result and not determined(small, cons, result)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(2, 6), st.data())
def test_the_solver_agrees_with_dense_elimination(rows: int, cols: int, data: Any) -> None:
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    values = {k: 1 for k in cells}
    cons = [Constraint(("r", r), tuple((r, c) for c in range(cols))) for r in range(rows)]
    cons += [Constraint(("c", c), tuple((r, c) for r in range(rows))) for c in range(cols)]
    for r in range(rows):
        values[("r", r)] = cols
    for c in range(cols):
        values[("c", c)] = rows
    hidden = set(data.draw(st.sets(st.sampled_from(cells + [("r", r) for r in range(rows)]))))
    assert determined(values, cons, hidden) == dense_determined(cons, hidden)


def dense_determined(cons: list[Constraint], hidden: set[Any]) -> set[Any]:
    """Textbook reduced row echelon form over fractions: the reference for the sparse solver."""
    names = sorted(hidden, key=repr)
    matrix = []
    for c in cons:
        row = [Fraction(0)] * len(names)
        for i, name in enumerate(names):
            row[i] += (name in c.parts) - (name == c.whole)
        matrix.append(row)
    pivots, rank = [], 0
    for col in range(len(names)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][col]
        matrix[rank] = [v / lead for v in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col]:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(col)
        rank += 1
    return {names[col] for i, col in enumerate(pivots)
            if sum(1 for v in matrix[i] if v) == 1}


# -- random schools ---------------------------------------------------------------------------

@st.composite
def schools(draw: Any) -> AuditFacts:
    years = draw(st.lists(st.sampled_from(YEAR_GROUPS), min_size=1, max_size=2, unique=True))
    skills = (SkillFacts("talk", 0, 15), SkillFacts("team", 0, 6))
    mix = {  # each school its own mix of characteristics
        "girls": draw(st.floats(0, 1)), "other": draw(st.floats(0, 0.2)),
        "pp": draw(st.floats(0, 1)), "sen": draw(st.floats(0, 0.5)),
        "ehcp": draw(st.floats(0, 1)), "eal": draw(st.floats(0, 1)),
    }
    # Hypothesis picks the sizes, the mix and a seed; the pupils themselves come from the seed
    # (drawing every attribute through Hypothesis made each example ten times slower).
    rng = random.Random(draw(st.integers(0, 2**32)))
    pupils = []
    for yg in years:
        for _ in range(draw(st.integers(1, 60))):
            u = [rng.random() for _ in range(6)]
            now = tuple(rng.choice([None, *range(s.lowest, min(s.highest, 8) + 1)])
                        for s in skills)
            start = tuple(None if n is None else rng.choice([None, *range(0, n + 1)])
                          for n in now)
            pupils.append(PupilFacts(
                yg, "other" if u[0] < mix["other"] else "F" if u[1] < mix["girls"] else "M",
                ("E" if u[3] < mix["ehcp"] else "K") if u[2] < mix["sen"] else "N",
                u[4] < mix["pp"], u[5] < mix["eal"], now, start,
                tuple(rng.random() < 0.6 for _ in skills), rng.randint(0, 5)))
    obs = {(yg, s): rng.randint(0, 40) for yg in years for s in SETTINGS}
    return AuditFacts(skills, DEFAULT_EXPECTED_STEP, pupils, obs, SETTINGS)


def published_equations(tables: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, list[Any]]]:
    """Every "whole = sum of parts" a reader can write down from the published tables.

    Cells are named by what they count, so the same figure printed in two tables (a year group's
    size) is one unknown.
    """
    eqs: list[tuple[Any, list[Any]]] = []

    def size(yg: str, ch: str, g: str) -> Any:
        return ("pupils", yg, ch, g)

    for row in tables["attainment"]:
        yg, sk, ch, g = row["year_group"], row["skill"], row["characteristic"], row["group"]
        bands = [b for b in BANDS if row[b] is not None]

        def name(col: str, yg: str = yg, sk: str = sk, ch: str = ch, g: str = g) -> Any:
            return (col, yg, sk, ch, g)

        eqs.append((size(yg, ch, g), [name(b) for b in bands]))
        eqs.append((name("below_expected"), [name(b) for b in bands if b in BELOW]))
        eqs.append((name("at_or_above_expected"), [name(b) for b in bands if b not in BELOW]))
        eqs.append((size(yg, ch, g), [name("below_expected"), name("at_or_above_expected")]))
    for row in tables["progress"]:
        yg, sk, ch, g = row["year_group"], row["skill"], row["characteristic"], row["group"]
        eqs.append((size(yg, ch, g), [(col, yg, sk, ch, g) for col in GAINED]))
    for table, columns in (("attainment", (*BANDS, "below_expected", "at_or_above_expected")),
                           ("progress", GAINED)):
        keys = {(r["year_group"], r["skill"]) for r in tables[table]}
        for yg, sk in keys:
            for ch, groups in CHARACTERISTICS:
                for col in columns:
                    eqs.append(((col, yg, sk, "all", "all"),
                                [(col, yg, sk, ch, g) for g in groups]))
    for yg in {r["year_group"] for r in tables["attainment"]}:
        for ch, groups in CHARACTERISTICS:
            eqs.append((size(yg, "all", "all"), [size(yg, ch, g) for g in groups]))
    for row in tables["coverage_skills"]:
        yg, sk = row["year_group"], row["skill"]
        eqs.append((size(yg, "all", "all"), [("observed", yg, sk), ("not_observed", yg, sk)]))
    for row in tables["careers_encounters"]:
        eqs.append((size(row["year_group"], "all", "all"),
                    [("enc", row["year_group"], e) for e in ENCOUNTERS]))
    settings_rows = tables["coverage_settings"]
    years = sorted({r["year_group"] for r in settings_rows} - {"all"})
    names = sorted({r["setting"] for r in settings_rows} - {"all"})
    for yg in (*years, "all"):
        eqs.append((("set", yg, "all"), [("set", yg, s) for s in names]))
    for s in (*names, "all"):
        eqs.append((("set", "all", s), [("set", yg, s) for yg in years]))
    return eqs


def published_values(tables: dict[str, list[dict[str, Any]]]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for table in ("attainment", "progress"):
        for row in tables[table]:
            yg, sk, ch, g = row["year_group"], row["skill"], row["characteristic"], row["group"]
            out[("pupils", yg, ch, g)] = row["pupils"]
            for col in (*BANDS, "below_expected", "at_or_above_expected", *GAINED):
                if col in row and row[col] is not None:
                    out[(col, yg, sk, ch, g)] = row[col]
    for row in tables["coverage_skills"]:
        out[("observed", row["year_group"], row["skill"])] = row["observed"]
        out[("not_observed", row["year_group"], row["skill"])] = row["not_observed"]
    for row in tables["careers_encounters"]:
        for e in ENCOUNTERS:
            out[("enc", row["year_group"], e)] = row[e]
    for row in tables["coverage_settings"]:
        out[("set", row["year_group"], row["setting"])] = row["observations"]
    return out


def true_values(facts: AuditFacts) -> Counter[Any]:
    """The figures counted straight from the pupils, independently of the module."""
    truth: Counter[Any] = Counter()
    for p in facts.pupils:
        rows = [("all", "all")] + [(ch, p.group(ch)) for ch, _g in CHARACTERISTICS]
        for ch, g in rows:
            truth[("pupils", p.year_group, ch, g)] += 1
            for i, skill in enumerate(facts.skills):
                exp = min(max(DEFAULT_EXPECTED_STEP[p.year_group], skill.lowest), skill.highest)
                band = band_of(p.now[i], exp)
                truth[(band, p.year_group, skill.code, ch, g)] += 1
                where = "below_expected" if band in BELOW else "at_or_above_expected"
                truth[(where, p.year_group, skill.code, ch, g)] += 1
                before = -1 if p.start[i] is None else p.start[i]
                after = -1 if p.now[i] is None else p.now[i]
                truth[(GAINED[min(2, after - before)], p.year_group, skill.code, ch, g)] += 1
        for i, skill in enumerate(facts.skills):
            seen = "observed" if p.observed[i] else "not_observed"
            truth[(seen, p.year_group, skill.code)] += 1
        truth[("enc", p.year_group, ENCOUNTERS[min(3, p.encounters)])] += 1
    for (yg, s), n in facts.settings.items():
        for key in (("set", yg, s), ("set", yg, "all"), ("set", "all", s), ("set", "all", "all")):
            truth[key] += n
    return truth


def check_school(facts: AuditFacts, min_cell: int) -> None:
    tables_list, _result = build_tables(facts, min_cell, rounding=False)
    tables = {t.name: t.records() for t in tables_list}
    shown = published_values(tables)
    truth = true_values(facts)
    for key, value in shown.items():
        # What shows is the true figure, and never a small one (true zeros may show).
        assert value == "c" or value == truth[key], key
        assert value == "c" or value == 0 or value >= min_cell, (key, value)
    for key, value in shown.items():  # a small group shows nothing, not even its zeros
        if key[0] not in ("pupils", "set", "enc", "observed", "not_observed"):
            group = truth[("pupils", key[1], key[3], key[4])]
            assert 0 < group < min_cell and value == "c" or not 0 < group < min_cell, key
    for row in tables["progress"]:  # an average only beside the counts it is made from
        if row["average_gained"] not in ("c", None):
            assert "c" not in [row[g] for g in GAINED] + [row["pupils"]], row
    means: dict[Any, list[Any]] = {}
    for row in tables["progress"]:
        if row["pupils"] != 0:  # an empty group has no average to hide
            means.setdefault((row["year_group"], row["skill"], row["characteristic"]),
                             []).append(row["average_gained"])
    for (yg, sk, ch), found in means.items():
        if ch != "all":
            line = found + means[(yg, sk, "all")]
            assert line.count("c") != 1, f"the hidden average of {yg} {sk} {ch} follows"
    equations = published_equations(tables)
    hidden = {k for k, v in shown.items() if v == "c"}
    for whole, parts in equations:
        unknown = [k for k in (whole, *parts) if k in hidden]
        assert len(unknown) != 1, f"{unknown[0]} follows from the sum {whole}"
        if whole not in hidden and unknown:
            residual = sum(truth[k] for k in unknown)
            assert residual >= min_cell, f"the hidden cells of {whole} add up to {residual}"
    values = {k: truth[k] for k in set(shown) | {w for w, _p in equations}}
    leaks = determined(values, [Constraint(w, tuple(p)) for w, p in equations], hidden)
    assert not leaks, f"the published sums determine {sorted(leaks, key=repr)[:5]}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(schools(), st.sampled_from([5, 10, 12]))
def test_random_schools_show_no_small_cell_and_leak_nothing(facts: AuditFacts,
                                                            min_cell: int) -> None:
    check_school(facts, min_cell)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(schools())
def test_rounding_shows_multiples_of_5_and_keeps_the_c(facts: AuditFacts) -> None:
    plain, _r = build_tables(facts, 10, rounding=False)
    rounded, _r = build_tables(facts, 10, rounding=True)
    for a, b in zip(plain, rounded, strict=True):
        for row_a, row_b in zip(a.rows, b.rows, strict=True):
            for col, x, y in zip(a.columns, row_a, row_b, strict=True):
                if col.kind != "count":
                    continue
                assert (x == "c") == (y == "c") and (x is None) == (y is None)
                if isinstance(x, int):
                    assert y % 5 == 0 and abs(y - x) <= 2 and (x != 0 or y == 0)
