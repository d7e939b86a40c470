"""Lunchtime mode: full screen, big targets, for a supervisor with a finger on a touch screen.

Choose the lunchtime group, tap a child, tap a skill, tap "Seen it": saved at that child's next
step, independently, with setting lunchtime. It shows names only (no SEN, PP or EAL flags, no
one's notes), and leaving it is a staff action: press and hold the exit button.

The screens it meets are landscape and short (1024×768, 1280×800), so height is what runs out:
the prompt shares the top line with the way out, and the skills, "Seen it" and the saved
message stand in a column down the right, leaving the children the full height beside it.

What lives where: this module is the mode itself (the window, the group choice, the skills'
column and its fitting, the tap flow, saving, press-and-hold to leave); the children's tiles,
the letters that jump between them and their fitting to the width are in lunchtime_tiles.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QColor,
    QFont,
    QPalette,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.steprule import INDEPENDENTLY
from skillsdesk.i18n import _
from skillsdesk.services.recording import Entry
from skillsdesk.ui import prompts
from skillsdesk.ui.lunchtime_tiles import SCROLL_BAR, SPACING, ChildTile, ChildTiles
from skillsdesk.ui.prompts import accessible

HOLD_MS = 1500
# Every target is at least this many pixels each way (Apple and Microsoft ask for 44).
FINGER = 44
MARGIN = 8  # round the window
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
        self._skill: Any = None
        self._rows: dict[Any, Any] = {}
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
        self.tiles = ChildTiles(self._left_width)
        self.tiles.chosen_changed.connect(self._child_chosen)
        self.tiles.letter_shown.connect(lambda _letter: self._ask_for_child())

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
        row.addWidget(self.tiles, 1)
        row.addWidget(self.panel)
        return page

    # The children's column (lunchtime_tiles.ChildTiles) as the window's own parts, for the
    # tab order and for those who drive the window (tests, screenshots).
    @property
    def child_buttons(self) -> list[ChildTile]:
        return self.tiles.child_buttons

    @property
    def letter_buttons(self) -> dict[str, QPushButton]:
        return self.tiles.letter_buttons

    @property
    def all_button(self) -> QPushButton:
        return self.tiles.all_button

    @property
    def letter_row(self) -> QGridLayout:
        return self.tiles.letter_row

    @property
    def children_grid(self) -> QGridLayout:
        return self.tiles.children_grid

    @property
    def children_scroll(self) -> QScrollArea:
        return self.tiles.children_scroll

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

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self._fit_skills()  # first: the letters and children have the width the skills leave
        self.tiles.fit()
        super().resizeEvent(event)

    # -- the tap flow -------------------------------------------------------------------------
    def choose_group(self, group: Any) -> None:
        pupils = self._school.pupils(group=group.name)
        self._rows = {p.pupil.id: p for p in self._progress.for_pupils(self._framework, pupils)}
        # Only pupils with recorded photo consent come back with a photo (the service checks).
        photos = self._photos.photos([p.id for p in pupils])
        self.tiles.fill(pupils, photos)
        self._group = group
        self._skill = None
        self.tiles.show_letter(None)
        self.pages.setCurrentIndex(1)
        # Tab (a keyboard, a switch) goes in the order of the taps: letters, children, skills,
        # "Seen it", and the way out last, whatever order the buttons were made in.
        chain = [self.all_button, *self.letter_buttons.values(), *self.child_buttons,
                 *self.skill_buttons, self.seen_button, self.exit_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _ask_for_child(self) -> None:
        if self._group is None:
            return
        child, letter = self.tiles.chosen, self.tiles.letter
        if child is not None:
            self.prompt.setText(_("{name}: tap a skill").format(name=child.first_name))
        elif letter is None:
            self.prompt.setText(_("{group}: tap a child").format(group=self._group.name))
        else:
            self.prompt.setText(_("{group}: tap a child (names starting with {letter})").format(
                group=self._group.name, letter=letter))

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

    def _child_chosen(self, pupil: Any) -> None:
        """A child's tile was tapped (`pupil`), or the chosen one went out of sight (None)."""
        if pupil is not None:
            self.prompt.setText(_("{name}: tap a skill").format(name=pupil.first_name))
        self._update_seen()

    def choose_skill(self, skill: Any) -> None:
        for button in self.skill_buttons:
            button.setChecked(button.text() == skill.name)
        self._skill = skill
        self._update_seen()

    def _update_seen(self) -> None:
        self.seen_button.setEnabled(self.tiles.chosen is not None and self._skill is not None)

    def save(self) -> None:
        child, skill = self.tiles.chosen, self._skill
        if child is None or skill is None:
            return
        row = self._rows[child.id]
        position = next(p for p in row.skills if p.skill == skill.code)
        step = position.next if position.next is not None else skill.highest
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
            self._skill = None
            self.tiles.choose(None)
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
