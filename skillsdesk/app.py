"""Composition root for the GUI: open the store, build the services, show the main window.

Start-up order (DESIGN.md §9, STACK.md §10): SQLAlchemy, SQLModel and the services take longer to
import than Qt takes to show a window, so nothing here imports them before the first window a
person sees. An encrypted school shows its sign-in dialog first and imports the rest on a
thread while the password is typed; a plain (development) store runs its start-up check
(``PRAGMA quick_check``, RELIABILITY.md G7) on a thread while the main thread imports, since
SQLite runs the check without holding Python's lock.

After Sign in, the encrypted school's ``quick_check`` (seconds on a big school) runs beside the
open window: every write waits for it (``Store.check_beside``). If it finds damage, the window
closes, the untouched database is moved aside and the newest verified backup offered, and what
was being typed in a record dialog is kept as a draft for after the restore.
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

# Imported on a thread while the sign-in dialog waits for a password: everything the main
# window imports on its way to the filled class grid (tests/ui/test_app_startup.py checks that
# nothing is left), the page modules too (the window reads each one's title and permissions).
WARM_IMPORTS = ("skillsdesk.services.signin", "skillsdesk.ui.main_window",
                "skillsdesk.ui.tasks", "skillsdesk.ui.search", "skillsdesk.ui.undo",
                "skillsdesk.ui.session_watch")


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


def school_shown(data_dir: Path) -> str:
    """The heading of the sign-in window: the school's name as the last window kept it in
    window.ini (ui/main_window.SCHOOL_KEY; the database's copy is encrypted), else SkillsDesk."""
    from PySide6.QtCore import QSettings

    from skillsdesk.i18n import _

    name = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat).value(
        "desk/school", "")
    return str(name) if name else _("SkillsDesk")


def looks_encrypted(data_dir: Path) -> bool:
    """The folder holds an encrypted school (vault.folder_state's ENCRYPTED, without its
    imports): a key file beside a non-empty database."""
    db = data_dir / DB_FILE
    return (data_dir / KEYS_FILE).exists() and db.exists() and db.stat().st_size > 0


def warm_imports() -> None:
    import importlib

    for name in WARM_IMPORTS:
        importlib.import_module(name)
    from skillsdesk.ui.pages import PAGE_MODULES

    for name in PAGE_MODULES:
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
            QMessageBox.critical(None, _("SkillsDesk"), _(
                "The demo school could not be built. The details are in the log."))
            return 1

    check = start_check(data_dir)
    carried: list[tuple[Any, str, dict[str, Any]]] = []
    while True:
        try:
            services = open_school(data_dir, login="head" if demo else "", check=check)
        except Exception as exc:
            if not _is_storage_error(exc):
                raise
            QMessageBox.critical(None, _("SkillsDesk"), str(exc))
            return 1
        if services is None:  # the person closed the sign-in or set-up window
            lock.release()
            return 0
        check = None  # after a restore the opener checks afresh
        if carried:  # what was typed when the last window closed, kept as drafts again
            _keep_drafts(services, carried)
            services.backups.paused = True  # a restore was just made: Anki's rule
        code, damage, carried, key = _show_main_window(app, data_dir, services)
        if damage is None:
            lock.release()
            return code
        try:
            _restore_after_damage(data_dir, damage, key)
        except Exception as exc:
            if not _is_storage_error(exc):
                raise
            QMessageBox.critical(None, _("SkillsDesk"), str(exc))
            lock.release()
            return 1


# The window closed because the check beside the open store found damage.
DAMAGED_EXIT = 70


def _show_main_window(app: Any, data_dir: Path, services: Any
                      ) -> tuple[int, BaseException | None, list[Any], bytes | None]:
    """Run the main window until it closes; returns its exit code, the start-up check's error
    when that check (beside the open store) found damage, what was typed in open record
    dialogs then and in saves it refused (staff id, note, choices) to keep as drafts after a
    restore, and (only then)
    the school's data key, which the restore needs to read the backup."""
    from PySide6.QtCore import QSettings, QTimer

    from skillsdesk.domain.errors import UserError
    from skillsdesk.storage.engine import StorageError
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.tasks import TaskRunner

    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner()
    window = MainWindow(services, settings, tasks)
    window.show()
    if services.store.gate is not None:  # the check beside the store starts once it has painted
        QTimer.singleShot(0, services.store.gate.begin)
    damage: list[BaseException] = []
    typed: list[Any] = []
    watch = watch_check(services.store.gate, lambda error: (
        damage.append(error), typed.extend(_typed_drafts(app, window)), app.closeAllWindows(),
        app.exit(DAMAGED_EXIT)))
    try:
        code = app.exec()
    finally:
        if watch is not None:
            watch.stop()
        tasks.wait()
        if not damage:
            try:
                services.backups.on_exit()  # a clean exit backs up any change (G6)
            except (UserError, StorageError):
                log.exception("backup on exit failed")
        key = services.unlocked.data_key if services.unlocked is not None else None
        services.close()  # waits for a check still running beside the store
        gate = services.store.gate
        if not damage and gate is not None and gate.error is not None:
            damage.append(gate.error)  # it failed as the window was closing
            typed.extend(_typed_drafts(app, window))  # saves it refused (dialogs closed)
    if not damage:
        return code, None, [], None
    return code, damage[0], typed, key


