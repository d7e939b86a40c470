"""Render resources/icons/skillsdesk.svg to the PNG and ICO files the packages need.

    python packaging/make_icons.py

Run it after changing the SVG and commit the results (they are small and rarely change).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "skillsdesk.svg"))
    images = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        images.append(image)
    images[-1].save(str(ICONS / "skillsdesk-256.png"))
    images[SIZES.index(48)].save(str(ICONS / "skillsdesk-48.png"))
    # Qt's ico writer stores one image; Windows scales it for the small sizes.
    if not images[-1].save(str(ICONS / "skillsdesk.ico"), "ICO"):
        print("this Qt has no ICO writer", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
