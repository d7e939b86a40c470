"""Skills passports for families (DESIGN.md J3): A4, one or two pages per pupil, as PDF bytes.

Plain data in (``Passport``), PDF out; the wording comes from a ``Wording`` passed in, never from
the app's global language, so worker processes can print any language. Pages are laid out with
platypus frames driven by hand (not a DocTemplate) so the builder knows exactly how many pages
each passport took: in a batch, a passport with an odd number of pages gets a blank page after
it, so every passport starts on a front side when printed double-sided.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepTogether, Spacer

from skillsdesk.i18n import is_right_to_left, translations_for
from skillsdesk.reports.fonts import SANS, register_fonts
from skillsdesk.reports.passport_data import (
    Passport,
    PassportMoment,
    PassportSkill,
    Wording,
)
from skillsdesk.reports.passport_parts import (
    ACCENT,
    INK,
    MUTED,
    STONE,
    CommentBox,
    Header,
    Legend,
    MomentRow,
    SkillCard,
    _Part,
    tint,
)
from skillsdesk.reports.textlayout import BidiParagraph, draw_line, fit_size, text_width

__all__ = ["BuiltPdf", "LayoutError", "Passport", "PassportMoment", "PassportSkill", "Wording",
           "build_passport", "build_passports", "wording_for"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 34.0
FOOTER = 30.0
PASSPORT_PAGES = 2  # what a passport aims to fit: one sheet, printed on both sides


class LayoutError(ValueError):
    """Something on a passport cannot fit on an empty page (a bug, or absurd input)."""


@dataclass(frozen=True)
class BuiltPdf:
    data: bytes
    pages: tuple[int, ...]  # pages per passport, any blank page after it included

    @property
    def page_count(self) -> int:
        return sum(self.pages)


def wording_for(locale: str) -> Wording:
    """The passport wording in ``locale`` (English where there is no catalogue)."""
    translations = translations_for(locale)
    return Wording(translations.gettext, translations.ngettext, locale, is_right_to_left(locale))


class FamilySlip(_Part):
    """The tear-off slip at the foot of the last page, for the family to fill in and return."""

    HEIGHT = 186.0

    def __init__(self, passport: Passport, words: Wording) -> None:
        super().__init__(words)
        self.passport = passport
        _ = words.gettext
        self.prompt = self.para(_("Tell us about a time you saw {name} use one of these skills "
                                  "at home, or something new they tried.").format(
            name=passport.first_name), 9.5, colour=INK)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.prompt.wrap(availWidth - 24, availHeight)
        # Take the rest of the page so the slip sits at its foot, ready to cut off.
        self.height = max(self.HEIGHT, availHeight) if availHeight >= self.HEIGHT else self.HEIGHT
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        c, p, _ = self.canv, self.passport, self.words.gettext
        start = self.words.start
        top = self.HEIGHT
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.8)
        c.setDash(4, 3)
        c.line(0, top - 10, self.width, top - 10)
        c.setDash()
        self._scissors(self.mx(14), top - 10)
        c.setFillColor(white)
        label = _("Cut here and bring this slip back to school")
        size = fit_size(label, 8, 300)
        c.rect(self.mx(28, text_width(label, size) + 12), top - 16, text_width(label, size) + 12,
               12, stroke=0, fill=1)
        c.setFillColor(MUTED)
        draw_line(c, self.mx(34), top - 13, label, size, align=start)
        c.setFillColor(tint("#E07A2E", 0.92))
        c.roundRect(0, 0, self.width, top - 22, 10, stroke=0, fill=1)
        c.setFillColor(ACCENT)
        draw_line(c, self.mx(12), top - 42, _("What we noticed at home"), 14, bold=True,
                  align=start)
        c.setFillColor(INK)
        about = f"{p.pupil_name} · {p.class_name}" if p.class_name else p.pupil_name
        draw_line(c, self.mx(self.width - 12), top - 41, about,
                  fit_size(about, 10, self.width * 0.45, True), bold=True, align=self.words.end,
                  direction="R" if self.words.rtl else "L")
        prompt_top = top - 50
        self.place(self.prompt, 12, prompt_top, self.width - 24)
        c.setStrokeColor(STONE)
        c.setLineWidth(0.7)
        y = prompt_top - self.prompt.height - 16
        for _row in range(3):
            c.line(12, y, self.width - 12, y)
            y -= 18
        column = (self.width - 24) / 3
        for index, field in enumerate((_("Your name"), _("Signature"), _("Date"))):
            x = 12 + index * column
            c.setStrokeColor(MUTED)
            c.line(self.mx(x, column - 14), 22, self.mx(x, column - 14) + column - 14, 22)
            c.setFillColor(MUTED)
            draw_line(c, self.mx(x), 11, field, 8.5, align=start)

    def _scissors(self, x: float, y: float) -> None:
        c = self.canv
        c.setStrokeColor(INK)
        c.setFillColor(white)
        c.setLineWidth(0.9)
        c.circle(x - 6, y + 3.2, 2.4, stroke=1, fill=1)
        c.circle(x - 6, y - 3.2, 2.4, stroke=1, fill=1)
        c.line(x - 4, y + 2, x + 6, y - 2.5)
        c.line(x - 4, y - 2, x + 6, y + 2.5)


def _heading(text: str, words: Wording) -> BidiParagraph:
    return BidiParagraph(text, 13, bold=True, colour=ACCENT, align=words.start)


def _story(p: Passport, words: Wording) -> list[Flowable]:
    """The passport's flowables; with eight skills it keeps to two pages by showing fewer
    moments when there would be more than two pages' worth."""
    moments, from_home = list(p.moments), list(p.from_home)
    story = _compose(p, words, moments, from_home)
    while not _fits(story, PASSPORT_PAGES) and (len(from_home) > 1 or len(moments) > 1):
        if len(from_home) >= len(moments) and len(from_home) > 1:
            from_home.pop()
        else:
            moments.pop()
        story = _compose(p, words, moments, from_home)
    return story


