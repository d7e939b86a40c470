"""Typed characters the shipped fonts lack: emoji and Chinese are drawn in a fallback font,
anything else prints as "[?]" (never dropped) and ``unprintable`` names it before printing."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from skillsdesk.reports.fonts import (
    CJK,
    EMOJI,
    PLACEHOLDER,
    SANS,
    SANS_ITALIC,
    unprintable,
)
from skillsdesk.reports.passport import PassportMoment, build_passport, wording_for
from skillsdesk.reports.textlayout import font_runs
from tests.reports.test_passport import COLOURS, _fonts, passport

THAI = "สวัสดี"  # no shipped font has Thai
HEARTS = "\U0001FAF6"  # heart hands (Unicode 14): newer than Symbola's emoji


def test_unprintable_names_each_lost_character_once_in_order() -> None:
    assert unprintable("He loved it 😀 and said 你好, 안녕, こんにちは") == ""  # fallbacks
    assert unprintable(f"Said {THAI} to grandma {HEARTS} and {THAI}") == "สวัดี" + HEARTS
    assert unprintable("Zoë, Łukasz, مريم, Αλέξης") == ""
    # Spaces, joiners and an emoji's variation selector are never "lost".
    assert unprintable("❤\ufe0f 👨\u200d👩\u200d👧\t\n") == ""


def test_unprintable_with_given_fonts_checks_only_those() -> None:
    assert unprintable("a 😀 你", [SANS]) == "😀你"
    assert unprintable("a 😀 你", [SANS, EMOJI]) == "你"
    assert unprintable("a 😀 你", [SANS, EMOJI, CJK]) == ""
    assert unprintable("Zoë", [SANS_ITALIC]) == ""


def test_runs_use_the_fallbacks_and_one_placeholder_per_lost_run() -> None:
    runs = font_runs(f"Hi 😀👍🏽 你好 {THAI}{HEARTS} ok")
    assert runs == (("Hi ", SANS), ("😀👍 ", EMOJI), ("你好 ", CJK),
                    (f"{PLACEHOLDER} ok", SANS))
    italic = font_runs(f"{THAI} and {THAI}", italic=True)
    assert italic == ((f"{PLACEHOLDER} and {PLACEHOLDER}", SANS_ITALIC),)


def test_a_passport_with_emoji_chinese_and_thai_prints_all_of_it_somehow() -> None:
    moment = PassportMoment(dt.date(2026, 11, 12), "Skill number 1", COLOURS[1],
                            "Taught the group to count in Mandarin: 你好 means hello 🙂")
    home = PassportMoment(dt.date(2026, 11, 20), "", "#E07A2E",
                          f"He loved it 😀 and said {THAI} to grandma {HEARTS}")
    data = build_passport(passport(moments=(moment,), from_home=(home,),
                                   teacher_comment="A star 🌟 of our class. 안녕하세요!"),
                          wording_for("en_GB"))
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "你好" in text and "안녕하세요" in text
    # Emoji are searchable too (reportlab's own ToUnicode map mangles them past U+FFFF).
    assert "😀" in text and "🙂" in text and "🌟" in text
    assert f"said {PLACEHOLDER} to grandma {PLACEHOLDER}" in text
    assert THAI[0] not in text and HEARTS not in text
    found: dict = {}
    for page in reader.pages:
        _fonts(page["/Resources"], found)
    assert any(name.endswith("+Symbola") for name in found)
    assert any(name.endswith("+DroidSansFallback") for name in found)
    for name, font in found.items():  # embedded like every other font
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name


def test_a_passport_that_needs_no_fallback_names_none() -> None:
    reader = PdfReader(io.BytesIO(build_passport(passport(), wording_for("en_GB"))))
    found: dict = {}
    for page in reader.pages:
        _fonts(page["/Resources"], found)
    assert found and not any(EMOJI in name or CJK in name for name in found)
