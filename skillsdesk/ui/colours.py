"""Colours for steps, chosen to read on light and dark palettes; never the only signal."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

BELOW = QColor("#f4c7c3")
AT = QColor("#fdf1c7")
ABOVE = QColor("#cfe8d5")


def step_colour(current: int | None, expected: int | None, palette: QPalette) -> QColor | None:
    """Background for a pupil's step against what their year group is expected to reach."""
    if expected is None:
        return None
    value = -1 if current is None else current
    base = BELOW if value < expected - 1 else AT if value < expected else ABOVE
    if palette.color(QPalette.ColorRole.Base).lightness() < 128:
        return base.darker(260)  # dark palette: same hue, dark enough for light text
    return base


def initials_colour(key: str) -> QColor:
    """A stable, friendly colour for a child's initials tile."""
    hues = (12, 38, 95, 160, 200, 230, 275, 320)
    return QColor.fromHsl(hues[sum(map(ord, key)) % len(hues)], 150, 120)
