"""The profile's step chart tells levels apart by shape as well as colour, and names them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage

from skillsdesk.services.recording import TimelineItem
from skillsdesk.ui.profile import LEVEL_MARKS, StepChart


def _item(day: int, step: int, level: int) -> TimelineItem:
    return TimelineItem(uuid.uuid4(), "listening", step, dt.date(2026, 10, day), "classroom",
                        level, None, "T. Teacher", "staff")


def _legend_row(chart: StepChart) -> set[int]:
    image: QImage = chart.grab().toImage()
    y = chart.height() - 12  # the line naming the marks, under the dates
    return {image.pixel(QPoint(x, y)) for x in range(image.width())}


def test_each_level_has_its_own_mark_and_the_chart_names_them(qtbot: Any) -> None:
    assert len(set(LEVEL_MARKS.values())) == len(LEVEL_MARKS) == 3
    chart = StepChart()
    qtbot.addWidget(chart)
    chart.resize(480, 200)
    empty = _legend_row(chart)
    chart.set_items([_item(1, 1, 1), _item(8, 2, 2), _item(15, 3, 3)], 15)
    named = _legend_row(chart)
    assert len(empty) == 1  # nothing recorded: the line is blank
    assert len(named) > 3  # marks and words drawn on it
