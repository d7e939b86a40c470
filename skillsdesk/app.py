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

    from skillsdesk.services.backups import acquire_instance_lock, location_warning

    try:
        # One SkillsDesk per data folder (RELIABILITY.md G10); the OS frees it if we are killed.
        lock = acquire_instance_lock(data_dir)
    except UserError as exc:
        QMessageBox.critical(None, _("SkillsDesk"), exc.message)
        return 1
    warning = location_warning(data_dir)
    if warning:
        QMessageBox.warning(None, _("SkillsDesk"), warning)

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

    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner

    try:
        services = open_school(data_dir, login="head" if demo else "")
    except (UserError, StorageError) as exc:
        QMessageBox.critical(None, _("SkillsDesk"), str(exc))
        return 1
    if services is None:  # the person closed the sign-in or set-up window
        lock.release()
        return 0
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner()
    window = MainWindow(services, settings, tasks)
    window.show()
    try:
        return app.exec()
    finally:
        tasks.wait()
        try:
            services.backups.on_exit()  # a clean exit backs up any change (G6)
        except (UserError, StorageError):
            log.exception("backup on exit failed")
        services.close()
        lock.release()


def open_school(data_dir: Path, login: str = "") -> Any:
    """Set up a new school, sign in to an encrypted one, or open a plain development store.

    Returns the services, or None when the person closed the window.
    """
    from skillsdesk.i18n import _
    from skillsdesk.services.signin import init_school, sign_in
    from skillsdesk.storage import vault
    from skillsdesk.ui import prompts
    from skillsdesk.ui.signin import FirstRunWizard, SignInDialog

    state = vault.folder_state(data_dir)
    if state == vault.NEW and not (data_dir / "backups").is_dir():
        wizard = FirstRunWizard(lambda school, admin, name, password: init_school(
            data_dir, school, admin, name, password))
        prompts.run(wizard)
        return wizard.services
    if state == vault.ENCRYPTED:
        dialog = SignInDialog(_("SkillsDesk"), lambda who, password: _recovering(
            data_dir, lambda: sign_in(data_dir, who, password), who, password), login)
        if prompts.run(dialog) != SignInDialog.DialogCode.Accepted:
            return None
        return dialog.result_value
    return _recovering(data_dir, lambda: _open_plain(data_dir))


def _open_plain(data_dir: Path) -> Any:
    from skillsdesk.services.container import open_services

    return open_services(data_dir)


def _recovering(data_dir: Path, opener: Any, login: str = "", password: str = "") -> Any:
    """Open the school; if its database was damaged, offer the newest verified backup (G7)."""
    from PySide6.QtWidgets import QMessageBox

    from skillsdesk.i18n import _
    from skillsdesk.services.backups import CorruptDatabase, restore_into
    from skillsdesk.storage import vault
    from skillsdesk.storage.keyslots import KeySlots

    try:
        return opener()
    except CorruptDatabase as exc:
        if exc.backup is None:
            raise
        answer = QMessageBox.question(None, _("SkillsDesk"), exc.message + "\n\n" + _(
            "Restore that backup now? The damaged file stays where it was moved."))
        if answer != QMessageBox.StandardButton.Yes:
            raise
        key = None
        if vault.keys_path(data_dir).exists():
            key = KeySlots.load(vault.keys_path(data_dir)).unlock(login, password)
        restore_into(data_dir, exc.backup.path, key=key)
    services = opener()
    services.backups.paused = True  # Anki's rule: no automatic backups until a restart
    return services


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
