"""Small-number suppression for the trust export (DOMAIN.md §4, RELIABILITY.md G21).

The figures are counts held in *cells*, tied together by *constraints* "whole = sum of parts"
(a row total, a column total, "at or above expected = at + above", a year group's size that every
table shares). Suppression decides which cells are published as ``c``:

1. **Primary**: a count from 1 to ``min_cell - 1`` is hidden. A true zero is shown (as Ofqual and
   the DfE do: "no pupils" is not a small group) *unless* it is part of a group that is itself
   small, because "0 of the 3 pupils with an EHC plan are at the expected step" says something
   about every one of those three children.
2. **Secondary**: a constraint that has hidden cells must not give any of them away. With a
   visible whole, at least two parts must be hidden and the hidden parts must add up to at least
   ``min_cell`` (otherwise "whole minus the visible parts" publishes a small number); with a
   hidden whole, at least one part must be hidden with it. The smallest visible part is hidden
   next (least information lost), and the whole when no part is left.
3. **Exact check**: rules of thumb on single constraints can still leave a cell that a
   combination of constraints pins down (two blocks of hidden cells joined by one cell, say), so
   the hidden cells are solved as a linear system in exact arithmetic and any cell the published
   figures determine gets company; steps 2-3 repeat until nothing is determined.

Rounding to the nearest 5 is applied afterwards to what is shown, never before the decisions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import gcd

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _

Key = Hashable
SUPPRESSED = "c"
DEFAULT_MIN_CELL = 10
LOWEST_MIN_CELL = 5
HIGHEST_MIN_CELL = 100

Published = int | str | None  # a count, "c", or None where a figure does not apply


@dataclass(frozen=True)
class Constraint:
    """``whole`` is the sum of ``parts`` (all of them cells)."""

    whole: Key
    parts: tuple[Key, ...]


def check_min_cell(min_cell: int) -> int:
    """The minimum cell size a person asked for, refused below 5 (DOMAIN.md §4)."""
    if isinstance(min_cell, bool) or not isinstance(min_cell, int):
        raise UserError(_("The minimum cell size must be a whole number."))
    if min_cell < LOWEST_MIN_CELL:
        raise UserError(_("The minimum cell size cannot be below {lowest}: groups of fewer pupils "
                          "could identify a child.").format(lowest=LOWEST_MIN_CELL))
    if min_cell > HIGHEST_MIN_CELL:
        raise UserError(_("The minimum cell size cannot be above {highest}.").format(
            highest=HIGHEST_MIN_CELL))
    return min_cell


def primary(values: Mapping[Key, int], constraints: Iterable[Constraint],
            min_cell: int) -> set[Key]:
    hidden = {key for key, value in values.items() if 0 < value < min_cell}
    for constraint in constraints:
        if 0 < values[constraint.whole] < min_cell:
            hidden.update(constraint.parts)  # zeros of a small group say something too
    return hidden


def suppress(values: Mapping[Key, int], constraints: Sequence[Constraint],
             min_cell: int = DEFAULT_MIN_CELL, force: Iterable[Key] = ()) -> frozenset[Key]:
    """The cells to publish as ``c`` (``force``: cells hidden whatever their value)."""
    check_min_cell(min_cell)
    for constraint in constraints:
        if sum(values[p] for p in constraint.parts) != values[constraint.whole]:
            raise ValueError(f"inconsistent figures for {constraint.whole!r}")
    hidden = primary(values, constraints, min_cell) | set(force)
    by_cell: dict[Key, list[Constraint]] = {}
    for constraint in constraints:
        for key in (constraint.whole, *constraint.parts):
            by_cell.setdefault(key, []).append(constraint)
    while True:
        _secondary(values, constraints, by_cell, hidden, min_cell)
        pinned = determined(values, constraints, hidden)
        if not pinned:
            return frozenset(hidden)
        for key in sorted(pinned, key=repr):
            if key in hidden and key in pinned:
                _give_company(values, by_cell[key], hidden, key)
                pinned = determined(values, constraints, hidden)


def _secondary(values: Mapping[Key, int], constraints: Sequence[Constraint],
               by_cell: Mapping[Key, list[Constraint]], hidden: set[Key], min_cell: int) -> None:
    queue = list(constraints)
    while queue:
        constraint = queue.pop()
        added = _protect(values, constraint, hidden, min_cell)
        if added is not None:
            hidden.add(added)
            queue.extend(by_cell[added])


def _protect(values: Mapping[Key, int], constraint: Constraint, hidden: set[Key],
             min_cell: int) -> Key | None:
    """The next cell to hide so this constraint gives nothing away, or None when it is safe."""
    hidden_parts = [p for p in constraint.parts if p in hidden]
    whole_hidden = constraint.whole in hidden
    if not hidden_parts and not whole_hidden:
        return None
    if whole_hidden:
        if hidden_parts:
            return None
    elif len(hidden_parts) >= 2 and sum(values[p] for p in hidden_parts) >= min_cell:
        return None
    visible = [p for p in constraint.parts if p not in hidden]
    if not visible:
        return None if whole_hidden else constraint.whole
    # The smallest non-zero part adds protection at the least cost; zeros only as a last resort.
    return min(visible, key=lambda p: (values[p] == 0, values[p], repr(p)))


def _give_company(values: Mapping[Key, int], constraints: list[Constraint], hidden: set[Key],
                  key: Key) -> None:
    """Hide one more cell beside a cell the published figures determine."""
    for constraint in sorted(constraints, key=lambda c: len(c.parts)):
        visible = [p for p in (*constraint.parts, constraint.whole) if p not in hidden]
        if visible:
            hidden.add(min(visible, key=lambda p: (values[p] == 0, values[p], repr(p))))
            return
    raise AssertionError(f"{key!r} is determined but every cell beside it is hidden")


def determined(values: Mapping[Key, int], constraints: Iterable[Constraint],
               hidden: set[Key] | frozenset[Key]) -> set[Key]:
    """Hidden cells whose value follows from the published figures by linear algebra.

    Each constraint is an equation over the hidden cells (visible ones are known numbers). A cell
    is determined exactly when its unit vector lies in the row space of those equations, which
    reduced row echelon form shows as a pivot row with nothing else in it. Exact integer
    arithmetic (fraction-free elimination, rows kept divided by their gcd) over sparse rows:
    these systems are large but each equation touches only a few cells.
    """
    basis: dict[Key, dict[Key, int]] = {}  # pivot cell -> its row, free of other pivots
    holders: dict[Key, set[Key]] = {}      # cell -> pivots whose rows mention it
    for constraint in constraints:
        row: dict[Key, int] = {}
        if constraint.whole in hidden:
            row[constraint.whole] = -1
        for part in constraint.parts:
            if part in hidden:
                row[part] = row.get(part, 0) + 1
        row = {k: v for k, v in row.items() if v}
        for pivot in [k for k in row if k in basis]:
            factor = row.get(pivot)
            if factor:
                row = _combine(row, basis[pivot], pivot)
        if not row:
            continue
        pivot = min(row, key=lambda k: (len(holders.get(k, ())), repr(k)))
        for other in list(holders.get(pivot, ())):
            target = basis[other]
            updated = _combine(target, row, pivot)
            for gone in set(target) - set(updated):
                holders.get(gone, set()).discard(other)
            for new in set(updated) - set(target):
                holders.setdefault(new, set()).add(other)
            basis[other] = updated
        holders.pop(pivot, None)
        basis[pivot] = row
        for k in row:
            if k != pivot:
                holders.setdefault(k, set()).add(pivot)
    return {pivot for pivot, row in basis.items() if len(row) == 1}


def _combine(target: Mapping[Key, int], source: Mapping[Key, int], pivot: Key) -> dict[Key, int]:
    """``target`` with ``pivot`` eliminated by ``source``, scaled to whole numbers, gcd 1."""
    a, b = source[pivot], target[pivot]
    out = {k: v * a for k, v in target.items()}
    for key, value in source.items():
        total = out.get(key, 0) - b * value
        if total:
            out[key] = total
        else:
            out.pop(key, None)
    divisor = 0
    for value in out.values():
        divisor = gcd(divisor, value)
        if divisor == 1:
            return out
    return {k: v // divisor for k, v in out.items()} if divisor > 1 else out


def round_to_5(value: int) -> int:
    """Nearest multiple of 5, halves up; a true zero stays 0 (Ofqual's rule)."""
    return (value + 2) // 5 * 5


def publish(value: int, hidden: bool, rounding: bool) -> Published:
    if hidden:
        return SUPPRESSED
    return round_to_5(value) if rounding else value


def percent(part: Published, whole: Published) -> Published:
    """A whole-number percentage of two *published* figures, so it can reveal nothing more.

    Suppressed if either figure is; None when the group is empty.
    """
    if part == SUPPRESSED or whole == SUPPRESSED:
        return SUPPRESSED
    if part is None or whole is None or whole == 0:
        return None
    assert isinstance(part, int) and isinstance(whole, int)
    return min(100, (200 * part + whole) // (2 * whole))  # rounded half up, never above 100
