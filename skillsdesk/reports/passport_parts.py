"""The pieces of a skills passport page, as platypus flowables drawn on the canvas.

Every piece lays itself out left to right and mirrors its x positions for a right-to-left
language, so an Arabic passport reads from the right: the path of steps runs right to left too.
Colour is never the only signal: secured steps are filled, the next one carries a star.
"""

from __future__ import annotations

import io
import zlib

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from skillsdesk.i18n import format_date
from skillsdesk.reports.passport_data import Passport, PassportMoment, PassportSkill, Wording
from skillsdesk.reports.textlayout import BidiParagraph, draw_line, fit_size

INK = HexColor("#2B2B3A")
MUTED = HexColor("#66667A")
PAPER = HexColor("#FFF4E3")
ACCENT = HexColor("#E07A2E")
STONE = HexColor("#C4C4CE")
GOLD = HexColor("#F5B700")


def tint(colour: str, amount: float) -> Color:
    """``colour`` mixed with white (amount 1: white)."""
    c = HexColor(colour)
    return Color(c.red + (1 - c.red) * amount, c.green + (1 - c.green) * amount,
                 c.blue + (1 - c.blue) * amount)


def shade(colour: str, amount: float) -> Color:
    c = HexColor(colour)
    return Color(c.red * (1 - amount), c.green * (1 - amount), c.blue * (1 - amount))


def ink_on(colour: str) -> Color:
    """Dark text on a light colour (Creativity's yellow), white on a dark one."""
    c = HexColor(colour)
    luminance = 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
    return INK if luminance > 0.55 else white


class _Part(Flowable):
    def __init__(self, words: Wording) -> None:
        super().__init__()
        self.words = words

    def mx(self, x: float, w: float = 0.0) -> float:
        """The left edge of something placed ``x`` from the start edge, ``w`` wide."""
        return self.width - x - w if self.words.rtl else x

    def para(self, text: str, size: float, **style: object) -> BidiParagraph:
        style.setdefault("align", self.words.start)
        return BidiParagraph(text, size, **style)  # type: ignore[arg-type]

    def place(self, flowable: Flowable, x: float, top: float, width: float) -> None:
        """Draw a wrapped flowable whose start edge is ``x`` and top is ``top``."""
        flowable.drawOn(self.canv, self.mx(x, width), top - flowable.height)


def star(canvas: Canvas, cx: float, cy: float, r: float) -> None:
    import math

    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canvas.setFillColor(GOLD)
    canvas.setStrokeColor(shade("#F5B700", 0.35))
    canvas.setLineWidth(0.6)
    canvas.drawPath(path, stroke=1, fill=1)


def house(canvas: Canvas, x: float, y: float, size: float, colour: Color) -> None:
    """A small house outline (the home tip's sign), bottom-left corner at (x, y)."""
    path = canvas.beginPath()
    path.moveTo(x, y)
    path.lineTo(x, y + size * 0.55)
    path.lineTo(x + size / 2, y + size)
    path.lineTo(x + size, y + size * 0.55)
    path.lineTo(x + size, y)
    path.close()
    canvas.setStrokeColor(colour)
    canvas.setFillColor(white)
    canvas.setLineWidth(1)
    canvas.drawPath(path, stroke=1, fill=1)
    canvas.rect(x + size * 0.38, y, size * 0.24, size * 0.35, stroke=1, fill=0)


def stone(canvas: Canvas, cx: float, cy: float, r: float, number: int, state: str,
          colour: str) -> None:
    """One step: 'done' filled, 'next' ringed with a star, 'later' grey outline.

    Each distinct stone is drawn once per PDF as a form and then only placed: a class's
    passports repeat the same few hundred stones, and drawing circles and text anew for each
    one was most of the time a page took.
    """
    name = f"st{colour[1:]}{state[0]}{number}r{round(r * 100)}"
    if not canvas.hasForm(name):
        canvas.beginForm(name, -2 * r, -2 * r, 2 * r, 2 * r)
        _stone(canvas, 0, 0, r, number, state, colour)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(cx, cy)
    canvas.doForm(name)
    canvas.restoreState()


