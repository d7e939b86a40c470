"""The canary session (issue 6, RELIABILITY.md G12/G13): a whole scripted session on an encrypted
school, with distinctive pupil names and notes, leaves none of them readable anywhere under the
data folder or in the temp folder, and no file there is a plain SQLite database.

The session: the first run (``init_school``), pupils imported from a CSV kept outside the data
folder, then the desk as ``app.run_gui`` builds it (``window.ini`` in the data folder, logging
to ``<data>/logs`` as ``__main__.setup_logging`` sets it up): observations recorded with notes
through the record dialog, one of them staff only, a draft left behind by a dialog that never
closed, a backup, and the backup made on exit. Then every file is read byte by byte.
"""

import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from skillsdesk.__main__ import setup_logging
from skillsdesk.services.signin import init_school
from skillsdesk.storage.keyslots import OWASP_MINIMUM
from skillsdesk.ui import prompts
from skillsdesk.ui.main_window import MainWindow
from skillsdesk.ui.models import PupilTableModel
from skillsdesk.ui.tasks import TaskRunner

PASSWORD = "Lantern-Meadow-Quartz-9"
# Names and notes nobody would write by chance, so finding one means it leaked.
FORENAME, SURNAME = "Zephyrine", "Quillfeather"
OTHER_FORENAME, OTHER_SURNAME = "Bartholomew", "Xanthopoulos"
NOTE = "Counted the marigold seedlings aloud beside Quillfeather"
STAFF_ONLY_NOTE = "Mentioned the kestrel aviary worry at home"
DRAFT_NOTE = "Half typed about the periwinkle rehearsal"
CANARIES = (FORENAME, SURNAME, OTHER_FORENAME, OTHER_SURNAME, NOTE, STAFF_ONLY_NOTE, DRAFT_NOTE,
            "marigold", "kestrel", "periwinkle")
PLAIN_SQLITE = b"SQLite format 3\x00"


@pytest.fixture
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder this test owns, so everything written to "the temp folder" can be read."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def app_logging(tmp_path: Path) -> Iterator[Path]:
    """Logging exactly as ``python -m skillsdesk`` sets it up, taken down afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    data = tmp_path / "school"
    log_file = setup_logging(data)
    assert log_file is not None
    yield data
    for handler in root.handlers[:]:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


def canary_bytes() -> list[bytes]:
    found = []
    for text in CANARIES:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            found.append(text.encode(encoding))
    return found


def scan(folder: Path) -> tuple[list[Path], list[str]]:
    """Every file under ``folder``, and what is wrong with any of them."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    problems = []
    wanted = canary_bytes()
    for path in files:
        data = path.read_bytes()
        if data.startswith(PLAIN_SQLITE):
            problems.append(f"{path}: a plain SQLite database")
        for canary in wanted:
            if canary in data:
                problems.append(f"{path}: holds {canary!r}")
                break
    return files, problems