def _compose(p: Passport, words: Wording, moments: list[PassportMoment],
             from_home: list[PassportMoment]) -> list[Flowable]:
    _ = words.gettext
    story: list[Flowable] = [
        Header(p, words), Spacer(1, 10),
        BidiParagraph(_("Here are the skills {name} is practising at school, one step at a "
                        "time.").format(name=p.first_name), 10.5, colour=INK, align=words.start),
        Spacer(1, 3), Legend(words), Spacer(1, 6),
    ]
    for skill in p.skills:
        story += [SkillCard(skill, words), Spacer(1, 5)]
    if moments:
        rows: list[Flowable] = [_heading(_("Moments we noticed at school"), words), Spacer(1, 4)]
        rows += [MomentRow(m, words) for m in moments]
        story += [KeepTogether(rows), Spacer(1, 6)]
    if from_home:
        rows = [_heading(_("What you told us"), words), Spacer(1, 4)]
        rows += [MomentRow(m, words, italic=True) for m in from_home]
        story += [KeepTogether(rows), Spacer(1, 6)]
    story += [CommentBox(p.teacher_comment, words), Spacer(1, 10), FamilySlip(p, words)]
    return story


def _fits(story: list[Flowable], pages: int) -> bool:
    """Whether ``story`` fills at most ``pages`` frames, packed as the frames will pack it
    (nothing is split; measuring reuses the cached line breaks, so this is cheap)."""
    width, height = PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 20 - FOOTER
    used, left = 1, height
    for flowable in story:
        if isinstance(flowable, FamilySlip):
            needed = FamilySlip.HEIGHT
        elif isinstance(flowable, KeepTogether):
            needed = sum(f.wrap(width, height)[1] for f in flowable._content)
        else:
            needed = flowable.wrap(width, height)[1]
        if needed > left:
            used, left = used + 1, height
        left -= needed
    return used <= pages


def _decorate(canvas: Canvas, p: Passport, words: Wording, page: int) -> None:
    """A stripe of the skills' colours along the top, and a footer to sort printed piles by."""
    colours = [s.colour for s in p.skills] or ["#E07A2E"]
    width = PAGE_WIDTH / len(colours)
    for index, colour in enumerate(colours):
        canvas.setFillColor(HexColor(colour))
        canvas.rect(index * width, PAGE_HEIGHT - 8, width + 0.5, 8, stroke=0, fill=1)
    _ = words.gettext
    canvas.setStrokeColor(STONE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, FOOTER - 6, PAGE_WIDTH - MARGIN, FOOTER - 6)
    canvas.setFillColor(MUTED)
    school = p.school or _("Our school")
    left = f"{school} · {p.pupil_name}"
    draw_line(canvas, PAGE_WIDTH / 2, FOOTER - 18,
              "{who}  ·  {page}".format(who=left, page=_("Page {number}").format(number=page)),
              fit_size(left, 8, PAGE_WIDTH - 2 * MARGIN - 80), align="centre",
              direction="R" if words.rtl else "L")


def _new_frame() -> Frame:
    return Frame(MARGIN, FOOTER, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 20 - FOOTER,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _draw_passport(canvas: Canvas, p: Passport, words: Wording, key: str) -> int:
    """Draw one passport from the current page on; return how many pages it took."""
    story = _story(p, words)
    canvas.bookmarkPage(key)
    canvas.addOutlineEntry(p.pupil_name, key, level=0)
    pages = 0
    while story:
        pages += 1
        _decorate(canvas, p, words, pages)
        frame = _new_frame()
        placed = 0
        while story:
            if frame.add(story[0], canvas, trySplit=0):
                story.pop(0)
                placed += 1
                continue
            parts = frame.split(story[0], canvas)
            if parts:
                story[0:1] = parts
                if frame.add(story[0], canvas, trySplit=0):
                    story.pop(0)
                    placed += 1
                    continue
            break
        canvas.showPage()
        if story and not placed:
            raise LayoutError(f"a part of {p.pupil_name}'s passport does not fit on a page")
    return pages


def build_passports(passports: Sequence[Passport], words: Wording, *, duplex: bool = True,
                    invariant: bool | None = None,
                    done: Callable[[int], None] | None = None) -> BuiltPdf:
    """All ``passports`` in one PDF; with ``duplex`` each starts on an odd page.

    ``invariant`` (default: reportlab's ``rl_config.invariant``) makes the bytes reproducible.
    ``done`` is called with the count drawn so far after each passport (it may raise to stop).
    """
    register_fonts()
    buffer = io.BytesIO()
    # The initial font must be ours too, or every page names an unembedded Helvetica.
    canvas = Canvas(buffer, pagesize=A4, invariant=invariant, initialFontName=SANS)
    _ = words.gettext
    canvas.setTitle(_("Skills passports"))
    canvas.setCreator("SkillsDesk")
    if passports:
        canvas.setAuthor(passports[0].school)
    counts = []
    for index, passport in enumerate(passports):
        pages = _draw_passport(canvas, passport, words, f"p{index}")
        if duplex and pages % 2:
            canvas.showPage()  # the blank back of the last sheet
            pages += 1
        counts.append(pages)
        if done is not None:
            done(index + 1)
    if not passports:
        canvas.showPage()
    canvas.save()
    return BuiltPdf(buffer.getvalue(), tuple(counts))


def build_passport(passport: Passport, words: Wording, *,
                   invariant: bool | None = None) -> bytes:
    """One pupil's passport on its own, without a blank page after it."""
    return build_passports([passport], words, duplex=False, invariant=invariant).data