def _stone(canvas: Canvas, cx: float, cy: float, r: float, number: int, state: str,
           colour: str) -> None:
    if state == "done":
        canvas.setFillColor(HexColor(colour))
        canvas.setStrokeColor(shade(colour, 0.25))
        canvas.setLineWidth(0.8)
        text = ink_on(colour)
    elif state == "next":
        canvas.setFillColor(white)
        canvas.setStrokeColor(HexColor(colour))
        canvas.setLineWidth(2.2)
        text = shade(colour, 0.35)
    else:
        canvas.setFillColor(white)
        canvas.setStrokeColor(STONE)
        canvas.setLineWidth(1)
        text = MUTED
    canvas.circle(cx, cy, r, stroke=1, fill=1)
    canvas.setFillColor(text)
    draw_line(canvas, cx, cy - r * 0.36, str(number), r * 1.0, bold=state != "later",
              align="centre", direction="L")
    if state == "next":
        star(canvas, cx + r * 0.85, cy + r * 0.85, r * 0.62)


class SkillCard(_Part):
    """One skill: its name and step beside the path of stones, then the two "I can" statements
    and the home tip."""

    PAD = 8.0
    BAR = 5.0
    NAME = 122.0
    PATH = 34.0
    GAP = 14.0

    def __init__(self, skill: PassportSkill, words: Wording) -> None:
        super().__init__(words)
        self.skill = skill
        _ = words.gettext
        dark = shade(skill.colour, 0.3)
        if skill.current is None:
            done = _("I am just starting to learn this skill.")
        else:
            done = skill.secured_text
        if skill.next is None:
            learning = _("I have reached the top of this path!")
        else:
            learning = skill.next_text
        self.columns = (
            (self.para(_("What I can do"), 8.5, bold=True, colour=dark), self.para(done, 9.5)),
            (self.para(_("What I am learning next"), 8.5, bold=True, colour=dark),
             self.para(learning, 9.5)),
        )
        self.tip = self.para(skill.home_tip, 8.5, italic=True, colour=MUTED) \
            if skill.home_tip else None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        inner = availWidth - 2 * self.PAD - self.BAR
        self.column_width = (inner - self.GAP) / 2
        self.column_height = max(
            sum(p.wrap(self.column_width, availHeight)[1] for p in column) + 1
            for column in self.columns)
        tip = self.tip.wrap(inner - 16, availHeight)[1] + 4 if self.tip else 0
        self.height = self.PAD + self.PATH + self.column_height + tip + self.PAD
        return self.width, self.height

    def draw(self) -> None:
        c, skill, _ = self.canv, self.skill, self.words.gettext
        c.setFillColor(tint(skill.colour, 0.9))
        c.roundRect(0, 0, self.width, self.height, 8, stroke=0, fill=1)
        c.setFillColor(HexColor(skill.colour))
        c.roundRect(self.mx(0, self.BAR + 4), 0, self.BAR + 4, self.height, 4, stroke=0, fill=1)
        c.setFillColor(tint(skill.colour, 0.9))
        c.rect(self.mx(self.BAR, 6), 0, 6, self.height, stroke=0, fill=1)
        x0 = self.BAR + self.PAD
        top = self.height - self.PAD
        c.setFillColor(shade(skill.colour, 0.35))
        name_width = self.NAME - 8
        draw_line(c, self.mx(x0), top - 14, skill.name,
                  fit_size(skill.name, 12.5, name_width, True, smallest=7), bold=True,
                  align=self.words.start)
        status = _("Starting out") if skill.current is None else \
            _("Step {number}").format(number=skill.current)
        c.setFillColor(INK)
        draw_line(c, self.mx(x0), top - 28, status, fit_size(status, 9, name_width, True),
                  bold=True, align=self.words.start)
        self._path(top - self.PATH / 2 + 1, x0 + self.NAME)
        column_top = top - self.PATH - 2
        for index, column in enumerate(self.columns):
            x = x0 + index * (self.column_width + self.GAP)
            y = column_top
            for piece in column:
                self.place(piece, x, y, self.column_width)
                y -= piece.height + 1
        if self.tip is not None:
            tip_top = column_top - self.column_height - 3
            house(c, self.mx(x0, 10), tip_top - 10, 10, MUTED)
            self.place(self.tip, x0 + 16, tip_top, self.tip.width)

    def _path(self, cy: float, x0: float) -> None:
        """The path of stones, drawn once per PDF for each skill and step and then reused."""
        c, skill = self.canv, self.skill
        steps = skill.path
        if not steps:
            return
        key = "|".join(map(str, (skill.colour, skill.current, skill.next, steps, self.width, x0,
                                  self.words.rtl)))
        name = f"path{zlib.crc32(key.encode()):08x}"  # hash() differs per process
        if not c.hasForm(name):
            c.beginForm(name, 0, -16, self.width, 16)
            self._stones(x0)
            c.endForm()
        c.saveState()
        c.translate(0, cy)
        c.doForm(name)
        c.restoreState()

    def _stones(self, x0: float) -> None:
        c, skill, steps = self.canv, self.skill, self.skill.path
        span = self.width - x0 - self.PAD
        spacing = span / len(steps)
        r = min(10.5, spacing * 0.37)
        centres = [self.mx(x0 + spacing * (i + 0.5)) for i in range(len(steps))]
        c.setStrokeColor(tint(skill.colour, 0.55))
        c.setLineWidth(3)
        c.line(centres[0], 0, centres[-1], 0)
        if skill.current is not None and skill.current in steps:
            c.setStrokeColor(HexColor(skill.colour))
            c.line(centres[0], 0, centres[steps.index(skill.current)], 0)
        for centre, number in zip(centres, steps, strict=True):
            state = "done" if skill.current is not None and number <= skill.current else \
                "next" if number == skill.next else "later"
            _stone(c, centre, 0, r * (1.12 if number == skill.current else 1.0), number, state,
                   skill.colour)


