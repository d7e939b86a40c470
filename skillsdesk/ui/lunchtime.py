"""Lunchtime mode: full screen, big targets, for a supervisor with a finger on a touch screen.

Choose the lunchtime group, tap a child, tap a skill, tap "Seen it": saved at that child's next
step, independently, with setting lunchtime. A row of letter buttons narrows a big group to the
children whose first name starts with that letter, so nobody scrolls through 200 tiles. It
shows names only (no SEN, PP or EAL flags, no one's notes), and leaving it is a staff action:
press and hold the exit button.

The screens it meets are landscape and short (1024×768, 1280×800), so height is what runs out:
the prompt shares the top line with the way out, and the skills, "Seen it" and the saved
message stand in a column down the right, leaving the children the full height beside it.
"""

from __future__ import annotations

import string
import unicodedata
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QColor,
    QFont,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.steprule import INDEPENDENTLY
from skillsdesk.i18n import _
from skillsdesk.services.recording import Entry
from skillsdesk.ui import prompts
from skillsdesk.ui.colours import initials_colour
from skillsdesk.ui.prompts import accessible

HOLD_MS = 1500
# Every target is at least this many pixels each way (Apple and Microsoft ask for 44).
FINGER = 44
MARGIN = 8  # round the window
SPACING = 6  # between the window's parts and between tiles
# A visible outline and fill, so every target reads as a button and not as a line of text.
BIG = ("QPushButton { font-size: 20px; padding: 14px; min-height: 64px; border-radius: 10px; "
       "border: 2px solid palette(mid); background: palette(button); }"
       "QPushButton:pressed { background: palette(midlight); }")
# A skill: 52 px tall (32 + 2 × 6 padding + 2 × 4 border), so eight stand in a column on a
# 768-pixel screen with "Seen it" and the saved message below them.
SKILL = ("QPushButton {{ font-size: 18px; min-height: 32px; padding: 6px 12px; "
         "border: 4px solid {colour}; background: palette(base); color: palette(text); }}"
         "QPushButton:checked {{ background: {colour}; color: {text}; }}")
PANEL_LEAST = 4 * FINGER  # the skills' column is never narrower than this
MESSAGE_ROOM = 96  # kept below "Seen it" for the saved message (three short lines)
CHILDREN_PER_ROW = 6  # at most; fewer where the screen is narrower
PHOTO = 72  # a photo's longest side on a child's tile
# A tile's height (border and padding included): room for a photo and a name, or less where
# no child in the group has a photo (initials and a name).
TILE_WITH_PHOTOS, TILE_WITHOUT = 124, 96
TILE_BORDER, TILE_PADDING, TILE_WIDTH = 6, 4, 128  # the width is the least, for the content
LETTER_SPACING = 2
# A finger-sized letter: 44 px each way at least (36 + 2 × 2 padding + 2 × 2 border across),
# drawn as a button; the letter showing has a thick outline, bold underlined text and the
# highlight, so it never rests on colour alone.
LETTER = ("QPushButton { font-size: 20px; padding: 2px; min-width: 36px; min-height: 40px; "
          "border-radius: 8px; border: 2px solid palette(mid); background: palette(button); }"
          "QPushButton:checked { border: 5px solid palette(window-text); font-weight: bold; "
          "text-decoration: underline; background: palette(highlight); "
          "color: palette(highlighted-text); }"
          "QPushButton:disabled { border: 1px dashed palette(mid); background: palette(window); }")
# A finger-wide scroll bar: a touch screen has no wheel, and a thin bar is hard to hit.
SCROLL_BAR = "QScrollBar:vertical { width: 36px; }"
def initial(first_name: str) -> str:
    """The letter a child is found under: their first name's first letter, accents dropped
    ("Élodie" is under E), or the letter itself where it is not A–Z."""
    letter = first_name.strip()[:1].upper()
    base = unicodedata.normalize("NFD", letter)[:1]
    return base if base in string.ascii_uppercase else letter


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (a light yellow skill gets black)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    shade = QColor(colour)
    luminance = (0.2126 * channel(shade.red()) + 0.7152 * channel(shade.green())
                 + 0.0722 * channel(shade.blue()))
    # Contrast with white is 1.05 / (L + 0.05); with black (L + 0.05) / 0.05.
    return "white" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "black"


