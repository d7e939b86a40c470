"""Errors that carry a sentence for a person, never a traceback.

Everything that rejects input raises a subclass of ``UserError``; the CLI prints its message and
exits 1, the GUI shows it in a dialog. Anything else is a bug: it is logged in full and the person
is shown a short apology.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in an input file."""

    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class UserError(Exception):
    """Input or a request that SkillsDesk refuses, with a message written for a person."""

    def __init__(self, message: str, problems: tuple[Problem, ...] | list[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message, *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)


class NotFound(UserError):
    """A named pupil, group, framework or staff member does not exist."""