def test_a_whole_session_leaves_nothing_readable(qtbot, tmp_path: Path, own_temp: Path,  # type: ignore[no-untyped-def]
                                                 app_logging: Path, monkeypatch) -> None:
    import skillsdesk.storage.keyslots as keyslots

    monkeypatch.setattr(keyslots, "DEFAULT_PARAMS", OWASP_MINIMUM)  # quick, not production cost
    data = app_logging
    services, _recovery_key = init_school(data, "Canary Primary", "head", "Ada Head", PASSWORD)
    outside = tmp_path / "mis-export"  # what the school's MIS wrote: not SkillsDesk's to clean
    outside.mkdir()
    csv = outside / "pupils.csv"
    csv.write_text(
        "Id,UPN,Forename,Surname,Preferred Name,DOB,Gender,NC Year,Form/Tutor Group\n"
        f"0501,,{FORENAME},{SURNAME},,2016-01-09,F,3,3P\n"
        f"0502,,{OTHER_FORENAME},{OTHER_SURNAME},,2015-11-21,M,3,3P\n", encoding="utf-8")
    services.pupils.import_file(csv)

    tasks = TaskRunner()
    settings = QSettings(str(data / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings, tasks)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(10)  # the start-up's queued work (offering a draft: there is none yet) runs
    page = window.page("classes")
    page.recorder.autosave_ms = 20  # the real draft timer, not five seconds of it
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 2, timeout=5000)
    shown = {page.proxy.index(r, c).data() for r in range(2) for c in range(PupilTableModel.FIXED)}
    assert any(FORENAME in str(v) for v in shown)  # the names really are on the screen

    def choose(rows: list[int]) -> None:
        from PySide6.QtCore import QItemSelectionModel

        column = PupilTableModel.FIXED + 1
        page.table.setCurrentIndex(page.proxy.index(rows[0], column))
        for row in rows[1:]:
            page.table.selectionModel().select(page.proxy.index(row, column),
                                               QItemSelectionModel.SelectionFlag.Select)

    def record(note: str, staff_only: bool = False) -> None:
        def type_and_save(dialog: QDialog) -> int:
            dialog.show()
            qtbot.keyClicks(dialog.note, note)
            if staff_only:
                qtbot.mouseClick(dialog.staff_only, Qt.MouseButton.LeftButton)
            qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
            return dialog.result()

        monkeypatch.setattr(prompts, "run", type_and_save)
        before = services.observations.count()
        page.record_selection()
        qtbot.waitUntil(lambda: services.observations.count() > before, timeout=5000)
        staff = window.session.staff.id
        qtbot.waitUntil(lambda: services.drafts.load(staff) is None, timeout=5000)  # saved

    choose([0, 1])
    record(NOTE)
    choose([0])
    record(STAFF_ONLY_NOTE, staff_only=True)
    notes = {o.note: o.staff_only for o in services.observations.list(limit=10)}
    assert notes == {NOTE: False, STAFF_ONLY_NOTE: True}

    staff_id = window.session.staff.id
    left: list[QDialog] = []

    def type_then_vanish(dialog: QDialog) -> int:  # as when the laptop's battery dies
        left.append(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.note, DRAFT_NOTE)
        qtbot.waitUntil(lambda: (services.drafts.load(staff_id) or None) is not None
                        and services.drafts.load(staff_id).text == DRAFT_NOTE, timeout=5000)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(prompts, "run", type_then_vanish)
    choose([1])
    page.record_selection()
    left[0].deleteLater()
    tasks.wait()
    assert services.drafts.load(staff_id).text == DRAFT_NOTE  # kept, encrypted, for next time

    services.backups.backup()
    # While the store is open its WAL holds the latest pages: it is read now, and again below.
    open_files, open_problems = scan(data)
    assert (data / "skillsdesk.db-wal") in open_files
    window.close()
    tasks.wait()
    settings.sync()  # written as when the app's QSettings goes away at exit
    services.backups.on_exit()  # as app.run_gui does when the window closes
    services.close()
    for handler in logging.getLogger().handlers:
        handler.flush()

    files, problems = scan(data)
    names = {p.name for p in files}
    # The scan really covered what G12/G13 list: database, key slots, backups, logs, settings.
    assert {"skillsdesk.db", "skillsdesk.keys", "window.ini", "skillsdesk.log"} <= names
    assert any(p.parent.name == "backups" and p.suffix == ".db" for p in files)
    assert (data / "logs" / "skillsdesk.log").stat().st_size > 0  # something was logged
    assert (data / "window.ini").stat().st_size > 0
    _temp_files, temp_problems = scan(own_temp)
    assert open_problems + problems + temp_problems == []
    # The pupils' CSV outside the data folder is the school's own file, left as it was; and the
    # scan does find canaries where they are.
    assert scan(outside)[1] == [f"{csv}: holds {FORENAME.encode()!r}"]
