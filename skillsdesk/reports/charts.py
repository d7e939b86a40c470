"""A grouped bar chart for the trust PDFs, drawn with reportlab graphics (plain data in).

Suppressed figures are not bars of height zero, which would read as "none": they are marked
with a small ``c`` on the axis, and figures that do not apply are left blank.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from skillsdesk.reports.fonts import SANS, font_for, register_fonts

PALETTE = ("#3b6ea5", "#e0893e", "#5a9e5f", "#c2504f", "#8a6bb1", "#8c6d52", "#d57bb8",
           "#7f7f7f", "#b5b53c", "#3fb2c2")
Value = int | float | str | None


def grouped_bars(groups: Sequence[str], series: Sequence[tuple[str, Sequence[Value]]],
                 width: float, height: float, maximum: float = 100, unit: str = "%",
                 ) -> Drawing:
    """Bars for each group (x axis), one per series, with a legend underneath."""
    register_fonts()
    drawing = Drawing(width, height)
    legend_rows = (len(series) + 4) // 5
    left, bottom = 34.0, 26.0 + 14 * legend_rows
    plot_w, plot_h = width - left - 8, height - bottom - 10
    for tick in range(0, 5):
        y = bottom + plot_h * tick / 4
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor("#dddddd"),
                         strokeWidth=0.5))
        drawing.add(String(left - 4, y - 3, f"{maximum * tick / 4:g}{unit}", fontName=SANS,
                           fontSize=7, textAnchor="end"))
    slot = plot_w / max(1, len(groups))
    bar = min(18.0, (slot - 6) / max(1, len(series)))
    for g, label in enumerate(groups):
        x0 = left + g * slot + (slot - bar * len(series)) / 2
        for s, (_name, values) in enumerate(series):
            value = values[g] if g < len(values) else None
            x = x0 + s * bar
            colour = colors.HexColor(PALETTE[s % len(PALETTE)])
            if isinstance(value, int | float) and not isinstance(value, bool):
                h = plot_h * min(max(value, 0), maximum) / maximum
                drawing.add(Rect(x, bottom, bar - 1, h, fillColor=colour, strokeColor=None))
            elif value == "c":
                drawing.add(String(x + bar / 2, bottom + 2, "c", fontName=SANS, fontSize=7,
                                   textAnchor="middle", fillColor=colour))
        drawing.add(String(left + g * slot + slot / 2, bottom - 11, label,
                           fontName=font_for(label), fontSize=8, textAnchor="middle"))
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeWidth=0.8))
    for s, (name, _values) in enumerate(series):
        row, col = divmod(s, 5)
        x = left + col * (plot_w / 5)
        y = 6 + 14 * (legend_rows - 1 - row)
        drawing.add(Rect(x, y, 8, 8, fillColor=colors.HexColor(PALETTE[s % len(PALETTE)]),
                         strokeColor=None))
        drawing.add(String(x + 11, y + 1, name[:28], fontName=font_for(name), fontSize=7.5))
    return drawing
