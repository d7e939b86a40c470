"""What goes on a passport besides the steps: framework texts in the family's language, notes
cut to length, and the check that keeps other children's names off passports by default."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from skillsdesk.domain.records import FrameworkInfo, PupilInfo, SkillInfo
from skillsdesk.storage.passports import MomentRow

if TYPE_CHECKING:
    from skillsdesk.reports.passport import PassportMoment, PassportSkill

PATH_STONES = 16  # the most stones a path shows; longer ladders show a window around the child
MOMENT_TEXT = 220  # characters of a note shown on a passport (notes may be much longer)


class OtherNames:
    """Spots another child's name in a note, so that a passport going home never picks a note
    like "Helped Ava join the game" by itself (a teacher may still pick it, having read it)."""

    def __init__(self, pupils: list[PupilInfo]) -> None:
        self._names = {unicodedata.normalize("NFC", n) for p in pupils
                       for n in (p.first_name, p.legal_first_name, p.display_name) if n}
        words = sorted(self._names, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)") if words else None

    def mentioned(self, note: str, pupil: PupilInfo) -> bool:
        if self._pattern is None:
            return False
        own = {pupil.first_name, pupil.legal_first_name, pupil.display_name}
        return any(m.group(1) not in own
                   for m in self._pattern.finditer(unicodedata.normalize("NFC", note)))


class Texts:
    """Framework texts in the passport's language where the framework has them, else English."""

    def __init__(self, framework: FrameworkInfo, locale: str, skills: dict[Any, Any],
                 steps: dict[Any, Any]) -> None:
        self._framework = framework
        self._keys = [locale, locale.split("_")[0]]
        self._skills = skills
        self._steps = steps
        self._by_id = {s.id: s for s in framework.skills}

    def _pick(self, table: dict[str, Any], key: str, english: str) -> str:
        for locale in self._keys:
            text = table.get(locale, {}).get(key)
            if text:
                return str(text)
        return english

    def skill(self, skill: SkillInfo, current: int | None,
              following: int | None) -> PassportSkill:
        steps = {s.number: s for s in skill.steps}
        name = self._pick(self._skills.get(skill.id, {}), "name", skill.name)

        def text(number: int | None, key: str) -> str:
            if number is None or number not in steps:
                return ""
            return self._pick(self._steps.get((skill.id, number), {}), key,
                              getattr(steps[number], key))

        # reportlab loads when a passport is made, not at start-up (STACK.md §10).
        from skillsdesk.reports.passport import PassportSkill

        tip_step = following if following is not None else current
        return PassportSkill(name=name, colour=skill.colour,
                             path=_path(skill, current), current=current, next=following,
                             secured_text=text(current, "child"),
                             next_text=text(following, "child"), home_tip=text(tip_step, "home"))

    def moment(self, row: MomentRow) -> PassportMoment:
        from skillsdesk.reports.passport import PassportMoment

        skill = self._by_id.get(row.skill_id) if row.skill_id else None
        text = _short(row.note)
        if skill is None:
            return PassportMoment(row.on, "", "#E07A2E", text)
        name = self._pick(self._skills.get(skill.id, {}), "name", skill.name)
        return PassportMoment(row.on, name, skill.colour, text)


def _short(text: str, limit: int = MOMENT_TEXT) -> str:
    """A note as a passport has room for it: cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit].rstrip(",;:.") + "…"


def _path(skill: SkillInfo, current: int | None) -> tuple[int, ...]:
    numbers = [s.number for s in skill.steps]
    if len(numbers) <= PATH_STONES:
        return tuple(numbers)
    anchor = numbers.index(current) if current in numbers else 0
    start = max(0, min(anchor - 5, len(numbers) - PATH_STONES))
    return tuple(numbers[start:start + PATH_STONES])