class HoldButton(QPushButton):
    """A button that acts only when held down, so a child's tap cannot leave the mode."""

    held = Signal()

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(HOLD_MS)
        self._timer.timeout.connect(self.held.emit)
        self._label = text
        self.pressed.connect(self._on_pressed)
        self.released.connect(self._on_released)

    def _on_pressed(self) -> None:
        self._clock.start()
        self._timer.start()
        # Say that the press is counting, so a member of staff knows to keep holding.
        self.setText(_("Keep holding…"))

    def _on_released(self) -> None:
        self._timer.stop()
        self.setText(self._label)


class LunchtimeWindow(QWidget):
    closed = Signal()

    def __init__(self, services: Any, tasks: Any, session: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Lunchtime"))
        self.setStyleSheet(BIG)
        self._school = services.school
        self._progress = services.progress
        self._recording = services.recording
        self._photos = services.photos
        self._framework = services.frameworks.current()
        self._tasks = tasks
        self._session = session
        self._group: Any = None
        self._child: Any = None
        self._skill: Any = None
        self._rows: dict[Any, Any] = {}
        self._letter: str | None = None  # None: all the group's children show
        self._allow_close = False
        self._build()

    def _build(self) -> None:
        # The top line: what to tap next, and the way out (a staff action, so out of the way).
        self.prompt = QLabel(_("Which lunchtime group are you with?"))
        self.prompt.setFont(QFont(self.prompt.font().family(), 20))
        self.prompt.setWordWrap(True)  # a long group name takes a second line, never clipped
        self.exit_button = accessible(HoldButton(_("Staff: press and hold to leave")),
                                      _("Leave lunchtime mode (press and hold)"))
        self.exit_button.setStyleSheet(
            "QPushButton { font-size: 14px; min-height: 24px; padding: 8px 16px; }")
        self.exit_button.ensurePolished()  # its width stays put while it says "Keep holding…"
        self.exit_button.setMinimumWidth(self.exit_button.sizeHint().width())
        self.exit_button.held.connect(self.leave)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(self.prompt, 1)
        top.addWidget(self.exit_button, 0, Qt.AlignmentFlag.AlignTop)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_groups())
        self.pages.addWidget(self._build_tapping())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self._fit_skills()

    def _build_groups(self) -> QWidget:
        """The first page: a big button for each lunchtime group (two to a row when there are
        many, scrolling if a school has more than a screenful)."""
        groups = self._lunch_groups()
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)  # in line with the question above
        grid.setSpacing(SPACING)
        grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        columns = 1 if len(groups) <= 4 else 2
        self.group_buttons: list[QPushButton] = []
        for index, group in enumerate(groups):
            button = accessible(QPushButton(group.name), _("Lunchtime group {name}").format(
                name=group.name))
            button.clicked.connect(lambda _c=False, g=group: self.choose_group(g))
            self.group_buttons.append(button)
            grid.addWidget(button, index // columns, index % columns)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.verticalScrollBar().setStyleSheet(SCROLL_BAR)
        scroll.setWidget(inner)
        return scroll

    def _build_tapping(self) -> QWidget:
        """The second page: letters and children on the left, skills and "Seen it" on the right."""
        # Letters jump to the children whose first name starts with one: a supervisor knows
        # children by first name, and the tiles show the first name in full.
        self.letter_row = QGridLayout()
        self.letter_row.setSpacing(LETTER_SPACING)
        self.letter_buttons: dict[str, QPushButton] = {}
        self._letter_columns = 0
        self.all_button = accessible(QPushButton(_("All")), _("Show all children"))
        self.all_button.setCheckable(True)
        self.all_button.setStyleSheet(LETTER)
        # As tall as the letters beside it, however many rows of them.
        self.all_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.all_button.clicked.connect(lambda _c=False: self.show_letter(None))

        self.children_grid = QGridLayout()
        self.children_grid.setContentsMargins(4, 4, 4, 4)
        self.children_grid.setSpacing(SPACING)
        # The tiles keep their height and sit from the top, however few show under a letter.
        self.children_grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        children = QWidget()
        children.setLayout(self.children_grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(children)
        # Children scroll down, never sideways: the row length follows the screen's width.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.verticalScrollBar().setStyleSheet(SCROLL_BAR)
        self.children_scroll = scroll
        self.child_buttons: list[QPushButton] = []
        self._child_columns = CHILDREN_PER_ROW
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(SPACING)
        left.addLayout(self.letter_row)
        left.addWidget(scroll, 1)

        # The right-hand column, in the order of the taps: skills, then "Seen it", then what
        # was saved just below it, where the supervisor is looking. Nothing above "Seen it"
        # changes height, so it never moves from under the finger.
        self.skill_row = QGridLayout()
        self.skill_row.setSpacing(SPACING)
        self._skill_columns = 0
        self.skill_buttons: list[QPushButton] = []
        for skill in self._framework.skills:
            button = accessible(QPushButton(skill.name), skill.name)
            button.setCheckable(True)
            button.setStyleSheet(SKILL.format(colour=skill.colour, text=text_on(skill.colour)))
            button.clicked.connect(lambda _c=False, s=skill: self.choose_skill(s))
            self.skill_buttons.append(button)
        self._flow_skills(1)
        self.seen_button = accessible(QPushButton(_("Seen it ✓")), _("Seen it"))
        self.seen_button.setEnabled(False)
        self._style_seen()
        self.seen_button.clicked.connect(self.save)
        self.message = QLabel()
        font = QFont(self.message.font())
        font.setPixelSize(18)
        self.message.setFont(font)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.panel = QWidget()
        panel = QVBoxLayout(self.panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.setSpacing(SPACING)
        panel.addLayout(self.skill_row)
        panel.addWidget(self.seen_button)
        panel.addWidget(self.message)
        panel.addStretch(1)

        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        row.addLayout(left, 1)
        row.addWidget(self.panel)
        return page

    def _lunch_groups(self) -> list[Any]:
        groups = [g for g in self._school.groups() if g.kind == "lunchtime"]
        return groups or self._school.classes()

    def start(self) -> None:
        # Cover the whole screen even where no window manager honours full screen.
        screen = self.screen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    # -- fitting the screen -------------------------------------------------------------------
    def _flow_skills(self, columns: int) -> None:
        """Lay the skill buttons out in `columns` columns, top to bottom."""
        if columns == self._skill_columns:
            return
        self._skill_columns = columns
        for button in self.skill_buttons:
            self.skill_row.removeWidget(button)
        for column in range(max(len(self.skill_buttons), 1)):
            self.skill_row.setColumnStretch(column, 0)
        for index, button in enumerate(self.skill_buttons):
            self.skill_row.addWidget(button, index // columns, index % columns)
        for column in range(columns):
            self.skill_row.setColumnStretch(column, 1)

    def _fit_skills(self) -> None:
        """Skills in one column down the right where the screen is tall enough for them,
        "Seen it" and the saved message (eight skills at 768 pixels), else in two; the column
        is as wide as the widest skill, and never more than two fifths of the screen."""
        count = len(self.skill_buttons)
        tall = max((b.sizeHint().height() for b in self.skill_buttons), default=0)
        top = max(self.exit_button.sizeHint().height(), self.prompt.sizeHint().height())
        room = self.height() - 2 * MARGIN - top - SPACING
        need = (count * (tall + SPACING) + self.seen_button.sizeHint().height() + SPACING
                + MESSAGE_ROOM)
        columns = 1 if count <= 1 or need <= room else 2
        self._flow_skills(columns)
        widest = max([b.sizeHint().width() for b in self.skill_buttons] + [PANEL_LEAST])
        width = max(columns * widest + (columns - 1) * SPACING,
                    self.seen_button.sizeHint().width())
        self.panel.setFixedWidth(min(width, self.width() * 2 // 5))

    def _left_width(self) -> int:
        """The width of the letters' and the children's column, beside the skills."""
        return self.width() - 2 * MARGIN - SPACING - self.panel.minimumWidth()

    def _flow_letters(self, rows: int) -> None:
        """"All" first, then the letters in `rows` rows ("All" stands as tall as the rows)."""
        buttons = list(self.letter_buttons.values())
        columns = max(1, -(-len(buttons) // rows))
        if columns == self._letter_columns and self.letter_row.count() == len(buttons) + 1:
            return
        self._letter_columns = columns
        for button in [self.all_button, *buttons]:
            self.letter_row.removeWidget(button)
        for column in range(self.letter_row.columnCount()):
            self.letter_row.setColumnStretch(column, 0)
        self.letter_row.addWidget(self.all_button, 0, 0, rows, 1)
        for index, button in enumerate(buttons):
            self.letter_row.addWidget(button, index // columns, 1 + index % columns)
        for column in range(columns + 1):
            self.letter_row.setColumnStretch(column, 1)

    def _fit_letters(self) -> None:
        """The letters in as few rows as fit at finger size: two beside the skills on a
        1024-pixel screen, more only where a group's names bring many letters beyond A–Z."""
        if not self.letter_buttons:
            return
        buttons = list(self.letter_buttons.values())
        wide = max(b.sizeHint().width() for b in [self.all_button, *buttons])
        room = self._left_width()
        rows = 1
        while rows < len(buttons):
            columns = 1 + -(-len(buttons) // rows)
            if columns * wide + (columns - 1) * LETTER_SPACING <= room:
                break
            rows += 1
        self._flow_letters(rows)

    @staticmethod
    def _tile_width(button: QPushButton) -> int:
        """The least width a tile needs: its text, or its photo's caption (the layout inside a
        photo tile sets the button's minimum size)."""
        return max(button.sizeHint().width(), button.minimumWidth())

    def _fit_children(self) -> None:
        """As many children to a row as fit the width (up to six), so tiles never run off."""
        if not self.child_buttons:
            return
        shown = [b for b in self.child_buttons if self._matches(b)]
        if self._letter is not None:  # a letter's children in first-name order: Maja, Max, Mia
            shown.sort(key=lambda b: b.first_name.casefold())  # type: ignore[attr-defined]
        tile = max(self._tile_width(b) for b in self.child_buttons) + SPACING
        margins = self.children_grid.contentsMargins()
        # The bar's width is kept whether or not it shows, so the rows never flip back and forth.
        room = (self._left_width() - 2 * self.children_scroll.frameWidth()
                - self.children_scroll.verticalScrollBar().sizeHint().width()
                - margins.left() - margins.right() + SPACING)
        columns = max(1, min(CHILDREN_PER_ROW, room // max(tile, 1)))
        if columns == self._child_columns and self.children_grid.count() == len(shown):
            return
        self._child_columns = columns
        for button in self.child_buttons:
            self.children_grid.removeWidget(button)
        # Every column its share even when a letter shows only two or three children, so a
        # tile is the same size under any letter.
        for column in range(max(self.children_grid.columnCount(), columns)):
            inside = column < columns
            self.children_grid.setColumnStretch(column, 1 if inside else 0)
            self.children_grid.setColumnMinimumWidth(column, tile - SPACING if inside else 0)
        # Only the children showing take a place, so a letter's children sit together at the top.
        for index, button in enumerate(shown):
            self.children_grid.addWidget(button, index // columns, index % columns)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self._fit_skills()  # first: the letters and children have the width the skills leave
        self._fit_letters()
        self._fit_children()
        super().resizeEvent(event)

    # -- the tap flow -------------------------------------------------------------------------
    def choose_group(self, group: Any) -> None:
        pupils = self._school.pupils(group=group.name)
        self._rows = {p.pupil.id: p for p in self._progress.for_pupils(self._framework, pupils)}
        # Only pupils with recorded photo consent come back with a photo (the service checks).
        photos = self._photos.photos([p.id for p in pupils])
        while self.children_grid.count():
            self.children_grid.takeAt(0).widget().deleteLater()
        self.child_buttons = []
        # Every tile the same height, so the rows line up: a photo's height where any child in
        # the group has one, else shorter, leaving room for more rows.
        inner = (TILE_WITH_PHOTOS if photos else TILE_WITHOUT) - 2 * (TILE_BORDER + TILE_PADDING)
        for index, pupil in enumerate(pupils):
            # Names only: no flags, no notes. A photo where consent is recorded and one is held,
            # else the initials on a colour.
            button = accessible(self._tile(pupil, photos.get(pupil.id)), pupil.display_name)
            button.initial = initial(pupil.first_name)  # type: ignore[attr-defined]
            button.pupil_id = pupil.id  # type: ignore[attr-defined]
            button.first_name = pupil.first_name  # type: ignore[attr-defined]
            colour = initials_colour(pupil.admission_number).name()
            button.setCheckable(True)
            # Chosen: a thick ring in the palette's text colour (black on a light window, white
            # on a dark one, so it stands out from the window either way) and a ✓ before the
            # name, so the choice never rests on colour alone.
            button.setStyleSheet(
                f"QPushButton {{ background: {colour}; color: white; font-size: 18px; "
                f"padding: {TILE_PADDING}px; min-width: {TILE_WIDTH}px; min-height: {inner}px; "
                f"border: {TILE_BORDER}px solid transparent; border-radius: 10px; }}"
                f"QPushButton:checked {{ border: {TILE_BORDER}px solid palette(window-text); }}"
                "QLabel { color: white; font-size: 18px; background: none; }")
            button.clicked.connect(lambda _c=False, p=pupil, b=button: self.choose_child(p, b))
            self.child_buttons.append(button)
            columns = self._child_columns
            self.children_grid.addWidget(button, index // columns, index % columns)
        self._make_letters(pupils)
        self._group = group
        self._child = self._skill = None
        self._letter = None
        self.show_letter(None)
        self.pages.setCurrentIndex(1)
        # Tab (a keyboard, a switch) goes in the order of the taps: letters, children, skills,
        # "Seen it", and the way out last, whatever order the buttons were made in.
        chain = [self.all_button, *self.letter_buttons.values(), *self.child_buttons,
                 *self.skill_buttons, self.seen_button, self.exit_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _make_letters(self, pupils: list[Any]) -> None:
        """A button for every letter A–Z (plus any other first letter in the group), in the same
        place for every group; a letter no child's first name starts with is greyed out."""
        for button in self.letter_buttons.values():
            self.letter_row.removeWidget(button)
            button.deleteLater()
        self.letter_buttons = {}
        found = {initial(p.first_name) for p in pupils} - {""}
        letters = list(string.ascii_uppercase) + sorted(found - set(string.ascii_uppercase))
        for letter in letters:
            button = accessible(QPushButton(letter), _(
                "Show children whose names start with {letter}").format(letter=letter))
            button.setCheckable(True)
            button.setStyleSheet(LETTER)
            button.setEnabled(letter in found)
            if letter not in found:
                button.setToolTip(_("No child in this group has a name starting with {letter}")
                                  .format(letter=letter))
            button.clicked.connect(lambda _c=False, x=letter: self.show_letter(x))
            self.letter_buttons[letter] = button
        self._letter_columns = 0
        self._fit_letters()

    def show_letter(self, letter: str | None) -> None:
        """Show the children whose first name starts with `letter`, or everyone (None)."""
        self._letter = letter
        for key, button in self.letter_buttons.items():
            button.setChecked(key == letter)
            button.setAccessibleDescription(_("Showing") if key == letter else "")
        self.all_button.setChecked(letter is None)
        self.all_button.setAccessibleDescription(_("Showing") if letter is None else "")
        for button in self.child_buttons:
            button.setHidden(not self._matches(button))
        if self._child is not None and not any(
                self._matches(b) and b.pupil_id == self._child.id  # type: ignore[attr-defined]
                for b in self.child_buttons):
            # The chosen child is no longer on screen: "Seen it" must not save for them.
            self._child = None
            for button in self.child_buttons:
                self._mark(button, False)
            self._update_seen()
        self._child_columns = 0  # lay the showing tiles out afresh, from the top
        self._fit_children()
        self.children_scroll.verticalScrollBar().setValue(0)
        self._ask_for_child()

    def _matches(self, button: QPushButton) -> bool:
        """Whether a child's tile belongs on screen under the letter chosen."""
        return self._letter is None or button.initial == self._letter  # type: ignore[attr-defined]

    def _ask_for_child(self) -> None:
        if self._group is None:
            return
        if self._child is not None:
            self.prompt.setText(_("{name}: tap a skill").format(name=self._child.first_name))
        elif self._letter is None:
            self.prompt.setText(_("{group}: tap a child").format(group=self._group.name))
        else:
            self.prompt.setText(_("{group}: tap a child (names starting with {letter})").format(
                group=self._group.name, letter=self._letter))

    @staticmethod
    def _tile(pupil: Any, photo: bytes | None) -> QPushButton:
        """A child's button: their photo above their name, or their initials on a colour."""
        # The first name isolated (U+2068 … U+2069), so "علي A." reads in that order and the
        # full stop stays after the initial whichever script the first name is written in.
        short = f"\u2068{pupil.first_name}\u2069 {pupil.last_name[:1]}."
        picture = QPixmap()
        if photo is None or not picture.loadFromData(photo):
            initials = (pupil.first_name[:1] + pupil.last_name[:1]).upper()
            button = QPushButton(f"{initials}\n{short}")
            button.photo = button.caption = None  # type: ignore[attr-defined]
            button.tile_text = button.text()  # type: ignore[attr-defined]
            return button
        button = QPushButton()
        layout = QVBoxLayout(button)
        # Inside the ring that marks the chosen child, so the ring never covers the photo.
        layout.setContentsMargins(TILE_BORDER + 2, TILE_BORDER, TILE_BORDER + 2, TILE_BORDER)
        layout.setSpacing(2)
        image = QLabel()
        image.setPixmap(picture.scaled(PHOTO, PHOTO, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
        caption = QLabel(short)
        for label in (image, caption):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        button.photo, button.caption = image, caption  # type: ignore[attr-defined]
        button.tile_text = short  # type: ignore[attr-defined]
        return button

    def _mark(self, button: QPushButton, chosen: bool) -> None:
        """A tile's chosen state in its text and its accessible description, not colour alone."""
        button.setChecked(chosen)
        text = ("✓ " if chosen else "") + button.tile_text  # type: ignore[attr-defined]
        caption = button.caption  # type: ignore[attr-defined]
        (caption if caption is not None else button).setText(text)
        button.setAccessibleDescription(_("Chosen") if chosen else "")

    def _style_seen(self) -> None:
        """Green when it can be pressed; the palette's own disabled colours (with an outline,
        so the button stays visible) until a child and a skill are chosen."""
        palette = self.palette()
        disabled = QPalette.ColorGroup.Disabled
        back = palette.color(disabled, QPalette.ColorRole.Button).name()
        text = palette.color(disabled, QPalette.ColorRole.ButtonText).name()
        self.seen_button.setStyleSheet(
            "QPushButton { font-size: 24px; min-height: 40px; padding: 12px; "
            "background: #2c8c3c; color: white; }"
            f"QPushButton:disabled {{ background: {back}; color: {text}; "
            f"border: 2px solid {text}; }}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "seen_button"):
            self._style_seen()
        super().changeEvent(event)

    def choose_child(self, pupil: Any, button: QPushButton) -> None:
        for other in self.child_buttons:
            self._mark(other, other is button)
        self._child = pupil
        self.prompt.setText(_("{name}: tap a skill").format(name=pupil.first_name))
        self._update_seen()

    def choose_skill(self, skill: Any) -> None:
        for button in self.skill_buttons:
            button.setChecked(button.text() == skill.name)
        self._skill = skill
        self._update_seen()

    def _update_seen(self) -> None:
        self.seen_button.setEnabled(self._child is not None and self._skill is not None)

    def save(self) -> None:
        if self._child is None or self._skill is None:
            return
        row = self._rows[self._child.id]
        position = next(p for p in row.skills if p.skill == self._skill.code)
        step = position.next if position.next is not None else self._skill.highest
        child, skill = self._child, self._skill
        observer = self._session.staff.id if self._session.staff else None

        def work() -> Any:
            result = self._recording.record(
                self._framework, skill.code, [Entry(child.id, step, INDEPENDENTLY)],
                setting="lunchtime", observer_id=observer)
            fresh = self._progress.for_pupils(self._framework, [child])
            return result, fresh

        def done(outcome: Any) -> None:
            self._rows[child.id] = outcome[1][0]
            self._show_saved(_("Saved: {name} — {skill}, step {step}").format(
                name=child.first_name, skill=skill.name, step=step))
            self._child = self._skill = None
            for button in self.child_buttons:
                self._mark(button, False)
            for button in self.skill_buttons:
                button.setChecked(False)
            self._update_seen()
            # Ready for the next child: the prompt asks for one again. The letter stays: the
            # letters are always on screen, so a different initial is one tap either way, and
            # the same initial (friends playing together) needs none.
            self._ask_for_child()

        self.seen_button.setEnabled(False)
        self._tasks.run(work, done, lambda exc: prompts.error(self, exc))

    def _show_saved(self, text: str) -> None:
        """A green banner with a tick where the supervisor looks, announced to a screen reader."""
        self.message.setText("✓ " + text)
        self.message.setStyleSheet("QLabel { background: #1e6b2c; color: white; padding: 10px; "
                                   "border-radius: 8px; }")
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.message, text))

    def leave(self) -> None:
        self._allow_close = True
        self.close()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if not self._allow_close:
            event.ignore()  # Alt+F4 from a child's hands does not leave lunchtime mode
            return
        self.closed.emit()
        super().closeEvent(event)