class Header(_Part):
    HEIGHT = 100.0

    def __init__(self, passport: Passport, words: Wording) -> None:
        super().__init__(words)
        self.passport = passport

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, self.HEIGHT
        return self.width, self.height

    def draw(self) -> None:
        c, p, _ = self.canv, self.passport, self.words.gettext
        start = self.words.start
        c.setFillColor(PAPER)
        c.roundRect(0, 0, self.width, self.height, 12, stroke=0, fill=1)
        x = 14.0
        if p.logo:
            image = ImageReader(io.BytesIO(p.logo))
            c.drawImage(image, self.mx(x, 70), 15, 70, 70, preserveAspectRatio=True,
                        anchor="c", mask="auto")
            x += 82
        badge = min(220.0, self.width * 0.4)
        text_width = self.width - x - badge - 24
        c.setFillColor(MUTED)
        school = p.school or _("Our school")
        draw_line(c, self.mx(x), 74, school, fit_size(school, 11, text_width, True),
                  bold=True, align=start)
        c.setFillColor(ACCENT)
        title = _("My skills passport")
        draw_line(c, self.mx(x), 44, title, fit_size(title, 25, text_width, True), bold=True,
                  align=start)
        c.setFillColor(MUTED)
        line = _("{year} · printed on {date}").format(
            year=p.academic_year, date=format_date(p.printed_on, "long", self.words.locale))
        draw_line(c, self.mx(x), 22, line, fit_size(line, 9.5, text_width), align=start)
        # The name badge, at the end edge.
        bx = self.width - badge - 12
        c.setFillColor(white)
        c.setStrokeColor(tint("#E07A2E", 0.5))
        c.setLineWidth(1.2)
        c.roundRect(self.mx(bx, badge), 12, badge, self.height - 24, 10, stroke=1, fill=1)
        c.setFillColor(MUTED)
        draw_line(c, self.mx(bx + 12), 68, _("This passport belongs to"), 8.5, align=start)
        c.setFillColor(INK)
        draw_line(c, self.mx(bx + 12), 44, p.pupil_name,
                  fit_size(p.pupil_name, 19, badge - 24, True), bold=True, align=start,
                  direction="R" if self.words.rtl else "L")
        if p.class_name:
            c.setFillColor(MUTED)
            label = _("Class {name}").format(name=p.class_name)
            draw_line(c, self.mx(bx + 12), 22, label, fit_size(label, 10, badge - 24),
                      align=start)


