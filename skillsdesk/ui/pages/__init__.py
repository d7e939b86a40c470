"""The areas of the main window, one page each, in navigation order.

Each page is a QWidget built from the services it needs (never the whole app). To add an area,
write ``ui/pages/<area>.py`` with a factory ``make_page(services, tasks) -> Page`` (it may also
ask for ``undo`` (the QUndoStack) and ``session`` (who is at the desk) by naming them) and list it in
``PAGE_MODULES``. A page may define ``refresh()``; the window calls it when the page is shown
and after imports.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

PAGE_MODULES = (
    "skillsdesk.ui.pages.classes",
    "skillsdesk.ui.pages.passports",
    "skillsdesk.ui.pages.staff",
    "skillsdesk.ui.pages.careers",
    "skillsdesk.ui.pages.trust",
    "skillsdesk.ui.pages.backups",
)


@dataclass
class PageEntry:
    key: str
    title: str
    widget: QWidget


def build_pages(services: Any, tasks: Any, **shared: Any) -> list[PageEntry]:
    """Build every page; a factory that names ``undo`` or ``session`` gets those as well."""
    entries = []
    for name in PAGE_MODULES:
        module = importlib.import_module(name)
        wanted = inspect.signature(module.make_page).parameters
        widget = module.make_page(services, tasks,
                                  **{k: v for k, v in shared.items() if k in wanted})
        entries.append(PageEntry(name.rsplit(".", 1)[1], widget.windowTitle(), widget))
    return entries
