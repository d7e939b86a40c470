
import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, PermissionDenied


def test_pupils_page_searches_without_accents(window, qtbot, qtmodeltester, demo_services) -> None:  # type: ignore[no-untyped-def]
    window.show_page("pupils")
    page = window.page("pupils")
    assert page.model.rowCount() == len(demo_services.school.pupils())
    target = next(p for p in demo_services.school.pupils() if p.legal_last_name.isascii())
    qtbot.keyClicks(page.filter, target.last_name.lower())
    shown = {page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())}
    assert target.display_name in shown
    assert all(target.last_name.casefold() in name.casefold() for name in shown)
    from PySide6.QtCore import QPoint, Qt

    from skillsdesk.domain.yeargroups import year_group_rank

    headers = [page.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.model.columnCount())]
    assert "SEN" in headers  # staff with the right to see flags (no actor: a plain store)
    qtmodeltester.check(page.model)

    page.filter.clear()

    def listed() -> list:  # type: ignore[type-arg]
        return [page.model.pupil_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row())
                for r in range(page.proxy.rowCount())]

    surnames = [p.last_name.casefold() for p in listed()]
    assert surnames == sorted(surnames)  # by surname, though the first name is shown first
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(2) + 4, header.height() // 2))
    ranks = [year_group_rank(p.year_group) for p in listed()]  # Reception, then Year 1, …
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert header.sortIndicatorSection() == 2 and len(set(ranks)) > 1
    assert ranks == sorted(ranks, reverse=descending)


def test_settings_page_saves_the_step_rule(window, qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    window.show_page("settings")
    page = window.page("settings")
    page.days.setValue(3)
    page.lock.setValue(10)
    page.save.click()
    qtbot.waitUntil(lambda: "Saved" in page.note.text(), timeout=5000)
    saved = demo_services.settings.get()
    assert (saved.independent_days, saved.lock_minutes) == (3, 10)
    assert demo_services.progress.rule().independent_days == 3


def test_settings_are_checked_and_admin_only(demo_services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError):
        demo_services.settings.update(lock_minutes=60)
    staff = demo_services.school.staff()
    teacher = next(s for s in staff if s.role == "teacher")
    demo_services.context.set_actor(Actor(teacher.id, teacher.login, teacher.name, "teacher"))
    try:
        with pytest.raises(PermissionDenied):
            demo_services.settings.update(independent_days=1)
    finally:
        demo_services.context.set_actor(None)
