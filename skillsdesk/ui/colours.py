"""Colours for steps, chosen to read on light and dark palettes; never the only signal.

Text drawn on a coloured cell or tile is black or white, whichever contrasts more with it, so it
meets WCAG 2's 4.5:1 whatever the palette's own text colour is
(tests/ui/test_accessibility_display.py).
"""

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
    """A stable, friendly colour for a child's initials tile (white text reads on every one:
    at lightness 120 the yellow, green and teal tiles fell to 2.3-3.6:1)."""
    hues = (12, 38, 95, 160, 200, 230, 275, 320)
    return QColor.fromHsl(hues[sum(map(ord, key)) % len(hues)], 150, 80)


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


BLACK = QColor("#000000")
WHITE = QColor("#ffffff")


def text_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    black, white = contrast_ratio(background, BLACK), contrast_ratio(background, WHITE)
    return BLACK if black >= white else WHITE


def dark_palette() -> QPalette:
    """A plain dark palette (as a desktop's dark theme gives), for screenshots and tests."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for which, colour in ((role.Window, "#2b2b2b"), (role.WindowText, "#e8e8e8"),
                          (role.Base, "#1e1e1e"), (role.AlternateBase, "#262626"),
                          (role.Text, "#e8e8e8"), (role.Button, "#353535"),
                          (role.ButtonText, "#e8e8e8"), (role.ToolTipBase, "#353535"),
                          (role.ToolTipText, "#e8e8e8"), (role.PlaceholderText, "#a0a0a0"),
                          (role.Highlight, "#3d6fb4"), (role.HighlightedText, "#ffffff"),
                          (role.Link, "#8ab4f8"), (role.BrightText, "#ff8080"),
                          (role.Light, "#505050"), (role.Midlight, "#404040"),
                          (role.Mid, "#303030"), (role.Dark, "#202020"), (role.Shadow, "#000000")):
        palette.setColor(which, QColor(colour))
    for which in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, which, QColor("#808080"))
    return palette
