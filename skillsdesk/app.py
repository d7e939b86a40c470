"""Composition root for the GUI: open the store, build the services, show the main window.

Start-up order (DESIGN.md §9, STACK.md §10): SQLAlchemy, SQLModel and the services take longer to
import than Qt takes to show a window, so nothing here imports them before the first window a
person sees. An encrypted school shows its sign-in dialog first and imports the rest on a
thread while the password is typed; a plain (development) store runs its start-up check
(``PRAGMA quick_check``, RELIABILITY.md G7) on a thread while the main thread imports, since
SQLite runs the check without holding Python's lock.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# The two file names decide which window comes first; the storage modules that own them import
# SQLAlchemy, so they are repeated here (tests/ui/test_app_startup.py checks they agree).
DB_FILE = "skillsdesk.db"
KEYS_FILE = "skillsdesk.keys"

# Imported on a thread while the sign-in dialog waits for a password.
WARM_IMPORTS = ("skillsdesk.services.signin", "skillsdesk.ui.main_window",
                "skillsdesk.ui.tasks", "skillsdesk.ui.pages.classes")


class Background:
    """One call on a daemon thread; ``result()`` waits for it and re-raises what it raised."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._work = work
        self._outcome: list[Any] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self._outcome.append((True, self._work()))
        except BaseException as exc:  # handed to whoever waits for the result
            self._outcome.append((False, exc))

    def start(self) -> Background:
        if not self._thread.is_alive() and not self._outcome:
            self._thread.start()
        return self

    def result(self) -> Any:
        self.start()
        self._thread.join()
        ok, value = self._outcome[0]
        if not ok:
            raise value
        return value


def looks_encrypted(data_dir: Path) -> bool:
    """The folder holds an encrypted school (vault.folder_state's ENCRYPTED, without its
    imports): a key file beside a non-empty database."""
    db = data_dir / DB_FILE
    return (data_dir / KEYS_FILE).exists() and db.exists() and db.stat().st_size > 0


def warm_imports() -> None:
    import importlib

    for name in WARM_IMPORTS:
        importlib.import_module(name)


def start_check(data_dir: Path) -> Background | None:
    """Start a plain store's start-up check on a thread (the caller holds the folder's lock)."""
    db = data_dir / DB_FILE
    if looks_encrypted(data_dir) or not (db.exists() and db.stat().st_size > 0):
        return None  # an encrypted check needs the key; a new folder has nothing to check

    def check() -> None:
        from skillsdesk.services.backups import check_folder

        check_folder(data_dir)

    return Background(check).start()


def _is_storage_error(exc: BaseException) -> bool:
    from skillsdesk.domain.errors import UserError
    from skillsdesk.storage.engine import StorageError  # imports SQLAlchemy: only on failure

    return isinstance(exc, (UserError, StorageError))


def run_gui(data_dir: Path, demo: bool = False) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

    from skillsdesk.domain.errors import UserError
    from skillsdesk.i18n import _
    from skillsdesk.storage.instance import acquire_instance_lock, location_warning

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("SkillsDesk")
    app.setOrganizationName("SkillsDesk")
    _install_excepthook()

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

    try:
        services = open_school(data_dir, login="head" if demo else "",
                               check=start_check(data_dir))
    except Exception as exc:
        if not _is_storage_error(exc):
            raise
        QMessageBox.critical(None, _("SkillsDesk"), str(exc))
        return 1
    if services is None:  # the person closed the sign-in or set-up window
        lock.release()
        return 0
    from skillsdesk.domain.errors import UserError
    from skillsdesk.storage.engine import StorageError
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner

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


def open_school(data_dir: Path, login: str = "", check: Background | None = None) -> Any:
    """Set up a new school, sign in to an encrypted one, or open a plain development store.

    Returns the services, or None when the person closed the window. ``check``: a plain store's
    start-up check already running (``start_check``).
    """
    from skillsdesk.i18n import _
    from skillsdesk.ui import prompts

    if looks_encrypted(data_dir):
        from PySide6.QtCore import QTimer

        from skillsdesk.ui.signin import SignInDialog

        def attempt(who: str, password: str) -> Any:
            from skillsdesk.services.signin import sign_in

            return _recovering(data_dir, lambda: sign_in(data_dir, who, password), who, password)

        def recover(key: str, who: str, password: str) -> Any:
            from skillsdesk.services.signin import reset_with_recovery

            return reset_with_recovery(data_dir, key, who, password)

        dialog = SignInDialog(_("SkillsDesk"), attempt, login, recover=recover)
        # Once the dialog is up, import the rest while the person types (a few seconds).
        QTimer.singleShot(0, Background(warm_imports).start)
        if prompts.run(dialog) != SignInDialog.DialogCode.Accepted:
            return None
        return dialog.result_value

    from skillsdesk.services.signin import init_school
    from skillsdesk.storage import vault
    from skillsdesk.ui.signin import FirstRunWizard

    state = vault.folder_state(data_dir)
    if state == vault.NEW and not (data_dir / "backups").is_dir():
        wizard = FirstRunWizard(lambda school, admin, name, password: init_school(
            data_dir, school, admin, name, password))
        prompts.run(wizard)
        return wizard.services
    pending = [check.result] if check is not None else []
    # The check made on the thread counts once: after a restore the opener checks afresh.
    return _recovering(data_dir, lambda: _open_plain(data_dir, pending.pop() if pending else None))


def _open_plain(data_dir: Path, checked: Callable[[], None] | None = None) -> Any:
    from skillsdesk.services.container import open_services

    return open_services(data_dir, checked=checked)


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
