"""Who may do what: the role matrix of DESIGN.md §8 as data, checked by every service.

The matrix lists, for each action, the roles allowed to do it. Services call ``require`` before
they read or change anything; the GUI calls ``can`` to hide or disable what a role may not do,
but hiding is only a courtesy: the check in the service is the one that counts.

Where §8 gives a role only part of an action ("own classes", "own groups", "own entries",
"lunchtime setting only"), the matrix has a narrower action for that part, and the service
decides which of the two applies (for example, recording in the lunchtime setting needs
``observation.record.lunchtime_only``; anywhere else needs ``observation.record``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import N_, _, pgettext

ADMIN, TEACHER, SUPPORT, LUNCHTIME = "admin", "teacher", "support", "lunchtime"
ROLES = (ADMIN, TEACHER, SUPPORT, LUNCHTIME)
_EVERYONE = frozenset(ROLES)
_STAFF = frozenset({ADMIN, TEACHER, SUPPORT})

# action -> (roles allowed, what the action is, completing "cannot ..." for a refusal).
MATRIX: dict[str, tuple[frozenset[str], str]] = {
    # Recording: everyone records; lunchtime supervisors only in the lunchtime setting.
    "observation.record": (_STAFF, N_("record observations outside the lunchtime setting")),
    "observation.record.lunchtime_only": (_EVERYONE, N_("record lunchtime observations")),
    "observation.edit_own": (_EVERYONE, N_("correct their own observations")),
    "observation.edit_others": (frozenset({ADMIN}),
                                N_("edit or delete other people's observations")),
    # Reading: admin and teachers all pupils, support staff their groups, lunchtime their own.
    "observation.read_all": (frozenset({ADMIN, TEACHER}),
                             N_("see the observations of every pupil")),
    "observation.read_own_groups": (_STAFF, N_("see the observations of their groups")),
    "observation.read_own": (_EVERYONE, N_("see the observations they recorded")),
    # Not in §8 as written: a target is a teaching decision (issue 3's profile); support staff
    # set them for the pupils of their own groups, lunchtime supervisors read them.
    "target.set": (_STAFF, N_("set pupils' targets or mark them met")),
    "pupil.see_sensitive": (_STAFF, N_("see SEN, pupil premium, EAL or protected flags and notes")),
    # Printing: teachers their own classes, admin any pupil; subject access is admin only.
    "passport.print": (frozenset({ADMIN, TEACHER}), N_("print skills passports")),
    "passport.print_any_group": (frozenset({ADMIN}),
                                 N_("print passports for classes that are not their own")),
    "sar": (frozenset({ADMIN}), N_("make a subject access bundle")),
    # Running the school's data.
    "import": (frozenset({ADMIN}), N_("import pupils, staff or frameworks")),
    # Not in §8 as written: recording photo consent and changing a pupil's photo (issue 3).
    "pupil.photo": (frozenset({ADMIN}), N_("record photo consent or change pupils' photos")),
    "settings": (frozenset({ADMIN}), N_("change the school's settings")),
    "rollover": (frozenset({ADMIN}), N_("start a new academic year")),
    "backup": (frozenset({ADMIN}), N_("make or manage backups")),
    "trust.export": (frozenset({ADMIN}), N_("export the anonymised summary for the trust")),
    "erase": (frozenset({ADMIN}), N_("erase a pupil's data")),
    "restore": (frozenset({ADMIN}), N_("restore a backup")),
    "staff.manage": (frozenset({ADMIN}), N_("add, change or remove staff accounts")),
    "audit.browse": (frozenset({ADMIN}), N_("browse the audit trail")),
    # Careers (J5), not in §8 as written: the careers lead's work is an admin's (the benchmark
    # self-audit, the action plan, the governors' report); teachers log the activities and
    # aspirations of their classes.
    "careers.log": (frozenset({ADMIN, TEACHER}),
                    N_("log careers activities or pupils' aspirations")),
    "careers.audit": (frozenset({ADMIN}),
                      N_("change the careers self-audit or action plan, or write the careers "
                         "report")),
    # Staff appraisal: admin appraises; support and lunchtime staff fill in their own
    # self-assessment (J4). Teachers are not appraised in SkillsDesk.
    "appraise": (frozenset({ADMIN}), N_("appraise staff")),
    "appraisal.self_assess": (frozenset({ADMIN, SUPPORT, LUNCHTIME}),
                              N_("fill in a self-assessment")),
    "appraisal.own_training": (frozenset({ADMIN, SUPPORT, LUNCHTIME}),
                               N_("log their own training")),
}
ACTIONS = tuple(MATRIX)


def role_label(role: str) -> str:
    labels = {
        ADMIN: pgettext("role", "Admin"),
        TEACHER: pgettext("role", "Teacher"),
        SUPPORT: pgettext("role", "Support staff"),
        LUNCHTIME: pgettext("role", "Lunchtime supervisor"),
    }
    return labels.get(role, role)


@dataclass(frozen=True)
class Actor:
    """The member of staff a service call acts for (who gets the audit row)."""

    staff_id: uuid.UUID
    login: str
    name: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")


class PermissionDenied(UserError):
    """The signed-in member of staff's role does not allow this action."""

    def __init__(self, actor: Actor, action: str) -> None:
        super().__init__(_("{name} ({role}) cannot {what}. Ask an admin if this is needed.")
                         .format(name=actor.name, role=role_label(actor.role),
                                 what=_(MATRIX[action][1])))
        self.actor = actor
        self.action = action


def can(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action``; an unknown action is a programming error."""
    if action not in MATRIX:
        raise KeyError(f"unknown action {action!r}")
    return role in MATRIX[action][0]


def require(actor: Actor, action: str) -> None:
    """Refuse with a sentence a person can read, before anything is read or changed."""
    if not can(actor.role, action):
        raise PermissionDenied(actor, action)


def allowed(role: str) -> frozenset[str]:
    """Every action ``role`` may do (for the GUI and the tests)."""
    return frozenset(action for action, (roles, _what) in MATRIX.items() if role in roles)


def recording_action(setting: str) -> str:
    """The action that recording an observation in ``setting`` needs."""
    return "observation.record.lunchtime_only" if setting == "lunchtime" else "observation.record"


def read_scope(role: str) -> str:
    """How far ``role`` sees observations: "all", "own_groups" or "own"."""
    if can(role, "observation.read_all"):
        return "all"
    if can(role, "observation.read_own_groups"):
        return "own_groups"
    return "own"
