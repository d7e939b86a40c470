"""Lunchtime mode's children: a tile for each child and the letters that jump between them.

`ChildTile` is one child's button (their photo above their name, or their initials on a
colour), `ChildTiles` the column beside the skills: a row of letter buttons above a scrolling
grid of tiles, laid out to the width the window leaves it, with one child chosen at a time.
The mode itself (group choice, skills, "Seen it", saving, leaving) is in lunchtime.py, which
tells the tiles how wide they may be: the window knows that before its layout has settled.

A row of letter buttons narrows a big group to the children whose first name starts with that
letter, so nobody scrolls through 200 tiles. Tiles show names only: no SEN, PP or EAL flags
and no one's notes.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.i18n import _
from skillsdesk.ui.colours import initials_colour
from skillsdesk.ui.prompts import accessible

SPACING = 6  # between the window's parts and between tiles
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


class ChildTile(QPushButton):
    """A child's button: their photo above their name where consent is recorded and a photo is
    held, else their initials on a colour. `height` is the content's height, the same for every
    tile in a group so the rows line up."""

    def __init__(self, pupil: Any, photo: bytes | None, height: int) -> None:
        # The first name isolated (U+2068 … U+2069), so "علي A." reads in that order and the
        # full stop stays after the initial whichever script the first name is written in.
        short = f"\u2068{pupil.first_name}\u2069 {pupil.last_name[:1]}."
        picture = QPixmap()
        drawn = photo is not None and picture.loadFromData(photo)
        initials = (pupil.first_name[:1] + pupil.last_name[:1]).upper()
        super().__init__("" if drawn else f"{initials}\n{short}")
        self.pupil = pupil
        self.pupil_id = pupil.id
        self.first_name: str = pupil.first_name
        self.initial = initial(pupil.first_name)
        self.photo: QLabel | None = None
        self.caption: QLabel | None = None
        self.tile_text = self.text()
        if drawn:
            layout = QVBoxLayout(self)
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
            self.photo, self.caption = image, caption
            self.tile_text = short
        accessible(self, pupil.display_name)
        colour = initials_colour(pupil.admission_number).name()
        self.setCheckable(True)
        # Chosen: a thick ring in the palette's text colour (black on a light window, white on
        # a dark one, so it stands out from the window either way) and a ✓ before the name, so
        # the choice never rests on colour alone.
        self.setStyleSheet(
            f"QPushButton {{ background: {colour}; color: white; font-size: 18px; "
            f"padding: {TILE_PADDING}px; min-width: {TILE_WIDTH}px; min-height: {height}px; "
            f"border: {TILE_BORDER}px solid transparent; border-radius: 10px; }}"
            f"QPushButton:checked {{ border: {TILE_BORDER}px solid palette(window-text); }}"
            "QLabel { color: white; font-size: 18px; background: none; }")

    def mark(self, chosen: bool) -> None:
        """The chosen state in the tile's text and accessible description, not colour alone."""
        self.setChecked(chosen)
        text = ("✓ " if chosen else "") + self.tile_text
        (self.caption if self.caption is not None else self).setText(text)
        self.setAccessibleDescription(_("Chosen") if chosen else "")

    def least_width(self) -> int:
        """The least width the tile needs: its text, or its photo's caption (the layout inside
        a photo tile sets the button's minimum size)."""
        return max(self.sizeHint().width(), self.minimumWidth())


class ChildTiles(QWidget):
    """The letters ("All", then A–Z) above the group's children, who scroll down, never
    sideways. `room` gives the width the window leaves for this column."""

    chosen_changed = Signal(object)  # the pupil whose tile is chosen, or None
    letter_shown = Signal(object)  # the letter showing, or None when all the children show

    def __init__(self, room: Callable[[], int]) -> None:
        super().__init__()
        self._room = room
        self.letter: str | None = None  # None: all the group's children show
        self.chosen: Any = None  # the pupil whose tile is chosen
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
        self.child_buttons: list[ChildTile] = []
        self._child_columns = CHILDREN_PER_ROW
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(SPACING)
        column.addLayout(self.letter_row)
        column.addWidget(scroll, 1)

    # -- a group's children -------------------------------------------------------------------
    def fill(self, pupils: list[Any], photos: dict[Any, bytes]) -> None:
        """A tile for each of `pupils` (a photo from `photos` where one is held), none chosen,
        and the letters for their first names. `show_letter` then shows them."""
        while self.children_grid.count():
            self.children_grid.takeAt(0).widget().deleteLater()
        self.child_buttons = []
        # Every tile the same height, so the rows line up: a photo's height where any child in
        # the group has one, else shorter, leaving room for more rows.
        inner = (TILE_WITH_PHOTOS if photos else TILE_WITHOUT) - 2 * (TILE_BORDER + TILE_PADDING)
        for index, pupil in enumerate(pupils):
            tile = ChildTile(pupil, photos.get(pupil.id), inner)
            tile.clicked.connect(lambda _c=False, t=tile: self.choose(t))
            self.child_buttons.append(tile)
            columns = self._child_columns
            self.children_grid.addWidget(tile, index // columns, index % columns)
        self._make_letters(pupils)
        self.chosen = None
        self.letter = None

    def choose(self, tile: ChildTile | None) -> None:
        """Choose the child on `tile` (None: nobody), marking theirs alone."""
        for other in self.child_buttons:
            other.mark(other is tile)
        self.chosen = tile.pupil if tile is not None else None
        self.chosen_changed.emit(self.chosen)

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
        self.letter = letter
        for key, button in self.letter_buttons.items():
            button.setChecked(key == letter)
            button.setAccessibleDescription(_("Showing") if key == letter else "")
        self.all_button.setChecked(letter is None)
        self.all_button.setAccessibleDescription(_("Showing") if letter is None else "")
        for button in self.child_buttons:
            button.setHidden(not self._matches(button))
        if self.chosen is not None and not any(
                self._matches(b) and b.pupil_id == self.chosen.id for b in self.child_buttons):
            # The chosen child is no longer on screen: "Seen it" must not save for them.
            self.choose(None)
        self._child_columns = 0  # lay the showing tiles out afresh, from the top
        self._fit_children()
        self.children_scroll.verticalScrollBar().setValue(0)
        self.letter_shown.emit(letter)

    def _matches(self, tile: ChildTile) -> bool:
        """Whether a child's tile belongs on screen under the letter chosen."""
        return self.letter is None or tile.initial == self.letter

    # -- fitting the width --------------------------------------------------------------------
    def fit(self) -> None:
        """The letters, then the children, laid out again for the width the window leaves."""
        self._fit_letters()
        self._fit_children()

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
        room = self._room()
        rows = 1
        while rows < len(buttons):
            columns = 1 + -(-len(buttons) // rows)
            if columns * wide + (columns - 1) * LETTER_SPACING <= room:
                break
            rows += 1
        self._flow_letters(rows)

    def _fit_children(self) -> None:
        """As many children to a row as fit the width (up to six), so tiles never run off."""
        if not self.child_buttons:
            return
        shown = [b for b in self.child_buttons if self._matches(b)]
        if self.letter is not None:  # a letter's children in first-name order: Maja, Max, Mia
            shown.sort(key=lambda b: b.first_name.casefold())
        tile = max(b.least_width() for b in self.child_buttons) + SPACING
        margins = self.children_grid.contentsMargins()
        # The bar's width is kept whether or not it shows, so the rows never flip back and forth.
        room = (self._room() - 2 * self.children_scroll.frameWidth()
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
