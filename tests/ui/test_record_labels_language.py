"""The record dialog's level and setting names are translated when shown, so a language chosen
after ui/record_dialog.py was imported still applies (they were once translated at import)."""

import gettext
from typing import Any

import pytest

from skillsdesk import i18n
from skillsdesk.ui.record_dialog import LEVEL_NAMES, SETTING_NAMES, RecordDialog
from tests.conftest import TODAY

# No shipped catalogue translates these yet, so a stand-in one does.
WELSH = {"With help": "Gyda help", "Independently": "Yn annibynnol",
         "Secured (my judgement)": "Wedi'i sicrhau (fy marn i)", "Classroom": "Ystafell ddosbarth",
         "Playground": "Iard chwarae", "Lunchtime": "Amser cinio"}


class Catalogue(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return WELSH.get(message, message)


def test_level_and_setting_names_follow_the_language_chosen_later(
        qtbot: Any, demo_services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._cache, "xx", Catalogue())
    framework = demo_services.frameworks.current()
    pupils = demo_services.progress.for_pupils(framework, demo_services.school.pupils()[:2])
    assert LEVEL_NAMES[1] == "With help"
    try:
        i18n.set_locale("xx")
        dialog = RecordDialog(framework, pupils, framework.skills[0].code, TODAY)
        qtbot.addWidget(dialog)
        assert [b.text() for b in dialog.levels.buttons()] == [
            "&1 Gyda help", "&2 Yn annibynnol", "&3 Wedi'i sicrhau (fy marn i)"]
        settings = [dialog.setting.itemText(i) for i in range(dialog.setting.count())]
        assert settings[:3] == ["Ystafell ddosbarth", "Amser cinio", "Iard chwarae"]
        how = dialog.table.cellWidget(0, 2)  # the per-pupil pass
        assert [how.itemText(i) for i in range(how.count())][0] == "Gyda help"
        assert dict(SETTING_NAMES.items())["playground"] == "Iard chwarae"  # profile.py reads
        assert SETTING_NAMES.get("home") == "Home"  # these too; untranslated ones stay English
    finally:
        i18n.set_locale(i18n.SOURCE_LOCALE)
    assert LEVEL_NAMES[1] == "With help" and list(LEVEL_NAMES) == [1, 2, 3]
