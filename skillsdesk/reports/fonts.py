"""The fonts every PDF uses, shipped in ``resources/fonts`` (OFL) and registered once.

reportlab silently drops any glyph a font lacks, so text is drawn in Noto Sans, with Arabic-script
runs in Noto Naskh Arabic (which has no Latin), and tests check coverage with ``missing_glyphs``.
"""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from skillsdesk.paths import resources_dir

SANS = "NotoSans"
SANS_BOLD = "NotoSans-Bold"
SANS_ITALIC = "NotoSans-Italic"
ARABIC = "NotoNaskhArabic"
ARABIC_BOLD = "NotoNaskhArabic-Bold"

_FILES = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    SANS_ITALIC: "NotoSans-Italic.ttf",
    ARABIC: "NotoNaskhArabic-Regular.ttf",
    ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf",
}


@cache
def register_fonts() -> None:
    """Register the shipped fonts with reportlab (safe to call often; runs once per process)."""
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


def missing_glyphs(font: str, text: str) -> set[str]:
    """Characters of ``text`` (other than spacing) that ``font`` cannot draw."""
    register_fonts()
    face = pdfmetrics.getFont(font).face
    return {ch for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph}