def watch_check(gate: Any, on_damage: Callable[[BaseException], None]) -> Any:
    """Poll the start-up check running beside the open store (``Store.check_beside``) from the
    GUI thread; ``on_damage(error)`` runs there once if it fails. Returns the timer (or None)."""
    if gate is None:
        return None
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setInterval(100)

    def poll() -> None:
        if not gate.settled:
            return
        timer.stop()
        if gate.error is not None:
            on_damage(gate.error)

    timer.timeout.connect(poll)
    timer.start()  # its first look comes from inside app.exec(), so app.exit() is heard
    return timer


def _typed_drafts(app: Any, window: Any) -> list[tuple[Any, str, dict[str, Any]]]:
    """The note and choices of every save made in ``window`` (the grid, a profile) and not
    yet stored, which the check refuses, and of every open record dialog, with whose draft it
    is. One draft a person: the open dialog's comes last, so it is the one kept."""
    from skillsdesk.ui.record_dialog import RecordDialog
    from skillsdesk.ui.record_flow import PendingSave

    found = []
    for holder in [*window.findChildren(PendingSave), *app.topLevelWidgets()]:
        if isinstance(holder, PendingSave) or (isinstance(holder, RecordDialog)
                                               and holder.isVisible()):
            kept = holder.kept_draft()
            if kept is not None and kept[1].strip():
                found.append(kept)
    return found


def _keep_drafts(services: Any, carried: list[tuple[Any, str, dict[str, Any]]]) -> None:
    for staff_id, text, context in carried:
        services.store.after_check(
            lambda staff_id=staff_id, text=text, context=context: services.drafts.save(
                staff_id, text, context))


def _restore_after_damage(data_dir: Path, damage: BaseException, key: bytes | None) -> None:
    """The check beside the open store found damage and the store is closed (nothing was
    written to it): move it aside and offer the newest verified backup, as at start-up (G7).
    Returns when it was restored (the caller opens the school again, with a new sign-in);
    raises ``CorruptDatabase`` when there is none or the person said no."""
    from PySide6.QtWidgets import QMessageBox

    from skillsdesk.i18n import _
    from skillsdesk.services.backups import CorruptDatabase, restore_into, set_aside

    if not isinstance(damage, CorruptDatabase):
        raise damage
    error = set_aside(damage)
    if error.backup is None:
        raise error
    answer = QMessageBox.question(None, _("SkillsDesk"), error.message + "\n\n" + _(
        "Restore that backup now? The damaged file stays where it was moved."))
    if answer != QMessageBox.StandardButton.Yes:
        raise error
    restore_into(data_dir, error.backup.path, key=key)


def open_school(data_dir: Path, login: str = "", check: Background | None = None) -> Any:
    """Set up a new school, sign in to an encrypted one, or open a plain development store.

    Returns the services, or None when the person closed the window. ``check``: a plain store's
    start-up check already running (``start_check``).
    """
    from skillsdesk.ui import prompts

    if looks_encrypted(data_dir):
        from PySide6.QtCore import QTimer

        from skillsdesk.ui.signin import SignInDialog

        def attempt(who: str, password: str) -> Any:
            from skillsdesk.services.signin import sign_in

            # The start-up check runs beside the open store: writes wait for it (app holds
            # the folder's lock; without it, open_store checks first as before).
            return _recovering(data_dir, lambda: sign_in(data_dir, who, password,
                                                         check_beside=True), who, password)

        def recover(key: str, who: str, password: str) -> Any:
            from skillsdesk.services.signin import reset_with_recovery

            return reset_with_recovery(data_dir, key, who, password)

        dialog = SignInDialog(school_shown(data_dir), attempt, login, recover=recover)
        # Once the dialog is up, import the rest while the person types (a few seconds).
        QTimer.singleShot(0, Background(warm_imports).start)
        if prompts.run(dialog) != SignInDialog.DialogCode.Accepted:
            return None
        return dialog.result_value

    from skillsdesk.services.signin import init_school
    from skillsdesk.storage import vault
    from skillsdesk.ui.first_run import FirstRunWizard

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
