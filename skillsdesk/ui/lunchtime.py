"""Lunchtime mode: full screen, big targets, for a supervisor with a finger on a touch screen.

Choose the lunchtime group, tap a child, tap a skill, tap "Seen it": saved at that child's next
step, independently, with setting lunchtime. It shows names only (no SEN, PP or EAL flags, no
one's notes), and leaving it is a staff action: press and hold the exit button.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPalette, QPixmap
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
from skillsdesk.ui.colours import initials_colour
from skillsdesk.ui.prompts import accessible

HOLD_MS = 1500
BIG = "QPushButton { font-size: 20px; padding: 14px; min-height: 64px; border-radius: 10px; }"


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
        self.pressed.connect(self._on_pressed)
        self.released.connect(self._timer.stop)

    def _on_pressed(self) -> None:
        self._clock.start()
        self._timer.start()


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
        self._child: Any = None
        self._skill: Any = None
        self._rows: dict[Any, Any] = {}
        self._allow_close = False
        self._build()

    def _build(self) -> None:
        self.pages = QStackedWidget()
        groups_page = QWidget()
        groups_layout = QVBoxLayout(groups_page)
        title = QLabel(_("Which lunchtime group are you with?"))
        title.setFont(QFont(title.font().family(), 22))
        groups_layout.addWidget(title)
        self.group_buttons: list[QPushButton] = []
        for group in self._lunch_groups():
            button = accessible(QPushButton(group.name), _("Lunchtime group {name}").format(
                name=group.name))
            button.clicked.connect(lambda _c=False, g=group: self.choose_group(g))
            self.group_buttons.append(button)
            groups_layout.addWidget(button)
        groups_layout.addStretch(1)
        self.pages.addWidget(groups_page)

        tap_page = QWidget()
        tap_layout = QVBoxLayout(tap_page)
        self.prompt = QLabel(_("Tap a child"))
        self.prompt.setFont(QFont(self.prompt.font().family(), 20))
        self.children_grid = QGridLayout()
        children = QWidget()
        children.setLayout(self.children_grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(children)
        self.skill_row = QHBoxLayout()
        self.skill_buttons: list[QPushButton] = []
        for skill in self._framework.skills:
            button = accessible(QPushButton(skill.name), skill.name)
            button.setCheckable(True)
            button.setStyleSheet(
                f"QPushButton {{ border: 4px solid {skill.colour}; background: palette(base); }}"
                f"QPushButton:checked {{ background: {skill.colour}; color: white; }}")
            button.clicked.connect(lambda _c=False, s=skill: self.choose_skill(s))
            self.skill_buttons.append(button)
            self.skill_row.addWidget(button)
        self.seen_button = accessible(QPushButton(_("Seen it ✓")), _("Seen it"))
        self.seen_button.setEnabled(False)
        self._style_seen()
        self.seen_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setFont(QFont(self.message.font().family(), 16))
        tap_layout.addWidget(self.prompt)
        tap_layout.addWidget(scroll, 1)
        tap_layout.addLayout(self.skill_row)
        tap_layout.addWidget(self.seen_button)
        tap_layout.addWidget(self.message)
        self.pages.addWidget(tap_page)

        self.exit_button = accessible(HoldButton(_("Staff: press and hold to leave")),
                                      _("Leave lunchtime mode (press and hold)"))
        self.exit_button.setStyleSheet("QPushButton { font-size: 14px; min-height: 40px; }")
        self.exit_button.held.connect(self.leave)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.exit_button, 0, Qt.AlignmentFlag.AlignRight)

    def _lunch_groups(self) -> list[Any]:
        groups = [g for g in self._school.groups() if g.kind == "lunchtime"]
        return groups or self._school.classes()

    def start(self) -> None:
        self.showFullScreen()

    # -- the tap flow -------------------------------------------------------------------------
    def choose_group(self, group: Any) -> None:
        pupils = self._school.pupils(group=group.name)
        self._rows = {p.pupil.id: p for p in self._progress.for_pupils(self._framework, pupils)}
        # Only pupils with recorded photo consent come back with a photo (the service checks).
        photos = self._photos.photos([p.id for p in pupils])
        while self.children_grid.count():
            self.children_grid.takeAt(0).widget().deleteLater()
        self.child_buttons: list[QPushButton] = []
        height = 150 if photos else 90
        for index, pupil in enumerate(pupils):
            # Names only: no flags, no notes. A photo where consent is recorded and one is held,
            # else the initials on a colour.
            button = accessible(self._tile(pupil, photos.get(pupil.id)), pupil.display_name)
            colour = initials_colour(pupil.admission_number).name()
            button.setCheckable(True)
            # Chosen: a thick ring in the palette's text colour (black on a light window, white
            # on a dark one, so it stands out from the window either way) and a ✓ before the
            # name, so the choice never rests on colour alone.
            button.setStyleSheet(f"QPushButton {{ background: {colour}; color: white; "
                                 f"font-size: 18px; min-width: 130px; min-height: {height}px; "
                                 "border: 8px solid transparent; }"
                                 "QPushButton:checked { border: 8px solid palette(window-text); }"
                                 "QLabel { color: white; font-size: 18px; background: none; }")
            button.clicked.connect(lambda _c=False, p=pupil, b=button: self.choose_child(p, b))
            self.child_buttons.append(button)
            self.children_grid.addWidget(button, index // 6, index % 6)
        self.prompt.setText(_("{group}: tap a child").format(group=group.name))
        self.pages.setCurrentIndex(1)

    @staticmethod
    def _tile(pupil: Any, photo: bytes | None) -> QPushButton:
        """A child's button: their photo above their name, or their initials on a colour."""
        short = f"{pupil.first_name} {pupil.last_name[:1]}."
        picture = QPixmap()
        if photo is None or not picture.loadFromData(photo):
            initials = (pupil.first_name[:1] + pupil.last_name[:1]).upper()
            button = QPushButton(f"{initials}\n{short}")
            button.photo = button.caption = None  # type: ignore[attr-defined]
            button.tile_text = button.text()  # type: ignore[attr-defined]
            return button
        button = QPushButton()
        layout = QVBoxLayout(button)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(4)
        image = QLabel()
        image.setPixmap(picture.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio,
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
            "QPushButton { font-size: 26px; min-height: 80px; background: #2c8c3c; "
            "color: white; }"
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
            self.message.setText(_("Saved: {name} — {skill}, step {step}").format(
                name=child.first_name, skill=skill.name, step=step))
            self._child = self._skill = None
            for button in self.child_buttons:
                self._mark(button, False)
            for button in self.skill_buttons:
                button.setChecked(False)
            self._update_seen()

        self.seen_button.setEnabled(False)
        self._tasks.run(work, done, lambda exc: prompts.error(self, exc))

    def leave(self) -> None:
        self._allow_close = True
        self.close()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if not self._allow_close:
            event.ignore()  # Alt+F4 from a child's hands does not leave lunchtime mode
            return
        self.closed.emit()
        super().closeEvent(event)
