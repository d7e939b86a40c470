"""Issue 3's display accessibility: a dark palette and 200 % scaling (WCAG 2 contrast 4.5:1).

The palette test runs in this process; Qt reads its scale factor only when the QApplication is
made, so the 200 % check runs a small script in a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette

from skillsdesk.ui.colours import (
    contrast_ratio,
    dark_palette,
    initials_colour,
    step_colour,
    text_on,
)
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner

ROLE = Qt.ItemDataRole


@pytest.fixture
def palette_restored(qapp: Any) -> Any:
    saved = QPalette(qapp.palette())
    yield qapp
    qapp.setPalette(saved)


def grid_pairs(model: Any, palette: QPalette) -> list[tuple[str, float]]:
    """(cell text, contrast of its text on its background) for every coloured cell."""
    pairs = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            background = model.data(index, ROLE.BackgroundRole)
            if background is None:
                continue
            text = model.data(index, ROLE.ForegroundRole) or palette.color(QPalette.ColorRole.Text)
            pairs.append((f"row {row} column {column} {model.data(index)!r}",
                          contrast_ratio(QColor(text), QColor(background))))
    return pairs


def test_grid_cells_read_at_4_5_to_1_on_light_and_dark_palettes(
        qtbot: Any, demo_services: Any, tmp_path: Path, palette_restored: Any) -> None:
    app = palette_restored
    tasks = TaskRunner()
    window = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"),
                                                 QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    window.show()
    grid = window.page("classes").pupils
    for name, palette in (("light", QPalette(app.palette())), ("dark", dark_palette())):
        app.setPalette(palette)
        pairs = grid_pairs(grid, palette)
        assert len(pairs) >= 8, name  # at least one pupil's row of skills has colours
        poor = [f"{cell}: {ratio:.2f}" for cell, ratio in pairs if ratio < 4.5]
        assert not poor, f"{name} palette:\n" + "\n".join(poor[:20])
        # Every band (below, nearly, at or above expected), whether or not this class has it.
        for current in (None, 0, 3, 4, 9):
            background = step_colour(current, 4, palette)
            assert contrast_ratio(text_on(background), background) >= 4.5, (name, current)
    tasks.wait()


def test_pages_dialogs_and_lunchtime_render_with_a_dark_palette(
        qtbot: Any, demo_services: Any, tmp_path: Path, palette_restored: Any) -> None:
    from skillsdesk.ui.lunchtime import LunchtimeWindow
    from skillsdesk.ui.record_dialog import RecordDialog

    app = palette_restored
    app.setPalette(dark_palette())
    tasks = TaskRunner()
    window = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"),
                                                 QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert not window.grab().isNull()
        # The page draws with the palette it was given, not a light one of its own.
        page = window.stack.currentWidget()
        assert page.palette().color(QPalette.ColorRole.Window).lightness() < 100, \
            window.pages[row].key
    classes = window.page("classes")
    window.nav.setCurrentRow(0)
    framework = classes.current_framework()
    dialog = RecordDialog(framework, [classes.pupils.pupil_at(0)], framework.skills[0].code,
                          demo_services.school.today(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.grab().isNull()
    assert dialog.palette().color(QPalette.ColorRole.Base).lightness() < 100
    lunch = LunchtimeWindow(demo_services, tasks, window.session)
    qtbot.addWidget(lunch)
    lunch.show()
    qtbot.mouseClick(lunch.group_buttons[0], Qt.MouseButton.LeftButton)
    assert lunch.child_buttons
    assert not lunch.grab().isNull()
    lunch.leave()
    tasks.wait()


def test_initials_tiles_carry_white_text_at_4_5_to_1() -> None:
    white = QColor("#ffffff")
    # Every hue the tiles use (the key picks one by the sum of its characters).
    ratios = {initials_colour(chr(65 + shift)).name(): contrast_ratio(initials_colour(
        chr(65 + shift)), white) for shift in range(8)}
    assert len(ratios) == 8
    assert min(ratios.values()) >= 4.5, ratios


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


SCALED = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton
    app = QApplication(sys.argv[:1])
    from skillsdesk.services.container import open_services
    from skillsdesk.services.demo import build_demo
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner
    folder = Path(sys.argv[1])
    build_demo(folder / "school", pupils=24, years=1, encrypted=False)
    services = open_services(folder / "school")
    tasks = TaskRunner()
    window = MainWindow(services, QSettings(str(folder / "w.ini"), QSettings.Format.IniFormat),
                        tasks)
    window.show(); app.processEvents()
    print("ratio", app.devicePixelRatio())

    def name(widget):
        return (widget.objectName() or widget.accessibleName() or type(widget).__name__)

    def clipped(widget):
        if not widget.isVisible() or widget.width() <= 1:
            return None
        text = widget.text().replace("&", "")
        if isinstance(widget, QLabel):
            if widget.wordWrap() or not text or "<" in text or "\\n" in text:
                return None  # wrapped and rich text lay themselves out
            need = widget.fontMetrics().horizontalAdvance(text)
            have = widget.contentsRect().width() - 2 * widget.margin() - widget.indent() * 0
            return (need, have) if need > have + 1 else None
        hint = widget.minimumSizeHint()
        if widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height():
            return (hint.width(), widget.width())
        return None

    screen = (2 * 1280, 2 * 800)
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row); app.processEvents()
        for size in (window.frameGeometry().size(), window.minimumSizeHint()):
            size = size * app.devicePixelRatio()
            if size.width() > screen[0] or size.height() > screen[1]:
                print("too big", window.pages[row].key, size.width(), size.height())
        page = window.stack.currentWidget()
        for kind in (QLabel, QPushButton, QCheckBox):
            for widget in page.findChildren(kind):
                where = clipped(widget)
                if where:
                    print("clipped", window.pages[row].key, kind.__name__, repr(name(widget)),
                          repr(widget.text()[:40]), "needs", where[0], "has", where[1])
    tasks.wait(); services.close()
    print("done")
""")


def test_every_page_fits_and_no_text_is_clipped_at_200_percent(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    result = subprocess.run([sys.executable, "-c", SCALED, str(tmp_path)], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "ratio 2.0" in lines and lines[-1] == "done", result.stdout
    offenders = [line for line in lines if line.startswith(("clipped", "too big"))]
    assert not offenders, "\n".join(offenders)
