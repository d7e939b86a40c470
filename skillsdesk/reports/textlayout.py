"""Text that may mix scripts and directions, laid out for reportlab without a shaping engine.

reportlab draws glyphs in the order it is given and does not join Arabic letters. So text with
Arabic script is shaped first (arabic_reshaper picks each letter's joined presentation form),
wrapped into lines in *logical* order, and only then each line is put in visual order with
python-bidi: reordering a whole paragraph before wrapping would put its last words on the first
line. Every run of Arabic script is drawn in Noto Naskh Arabic (which has no Latin, digits or
brackets we rely on), everything else in Noto Sans; ``font_runs`` is the one place that decides,
so the glyph-coverage test checks exactly what is drawn.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from skillsdesk.reports.fonts import (
    ARABIC,
    ARABIC_BOLD,
    FALLBACKS,
    PLACEHOLDER,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    covers,
    draw_font,
    gaps,
    invisible,
    is_arabic_script,
    register_fonts,
)

# Letter ligatures (lam-alef) are needed for correct Arabic; word and sentence ligatures map to
# single glyphs that Noto Naskh Arabic does not all have, so they stay off.
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={
    "delete_harakat": True,
    "support_ligatures": True,
    "RIAL SIGN": False,
    "ARABIC LIGATURE ALLAH": False,
    "ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM": False,
    "ARABIC LIGATURE JALLAJALALOUHOU": False,
    "ARABIC LIGATURE BISMILLAH AR-RAHMAN AR-RAHEEM": False,
})
# Naskh letters look smaller than Latin at the same point size.
ARABIC_SCALE = 1.12
# The ranges of fonts.is_arabic_script, as a pattern: most text has none, and a regular
# expression answers that far faster than a loop over characters.
_ARABIC = re.compile("[\u0600-\u06FF\u0750-\u077F\uFB50-\uFEFF]")


def has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


@lru_cache(maxsize=4096)
def shape(text: str) -> str:
    """NFC text with Arabic letters in their joined forms (still in logical order)."""
    text = unicodedata.normalize("NFC", text)
    return _RESHAPER.reshape(text) if has_arabic(text) else text


def base_direction(text: str) -> str:
    """'R' or 'L' from the first strong letter (the Unicode rule for an unmarked paragraph)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "L"


@lru_cache(maxsize=4096)
def visual(line: str, direction: str) -> str:
    """One line in the order it is drawn, left to right."""
    if direction == "R" or has_arabic(line):
        return str(get_display(line, base_dir=direction))
    return line


def font_name(arabic: bool, bold: bool = False, italic: bool = False) -> str:
    if arabic:
        return ARABIC_BOLD if bold else ARABIC
    if bold:
        return SANS_BOLD
    return SANS_ITALIC if italic else SANS


@lru_cache(maxsize=8192)
def font_runs(text: str, bold: bool = False, italic: bool = False) -> tuple[tuple[str, str], ...]:
    """``text`` cut into (run, font) pieces, as drawn; spaces stay with the run they follow.

    A character its script's font lacks is drawn in a fallback font (fonts.draw_font); a run
    of characters no font has becomes one ``PLACEHOLDER``, so nothing typed vanishes unseen."""
    plain = font_name(False, bold, italic)
    if not has_arabic(text) and gaps(plain).search(text) is None:
        return ((text, plain),)
    runs: list[list[str]] = []
    lost = False  # the last run ends in a placeholder
    for ch in text:
        font: str | None
        if invisible(ch):
            # A joiner, a direction mark, an emoji's variation selector: kept where the Noto
            # font of its run has it (as before there were fallbacks), else left out; never a
            # run of its own, and never given to a fallback, which may draw it as a box.
            if runs and runs[-1][1] not in FALLBACKS and covers(runs[-1][1], ch):
                runs[-1][0] += ch
            continue
        if "\U0001F3FB" <= ch <= "\U0001F3FF" and runs and not runs[-1][0][-1].isspace():
            continue  # a skin tone: black-and-white print cannot show one, and Symbola's
            # swatch for it would read as a broken box beside the emoji it belongs to
        if ch.isspace():
            if runs:
                runs[-1][0] += ch if covers(runs[-1][1], ch) else " "
                lost = False
                continue
            ch, font = (ch if covers(plain, ch) else " "), plain
        else:
            font = draw_font(ch, font_name(is_arabic_script(ch), bold, italic))
        if font is None:
            if lost:
                continue
            ch, font, lost = PLACEHOLDER, plain, True
        else:
            lost = False
        if runs and runs[-1][1] == font:
            runs[-1][0] += ch
        else:
            runs.append([ch, font])
    return tuple((run, font) for run, font in runs)


