"""Lunchtime mode: the chosen child shows in the tile's text and accessible description (not by
colour alone) in a light and a dark palette, and the disabled "Seen it" uses the palette's own
disabled colours."""

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from skillsdesk.ui.lunchtime import LunchtimeWindow
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.tasks import TaskRunner
from tests.ui.test_accessibility_display import dark_palette


def tile_text(button: Any) -> str:
    return button.caption.text() if button.caption is not None else button.text()


def test_the_chosen_child_is_marked_in_text_and_description_in_both_palettes(
        qtbot: Any, demo_services: Any, tmp_path: Path) -> None:
    app = QApplication.instance()
    light = QPalette(app.palette())
    tasks = TaskRunner()
    window = MainWindow(demo_services, QSettings(str(tmp_path / "w.ini"),
                                                 QSettings.Format.IniFormat), tasks)
    qtbot.addWidget(window)
    try:
        for palette in (light, dark_palette()):
            app.setPalette(palette)
            lunch = LunchtimeWindow(demo_services, tasks, window.session)
            qtbot.addWidget(lunch)
            lunch.show()
            qtbot.mouseClick(lunch.group_buttons[0], Qt.MouseButton.LeftButton)
            first, second = lunch.child_buttons[:2]
            assert not any(tile_text(b).startswith("✓") or b.accessibleDescription()
                           for b in lunch.child_buttons)
            qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
            assert tile_text(first).startswith("✓ ") and first.accessibleDescription() == "Chosen"
            assert first.accessibleName() and "✓" not in first.accessibleName()
            qtbot.mouseClick(second, Qt.MouseButton.LeftButton)  # one child at a time
            assert not tile_text(first).startswith("✓") and not first.accessibleDescription()
            assert tile_text(second).startswith("✓ ") and second.isChecked()
            # Not yet pressable: drawn in this palette's disabled colours, not a fixed green.
            disabled = palette.color(QPalette.ColorGroup.Disabled,
                                     QPalette.ColorRole.ButtonText).name()
            assert not lunch.seen_button.isEnabled()
            assert disabled in lunch.seen_button.styleSheet()
            lunch.leave()
    finally:
        app.setPalette(light)
        tasks.wait()
