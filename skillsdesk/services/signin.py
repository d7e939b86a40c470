"""Creating an encrypted school and signing in to one.

``init_school`` is the first run: the school, its first admin and the recovery key (printed or
written down once). ``sign_in`` turns a login and password into open services acting as that
member of staff. Repeated wrong passwords are slowed down and audited.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.passwords import check_policy
from skillsdesk.domain.throttle import SignInThrottle
from skillsdesk.i18n import _
from skillsdesk.services.accounts import actor_for, initials_of
from skillsdesk.services.backups import open_store
from skillsdesk.services.container import Services, open_services
from skillsdesk.services.context import Context
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import keyslots, vault
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.keyslots import AuthError, KdfParams, KeySlots

NEW, PLAIN, ENCRYPTED = vault.NEW, vault.PLAIN, vault.ENCRYPTED


def folder_state(data_dir: Path) -> str:
    """What a data folder holds: "new", "plain", "encrypted" (or a half of an encrypted one)."""
    return vault.folder_state(data_dir)


# One per process: the GUI's sign-in and lock screens share it.
THROTTLE = SignInThrottle()


def init_school(data_dir: Path, school: str, login: str, name: str, password: str, *,
                today: dt.date | None = None, kdf: KdfParams | None = None,
                check_strength: bool = True) -> tuple[Services, str]:
    """Create an encrypted school with its first admin; return it open and the recovery key."""
    kdf = kdf or keyslots.DEFAULT_PARAMS
    login = login.strip().lower()
    if not school.strip():
        raise UserError(_("The school needs a name."))
    if not name.strip():
        raise UserError(_("The first admin needs a name."))
    if check_strength:
        check_policy(password, (login, name, school))
    unlocked, recovery_key = vault.create_encrypted(data_dir, login, password, kdf)
    try:
        with unlocked.store.write() as session:
            school_repo.set_school(session, school.strip())
            staff_id = school_repo.add_staff(session, login, name.strip(), initials_of(name),
                                             "admin", _("Head teacher"))
            staff = school_repo.staff_by_login(session, login)
            assert staff is not None
            context = Context(actor_for(staff), kdf)
            context.audit(session, "school.create", "school", None, after={"name": school})
            context.audit(session, "staff.add", "staff", staff_id,
                          after={"login": login, "name": name.strip(), "role": "admin"})
        services = open_services(data_dir, today, unlocked=unlocked, context=context)
    except BaseException:
        unlocked.close()
        raise
    return services, recovery_key


def sign_in(data_dir: Path, login: str, password: str, *, today: dt.date | None = None,
            kdf: KdfParams | None = None, throttle: SignInThrottle = THROTTLE,
            check_beside: bool = False) -> Services:
    """Open the encrypted school in ``data_dir`` as ``login``; ``AuthError`` when refused.

    ``check_beside`` (the GUI, holding the folder's lock): the start-up check may run beside the
    open store (``backups.open_store(beside=True)``); the sign-in's audit rows are then written
    once it has passed, on its thread, so the window never waits for them."""
    kdf = kdf or keyslots.DEFAULT_PARAMS
    login = login.strip().lower()
    state = vault.folder_state(data_dir)
    if state == vault.NEW:
        raise UserError(_("There is no school in {folder} yet. Create one with 'skillsdesk init' "
                          "or the first-run window.").format(folder=data_dir))
    if state != vault.ENCRYPTED:
        return open_services(data_dir, today)  # a plain development store has no accounts
    throttle.check(login)
    keys = KeySlots.load(vault.keys_path(data_dir), kdf)
    try:
        data_key = keys.unlock(login, password)
    except AuthError:
        throttle.failed(login)
        _record_failure(login)
        raise
    throttle.succeeded(login)
    store = open_store(data_dir, data_key, beside=check_beside)
    unlocked = vault.Unlocked(store, keys, data_key)
    try:
        with store.read() as session:
            staff = school_repo.staff_by_login(session, login)
        if staff is None or not staff.active:
            raise AuthError(_("That login and password do not match."))
        context = Context(actor_for(staff), kdf)
        failures = list(_PENDING_FAILURES)
        staff_id = staff.id

        def record() -> None:
            with store.write() as session:
                for tried, at in failures:
                    audit_repo.record(session, None, "signin.failed", "staff", tried,
                                      login=tried, at=at)
                context.audit(session, "signin", "staff", staff_id)
            for failure in failures:  # kept in memory until written
                if failure in _PENDING_FAILURES:
                    _PENDING_FAILURES.remove(failure)

        # Written now, or (while the check runs beside the store) as soon as it has passed.
        store.after_check(record)
        return open_services(data_dir, today, unlocked=unlocked, context=context)
    except BaseException:
        unlocked.close()
        raise


def reset_with_recovery(data_dir: Path, recovery_key: str, login: str, new_password: str, *,
                        today: dt.date | None = None, kdf: KdfParams | None = None,
                        check_strength: bool = True) -> Services:
    """Every admin password forgotten: the printed recovery key unlocks the data, ``login`` (an
    admin) gets ``new_password`` (their slot alone is rewrapped) and is signed in. The reset is
    audited at that sign-in. A wrong key raises ``AuthError`` and changes nothing."""
    kdf = kdf or keyslots.DEFAULT_PARAMS
    login = login.strip().lower()
    state = vault.folder_state(data_dir)
    if state != vault.ENCRYPTED:
        raise UserError(_("The data in {folder} is not encrypted, so it has no recovery key.")
                        .format(folder=data_dir))
    keys = KeySlots.load(vault.keys_path(data_dir), kdf)
    try:
        data_key = keys.unlock_with_recovery(recovery_key)
    except AuthError:
        _record_failure(login)  # written to the trail at the next sign-in; nothing changed
        raise
    store = open_store(data_dir, data_key)
    unlocked = vault.Unlocked(store, keys, data_key)
    try:
        with store.read() as session:
            staff = school_repo.staff_by_login(session, login)
        if staff is None or not staff.active or staff.role != "admin":
            raise UserError(_("The recovery key resets an admin's password, and '{login}' is not "
                              "an admin here. Other staff ask an admin to reset theirs.")
                            .format(login=login))
        if check_strength:
            check_policy(new_password, (login, staff.name))
        if keys.has_slot(login):
            keys.rewrap_slot(data_key, login, new_password)
        else:
            keys.add_slot(data_key, login, new_password)
        context = Context(actor_for(staff), kdf)
        with store.write() as session:
            context.audit(session, "staff.password_recovery", "staff", staff.id,
                          after={"login": login})
            context.audit(session, "signin", "staff", staff.id)
        return open_services(data_dir, today, unlocked=unlocked, context=context)
    except BaseException:
        unlocked.close()
        raise


def _record_failure(login: str) -> None:
    """A wrong password cannot open the encrypted database, so the attempt waits in memory and
    is written to the audit trail by the next successful sign-in on this computer."""
    _PENDING_FAILURES.append((login, dt.datetime.now(dt.UTC)))


_PENDING_FAILURES: list[tuple[str, dt.datetime]] = []