def _size(font: str, size: float) -> float:
    return size * ARABIC_SCALE if font in (ARABIC, ARABIC_BOLD) else size


@lru_cache(maxsize=16384)
def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    register_fonts()
    return sum(stringWidth(run, font, _size(font, size))
               for run, font in font_runs(text, bold, italic))


@lru_cache(maxsize=4096)
def wrap_lines(text: str, size: float, width: float, bold: bool = False,
               italic: bool = False) -> tuple[str, ...]:
    """Shaped text broken into lines no wider than ``width``, in logical order.

    A line's width is the sum of its words' widths and the spaces between them, so each word
    is measured once (and remembered: a class shares most of its statements and tips).
    """
    space = text_width(" ", size, bold, italic)
    lines: list[str] = []
    for paragraph in shape(text).split("\n"):
        current: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            wide = text_width(word, size, bold, italic)
            if current and used + space + wide <= width:
                current.append(word)
                used += space + wide
                continue
            if current:
                lines.append(" ".join(current))
            while wide > width and len(word) > 1:  # a word wider than the line: break it
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], size, bold, italic) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                wide = text_width(word, size, bold, italic)
            current, used = [word], wide
        lines.append(" ".join(current))
    return tuple(lines)


def draw_runs(canvas: Canvas, x: float, y: float, visual_text: str, size: float,
              bold: bool = False, italic: bool = False) -> float:
    """Draw a line already in visual order from ``x``; returns its width."""
    start = x
    for run, font in font_runs(visual_text, bold, italic):
        font_size = _size(font, size)
        canvas.setFont(font, font_size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, font, font_size)
    return x - start


def draw_line(canvas: Canvas, x: float, y: float, text: str, size: float, *,
              bold: bool = False, italic: bool = False, align: str = "left",
              direction: str | None = None) -> float:
    """One line of (unshaped, logical) text at baseline ``y``; ``x`` is the left, right or
    centre point depending on ``align``. Returns the drawn width."""
    line = shape(text)
    drawn = visual(line, direction or base_direction(line))
    width = text_width(drawn, size, bold, italic)
    left = {"left": x, "right": x - width, "centre": x - width / 2}[align]
    return draw_runs(canvas, left, y, drawn, size, bold, italic)


def fit_size(text: str, size: float, width: float, bold: bool = False,
             smallest: float = 8) -> float:
    """The largest size up to ``size`` at which ``text`` fits on one line of ``width``."""
    shaped = shape(text)
    while size > smallest and text_width(shaped, size, bold) > width:
        size -= 0.5
    return size


class BidiParagraph(Flowable):
    """A paragraph in one style: wrapped, shaped and ordered as described above."""

    def __init__(self, text: str, size: float = 10, *, bold: bool = False,
                 italic: bool = False, colour: Color = black, align: str = "left",
                 direction: str | None = None, leading: float | None = None,
                 lines: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.bold = bold
        self.italic = italic
        self.colour = colour
        self.align = align
        shaped = shape(text)
        self.direction = direction or base_direction(shaped)
        factor = 1.55 if has_arabic(shaped) else 1.3
        self.leading = leading or size * factor
        self._lines = lines
        self._given = lines is not None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if not self._given:
            self._lines = wrap_lines(self.text, self.size, availWidth, self.bold, self.italic)
        self.width = availWidth
        self.height = len(self._lines or []) * self.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self._lines if self._given else wrap_lines(
            self.text, self.size, availWidth, self.bold, self.italic)
        assert lines is not None
        fit = int(availHeight // self.leading)
        if fit < 1 or fit >= len(lines):
            return []
        return [self._with(lines[:fit]), self._with(lines[fit:])]

    def _with(self, lines: tuple[str, ...]) -> BidiParagraph:
        return BidiParagraph(self.text, self.size, bold=self.bold, italic=self.italic,
                             colour=self.colour, align=self.align, direction=self.direction,
                             leading=self.leading, lines=lines)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.colour)
        for index, line in enumerate(self._lines or []):
            drawn = visual(line, self.direction)
            width = text_width(drawn, self.size, self.bold, self.italic)
            x = {"left": 0.0, "right": self.width - width,
                 "centre": (self.width - width) / 2}[self.align]
            baseline = self.height - (index + 1) * self.leading + self.leading * 0.3
            draw_runs(canvas, x, baseline, drawn, self.size, self.bold, self.italic)
