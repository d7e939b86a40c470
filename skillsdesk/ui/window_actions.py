"""The main window's File and Help actions: importing pupils, observations and frameworks (a
background check and a preview first), exporting the current framework, and the About box.

A mixin of ``MainWindow`` (ui/main_window.py), which owns the services, the task runner, the
status bar, ``reload`` and ``show_error`` these use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from skillsdesk import __version__
from skillsdesk.i18n import _
from skillsdesk.ui import prompts

SPREADSHEETS = "Spreadsheets (*.csv *.txt *.tsv *.xlsx);;All files (*)"


class WindowActions:
    """File ▸ Import…, File ▸ Export current framework…, Help ▸ About."""

    _services: Any
    _tasks: Any
    _framework: Any

    def _on_about(self) -> None:
        from html import escape

        folder = str(self._services.store.path.parent)
        kept = (_("Everything stays on this computer, encrypted: nothing leaves it unless "
                  "someone exports or prints it.") if self._services.accounts.encrypted
                else _("Everything stays on this computer: nothing leaves it unless someone "
                       "exports or prints it. This data folder is not encrypted."))
        box = QMessageBox(QMessageBox.Icon.Information, _("About SkillsDesk"), _(
            "<h3>SkillsDesk {version}</h3><p>Track primary pupils' essential skills, offline. "
            "{kept}</p><p>Data folder in use:<br><code>{folder}</code></p><p>Free software "
            "under the GNU General Public License, version 3 or later (GPL-3.0-or-later); "
            "the LICENSE file that comes with SkillsDesk has the full text.</p>").format(
            version=__version__, kept=escape(kept), folder=escape(folder)),
            QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = box.addButton(_("&Copy folder path"), QMessageBox.ButtonRole.ActionRole)
        prompts.run(box)  # through the seam, so a test never blocks on it
        if box.clickedButton() is copy:
            QApplication.clipboard().setText(folder)
            self.statusBar().showMessage(_("Copied the data folder's path."), 5000)

    def _ask_file(self, title: str) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(self, title, str(Path.home()), SPREADSHEETS)
        return Path(name) if name else None

    def _on_import_pupils(self) -> None:
        path = self._ask_file(_("Import pupils"))
        if path is not None:
            self.import_with_preview(
                _("Import pupils"),
                lambda: self._services.pupils.import_file(path, dry_run=True),
                lambda: self._services.pupils.import_file(path))

    def _on_import_observations(self) -> None:
        path = self._ask_file(_("Import observations"))
        if path is not None:
            self.import_with_preview(
                _("Import observations"),
                lambda: self._services.observations.import_file(path, dry_run=True),
                lambda: self._services.observations.import_file(path))

    def import_with_preview(self, title: str, preview: Callable[[], Any],
                            apply: Callable[[], Any]) -> None:
        """Check the file in the background, show what would change, then apply on request."""
        def previewed(report: Any) -> None:
            box = QMessageBox(QMessageBox.Icon.Question, title, report.lines()[0], parent=self)
            box.setDetailedText("\n".join(report.lines()[1:]))
            box.setStandardButtons(QMessageBox.StandardButton.Ok
                                   | QMessageBox.StandardButton.Cancel)
            box.button(QMessageBox.StandardButton.Ok).setText(_("Import"))
            if prompts.run(box) == QMessageBox.StandardButton.Ok:
                self._tasks.run(lambda _progress: apply(), applied, self.show_error,
                                label=_("Importing…"), parent=self)

        def applied(report: Any) -> None:
            self.statusBar().showMessage(report.lines()[0], 10_000)
            self.reload()

        self._tasks.run(lambda _progress: preview(), previewed, self.show_error,
                        label=_("Checking the file…"), parent=self)

    def _on_import_framework(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import framework"), str(Path.home()), "TOML (*.toml)")
        if name:
            self._tasks.run(lambda: self._services.frameworks.import_file(Path(name)),
                            lambda s: self.statusBar().showMessage(
                                _("Imported {name}: {skills} skills.").format(
                                    name=s.name, skills=s.skills), 10_000),
                            self.show_error)

    def _on_export_framework(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export framework"), str(Path.home() / f"{self._framework.code}.toml"),
            "TOML (*.toml)")
        if name:
            code = self._framework.code
            self._tasks.run(lambda: self._services.frameworks.export(code, Path(name)),
                            lambda p: self.statusBar().showMessage(
                                _("Wrote {file}.").format(file=p), 10_000),
                            self.show_error)
