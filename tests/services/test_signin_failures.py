"""Repeated failed sign-ins are slowed down and audited (issue 6, RELIABILITY.md G15).

A wrong password cannot open the encrypted database, so a failure at the sign-in window waits in
memory and is written to the audit trail, with the time it happened, by the next successful
sign-in on this computer. At the lock screen the store is open, so it is written at once.
"""

from pathlib import Path

import pytest

import skillsdesk.services.signin as signin
from skillsdesk.domain.throttle import SignInThrottle, SignInThrottled
from skillsdesk.services.signin import init_school, sign_in
from skillsdesk.storage.keyslots import OWASP_MINIMUM, AuthError

PASSWORD = "Lantern-Meadow-Quartz-9"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Failures left waiting by other tests in this process belong to other folders.
    monkeypatch.setattr(signin, "_PENDING_FAILURES", [])
    folder = tmp_path / "school"
    services, _key = init_school(folder, "Moorside", "head", "Ada Head", PASSWORD,
                                 kdf=OWASP_MINIMUM)
    services.close()
    return folder


def test_wrong_passwords_are_slowed_down_then_audited_at_the_next_sign_in(school: Path) -> None:
    clock = Clock()
    throttle = SignInThrottle(clock=clock)

    def attempt(password: str):  # type: ignore[no-untyped-def]
        return sign_in(school, "head", password, kdf=OWASP_MINIMUM, throttle=throttle)

    for _try in range(3):
        with pytest.raises(AuthError):
            attempt("not-the-password")
        clock.now += 1
    # The fourth attempt waits, whatever it is: even the right password is not tried yet.
    with pytest.raises(SignInThrottled) as held:
        attempt(PASSWORD)
    assert held.value.seconds > 0 and "Wait" in held.value.message
    clock.now += held.value.seconds
    services = attempt(PASSWORD)
    try:
        trail = services.accounts.audit_trail(action="signin")
    finally:
        services.close()
    failed = [e for e in trail if e.action == "signin.failed"]
    signed_in = [e for e in trail if e.action == "signin" and e.login == "head"]
    assert len(failed) == 3 and signed_in
    assert all(e.login == "head" and e.staff_id is None and e.role is None for e in failed)
    # Written by the sign-in that followed, each with the time it happened, before that sign-in.
    assert all(e.sequence < signed_in[0].sequence for e in failed)
    assert all(e.at <= signed_in[0].at for e in failed)
    assert len({e.at for e in failed}) == 3
    assert signin._PENDING_FAILURES == []  # written once, not again at the next sign-in


def test_lock_screen_failures_are_slowed_down_and_audited_at_once(school: Path) -> None:
    services = sign_in(school, "head", PASSWORD, kdf=OWASP_MINIMUM, throttle=SignInThrottle())
    try:
        for _try in range(3):
            with pytest.raises(AuthError):
                services.accounts.unlock_as("head", "still-not-it")
        with pytest.raises(SignInThrottled):
            services.accounts.unlock_as("head", PASSWORD)
        failed = services.accounts.audit_trail(action="signin.failed")
        assert len(failed) == 3 and {e.login for e in failed} == {"head"}
    finally:
        services.close()


@pytest.mark.parametrize("pin", ["4826", "58210394", "5821039417"])
def test_a_pin_never_becomes_a_wrapping_password(school: Path, tmp_path: Path, pin: str) -> None:
    # G14: a PIN only switches staff inside an unlocked session; it never unlocks the data.
    from skillsdesk.domain.errors import UserError

    with pytest.raises(UserError):
        init_school(tmp_path / "other", "Moorside", "head", "Ada Head", pin, kdf=OWASP_MINIMUM)
    services = sign_in(school, "head", PASSWORD, kdf=OWASP_MINIMUM, throttle=SignInThrottle())
    try:
        with pytest.raises(UserError):
            services.accounts.change_own_password(PASSWORD, pin)
        with pytest.raises(UserError):
            services.accounts.add_staff("ta9", "Ann Bee", "support", pin)
        assert {s.login for s in services.school.staff()} == {"head"}
    finally:
        services.close()
    with pytest.raises(AuthError):
        sign_in(school, "head", pin, kdf=OWASP_MINIMUM, throttle=SignInThrottle())
