"""Translations are tested like code: the template is current, catalogues keep placeholders."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from skillsdesk import i18n
from skillsdesk.domain.yeargroups import year_group_label

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")


def extract(target: Path) -> set[str]:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "i18n/babel.cfg",
         "-k", "N_", "-k", "pgettext:1c,2", "--no-location", "-o", str(target), "."],
        cwd=ROOT, check=True, capture_output=True)
    with target.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_the_template_is_up_to_date(tmp_path: Path) -> None:
    fresh = extract(tmp_path / "fresh.pot")
    with (ROOT / "i18n" / "skillsdesk.pot").open("rb") as handle:
        shipped = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = sorted(fresh - shipped)
    assert not missing, ("i18n/skillsdesk.pot is out of date; re-run the extract command in the "
                         f"README. New strings: {missing[:5]}")


@pytest.mark.parametrize("po", sorted((ROOT / "i18n").glob("*.po")), ids=lambda p: p.stem)
def test_catalogues_keep_every_placeholder(po: Path) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if text:
                assert set(PLACEHOLDER.findall(text)) == wanted, (po.name, message.id)


def test_switching_language_and_falling_back() -> None:
    try:
        i18n.set_locale("cy")
        assert year_group_label("R") == "Derbyn"
        assert year_group_label("3") == "Blwyddyn 3"
        i18n.set_locale("ur")  # no catalogue: English, not an error
        assert year_group_label("R") == "Reception"
        assert i18n.is_right_to_left("ur") and not i18n.is_right_to_left("cy")
    finally:
        i18n.set_locale(i18n.SOURCE_LOCALE)
