"""The trust export's staff appraisal table: counts per appraised role, small numbers suppressed.

Pure: the audit service reads the school-level counts (cycles by role and status, training hours
and people trained by role, active staff by role) and this module turns them into one table.

Unlike the staff headcount beside it, appraisal figures are not public (no census publishes
them), and in a school with three lunchtime supervisors "1 appraisal open" points at one person.
So they go through the same suppression as the pupil counts. Each role's headcount is published
unsuppressed in the staff table, so it is treated as a *visible* whole the counts add up to
("open + complete + no cycle" and "trained + not trained"): a reader who subtracts the shown
counts from the headcount must not land on a small number either. Training hours are a sum over
the people trained, so they are withheld whenever that count is (as averages of suppressed groups
are), and published in whole hours.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from skillsdesk.domain.appraisal import APPRAISED_ROLES, COMPLETE, OPEN
from skillsdesk.domain.audit_tables import Column, Table
from skillsdesk.domain.suppression import SUPPRESSED, Constraint, publish, suppress
from skillsdesk.i18n import N_

TABLE_NAME = "staff_appraisal"


def appraisal_table(cycles: Mapping[tuple[str, str], int],
                    training: Mapping[str, tuple[float, int]], headcount: Mapping[str, int],
                    min_cell: int, rounding: bool) -> Table:
    """``cycles``: (role, status) -> cycles this year; ``training``: role -> (hours, people)."""
    values: dict[Hashable, int] = {}
    constraints: list[Constraint] = []
    hours: dict[str, float] = {}
    for role in APPRAISED_ROLES:
        opened, done = cycles.get((role, OPEN), 0), cycles.get((role, COMPLETE), 0)
        total_hours, trained = training.get(role, (0.0, 0))
        # A leaver's training or a second cycle can push a count past today's headcount; the
        # whole then stands for "at least this many", which protects no less.
        whole = max(headcount.get(role, 0), opened + done, trained)
        values.update({("staff", role): whole, ("open", role): opened,
                       ("complete", role): done, ("no_cycle", role): whole - opened - done,
                       ("trained", role): trained, ("untrained", role): whole - trained})
        constraints += [
            Constraint(("staff", role), (("open", role), ("complete", role), ("no_cycle", role))),
            Constraint(("staff", role), (("trained", role), ("untrained", role)))]
        hours[role] = total_hours
    hidden = suppress(values, constraints, min_cell)

    def shown(key: tuple[str, str]) -> int | str | None:
        return publish(values[key], key in hidden, rounding)

    rows = []
    for role in APPRAISED_ROLES:
        trained = shown(("trained", role))
        rows.append((role, shown(("open", role)), shown(("complete", role)), trained,
                     # Whole hours, halves up (round() would round 2.5 to 2).
                     SUPPRESSED if trained == SUPPRESSED else int(hours[role] + 0.5)))
    return Table(TABLE_NAME, N_("Staff appraisal this academic year by role (counts only)"),
                 (Column("role", N_("Role"), "label"),
                  Column("cycles_open", N_("Appraisals open"), "count"),
                  Column("cycles_complete", N_("Appraisals complete"), "count"),
                  Column("staff_trained", N_("Staff with training logged"), "count"),
                  Column("training_hours", N_("Training hours"), "number")),
                 tuple(rows))
