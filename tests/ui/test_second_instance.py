"""G10 in the GUI: a second SkillsDesk on the same data folder says so and opens nothing."""

import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from skillsdesk import app as gui
from skillsdesk.storage.instance import acquire_instance_lock


def test_a_second_window_on_the_folder_says_so_and_exits(qapp, tmp_path: Path,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _parent, _title, text: said.append(text)))
    with acquire_instance_lock(tmp_path):  # the first SkillsDesk holds the folder
        assert gui.run_gui(tmp_path) == 1
    assert len(said) == 1 and "SkillsDesk is already open on" in said[0]
    assert "Traceback" not in said[0] and "locked" not in said[0]
    assert not (tmp_path / gui.DB_FILE).exists()  # nothing was opened or made
