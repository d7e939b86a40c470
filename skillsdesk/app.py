"""Composition root for the GUI: open the store, build the services, show the main window."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def run_gui(data_dir: Path, demo: bool = False) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

    from skillsdesk.domain.errors import UserError
    from skillsdesk.i18n import _
    from skillsdesk.storage.database import DB_FILE
    from skillsdesk.storage.engine import StorageError

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("SkillsDesk")
    app.setOrganizationName("SkillsDesk")
    _install_excepthook()

    if demo and not (data_dir / DB_FILE).exists():
        dialog = QProgressDialog(_("Building the demo school…"), "", 0, 0)
        dialog.setCancelButton(None)
        dialog.setWindowTitle(_("SkillsDesk"))
        dialog.setMinimumDuration(0)
        dialog.show()
        failure = _run_blocking_with_events(app, lambda: _build_demo(data_dir))
        dialog.close()
        if failure is not None:
            log.error("demo build failed", exc_info=failure)
            QMessageBox.critical(None, _("SkillsDesk"),
                                 _("The demo school could not be built. The details are in the log."))
            return 1

    from skillsdesk.services.container import open_services
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner

    try:
        services = open_services(data_dir)
    except (UserError, StorageError) as exc:
        QMessageBox.critical(None, _("SkillsDesk"), str(exc))
        return 1
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner()
    window = MainWindow(services, settings, tasks)
    window.show()
    try:
        return app.exec()
    finally:
        tasks.wait()
        services.close()


def _build_demo(data_dir: Path) -> None:
    from skillsdesk.services.demo import build_demo

    build_demo(data_dir)


def _run_blocking_with_events(app: Any, work: Any) -> BaseException | None:
    """Run ``work`` on a thread while the GUI keeps painting; return its exception, if any."""
    from PySide6.QtCore import QEventLoop, QTimer

    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            work()
            outcome.append(None)
        except BaseException as exc:  # reported to the caller
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if not thread.is_alive() else None)
    timer.start(50)
    loop.exec()
    timer.stop()
    return outcome[0] if outcome else None


def _install_excepthook() -> None:
    """Unexpected errors in slots are logged and shown as a sentence, never a traceback."""
    def hook(kind: Any, value: Any, trace: Any) -> None:
        log.error("unexpected error", exc_info=(kind, value, trace))
        try:
            from PySide6.QtWidgets import QMessageBox

            from skillsdesk.i18n import _

            QMessageBox.warning(None, _("SkillsDesk"), _(
                "Something went wrong. Your saved work is safe; the details are in the log."))
        except Exception:  # the dialog itself failed: the log has what matters
            pass

    sys.excepthook = hook
