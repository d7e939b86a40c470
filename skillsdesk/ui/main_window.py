"""The main window: navigation between the areas, app-wide menus, remembered layout."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from skillsdesk.domain.permissions import role_label
from skillsdesk.i18n import _
from skillsdesk.services.container import Services
from skillsdesk.ui import prompts
from skillsdesk.ui.lock import IdleWatcher, LockPage, SetPinDialog, SwitchDialog
from skillsdesk.ui.pages import PageEntry, build_pages
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.session import DeskSession
from skillsdesk.ui.tasks import TaskRunner
from skillsdesk.ui.window_actions import WindowActions

log = logging.getLogger(__name__)
# The school's name as the sign-in window shows it (app.open_school): kept in window.ini beside
# the database, since the database's own copy is encrypted. It names the school, no pupil.
SCHOOL_KEY = "desk/school"
AUTO_BACKUP_MS = 5 * 60 * 1000  # how often the window asks whether a backup is due


class MainWindow(WindowActions, QMainWindow):
    """Navigation on the left, one page per area on the right, app-wide menus on top."""

    def __init__(self, services: Services, settings: QSettings, tasks: TaskRunner,
                 pages: list[PageEntry] | None = None) -> None:
        super().__init__()
        self._services = services
        self._settings = settings
        self._tasks = tasks
        self._year = services.school.current_year()
        self.undo_stack = QUndoStack(self)
        self.session = DeskSession()
        # Only the first page (the class grid) is built and filled now; the others are built
        # when first shown (ui/pages/__init__.py), which keeps start-up short.
        self.pages = pages if pages is not None else build_pages(
            services, tasks, undo=self.undo_stack, session=self.session)
        first = self.pages[0].widget
        current = getattr(first, "current_framework", None)  # the grid has just read it
        self._framework = current() if current is not None else services.frameworks.current()
        self._school_name = services.school.name()
        self._layout_kept = False  # the class grid's layout was saved when the desk locked
        self._build()
        self._restore()
        self._show_school()
        # The keyboard starts in the class grid (J1: arrows, Enter to record), not in the
        # navigation list seven Tabs away; given now, it takes effect as the window activates.
        grid = getattr(first, "table", None)
        if grid is not None:
            grid.setFocus()
        # Once the window is up: a note left half typed when SkillsDesk closed (G5).
        QTimer.singleShot(0, self, self.offer_draft)
        self.draft_timer: QTimer | None = None
        self._offer_after_check()

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(120)
        self.nav.setMaximumWidth(220)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 14px; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        for index, page in enumerate(self.pages):
            self.nav.addItem(QListWidgetItem(page.title))
            # A page not built yet holds its place with an empty widget (see _place).
            self.stack.addWidget(page.widget if page.built else QWidget())
            shortcut = QShortcut(QKeySequence(f"Alt+{index + 1}"), self)
            shortcut.activated.connect(lambda row=index: None if self.nav.isRowHidden(row)
                                       else self.nav.setCurrentRow(row))
        self.nav.currentRowChanged.connect(self._on_page_chosen)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([160, 1100])
        self.outer = QStackedWidget()
        self.outer.addWidget(self.splitter)
        self.lock_page = LockPage(self._services.accounts, self._school_name or "")
        self.lock_page.unlocked.connect(self._on_unlocked)
        self.outer.addWidget(self.lock_page)
        self.setCentralWidget(self.outer)
        self._menus()
        self._staff_chooser()
        self._security()
        self._backup_timer()
        for page in self.pages:
            if page.built:  # the others are hooked up when built (_place)
                self._hook_page(page.key, page.widget)
        self.nav.setCurrentRow(0)
        self.apply_role()

    def _staff_chooser(self) -> None:
        """'Recording as': whose name goes on observations until staff sign in themselves."""
        self.recording_as = accessible(QComboBox(), _("Recording as"))
        self.recording_as.addItem(_("(choose yourself)"), None)
        for person in self._services.school.staff():
            self.recording_as.addItem(f"{person.name} ({person.login})", person)
        remembered = self._settings.value("desk/recording_as")
        for index in range(self.recording_as.count()):
            person = self.recording_as.itemData(index)
            if person is not None and person.login == remembered:
                self.recording_as.setCurrentIndex(index)
                self.session.set_staff(person)
        self.recording_as.currentIndexChanged.connect(self._on_staff_chosen)
        self.recording_as_label = QLabel(_("Recording as"))
        self.statusBar().addPermanentWidget(self.recording_as_label)
        self.statusBar().addPermanentWidget(self.recording_as)

    def _security(self) -> None:
        """Signed-in schools: who is at the desk, PIN switching, and locking when idle."""
        encrypted = self._services.accounts.encrypted
        for action in (self.lock_action, self.switch_action, self.pin_action):
            action.setEnabled(encrypted)
        actor = self._services.context.actor
        self.signed_in = QLabel()
        self.statusBar().addPermanentWidget(self.signed_in)
        if actor is not None:
            self.recording_as.hide()
            self.recording_as_label.hide()
            self._show_actor(actor)
        if encrypted:
            # The school's setting; a per-laptop value in the window settings wins (tests use it).
            minutes = float(self._settings.value("desk/lock_minutes",
                                                 self._services.settings.get().lock_minutes))
            self.idle = IdleWatcher(minutes, self)
            self.idle.idle.connect(self.lock)
            QApplication.instance().installEventFilter(self.idle)
            from skillsdesk.ui.session_watch import SessionWatcher

            self.session_watch = SessionWatcher(self)  # the OS session locks, or sleep
            self.session_watch.locked.connect(self.lock)
            self.session_watch.start()
        self.password_action.setEnabled(encrypted and actor is not None)

    def _show_actor(self, actor: Any) -> None:
        staff = next((p for p in self._services.school.staff() if p.id == actor.staff_id), None)
        self.session.set_staff(staff)
        self.signed_in.setText(_("Signed in as {name} ({role})").format(
            name=actor.name, role=role_label(actor.role)))
        self.apply_role()

    def apply_role(self) -> None:
        """Hide or disable what the member of staff at the desk may not do (DESIGN.md §8).

        Only a courtesy: the services refuse it anyway. Pages name what they are for in
        ``REQUIRES`` (ui/pages/__init__.py); a page hides its own finer controls. Called again
        whenever someone else signs in or switches in.
        """
        can = self._services.context.can
        for row, page in enumerate(self.pages):
            self.nav.setRowHidden(row, bool(page.requires)
                                  and not any(can(action) for action in page.requires))
        if self.nav.currentRow() >= 0 and self.nav.isRowHidden(self.nav.currentRow()):
            self.nav.setCurrentRow(0)
        for action in (self.import_pupils_action, self.import_obs_action,
                       self.import_framework_action):
            action.setVisible(can("import"))
            action.setEnabled(can("import"))
        # Lunchtime supervisors record in lunchtime mode (View ▸ Lunchtime mode), which is open
        # to everyone; the class grid's Record would record in another setting.
        self.record_action.setEnabled(can("observation.record"))
        for page in self.pages:
            if page.key == "classes" and page.built:  # one built later gets it in _hook_page
                apply = getattr(page.widget, "apply_role", None)
                if apply is not None:
                    apply()

    @property
    def locked(self) -> bool:
        return self.outer.currentWidget() is self.lock_page

    def lock(self) -> None:
        """Hide everything: no pupil data shows until someone types their password.

        Hiding is not enough (RELIABILITY.md G15): the built pages, dialogs, undo texts and
        status message would still hold pupils' names in the widget tree. So the lock closes
        and deletes them, and whoever unlocks gets pages built afresh for their own role.
        """
        if not self._services.accounts.encrypted or self.locked:
            return
        self.outer.setCurrentWidget(self.lock_page)
        self.menuBar().setEnabled(False)
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible() and isinstance(widget, QDialog):
                widget.reject()
        lunchtime, self._lunchtime = getattr(self, "_lunchtime", None), None
        if lunchtime is not None:
            if lunchtime.isVisible():
                lunchtime.leave()
            lunchtime.deleteLater()
        # Let work already running finish (a save, a refresh) and hand its results to the
        # pages and the undo stack now, while they are still there, not after the teardown.
        self._tasks.wait(5000)
        QCoreApplication.sendPostedEvents()
        # A different person may unlock: undoing someone else's change across the lock would
        # be wrong (and the stack's texts may name pupils), so the history goes.
        self.undo_stack.clear()
        self._tear_down()
        self.statusBar().clearMessage()
        actor = self._services.context.actor
        self.lock_page.prepare(actor.login if actor else "")

    def _tear_down(self) -> None:
        """Delete every built page and every dialog of the window; the pages are built again
        when next shown. Deleted from the event loop (deleteLater), as the lock may come while
        a page's dialog is open and its code is still running."""
        for dialog in self.findChildren(QDialog):
            if not isinstance(dialog, QProgressDialog):  # the task runner closes its own
                dialog.deleteLater()
        current = self.stack.currentIndex()
        for row, page in enumerate(self.pages):
            if page.key == "classes" and page.built and hasattr(page.widget, "save_layout"):
                page.widget.save_layout(self._settings)  # the next grid gets the same columns
                self._layout_kept = True
            old = page.reset()
            if old is None:
                continue
            holder = QWidget()
            self.stack.insertWidget(row, holder)
            self.stack.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.stack.setCurrentIndex(current)
        # Widgets Python still owns through a deleted dialog (one never put in a layout) go
        # with the next collection; ask for it once the deletions above have run.
        QTimer.singleShot(0, self, gc.collect)

    def _on_unlocked(self, actor: Any) -> None:
        self.undo_stack.clear()  # anything a late save pushed while the desk was locked
        self.outer.setCurrentWidget(self.splitter)
        self.menuBar().setEnabled(True)
        self._show_actor(actor)  # their role: the navigation, and the class grid built for them
        self.reload()  # the page in view, built for them
        self.offer_draft()  # a note the lock closed mid-typing, if it was this person's

    def _on_switch(self) -> None:
        dialog = SwitchDialog(self._services.accounts, self)
        if prompts.run(dialog) == QDialog.DialogCode.Accepted and dialog.actor is not None:
            self._show_actor(dialog.actor)
            self.reload()  # their own classes and pupils (services/scoping.py)

    def _on_set_pin(self) -> None:
        dialog = SetPinDialog(self)  # typed twice, checked as it is typed
        if prompts.run(dialog) == QDialog.DialogCode.Accepted:
            pin = dialog.value()
            self._tasks.run(lambda: self._services.accounts.set_own_pin(pin),
                            lambda _none: self.statusBar().showMessage(_("PIN saved."), 5000),
                            self.show_error)

    def _on_change_password(self) -> None:
        from skillsdesk.ui.passwords import ChangePasswordDialog

        actor = self._services.context.actor
        if actor is None:
            return
        dialog = ChangePasswordDialog(self._services.accounts, actor.login, actor.name, self)
        if prompts.run(dialog) == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(_("Your password is changed."), 5000)

    def _on_staff_chosen(self) -> None:
        person = self.recording_as.currentData()
        self.session.set_staff(person)
        self._settings.setValue("desk/recording_as", person.login if person else "")

    def page(self, key: str) -> Any:
        return self._place(next(i for i, p in enumerate(self.pages) if p.key == key))

    def _place(self, row: int) -> QWidget:
        """The page at ``row``, built if need be and put in its place in the stack."""
        widget = self.pages[row].widget
        holder = self.stack.widget(row)
        if holder is not widget:
            current = self.stack.currentIndex()
            self.stack.insertWidget(row, widget)
            self.stack.removeWidget(holder)
            holder.deleteLater()
            self.stack.setCurrentIndex(current)
            self._hook_page(self.pages[row].key, widget)
        return widget

    def _hook_page(self, key: str, widget: QWidget) -> None:
        """Connect a page just built (at start, or again after the lock tore it down)."""
        if key in ("classes", "pupils"):
            widget.open_profile = self.open_profile  # type: ignore[attr-defined]
        if key == "classes":
            if self._layout_kept and hasattr(widget, "restore_layout"):
                widget.restore_layout(self._settings)
            apply = getattr(widget, "apply_role", None)
            if apply is not None:
                apply()

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(next(i for i, p in enumerate(self.pages) if p.key == key))

    def _on_page_chosen(self, row: int) -> None:
        if row < 0 or self.locked:  # built when someone unlocks (Alt+number while locked)
            return
        widget = self._place(row)
        self.stack.setCurrentIndex(row)
        refresh = getattr(widget, "refresh", None)
        if refresh is not None and self.isVisible():
            refresh()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.import_pupils_action = self._action(_("Import &pupils…"), self._on_import_pupils,
                                                 "Ctrl+I")
        self.import_obs_action = self._action(_("Import &observations…"),
                                              self._on_import_observations)
        self.import_framework_action = self._action(_("Import &framework…"),
                                                    self._on_import_framework)
        self.export_framework_action = self._action(_("&Export current framework…"),
                                                    self._on_export_framework)
        for action in (self.import_pupils_action, self.import_obs_action,
                       self.import_framework_action, self.export_framework_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.lock_action = self._action(_("&Lock now"), self.lock, "Ctrl+Shift+L")
        self.switch_action = self._action(_("&Switch user…"), self._on_switch, "Ctrl+Shift+U")
        self.pin_action = self._action(_("Set my &PIN…"), self._on_set_pin)
        for action in (self.lock_action, self.switch_action, self.pin_action):
            file_menu.addAction(action)
        self.password_action = self._action(_("Change my pass&word…"), self._on_change_password)
        file_menu.addAction(self.password_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit))
        edit_menu = self.menuBar().addMenu(_("&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)  # every platform binding
        self.redo_action = self.undo_stack.createRedoAction(self, _("&Redo"))
        # The platform's own Redo first, then both common spellings (the issue promises both).
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        for extra in ("Ctrl+Shift+Z", "Ctrl+Y"):
            if QKeySequence(extra) not in redo_keys:
                redo_keys.append(QKeySequence(extra))
        self.redo_action.setShortcuts(redo_keys)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.record_action = self._action(_("&Record observation…"), self._on_record)
        edit_menu.addAction(self.record_action)
        view_menu = self.menuBar().addMenu(_("&View"))
        self.find_action = self._action(_("&Find pupil"), self._on_find,
                                        QKeySequence.StandardKey.Find)
        view_menu.addAction(self.find_action)
        self.search_action = self._action(_("&Search for a pupil…"), self.open_search, "Ctrl+K")
        view_menu.addAction(self.search_action)
        self.lunchtime_action = self._action(_("&Lunchtime mode"), self.open_lunchtime, "Ctrl+L")
        view_menu.addAction(self.lunchtime_action)
        view_menu.addAction(self._action(_("&Refresh"), self.reload,
                                         QKeySequence.StandardKey.Refresh))
        help_menu = self.menuBar().addMenu(_("&Help"))
        self.about_action = self._action(_("&About SkillsDesk"), self._on_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # all of the platform's keys for it, not just the first
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def reload(self) -> None:
        """Read the school again and refresh the page in view (the others refresh when shown)."""
        if self.locked:
            return
        self._school_name = self._services.school.name()
        self._show_school()
        row = self.nav.currentRow()
        refresh = getattr(self._place(row), "refresh", None) if row >= 0 else None
        if refresh is not None:
            refresh()

    def _show_school(self) -> None:
        if self._school_name:  # the sign-in window names the school before the data is open
            self._settings.setValue(SCHOOL_KEY, self._school_name)
        school = self._school_name or _("Your school")
        self.setWindowTitle(_("{school} — SkillsDesk").format(school=school))
        self.statusBar().showMessage(_("{school}  ·  {year}  ·  {framework}").format(
            school=school, year=self._year, framework=self._framework.name))

    # -- actions ------------------------------------------------------------------------------
    def offer_draft(self) -> None:
        """Offer the person at the desk the note they were typing when SkillsDesk closed."""
        if self.locked or not any(p.key == "classes" for p in self.pages):
            return
        self.page("classes").offer_draft()

    def _offer_after_check(self) -> None:
        """Offer drafts again once the start-up check beside the store has passed.

        After a restore, what was being typed when the last window closed (or a save the check
        refused) becomes a draft only once the new check passes (``app._keep_drafts`` queues the
        write behind it, before this window is built), so the offer made as the window opened
        found nothing. A mark queued behind those writes says when they are done; the window
        then offers as soon as nobody is in the middle of something (no dialog open, no write
        still running, not locked), rather than at the next Record."""
        store = getattr(self._services, "store", None)
        gate = getattr(store, "gate", None)
        if gate is None or gate.settled:
            return
        written = threading.Event()
        try:
            store.after_check(written.set)  # runs on the check's thread, after the drafts
        except Exception:  # the check failed already: the window is closing to offer a backup
            return
        timer = self.draft_timer = QTimer(self)
        timer.setInterval(100)

        def poll() -> None:
            if gate.error is not None:  # never written: the window closes to offer a backup
                timer.stop()
            elif (written.is_set() and not self.locked
                  and QApplication.activeModalWidget() is None and self._tasks.wait(0)):
                timer.stop()
                self.offer_draft()

        timer.timeout.connect(poll)
        timer.start()

    def _on_record(self) -> None:
        if self.locked:
            return
        self.show_page("classes")
        self.page("classes").record_selection()

    def open_profile(self, pupil_id: Any) -> None:
        from skillsdesk.ui.profile import ProfileDialog

        if self.locked:
            return
        dialog = ProfileDialog(self._services, pupil_id, self._tasks, self.undo_stack,
                               self.session, self.page("classes").current_framework(), self)
        dialog.changed.connect(self.page("classes").refresh_pupils)
        prompts.run(dialog)

    def open_search(self) -> None:
        from skillsdesk.ui.search import SearchDialog

        if self.locked:
            return
        dialog = SearchDialog(self._services.school, self, names_only=not self._services.context
                              .can("pupil.see_sensitive"))
        chosen = dialog.chosen if prompts.run(dialog) else None
        dialog.deleteLater()  # it holds every pupil's name: not kept once closed
        if chosen is not None:
            self.open_profile(chosen.id)

    def open_lunchtime(self) -> None:
        from skillsdesk.ui.lunchtime import LunchtimeWindow

        if self.locked:
            return
        self._lunchtime = LunchtimeWindow(self._services, self._tasks, self.session)
        self._lunchtime.closed.connect(self._after_lunchtime)
        self._lunchtime.start()

    def _after_lunchtime(self) -> None:
        """Back from lunchtime mode: the grid shows what was recorded (not when locking)."""
        if not self.locked and self.pages[0].built:
            refresh = getattr(self.pages[0].widget, "refresh", None)
            if refresh is not None:
                refresh()

    def _on_find(self) -> None:
        if self.locked:
            return
        self.show_page("classes")
        self.page("classes").focus_filter()

    def show_error(self, exc: Exception) -> None:
        prompts.error(self, exc)

    # -- automatic backups (RELIABILITY.md G6) --------------------------------------------------
    def _backup_timer(self) -> None:
        """Every few minutes ask the backup service, which backs up only when something changed
        and the newest backup is 30 minutes old (never after a restore until a restart).

        The window owns the timer, not the Backups page: that page is built only when someone
        opens it and is torn down when the desk locks, and backups must go on regardless.
        """
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(AUTO_BACKUP_MS)
        self.backup_timer.timeout.connect(self.auto_backup)
        self.backup_timer.start()

    def auto_backup(self) -> None:
        """The timer's call: quiet when nothing is due, a line in the status bar when it fails."""
        def done(made: Any) -> None:
            entry = next((p for p in self.pages if p.key == "backups"), None)
            if made is not None and entry is not None and entry.built:
                entry.widget.refresh()

        def failed(exc: Exception) -> None:
            self.statusBar().showMessage(
                _("The automatic backup did not succeed: {reason}").format(
                    reason=getattr(exc, "message", None) or str(exc)), 60_000)

        self._tasks.run(self._services.backups.maybe_backup, done, failed)

    # -- window state -------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self._settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 720)
        splitter = self._settings.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        classes = self.pages[0].widget  # built at start: its list width, columns and sort
        if hasattr(classes, "restore_layout"):
            classes.restore_layout(self._settings)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if getattr(self, "idle", None) is not None:
            QApplication.instance().removeEventFilter(self.idle)
        if getattr(self, "session_watch", None) is not None:
            self.session_watch.stop()  # the OS hooks: D-Bus, the Windows filter, macOS observers
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/splitter", self.splitter.saveState())
        # Closed while locked: the grid is gone and its layout was saved when the lock came.
        if self.pages[0].built and hasattr(self.pages[0].widget, "save_layout"):
            self.pages[0].widget.save_layout(self._settings)
        self._tasks.wait()
        super().closeEvent(event)
