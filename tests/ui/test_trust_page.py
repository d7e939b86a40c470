"""The Trust export page: preview exactly what leaves, save it, build the trust's report."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from skillsdesk.ui.pages.trust import TrustPage
from skillsdesk.ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot: Any, demo_services: Any) -> Any:
    tasks = TaskRunner()
    widget = TrustPage(demo_services, tasks)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    tasks.wait()


def previewed(qtbot: Any, page: TrustPage) -> None:
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.export is not None, timeout=20_000)


def test_preview_marks_withheld_cells_and_save_writes_that_export(
        page: TrustPage, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert page.windowTitle() == "Trust export" and not page.save_button.isEnabled()
    page.min_cell.setValue(6)
    page.rounding.setChecked(True)
    previewed(qtbot, page)
    assert page.save_button.isEnabled() and page.table_choice.count() == len(page.export.tables)
    model = page.model
    cells = [(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())]
    withheld = [(r, c) for r, c in cells if model.index(r, c).data() == "c"]
    assert withheld, "the demo school is small: some cells must be withheld"
    r, c = withheld[0]
    assert model.index(r, c).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "fewer than 6" in model.index(r, c).data(Qt.ItemDataRole.ToolTipRole)
    counts = [c for c, column in enumerate(page.export.tables[0].columns) if column.kind == "count"]
    shown = [model.index(r, c).data() for r in range(model.rowCount()) for c in counts]
    numbers = [int(v) for v in shown if v not in ("c", "")]
    assert numbers and all(v % 5 == 0 for v in numbers) and any(numbers)  # rounded
    page.table_choice.setCurrentIndex(page.table_choice.count() - 1)  # staff by role
    assert model.rowCount() == 4
    target = tmp_path / "out.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.save_button.click()
    qtbot.waitUntil(lambda: "Saved" in page.status.text(), timeout=20_000)
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        document = json.loads(archive.read("audit.json"))
    assert manifest["min_cell"] == 6 and manifest["rounding"] == "nearest-5"
    first = page.export.tables[0]
    assert document["tables"][first.name]["rows"] == json.loads(json.dumps(first.records()))


def test_changing_a_setting_needs_a_new_preview(page: TrustPage, qtbot: Any) -> None:
    previewed(qtbot, page)
    page.min_cell.setValue(12)
    assert page.export is None and not page.save_button.isEnabled()
    assert "Preview again" in page.status.text()


def test_trust_report_from_exports_and_a_refused_file(
        page: TrustPage, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previewed(qtbot, page)
    export = page._exports.save(page.export, tmp_path / "school.zip").path
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"not a zip")
    chosen: list[list[str]] = [[str(export)]]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (chosen[0], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "trust.pdf"), ""))
    page.report_button.click()
    qtbot.waitUntil(lambda: "Wrote" in page.status.text(), timeout=20_000)
    assert (tmp_path / "trust.pdf").exists() and (tmp_path / "trust.csv").exists()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    chosen[0] = [str(export), str(bogus)]
    page.report_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "bogus.zip" in shown[0] and "Traceback" not in shown[0]
