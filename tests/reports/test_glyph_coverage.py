"""reportlab silently drops a glyph its font lacks, so every character that can reach a passport
must be in the font it is drawn with: demo names and every translated catalogue string."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from skillsdesk.paths import resources_dir
from skillsdesk.reports.fonts import (
    FALLBACKS,
    covers,
    font_for,
    invisible,
    missing_glyphs,
    script_font,
)
from skillsdesk.reports.textlayout import font_runs, shape, visual

ROOT = Path(__file__).resolve().parents[2]


def uncovered(text: str) -> set[tuple[str, str]]:
    """(font, character) pairs the passport could not draw in Noto, drawing ``text`` as it
    does. The app's own texts must not need a fallback font or the [?] placeholder (which
    would hide a gap from ``missing_glyphs``), so each character is checked against the Noto
    font of its script too."""
    lost = set()
    for direction in ("L", "R"):
        drawn = visual(shape(text), direction)
        for bold in (False, True):
            for italic in (False, True):
                for run, font in font_runs(drawn, bold, italic):
                    if not italic and font not in FALLBACKS:
                        # The font a run gets is the one fonts.font_for names for it.
                        assert font == font_for(run.strip() or run, bold), (run, font)
                    lost |= {(font, ch) for ch in missing_glyphs(font, run)}
                lost |= {(script_font(ch, bold, italic), ch) for ch in drawn
                         if not ch.isspace() and not invisible(ch)
                         and not covers(script_font(ch, bold, italic), ch)}
    return lost


def test_uncovered_sees_what_would_need_a_fallback_or_the_placeholder() -> None:
    assert uncovered("Zoë said 你好 \u0e2a") == {(font, ch) for font in
                                                    ("NotoSans", "NotoSans-Bold",
                                                     "NotoSans-Italic")
                                                    for ch in "你好\u0e2a"}


def demo_names() -> set[str]:
    bank = tomllib.loads((resources_dir() / "demo" / "names.toml").read_text(encoding="utf-8"))
    names = set()
    for origin in bank["origins"].values():
        for key in ("girls", "boys", "surnames"):
            names.update(origin.get(key, []))
    return names


def test_every_demo_name_is_covered() -> None:
    names = demo_names()
    assert any("\u0600" <= ch <= "\u06ff" for name in names for ch in name)  # Arabic is tested
    lost = {name: uncovered(name) for name in sorted(names)}
    assert not {k: v for k, v in lost.items() if v}


def test_every_pupil_of_the_demo_school_is_covered(demo_services) -> None:  # type: ignore[no-untyped-def]
    for pupil in demo_services.school.pupils():
        assert not uncovered(pupil.display_name), pupil.display_name


@pytest.mark.parametrize("po", sorted((ROOT / "i18n").glob("*.po")), ids=lambda p: p.stem)
def test_every_translated_string_is_covered(po: Path) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    strings = []
    for message in catalog:
        if message.id and message.string:
            values = message.string if isinstance(message.string, tuple) else (message.string,)
            strings.extend(v for v in values if v)
    assert strings
    lost = {text: uncovered(text) for text in strings}
    assert not {k: v for k, v in lost.items() if v}


def test_the_english_wording_of_every_pdf_is_covered() -> None:
    """The English strings of the PDF builders, what a passport without a translation prints
    (the GUI's own strings, with arrows and ticks, are drawn by Qt, not reportlab)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    strings = []
    for source in sorted((ROOT / "skillsdesk" / "reports").glob("*.py")):
        for _line, message, _comments, _context in extract_from_file(
                "python", str(source), keywords=keywords):
            strings.extend(m for m in (message if isinstance(message, tuple) else (message,))
                           if m)
    assert "My skills passport" in strings and "What we noticed at home" in strings
    lost = {text: uncovered(text) for text in strings}
    assert not {k: v for k, v in lost.items() if v}


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


@pytest.mark.parametrize("toml", sorted((resources_dir() / "frameworks").glob("*.toml")),
                         ids=lambda p: p.stem)
def test_every_shipped_framework_text_is_covered(toml: Path) -> None:
    """Skill names, "I can" statements and home tips (and any translations of them) are
    drawn on passports too."""
    texts = _texts(tomllib.loads(toml.read_text(encoding="utf-8"))["skills"])
    assert texts
    lost = {text: uncovered(text) for text in texts}
    assert not {k: v for k, v in lost.items() if v}
