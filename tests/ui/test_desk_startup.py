"""Start-up does only what the first screen needs (DESIGN.md §9): the other pages wait."""

from __future__ import annotations

from typing import Any

import pytest


def test_only_the_class_grid_is_built_and_filled_at_start(window: Any) -> None:
    built = {p.key for p in window.pages if p.built}
    assert "classes" in built
    assert not built & {"passports", "staff", "careers", "trust", "backups"}
    assert window.page("classes").pupils.rowCount() > 0
    assert window.stack.currentWidget() is window.page("classes")


def test_each_page_is_built_when_first_shown_under_its_own_title(window: Any, qtbot: Any) -> None:
    for row, entry in enumerate(window.pages):
        window.nav.setCurrentRow(row)
        assert entry.built and window.stack.currentWidget() is entry.widget
        assert window.stack.indexOf(entry.widget) == row
        assert window.nav.item(row).text() == entry.widget.windowTitle()
    assert window.stack.count() == len(window.pages)
    staff = window.page("staff")
    window.show_page("staff")
    assert window.stack.currentWidget() is staff  # built once, never replaced


def test_reload_refreshes_the_page_in_view_and_the_others_when_shown(
        window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    window.show_page("staff")
    refreshed: list[str] = []
    for key in ("classes", "staff"):
        page = window.page(key)
        monkeypatch.setattr(page, "refresh", lambda key=key: refreshed.append(key))
    window.reload()
    assert refreshed == ["staff"]
    window.show_page("classes")
    assert refreshed == ["staff", "classes"]


def test_a_page_asked_for_before_it_is_shown_takes_its_place(window: Any) -> None:
    trust = window.page("trust")  # built by the request, not by navigation
    assert window.stack.indexOf(trust) == next(i for i, p in enumerate(window.pages)
                                               if p.key == "trust")
    assert window.stack.currentWidget() is window.page("classes")
