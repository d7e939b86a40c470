"""The fonts every PDF uses, shipped in ``resources/fonts`` (OFL) and registered once.

reportlab silently drops any glyph a font lacks, so text is drawn in Noto Sans, with Arabic-script
runs in Noto Naskh Arabic (which has no Latin), and tests check coverage with ``missing_glyphs``.

Staff and families type what they like, though: an emoji, a Chinese word. A character the Noto font
of its text lacks is drawn in a fallback (Symbola for emoji and symbols, Droid Sans Fallback for
Chinese, Japanese and Korean), loaded only when a text needs one. What no font here can draw is
printed as ``PLACEHOLDER``, never dropped, and ``unprintable`` names those characters so the app
can warn before printing. ``draw_font`` is the one rule both follow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from skillsdesk.paths import resources_dir

SANS = "NotoSans"
SANS_BOLD = "NotoSans-Bold"
SANS_ITALIC = "NotoSans-Italic"
ARABIC = "NotoNaskhArabic"
ARABIC_BOLD = "NotoNaskhArabic-Bold"
EMOJI = "Symbola"
CJK = "DroidSansFallback"
# What a passport prints for a run of characters no shipped font has: visibly something, in a
# font that has it, rather than nothing.
PLACEHOLDER = "[?]"

_FILES = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    SANS_ITALIC: "NotoSans-Italic.ttf",
    ARABIC: "NotoNaskhArabic-Regular.ttf",
    ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf",
}
# Tried in this order for a character the text's own font lacks. Each is optional: without its
# file, what it would have drawn prints as the placeholder (and is warned about).
_FALLBACK_FILES = {
    EMOJI: "Symbola.ttf",
    CJK: "DroidSansFallback.ttf",
}
FALLBACKS = tuple(_FALLBACK_FILES)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap with each character in UTF-16, as the PDF format wants.

    reportlab (5.1) writes a code point past U+FFFF as five hex digits, which readers reject:
    an emoji would print but could not be found, copied or read aloud. Characters up to
    U+FFFF come out exactly as before."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
          for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


@cache
def register_fonts() -> None:
    """Register the shipped fonts with reportlab (safe to call often; runs once per process)."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    folder = resources_dir() / "fonts"
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC,
                                  boldItalic=SANS_BOLD)
    pdfmetrics.registerFontFamily(ARABIC, normal=ARABIC, bold=ARABIC_BOLD, italic=ARABIC,
                                  boldItalic=ARABIC_BOLD)


def is_arabic_script(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


def font_for(text: str, bold: bool = False) -> str:
    """The font to draw ``text`` with: Naskh when it holds Arabic script, else Noto Sans."""
    if any(is_arabic_script(ch) for ch in text):
        return ARABIC_BOLD if bold else ARABIC
    return SANS_BOLD if bold else SANS


@cache
def fallback_fonts() -> tuple[str, ...]:
    """The fallback fonts there are, registered on first use: about 7 MB to read, so a
    process that never meets an emoji or a Chinese word never loads them."""
    register_fonts()
    folder = resources_dir() / "fonts"
    found = []
    for name, filename in _FALLBACK_FILES.items():
        if (folder / filename).is_file():
            pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
            found.append(name)
    return tuple(found)


@cache
def _cmap(font: str) -> frozenset[int]:
    register_fonts()
    if font in _FALLBACK_FILES:
        fallback_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def covers(font: str, char: str) -> bool:
    """Whether ``font`` has a glyph for ``char``."""
    return ord(char) in _cmap(font)


@cache
def gaps(font: str) -> re.Pattern[str]:
    """A pattern matching any character ``font`` lacks: one regular-expression search tells
    whether a text needs anything but ``font``, far faster than a loop over its characters."""
    codes = sorted(_cmap(font))
    ranges = []
    start = previous = codes[0]
    for code in codes[1:]:
        if code != previous + 1:
            ranges.append((start, previous))
            start = code
        previous = code
    ranges.append((start, previous))
    covered = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                      for a, b in ranges)
    return re.compile(f"[^{covered}]")


def invisible(char: str) -> bool:
    """A character that is never drawn on its own: a joiner, a direction mark, a variation
    selector (emoji style), a control character. Leaving one out loses nothing visible."""
    code = ord(char)
    return (unicodedata.category(char) in ("Cf", "Cc") or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF)


def draw_font(char: str, font: str) -> str | None:
    """The font ``char`` is drawn in when its text is in ``font``: ``font`` itself, else the
    first fallback that has it; "" for an invisible character left out; None when no font
    here can draw it (it prints as the placeholder)."""
    if covers(font, char):
        return font
    if invisible(char):
        return ""
    for fallback in fallback_fonts():
        if covers(fallback, char):
            return fallback
    return None


def script_font(char: str, bold: bool = False, italic: bool = False) -> str:
    """The font of ``char``'s script in a text of this style (Naskh has no italic)."""
    if is_arabic_script(char):
        return ARABIC_BOLD if bold else ARABIC
    if bold:
        return SANS_BOLD
    return SANS_ITALIC if italic else SANS


def unprintable(text: str, fonts: Iterable[str] | None = None, *, bold: bool = False,
                italic: bool = False) -> str:
    """The characters of ``text`` that cannot be drawn, each once, in the order they come.

    With ``fonts``: those none of ``fonts`` has. Without: those a passport prints as the
    placeholder, drawing each character in the font of its script in that style (Noto Sans, or
    Noto Naskh Arabic) or in a fallback. Spaces and invisible characters never count."""
    chosen = tuple(fonts) if fonts is not None else None
    text = unicodedata.normalize("NFC", text)
    if chosen is None and gaps(script_font("a", bold, italic)).search(text) is None:
        return ""  # all in Noto Sans: what nearly every text is
    lost: dict[str, None] = {}
    for ch in text:
        if ch.isspace() or ch in lost:
            continue
        if chosen is None:
            if draw_font(ch, script_font(ch, bold, italic)) is None:
                lost[ch] = None
        elif not invisible(ch) and not any(covers(f, ch) for f in chosen):
            lost[ch] = None
    return "".join(lost)


def missing_glyphs(font: str, text: str) -> set[str]:
    """Characters of ``text`` (other than spacing) that ``font`` cannot draw."""
    register_fonts()
    face = pdfmetrics.getFont(font).face
    return {ch for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph}