class Legend(_Part):
    """How to read the paths: filled, star, grey."""

    HEIGHT = 24.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, self.HEIGHT
        return self.width, self.height

    def draw(self) -> None:
        _ = self.words.gettext
        keys = ((_("steps I can do"), "done"), (_("my next step"), "next"),
                (_("steps still to come"), "later"))
        x = 2.0
        for label, state in keys:
            stone(self.canv, self.mx(x + 8), 10, 7.5, 1 if state == "done" else 2, state,
                  "#E07A2E")
            self.canv.setFillColor(MUTED)
            width = draw_line(self.canv, self.mx(x + 24), 6.5, label, 9.5, align=self.words.start)
            x += 24 + width + 22


class MomentRow(_Part):
    """One highlighted moment: a dot in the skill's colour, date and skill, then the words."""

    def __init__(self, moment: PassportMoment, words: Wording, italic: bool = False) -> None:
        super().__init__(words)
        self.moment = moment
        when = format_date(moment.on, "long", words.locale)
        meta = f"{when} · {moment.skill}" if moment.skill else when
        self.meta = self.para(meta, 8.5, bold=True, colour=MUTED)
        self.text = self.para(moment.text, 10, italic=italic)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = (self.meta.wrap(availWidth - 18, availHeight)[1]
                       + self.text.wrap(availWidth - 18, availHeight)[1] + 6)
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFillColor(HexColor(self.moment.colour))
        self.canv.circle(self.mx(6), self.height - 6, 4, stroke=0, fill=1)
        self.place(self.meta, 18, self.height, self.width - 18)
        self.place(self.text, 18, self.height - self.meta.height, self.width - 18)


class CommentBox(_Part):
    """The teacher's comment, or ruled lines to write one by hand."""

    PAD = 10.0
    RULES = 3
    RULE = 18.0

    def __init__(self, comment: str, words: Wording) -> None:
        super().__init__(words)
        _ = words.gettext
        self.heading = self.para(_("A note from my teacher"), 12, bold=True, colour=ACCENT)
        self.text = self.para(comment, 10.5) if comment.strip() else None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        inner = availWidth - 2 * self.PAD
        body = self.text.wrap(inner, availHeight)[1] if self.text else self.RULES * self.RULE
        self.height = self.PAD * 2 + self.heading.wrap(inner, availHeight)[1] + 4 + body
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(tint("#E07A2E", 0.45))
        c.setFillColor(white)
        c.setLineWidth(1.2)
        c.roundRect(0, 0, self.width, self.height, 10, stroke=1, fill=1)
        inner = self.width - 2 * self.PAD
        top = self.height - self.PAD
        self.place(self.heading, self.PAD, top, inner)
        top -= self.heading.height + 4
        if self.text is not None:
            self.place(self.text, self.PAD, top, inner)
            return
        c.setStrokeColor(STONE)
        c.setLineWidth(0.7)
        for index in range(self.RULES):
            y = top - self.RULE * (index + 1) + 4
            c.line(self.PAD, y, self.width - self.PAD, y)
