"""The areas of the main window, one page each, in navigation order.

Each page is a QWidget built from the services it needs (never the whole app). To add an area,
write ``ui/pages/<area>.py`` with a factory ``make_page(services, tasks) -> Page`` (it may also
ask for ``undo`` (the QUndoStack) and ``session`` (who is at the desk) by naming them) and list
it in ``PAGE_MODULES``. A page may define ``refresh()``; the window calls it when the page is shown
and after imports.

A page module that names its navigation label in ``TITLE`` (marked with ``N_``) is built only when
the page is first shown, so opening the app builds and fills the class grid alone; a page without
``TITLE`` is built when the window is (its label is its window title).

A page module may name in ``REQUIRES`` the permission actions (``domain/permissions.py``) its page
is for: one action, or a tuple meaning any of them (``REQUIRES = "trust.export"``,
``REQUIRES = ("backup", "restore")``). The window hides the page's navigation entry from a member
of staff whose role can do none of them (DESIGN.md §8: the GUI mirrors the matrix; the services
still refuse). A page without ``REQUIRES`` shows for everyone and hides its own controls.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from skillsdesk.i18n import _

PAGE_MODULES = (
    "skillsdesk.ui.pages.classes",
    "skillsdesk.ui.pages.pupils",
    "skillsdesk.ui.pages.passports",
    "skillsdesk.ui.pages.staff",
    "skillsdesk.ui.pages.careers",
    "skillsdesk.ui.pages.appraisal",
    "skillsdesk.ui.pages.trust",
    "skillsdesk.ui.pages.backups",
    "skillsdesk.ui.pages.records",
    "skillsdesk.ui.pages.settings",
)


class PageEntry:
    """One area: its key and navigation label, and its widget, built on first use."""

    def __init__(self, key: str, title: str, widget: QWidget | None = None,
                 build: Callable[[], QWidget] | None = None,
                 requires: tuple[str, ...] = ()) -> None:
        if widget is None and build is None:
            raise ValueError("a page needs a widget or a way to build one")
        self.key = key
        self.title = title
        self.requires = requires  # any of these actions shows the page (empty: everyone)
        self._widget = widget
        self._build = build

    @property
    def built(self) -> bool:
        return self._widget is not None

    @property
    def widget(self) -> QWidget:
        if self._widget is None:
            assert self._build is not None
            self._widget = self._build()
        return self._widget

    def reset(self) -> QWidget | None:
        """Forget the built widget, so the next use builds a new one; returns the old one.

        The window deletes it: when the desk locks, no page may keep pupil data (G15). A page
        that was handed in built, with no way to build it again, stays (returns None).
        """
        if self._widget is None or self._build is None:
            return None
        widget, self._widget = self._widget, None
        return widget


def build_pages(services: Any, tasks: Any, **shared: Any) -> list[PageEntry]:
    """Every page, built now or (with ``TITLE``) when first shown.

    A factory that names ``undo`` or ``session`` gets those as well.
    """
    entries = []
    for name in PAGE_MODULES:
        module = importlib.import_module(name)
        wanted = inspect.signature(module.make_page).parameters

        def build(module: Any = module, wanted: Any = wanted) -> QWidget:
            return module.make_page(services, tasks,
                                    **{k: v for k, v in shared.items() if k in wanted})

        key = name.rsplit(".", 1)[1]
        title = getattr(module, "TITLE", None)
        requires = getattr(module, "REQUIRES", ())
        requires = (requires,) if isinstance(requires, str) else tuple(requires)
        if title is None or not entries:  # the first page shows at once: build it now
            widget = build()
            entries.append(PageEntry(key, widget.windowTitle(), widget, build=build,
                                     requires=requires))
        else:
            entries.append(PageEntry(key, _(title), build=build, requires=requires))
    return entries
