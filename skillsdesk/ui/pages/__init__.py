"""The areas of the main window, one page each, in navigation order.

Each page is a QWidget built from the services it needs (never the whole app). To add an area,
write ``ui/pages/<area>.py`` with a factory ``make_page(services, tasks) -> Page`` and list it in
``PAGE_MODULES``. A page may define ``refresh()``; the window calls it when the page is shown
and after imports.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

PAGE_MODULES = (
    "skillsdesk.ui.pages.classes",
    "skillsdesk.ui.pages.staff",
)


@dataclass
class PageEntry:
    key: str
    title: str
    widget: QWidget


def build_pages(services: Any, tasks: Any) -> list[PageEntry]:
    entries = []
    for name in PAGE_MODULES:
        module = importlib.import_module(name)
        widget = module.make_page(services, tasks)
        entries.append(PageEntry(name.rsplit(".", 1)[1], widget.windowTitle(), widget))
    return entries
