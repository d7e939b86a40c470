"""Password strength and the minimum for staff logins; PIN rules."""

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.passwords import (
    MIN_LENGTH,
    MIN_SCORE,
    WeakPassword,
    assess,
    check_policy,
    common_words,
    pin_problems,
    policy_problems,
)

CONTEXT = ("sam.lee", "Sam Lee", "Oakfield Primary School")


def test_the_list_of_common_passwords_is_ours_and_sizeable() -> None:
    words = common_words()
    assert len(words) >= 300
    assert {"password1", "qwerty", "school123", "letmein", "headteacher"} <= words
    assert all(w == w.casefold() and w.strip() == w for w in words)


@pytest.mark.parametrize("password", [
    "password1", "Password123!", "p4ssw0rd", "P@SSW0RD2024", "qwerty", "qwertyuiop12",
    "school123", "School2026!", "Headteacher1", "ofsted2025", "Summer2024!", "letmein!!",
    "iloveyou", "aaaaaaaaaaaa", "abcdefghijkl", "1234567890", "zxcvbnm123", "Abc1!Abc1!Abc1!",
])
def test_common_and_patterned_passwords_are_refused(password: str) -> None:
    strength = assess(password)
    assert strength.score < MIN_SCORE, (password, strength)
    assert strength.reasons
    assert policy_problems(password)


@pytest.mark.parametrize("password", ["SamLee2026!x", "oakfield-primary-9", "sam.lee.rocks"])
def test_the_persons_own_name_or_school_weakens_a_password(password: str) -> None:
    assert assess(password, CONTEXT).score < assess(password).score or \
        assess(password, CONTEXT).score < MIN_SCORE
    assert any("name" in reason for reason in assess(password, CONTEXT).reasons)


@pytest.mark.parametrize("password", [
    "correct horse battery staple", "Bramble-Kettle-Moss", "Jupiter!Marsh7", "kdjwpqmzrt",
    "Cwtch-y-Ddraig-42", "Łódź tramwaj o zmierzchu",
])
def test_good_passwords_are_accepted(password: str) -> None:
    assert assess(password, CONTEXT).score >= MIN_SCORE
    assert policy_problems(password, CONTEXT) == ()
    check_policy(password, CONTEXT)


def test_scores_rise_with_length_and_variety() -> None:
    scores = [assess(p).score for p in ("x", "kdjwpqm", "kdjwpqmzrt", "kdjwpqmzrtVbn4",
                                        "kdjwpqmzrt-Vbn4-hslw")]
    assert scores == sorted(scores)
    assert scores[0] == 0 and scores[-1] == 4
    assert assess("correct horse battery staple").reasons == ()  # strong: nothing to nag about


def test_short_passwords_fail_the_length_rule_whatever_their_score() -> None:
    strong_but_short = "Xq7$mR2!"
    assert len(strong_but_short) < MIN_LENGTH
    problems = policy_problems(strong_but_short)
    assert problems[0] == f"A password needs at least {MIN_LENGTH} characters."
    with pytest.raises(WeakPassword) as refused:
        check_policy(strong_but_short)
    assert isinstance(refused.value, UserError)


def test_the_refusal_lists_every_reason() -> None:
    with pytest.raises(WeakPassword) as refused:
        check_policy("school123")
    text = str(refused.value)
    assert "at least 10 characters" in text
    assert "many people use" in text


def test_empty_and_enormous_passwords() -> None:
    assert assess("").score == 0
    assert assess("x" * 100_000).score == 0  # one character repeated, however long
    assert assess("kdjw-pqmz-rtVb-n4hs-" * 20).score >= MIN_SCORE


@pytest.mark.parametrize(("pin", "ok"), [
    ("5821", True), ("730519", True), ("90417263", True),
    ("1234", False), ("4321", False), ("0000", False), ("2580", False), ("1212", False),
    ("123", False), ("123456789", False), ("12a4", False), ("١٢٣٤", False), ("", False),
])
def test_pin_rules(pin: str, ok: bool) -> None:
    assert (pin_problems(pin) == ()) is ok
