"""Role labels on the Staff page are translated when shown, so a language chosen after the
page's module was imported still applies (the page once kept English labels from import)."""

import gettext

from PySide6.QtCore import Qt

from skillsdesk import i18n
from skillsdesk.ui import prompts
from skillsdesk.ui.pages.staff import RoleDialog, make_page
from skillsdesk.ui.tasks import TaskRunner

# No shipped catalogue translates the role labels yet, so a stand-in one does.
WELSH = {"Admin": "Gweinyddwr", "Teacher": "Athro", "Support staff": "Staff cymorth",
         "Lunchtime supervisor": "Goruchwyliwr amser cinio"}


class RoleCatalogue(gettext.NullTranslations):
    def pgettext(self, context: str, message: str) -> str:
        return WELSH.get(message, message) if context == "role" else message


def test_role_labels_follow_the_language_chosen_later(qtbot, demo_services,  # type: ignore[no-untyped-def]
                                                      monkeypatch) -> None:
    monkeypatch.setitem(i18n._cache, "xx", RoleCatalogue())
    page = make_page(demo_services, TaskRunner())
    qtbot.addWidget(page)
    people = page.people
    model = people.model
    teacher = next(r for r in range(model.rowCount()) if model.row_at(r).role == "teacher")
    assert model.index(teacher, 2).data() == "Teacher"
    offered: list[str] = []

    def answer(dialog):  # type: ignore[no-untyped-def]
        assert isinstance(dialog, RoleDialog)
        offered.extend(dialog.role.itemText(i) for i in range(dialog.role.count()))
        dialog.role.setCurrentIndex(dialog.role.findData("support"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(prompts, "run", answer)
    login = model.row_at(teacher).login
    try:
        i18n.set_locale("xx")
        assert model.index(teacher, 2).data() == "Athro"
        people.table.selectRow(teacher)
        qtbot.mouseClick(people.role_button, Qt.MouseButton.LeftButton)
        assert offered == ["Gweinyddwr", "Athro", "Staff cymorth", "Goruchwyliwr amser cinio"]
        assert "Staff cymorth" in people.status.text()
        assert model.index(model.row_of(login), 2).data() == "Staff cymorth"
    finally:
        i18n.set_locale(i18n.SOURCE_LOCALE)
    assert model.index(model.row_of(login), 2).data() == "Support staff"
