"""Passports (journey J3): choose a class, a year group or ticked pupils, a language, one PDF
or one file per pupil, and save; then the teacher's comment and the families' slips.

Making the PDF runs through ``tasks.run`` with a progress bar and Cancel (the worker reports
progress through a queued signal and checks a flag between passports). "Preview and print"
shows the chosen pupil's passport, made in memory, in ``ui.pdf_preview`` (QtPdf) with the system
print dialog. Teachers are offered their own classes only; admins also set the school's logo
here, beside where it shows.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.records import PupilInfo
from skillsdesk.domain.yeargroups import year_group_label, year_group_rank
from skillsdesk.i18n import N_, _, available_locales, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.passport_notes import CommentTab, SlipTab
from skillsdesk.ui.prompts import accessible, error

TITLE = N_("Passports")  # the navigation label: the window builds the page when first shown
REQUIRES = "passport.print"  # hidden in the navigation for roles that cannot print


class _Relay(QObject):
    progress = Signal(int, int)


def language_name(code: str) -> str:
    from babel import Locale

    try:
        locale = Locale.parse(code)
        return locale.get_display_name(locale) or code
    except ValueError:
        return code


class PassportsPage(QWidget):
    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Passports"))
        self._services = services
        self._passports = services.passports
        self._tasks = tasks
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress)
        self._cancel = threading.Event()
        self.busy = False
        self.last_saved: Path | None = None
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.scope = accessible(QComboBox(), _("Class or year group"))
        self.scope.currentIndexChanged.connect(self._load_pupils)
        self.pupil_list = accessible(QListWidget(), _("Pupils"))
        self.pupil_list.currentItemChanged.connect(self._on_current)
        self.pupil_list.itemChanged.connect(lambda _item: self._update_count())
        tick_all = QPushButton(_("Tick all"))
        tick_none = QPushButton(_("Untick all"))
        tick_all.clicked.connect(lambda: self._tick(True))
        tick_none.clicked.connect(lambda: self._tick(False))
        ticks = QHBoxLayout()
        ticks.addWidget(tick_all)
        ticks.addWidget(tick_none)
        ticks.addStretch(1)
        self.language = accessible(QComboBox(), _("Language"))
        for code in available_locales():
            self.language.addItem(language_name(code), code)
        self.one_pdf = QRadioButton(_("One PDF, ready for double-sided printing"))
        self.per_pupil = QRadioButton(_("One PDF file per pupil"))
        self.one_pdf.setChecked(True)
        self.output = QButtonGroup(self)
        self.output.addButton(self.one_pdf)
        self.output.addButton(self.per_pupil)
        self.open_after = QCheckBox(_("Open when saved"))
        self.open_after.setToolTip(_("Opens the saved PDF in the computer's PDF viewer."))
        self.preview_button = QPushButton(_("&Preview and print…"))
        self.preview_button.setToolTip(_("The chosen pupil's passport, to check or print"))
        self.preview_button.clicked.connect(self.preview)
        # Beside the button: whose passport it shows, since ticking many still previews one.
        self.preview_who = QLabel()
        self.preview_who.setWordWrap(True)
        self.preview_who.setStyleSheet("color: #444")
        self.save_button = QPushButton(_("Save passports…"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(120)
        self.count = QLabel()
        self.logo_preview = accessible(QLabel(), _("The school's logo"))
        self.logo_preview.setFixedSize(48, 48)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid palette(mid)")
        self.logo_button = QPushButton(_("Choose logo…"))
        self.logo_button.setToolTip(_("A PNG or JPEG picture, shown at the top of every "
                                      "passport"))
        self.logo_button.clicked.connect(self.choose_logo)
        self.logo_remove = QPushButton(_("Remove"))
        self.logo_remove.clicked.connect(lambda: self._set_logo(None))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_remove)
        logo_row.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Class or year group"), self.scope)
        form.addRow(_("Language"), self.language)
        form.addRow(_("School logo"), logo_row)
        # The logo is a school setting: admins change it here, beside where it shows.
        form.setRowVisible(logo_row, self._passports.may_set_logo())
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Pupils (ticked ones get a passport)")))
        layout.addWidget(self.pupil_list, 1)
        layout.addLayout(ticks)
        layout.addWidget(self.count)
        layout.addWidget(self.one_pdf)
        layout.addWidget(self.per_pupil)
        layout.addWidget(self.open_after)
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.preview_button)
        preview_row.addWidget(self.preview_who, 1)
        layout.addLayout(preview_row)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.comment_tab = CommentTab(self._services, self._tasks)
        self.slip_tab = SlipTab(self._services, self._tasks)
        self.comment_tab.saved.connect(self.status.setText)
        self.slip_tab.saved.connect(self.status.setText)
        # An edited comment or a new slip may add or mend unprintable characters.
        self.comment_tab.saved.connect(lambda _text: self.check_unprintable())
        self.slip_tab.saved.connect(lambda _text: self.check_unprintable())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.comment_tab, _("Teacher's comment and moments"))
        self.tabs.addTab(self.slip_tab, _("Families' slips"))
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        heading = QLabel(_("Skills passports for families"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        outer.addWidget(heading)
        outer.addWidget(self._unprintable_notice())
        outer.addWidget(splitter, 1)

    def _unprintable_notice(self) -> QFrame:
        """Which pupils' typed texts hold characters no font can print: shown above the rest,
        never in the way; clicking a pupil there chooses them, to edit their texts."""
        self._check = 0  # the latest check; older answers are ignored
        self.unprintable: list[Any] = []
        self.unprintable_box = QFrame()
        self.unprintable_box.setObjectName("unprintable")
        self.unprintable_box.setStyleSheet(
            "QFrame#unprintable { background: #FFF4D6; border: 1px solid #B07800; "
            "border-radius: 4px } QFrame#unprintable QLabel { color: #3A2A00 }")
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(24, 24))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.unprintable_label = QLabel()
        self.unprintable_label.setWordWrap(True)
        self.unprintable_list = accessible(QListWidget(), _("Texts that cannot be printed"))
        self.unprintable_list.itemClicked.connect(self._choose_unprintable)
        self.unprintable_list.itemActivated.connect(self._choose_unprintable)
        text = QVBoxLayout()
        text.addWidget(self.unprintable_label)
        text.addWidget(self.unprintable_list)
        row = QHBoxLayout(self.unprintable_box)
        row.addWidget(icon)
        row.addLayout(text, 1)
        self.unprintable_box.setVisible(False)
        return self.unprintable_box

    # The school's logo --------------------------------------------------------------------

    def _show_logo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.logo_preview.setPixmap(pixmap.scaled(
                44, 44, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("none"))
        self.logo_remove.setEnabled(bool(data))

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the school's logo"), "", _("Pictures (*.png *.jpg *.jpeg)"))
        if path:
            self._set_logo(Path(path))

    def _set_logo(self, path: Path | None) -> None:
        def work() -> bytes | None:
            self._passports.set_logo(path)
            return self._passports.logo()

        def done(data: bytes | None) -> None:
            self._show_logo(data)
            self.status.setText(_("The logo is on every passport from now on.") if data
                                else _("Passports are printed without a logo from now on."))

        self._tasks.run(work, done, lambda exc: error(self, exc))

    # Choosing who -------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._passports.may_set_logo():
            self._show_logo(self._passports.logo())
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        # A teacher is offered their own classes only (DESIGN.md §8); whole year groups are
        # for those who may print any class. The service refuses anything else anyway.
        classes = self._passports.classes()
        for group in classes:
            self.scope.addItem(_("Class {name}").format(name=group.name), ("group", group.name))
        years = sorted({g.year_group for g in classes if g.year_group}, key=year_group_rank) \
            if self._passports.may_print_any_group() else []
        for code in years:
            self.scope.addItem(_("All of {year}").format(year=year_group_label(code)),
                               ("year", code))
        index = max(0, self.scope.findData(current)) if current else 0
        self.scope.setCurrentIndex(index)
        self.scope.blockSignals(False)
        self.scope.setEnabled(bool(classes))
        if not classes:
            self.status.setText(_("You have no class of your own this year, so there are no "
                                  "passports for you to print."))
        self._load_pupils()

    def _load_pupils(self) -> None:
        choice = self.scope.currentData()
        self.pupil_list.blockSignals(True)
        self.pupil_list.clear()
        pupils: list[PupilInfo] = []
        if choice is not None:
            kind, value = choice
            pupils = self._passports.pupils_for(group=value) if kind == "group" else \
                self._passports.pupils_for(year_group=value)
        for pupil in pupils:
            item = QListWidgetItem(pupil.display_name)
            item.setData(Qt.ItemDataRole.UserRole, pupil)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.pupil_list.addItem(item)
        self.pupil_list.blockSignals(False)
        if pupils:
            self.pupil_list.setCurrentRow(0)
        else:
            self._on_current(None, None)
        self._update_count()
        self.check_unprintable()

    def _tick(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for index in range(self.pupil_list.count()):
            self.pupil_list.item(index).setCheckState(state)

    def ticked(self) -> list[PupilInfo]:
        return [self.pupil_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.pupil_list.count())
                if self.pupil_list.item(i).checkState() == Qt.CheckState.Checked]

    def _update_count(self) -> None:
        n = len(self.ticked())
        self.count.setText(ngettext("{n} passport", "{n} passports", n).format(n=n))
        self.save_button.setEnabled(n > 0 and not self.busy)

    def _on_current(self, item: QListWidgetItem | None, _previous: Any) -> None:
        pupil = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.preview_who.setText(_("{name} only (the pupil selected in the list)").format(
            name=pupil.display_name) if pupil is not None else "")
        self.preview_button.setEnabled(pupil is not None)
        self.comment_tab.show_pupil(pupil)
        self.slip_tab.show_pupil(pupil)

    # Characters that cannot be printed ----------------------------------------------------

    def listed(self) -> list[PupilInfo]:
        return [self.pupil_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.pupil_list.count())]

    def check_unprintable(self) -> None:
        """Look (in the background) for typed characters the passports of the listed pupils
        cannot print, and show who and where above the page; printing is never held up."""
        self._check += 1
        check, pupils = self._check, self.listed()
        locale = self.language.currentData() or "en_GB"
        if not pupils:
            self._show_unprintable(check, [])
            return
        self._tasks.run(lambda: self._passports.unprintable(pupils, locale),
                        lambda found: self._show_unprintable(check, found),
                        lambda exc: self._unprintable_failed(check))

    def _show_unprintable(self, check: int, found: list[Any]) -> None:
        if check != self._check:
            return  # the list has changed since: a newer check is on its way
        self.unprintable = found
        self.unprintable_list.clear()
        for entry in found:
            item = QListWidgetItem(_("{pupil}: {texts}").format(
                pupil=entry.pupil.display_name, texts=entry.describe()))
            item.setData(Qt.ItemDataRole.UserRole, entry.pupil.id)
            item.setToolTip(item.text())
            self.unprintable_list.addItem(item)
        self.unprintable_label.setText(ngettext(
            "{n} passport has typed characters that cannot be printed: they will show as [?]. "
            "Edit the text to keep them, or print as it is. Click a pupil to choose them.",
            "{n} passports have typed characters that cannot be printed: they will show as "
            "[?]. Edit the text to keep them, or print as it is. Click a pupil to choose them.",
            len(found)).format(n=len(found)))
        rows = max(1, min(len(found), 4))  # as tall as the entries, up to four, then scroll
        self.unprintable_list.setFixedHeight(
            rows * self.unprintable_list.sizeHintForRow(0) + 2 * self.unprintable_list.frameWidth()
            + 2)
        self.unprintable_list.setVisible(bool(found))
        self.unprintable_box.setVisible(bool(found))

    def _unprintable_failed(self, check: int) -> None:
        if check != self._check:
            return
        self.unprintable = []
        self.unprintable_list.clear()
        self.unprintable_list.setVisible(False)
        self.unprintable_label.setText(_("The passports' texts could not be checked for "
                                         "characters that cannot be printed."))
        self.unprintable_box.setVisible(True)

    def _choose_unprintable(self, item: QListWidgetItem) -> None:
        wanted = item.data(Qt.ItemDataRole.UserRole)
        for index in range(self.pupil_list.count()):
            if self.pupil_list.item(index).data(Qt.ItemDataRole.UserRole).id == wanted:
                self.pupil_list.setCurrentRow(index)
                return

    # Making the PDF -----------------------------------------------------------------------

    def choose_target(self) -> Path | None:
        if self.per_pupil.isChecked():
            folder = QFileDialog.getExistingDirectory(self, _("Folder for the passports"))
            return Path(folder) if folder else None
        name = self.scope.currentText().replace("/", "-") or _("Passports")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save passports as"), f"{name}.pdf", _("PDF files (*.pdf)"))
        if not path:
            return None
        return Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")

    def save(self) -> None:
        pupils = self.ticked()
        target = self.choose_target() if pupils else None
        if target is None:
            return
        locale, per_pupil = self.language.currentData(), self.per_pupil.isChecked()
        self._cancel.clear()
        self._set_busy(True)
        self.progress.setRange(0, len(pupils))
        self.progress.setValue(0)
        self.status.setText(_("Making {n} passports…").format(n=len(pupils)))

        def work() -> Any:
            return self._passports.make(pupils, target, locale=locale, per_pupil=per_pupil,
                                        progress=self._relay.progress.emit, cancel=self._cancel)

        self._tasks.run(work, self._done, self._failed)

    def preview(self) -> None:
        """Preview (and print) the current pupil's passport, made in memory."""
        item = self.pupil_list.currentItem()
        pupil = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if pupil is None:
            pupil = next(iter(self.ticked()), None)
        if pupil is None:
            return
        locale = self.language.currentData()

        def show(data: bytes) -> None:
            from skillsdesk.ui.pdf_preview import PdfPreviewDialog

            self.preview_dialog = PdfPreviewDialog(
                _("Passport: {name}").format(name=pupil.display_name), data,
                lambda: self._passports.record_printed([pupil], locale), self)
            prompts.run(self.preview_dialog)

        self._tasks.run(lambda: self._passports.preview(pupil, locale), show,
                        lambda exc: error(self, exc))

    def cancel(self) -> None:
        self._cancel.set()
        self.status.setText(_("Stopping…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.save_button.setEnabled(not busy and bool(self.ticked()))

    def _done(self, result: Any) -> None:
        self._set_busy(False)
        where = result.paths[0] if len(result.paths) == 1 else result.paths[0].parent
        self.last_saved = where
        self.status.setText(ngettext(
            "Saved {n} passport ({pages} pages) in {where}.",
            "Saved {n} passports ({pages} pages) in {where}.",
            result.passports).format(n=result.passports, pages=result.pages, where=where))
        if self.open_after.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(where)))

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        from skillsdesk.services.passport_batch import Cancelled

        if isinstance(exc, Cancelled):
            self.status.setText(exc.message)
            return
        self.status.setText("")
        error(self, exc)


def make_page(services: Any, tasks: Any) -> PassportsPage:
    return PassportsPage(services, tasks)
