"""Staff accounts on an encrypted school: adding staff (with their key slot), passwords, PINs
and fast switching between staff on a shared laptop.

The database row and its audit row commit together; the key slot is written just after. If
writing the slot fails, the person exists but cannot sign in until an admin resets their
password, which is said in the error.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from skillsdesk.domain.audit import AuditRecord
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.passwords import check_policy
from skillsdesk.domain.permissions import Actor
from skillsdesk.domain.records import ROLES, StaffInfo
from skillsdesk.domain.throttle import SignInThrottle
from skillsdesk.i18n import _
from skillsdesk.services.context import Context
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import pins
from skillsdesk.storage import school as repo
from skillsdesk.storage.database import Store
from skillsdesk.storage.vault import Unlocked

log = logging.getLogger(__name__)
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


def actor_for(staff: StaffInfo) -> Actor:
    return Actor(staff.id, staff.login, staff.name, staff.role)


def initials_of(name: str) -> str:
    return "".join(part[0] for part in name.split() if part[:1].isalpha()).upper()[:4] or "?"


class AccountService:
    def __init__(self, store: Store, context: Context, unlocked: Unlocked | None,
                 throttle: SignInThrottle | None = None) -> None:
        self._store = store
        self._context = context
        self._unlocked = unlocked
        self._throttle = throttle or SignInThrottle()

    @property
    def encrypted(self) -> bool:
        return self._unlocked is not None

    def add_staff(self, login: str, name: str, role: str, password: str | None = None,
                  job_title: str = "", *, check_strength: bool = True) -> StaffInfo:
        """A new member of staff; on an encrypted school they need a password for their slot."""
        self._context.require("staff.manage")
        login = login.strip().lower()
        if not LOGIN.match(login):
            raise UserError(_("'{login}' cannot be a login: use 2-60 lowercase letters, digits, "
                              "dots, hyphens or underscores.").format(login=login))
        if role not in ROLES:
            raise UserError(_("'{role}' is not a role; choose one of {roles}.").format(
                role=role, roles=", ".join(ROLES)))
        if not name.strip():
            raise UserError(_("The staff member needs a name."))
        if self._unlocked is not None:
            if not password:
                raise UserError(_("{login} needs a password to sign in.").format(login=login))
            if check_strength:
                check_policy(password, (login, name))
        with self._store.write() as session:
            if repo.staff_by_login(session, login) is not None:
                raise UserError(_("The login '{login}' is already taken.").format(login=login))
            staff_id = repo.add_staff(session, login, name.strip(), initials_of(name), role,
                                      job_title)
            self._context.audit(session, "staff.add", "staff", staff_id,
                                after={"login": login, "name": name.strip(), "role": role})
            found = repo.staff_by_login(session, login)
        if self._unlocked is not None and password:
            try:
                self._unlocked.keys.add_slot(self._unlocked.data_key, login, password)
            except Exception as exc:
                log.exception("could not write the key slot for a new member of staff")
                raise UserError(_("{login} was added but their sign-in could not be saved; an "
                                  "admin can reset their password.").format(login=login)) from exc
        assert found is not None
        return found

    def change_password(self, login: str, old: str, new: str) -> None:
        """Change one's own password: only that person's key slot is rewrapped."""
        if self._unlocked is None:
            raise UserError(_("This school has no passwords to change."))
        login = login.strip().lower()
        with self._store.read() as session:
            staff = repo.staff_by_login(session, login)
        if staff is None or not staff.active:
            raise UserError(_("The login or password is not right."))
        check_policy(new, (login, staff.name))
        if new == old:
            raise UserError(_("The new password is the same as the current one."))
        self._throttle.check(login)
        try:
            self._unlocked.keys.change_password(login, old, new)
        except UserError:
            self._throttle.failed(login)
            raise
        self._throttle.succeeded(login)
        with self._store.write() as session:
            self._context.audit(session, "staff.password", "staff", staff.id,
                                after={"login": login})

    def change_own_password(self, old: str, new: str) -> None:
        """The signed-in member of staff changes their password (current one needed)."""
        actor = self._context.actor
        if actor is None:
            raise UserError(_("Sign in first to change your password."))
        self.change_password(actor.login, old, new)

    def set_role(self, login: str, role: str) -> StaffInfo:
        """An admin changes someone's role; audited with the role before and after."""
        self._context.require("staff.manage")
        if role not in ROLES:
            raise UserError(_("'{role}' is not a role; choose one of {roles}.").format(
                role=role, roles=", ".join(ROLES)))
        login = login.strip().lower()
        with self._store.write() as session:
            staff = self._existing(session, login)
            if self._is_me(staff):
                raise UserError(_("You cannot change your own role: ask another admin."))
            if staff.role == role:
                return staff
            if staff.role == "admin" and self._admins(session) == [staff.login]:
                raise UserError(_("{login} is the last admin: make someone else an admin "
                                  "first.").format(login=login))
            repo.set_staff_role(session, staff.id, role)
            self._context.audit(session, "staff.role", "staff", staff.id,
                                before={"login": login, "role": staff.role},
                                after={"login": login, "role": role})
            changed = repo.staff_by_login(session, login)
        assert changed is not None
        return changed

    def remove_staff(self, login: str) -> StaffInfo:
        """A leaver: their password slot goes and they are marked inactive. Their observations
        keep their name; the row stays for the audit trail."""
        self._context.require("staff.manage")
        login = login.strip().lower()
        with self._store.read() as session:
            staff = self._existing(session, login)
            if self._is_me(staff):
                raise UserError(_("You cannot remove yourself: ask another admin."))
            if staff.role == "admin" and self._admins(session) == [staff.login]:
                raise UserError(_("{login} is the last admin and cannot be removed.").format(
                    login=login))
        # The slot goes first: if anything fails after it, the leaver still cannot sign in,
        # and removing them again finishes the job.
        if self._unlocked is not None and self._unlocked.keys.has_slot(login):
            self._unlocked.keys.remove_slot(login)
        with self._store.write() as session:
            repo.deactivate_staff(session, staff.id)
            self._context.audit(session, "staff.remove", "staff", staff.id,
                                before={"login": login, "role": staff.role, "active": True},
                                after={"login": login, "active": False})
            removed = repo.staff_by_login(session, login)
        assert removed is not None
        return removed

    def _existing(self, session: object, login: str) -> StaffInfo:
        staff = repo.staff_by_login(session, login)  # type: ignore[arg-type]
        if staff is None or not staff.active:
            raise UserError(_("Nobody here has the login '{login}'.").format(login=login))
        return staff

    def _is_me(self, staff: StaffInfo) -> bool:
        actor = self._context.actor
        return actor is not None and actor.staff_id == staff.id

    @staticmethod
    def _admins(session: object) -> list[str]:
        return [p.login for p in repo.all_staff(session)  # type: ignore[arg-type]
                if p.active and p.role == "admin"]

    # -- the audit trail (admins) ------------------------------------------------------------
    def audit_trail(self, *, login: str | None = None, action: str | None = None,
                    since: dt.datetime | None = None, until: dt.datetime | None = None,
                    text: str | None = None, before_sequence: int | None = None,
                    limit: int = audit_repo.BROWSE_LIMIT) -> list[AuditRecord]:
        """Audit events, newest first, one page at a time (``before_sequence`` pages on).
        Browsing is not itself audited: it changes nothing and shows no pupil's data."""
        self._context.require("audit.browse")
        with self._store.read() as session:
            return audit_repo.browse(session, login=login or None, action=action or None,
                                     since=since, until=until, text=text or None,
                                     before_sequence=before_sequence, limit=limit)

    def check_audit_chain(self) -> int | None:
        """The sequence of the first tampered audit event, or None when the chain is intact."""
        self._context.require("audit.browse")
        with self._store.read() as session:
            return audit_repo.verify_chain(session)

    def reset_password(self, login: str, new: str) -> None:
        """An admin sets a new password for someone who forgot theirs."""
        self._context.require("staff.manage")
        if self._unlocked is None:
            raise UserError(_("This school has no passwords to reset."))
        login = login.strip().lower()
        with self._store.read() as session:
            staff = self._existing(session, login)
        check_policy(new, (login, staff.name))
        keys = self._unlocked.keys
        if keys.has_slot(login):
            keys.rewrap_slot(self._unlocked.data_key, login, new)
        else:  # their slot was never written (see add_staff): this gives them one
            keys.add_slot(self._unlocked.data_key, login, new)
        with self._store.write() as session:
            self._context.audit(session, "staff.password_reset", "staff", staff.id,
                                after={"login": login})

    def set_own_pin(self, pin: str) -> None:
        actor = self._context.actor
        if actor is None:
            raise UserError(_("Sign in first to set a PIN."))
        with self._store.write() as session:
            pins.set_pin(session, actor.staff_id, pin, self._context.kdf)
            self._context.audit(session, "staff.pin", "staff", actor.staff_id)

    def unlock_as(self, login: str, password: str) -> Actor:
        """The lock screen: a password (never a PIN) brings the desk back, for whoever types it."""
        if self._unlocked is None:
            raise UserError(_("This school has no passwords."))
        login = login.strip().lower()
        self._throttle.check(login)
        try:
            self._unlocked.keys.unlock(login, password)
        except UserError:
            self._throttle.failed(login)
            with self._store.write() as session:
                self._context.audit(session, "signin.failed", "staff", login)
            raise
        self._throttle.succeeded(login)
        with self._store.read() as session:
            staff = repo.staff_by_login(session, login)
        if staff is None or not staff.active:
            raise UserError(_("The login or password is not right."))
        previous = self._context.actor
        actor = actor_for(staff)
        self._context.set_actor(actor)
        with self._store.write() as session:
            self._context.audit(session, "signin" if previous is None or previous.login == login
                                else "staff.switch", "staff", staff.id)
        return actor

    def switch_to(self, login: str, pin: str) -> Actor:
        """Another member of staff takes over the unlocked laptop with their own PIN."""
        self._throttle.check(login)
        with self._store.write() as session:
            staff = repo.staff_by_login(session, login)
            ok = staff is not None and staff.active and pins.check_pin(
                session, staff.id, pin, self._context.kdf)
            if not ok:
                self._context.audit(session, "signin.failed", "staff", login)
        if not ok:
            self._throttle.failed(login)
            raise UserError(_("That PIN is not right for {login}.").format(login=login))
        self._throttle.succeeded(login)
        assert staff is not None
        actor = actor_for(staff)
        previous = self._context.actor
        self._context.set_actor(actor)
        with self._store.write() as session:
            self._context.audit(session, "staff.switch", "staff", staff.id,
                                before={"login": previous.login if previous else None},
                                after={"login": login})
        return actor
