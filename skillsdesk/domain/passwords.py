"""How strong a password is (0-4, with reasons a person can act on) and the minimum SkillsDesk
accepts for a staff login: at least ``MIN_LENGTH`` characters and a score of ``MIN_SCORE``.

The score estimates how many guesses an attacker with a copy of the key file would need, the way
password meters do it: every character is worth what its kind of character adds (lower case,
capitals, digits, symbols, other letters), except where a guesser would try it early: a very
common word (``resources/passwords/common.txt``, also with look-alike digits such as p4ssw0rd),
the person's own name or login or the school's name, repeated characters, runs like ``abc`` or
``4321`` and keyboard walks like ``qwer``. Pure Python, so the wizard can score as people type.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from skillsdesk.domain.errors import Problem, UserError
from skillsdesk.i18n import _, pgettext
from skillsdesk.paths import resources_dir

MIN_LENGTH = 10
MIN_SCORE = 2
# Past this, a password is strong whatever it holds; the cap keeps scoring instant.
_ANALYSED = 128
_LOOKALIKE = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                            "8": "b", "@": "a", "$": "s", "!": "i", "|": "l"})
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop")
# Bits below which the score is 0, 1, 2, 3 (and 4 above the last).
_THRESHOLDS = (25.0, 40.0, 55.0, 70.0)


@dataclass(frozen=True)
class Strength:
    score: int  # 0 very weak .. 4 strong
    reasons: tuple[str, ...]  # what weakens it, or how to make it stronger

    @property
    def label(self) -> str:
        return (pgettext("password strength", "Very weak"), pgettext("password strength", "Weak"),
                pgettext("password strength", "Fair"), pgettext("password strength", "Good"),
                pgettext("password strength", "Strong"))[self.score]


class WeakPassword(UserError):
    """A new password below the minimum; ``problems`` name what to change."""


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    path = resources_dir() / "passwords" / "common.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))


def _pool(password: str) -> int:
    pool = 0
    if any(c in string.ascii_lowercase for c in password):
        pool += 26
    if any(c in string.ascii_uppercase for c in password):
        pool += 26
    if any(c in string.digits for c in password):
        pool += 10
    if any(c in string.punctuation or c == " " for c in password):
        pool += 33
    if any(ord(c) > 127 for c in password):
        pool += 100
    return max(pool, 10)


def _context_words(context: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in context:
        folded = text.casefold()
        words.add("".join(c for c in folded if c.isalnum()))
        part = ""
        for char in folded + " ":
            if char.isalpha():
                part += char
            else:
                words.add(part)
                part = ""
    return {w for w in words if len(w) >= 3}


def _pattern_end(text: str, start: int) -> int:
    """End of a repeat, an alphabet/digit run or a keyboard walk starting at ``start`` (>= 3)."""
    best = start
    for step in (0, 1, -1):
        end = start + 1
        while end < len(text) and ord(text[end]) - ord(text[end - 1]) == step:
            end += 1
        best = max(best, end)
    for row in _KEYBOARD_ROWS:
        for line in (row, row[::-1]):
            end = start
            while end < len(text) and end - start < len(line) and \
                    text[start:end + 1] in line:
                end += 1
            best = max(best, end)
    return best if best - start >= 3 else start


def _period(text: str) -> int:
    """The length of the unit ``text`` repeats (at least twice), or 0."""
    for size in range(1, len(text) // 2 + 1):
        if text[size:] == text[:-size] and len(text) % size == 0:
            return size
    return 0


def _word_at(plain: str, folded: str, i: int, words: frozenset[str],
             mine: set[str]) -> tuple[int, str]:
    """The longest common word (4+ letters) or own word (3+) starting at ``i``, and its kind."""
    longest = min(max(len(w) for w in words), len(plain) - i)
    for size in range(longest, 2, -1):
        if plain[i:i + size] in mine or folded[i:i + size] in mine:
            return size, "context"
        if size >= 4 and plain[i:i + size] in words:
            return size, "common"
    return 0, ""


def _estimate(password: str, context: Iterable[str]) -> tuple[float, set[str]]:
    """Estimated bits of guessing work, and which weaknesses were found."""
    text = password[:_ANALYSED]
    folded = text.casefold()
    period = _period(folded)
    if period:
        # "Ab1!Ab1!Ab1!" is as hard to guess as "Ab1!" plus how many times it repeats.
        bits, found = _estimate(text[:period], context)
        return bits + math.log2(len(text) / period), found | {"pattern"}
    plain = folded.translate(_LOOKALIKE)
    per_char = math.log2(_pool(text))
    words = common_words()
    mine = _context_words(context)
    found: set[str] = set()
    bits = 0.0
    i = 0
    while i < len(plain):
        size, kind = _word_at(plain, folded, i, words, mine)
        if size:
            # A guesser tries a list of words before random letters: the word costs its
            # place in the list, not its length; the person's own words cost next to nothing.
            bits += math.log2(len(words)) if kind == "common" else 1.0
        else:
            end = _pattern_end(folded, i)
            size, kind = end - i, "pattern"
            # The first two characters set the pattern; the rest follow from them.
            bits += 2 * per_char + (size - 2) if size else per_char
        if size:
            found.add(kind)
        i += max(size, 1)
    if len(password) > _ANALYSED:
        bits += 100.0
    return bits, found


def _core(password: str) -> str:
    """The word under the decoration: "Summer2024!" -> "summer", "p@ssw0rd" -> "password"."""
    folded = password.casefold()
    trimmed = folded.strip(string.digits + string.punctuation + " ")
    return (trimmed or folded).translate(_LOOKALIKE)


def assess(password: str, context: Iterable[str] = ()) -> Strength:
    """Score ``password``; ``context`` holds the person's name and login and the school's name."""
    if not password:
        return Strength(0, (_("Type a password."),))
    context = tuple(context)
    words = common_words()
    bits, found = _estimate(password, context)
    core = _core(password)
    if core in words or password.casefold() in words or core in _context_words(context):
        bits = min(bits, 10.0)
        found.add("common" if core not in _context_words(context) else "context")
    score = sum(1 for limit in _THRESHOLDS if bits >= limit)
    if len(password) < 8:
        score = min(score, 1)
    reasons: list[str] = []
    if len(password) < MIN_LENGTH:
        reasons.append(_("Use at least {n} characters.").format(n=MIN_LENGTH))
    if "common" in found:
        reasons.append(_("It is, or is built on, a password that many people use."))
    if "context" in found:
        reasons.append(_("It contains a name or login, or the school's name."))
    if "pattern" in found:
        reasons.append(_("Repeated characters, runs like abc or 4321 and keyboard rows are "
                         "easy to guess."))
    if score == 4:
        return Strength(4, ())
    if not reasons:
        reasons.append(_("Add another word or two: a few unrelated words make a strong "
                         "password that is easy to remember."))
    return Strength(score, tuple(reasons))


def policy_problems(password: str, context: Iterable[str] = ()) -> tuple[str, ...]:
    """Why ``password`` falls below the minimum for a staff login; empty when it is acceptable."""
    strength = assess(password, context)
    too_short = _("Use at least {n} characters.").format(n=MIN_LENGTH)
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(_("A password needs at least {n} characters.").format(n=MIN_LENGTH))
    if strength.score < MIN_SCORE:
        problems.append(_("This password is too easy to guess."))
        problems.extend(r for r in strength.reasons if r != too_short)
    return tuple(problems)


def check_policy(password: str, context: Iterable[str] = ()) -> None:
    """Raise ``WeakPassword`` (a sentence plus the reasons) when ``password`` is not acceptable."""
    problems = policy_problems(password, context)
    if problems:
        raise WeakPassword(problems[0], [Problem(p) for p in problems[1:]])


PIN_LENGTHS = (4, 8)


def pin_problems(pin: str) -> tuple[str, ...]:
    """Why ``pin`` cannot be used for switching user; empty when it can.

    A PIN only switches between staff inside an unlocked session, with attempts throttled, so
    4 digits are enough; the PINs everyone tries first are still refused.
    """
    low, high = PIN_LENGTHS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        return (_("A PIN is {low} to {high} digits.").format(low=low, high=high),)
    if len(set(pin)) == 1 or _pattern_end(pin, 0) == len(pin) or pin in _COMMON_PINS:
        return (_("That PIN is one of the first anyone would try; choose another."),)
    return ()


# Dates and shapes people pick besides repeats and runs (which pin_problems finds itself).
_COMMON_PINS = frozenset({"1212", "1122", "1313", "2000", "1999", "2580", "0852", "1004",
                          "6969", "5683", "2468", "1357", "1379", "4321", "7777", "1010"})
