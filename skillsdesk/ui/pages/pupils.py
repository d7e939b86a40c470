"""Pupils: everyone on roll, searchable, with their flags for staff allowed to see them.

Admins also manage photos here: import a folder of photos, record or withdraw a pupil's photo
consent (withdrawing deletes the photo), and choose or remove one pupil's photo.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.records import PupilInfo
from skillsdesk.domain.yeargroups import year_group_label, year_group_rank
from skillsdesk.i18n import N_, _
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.search import fold
from skillsdesk.ui.table_model import SORT_ROLE, Column, Index, RowTableModel

TITLE = N_("Pupils")  # the navigation label: the window builds the page when first shown

FILTER_ROLE = Qt.ItemDataRole.UserRole  # the text the search box matches


def _yes(flag: bool) -> str:
    return _("yes") if flag else ""


class PupilListModel(RowTableModel[PupilInfo]):
    def __init__(self, sensitive: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self._photos: dict[Any, Any] = {}  # pupil id -> PhotoStatus
        self.sensitive = sensitive
        self.columns = self._columns(sensitive)

    def set_sensitive(self, sensitive: bool) -> None:
        """Whether the person at the desk may see admission numbers and the SEN, PP and EAL
        flags: a lunchtime supervisor sees children's names only (DESIGN.md §8, J2), so for
        them those columns are not there at all, and the search does not match a number."""
        if sensitive != self.sensitive:
            self.beginResetModel()
            self.sensitive = sensitive
            self.columns = self._columns(sensitive)
            self.endResetModel()

    def _columns(self, sensitive: bool) -> list[Column[PupilInfo]]:
        columns = [
            Column(N_("Pupil"), attrgetter("display_name"),
                   sort=lambda pupil: pupil.last_name.casefold()),
        ]
        if sensitive:
            columns.append(Column(N_("Adno"), attrgetter("admission_number")))
        columns += [
            Column(N_("Year group"), lambda pupil: year_group_label(pupil.year_group),
                   sort=lambda pupil: year_group_rank(pupil.year_group)),
            Column(N_("Class"), lambda pupil: pupil.class_name or ""),
            Column(N_("Gender"), lambda pupil: pupil.gender or ""),
        ]
        if sensitive:  # SEN, pupil premium and EAL only for roles that may see them (§8)
            columns += [
                Column(N_("SEN"), attrgetter("sen")),
                Column(N_("PP"), lambda pupil: _yes(pupil.pupil_premium),
                       sort=attrgetter("pupil_premium")),
                Column(N_("EAL"), lambda pupil: _yes(pupil.eal), sort=attrgetter("eal")),
            ]
        columns.append(Column(N_("Photo"), self._photo_text))  # consent, and is one held
        return columns

    def set_rows(self, rows: Iterable[PupilInfo], photos: dict[Any, Any] | None = None) -> None:
        self._photos = dict(photos or {})
        super().set_rows(rows)

    pupil_at = RowTableModel.row_at  # named as in the class grid's model

    def photo_status(self, row: int) -> Any:
        return self._photos.get(self._rows[row].id)

    def _photo_text(self, pupil: PupilInfo) -> str:
        status = self._photos.get(pupil.id)
        if status is None or not status.consent:
            return _("no consent")
        return _("consent, photo held") if status.has_photo else _("consent, no photo")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == FILTER_ROLE and index.isValid():
            pupil = self._rows[index.row()]
            number = pupil.admission_number if self.sensitive else ""
            return fold(f"{pupil.display_name} {pupil.legal_first_name} {pupil.legal_last_name} "
                        f"{number} {pupil.class_name or ''}")
        return super().data(index, role)


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        # Qt 6.10 replaced invalidateFilter() with a begin/end pair around the change.
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt API
        haystack = self.sourceModel().index(row, 0, parent).data(FILTER_ROLE)
        return all(word in haystack for word in self._words)


class PupilsPage(QWidget):
    def __init__(self, services: Any, tasks: Any = None) -> None:
        super().__init__()
        self.setWindowTitle(_("Pupils"))
        self._school = services.school
        self._photos = services.photos
        self._tasks = tasks
        self._context = services.context
        self.open_profile: Any = None  # set by the window
        self.model = PupilListModel(services.context.can("pupil.see_sensitive"), self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.filter = accessible(QLineEdit(), _("Search pupils"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_query)
        self.table = accessible(QTableView(), _("Pupils on roll"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._on_open)
        self.count = QLabel()
        heading = QLabel(_("Pupils"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        # Photos: admin only (the services refuse anyone else; hiding is a courtesy).
        self.photo_bar = QWidget()
        bar = QHBoxLayout(self.photo_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.import_photos_button = accessible(QPushButton(_("Import photos…")),
                                               _("Import pupils' photos from a folder"))
        self.import_photos_button.clicked.connect(self.import_photos)
        self.consent_button = accessible(QPushButton(_("Record photo consent")),
                                         _("Record or withdraw the selected pupil's photo consent"))
        self.consent_button.clicked.connect(self.toggle_consent)
        self.choose_photo_button = accessible(QPushButton(_("Choose photo…")),
                                              _("Choose a photo for the selected pupil"))
        self.choose_photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button = accessible(QPushButton(_("Remove photo")),
                                              _("Remove the selected pupil's photo"))
        self.remove_photo_button.clicked.connect(self.remove_photo)
        for button in (self.import_photos_button, self.consent_button,
                       self.choose_photo_button, self.remove_photo_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addWidget(self.photo_bar)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_photo_bar())
        self.last_report: list[str] = []
        self._loaded = False
        self.apply_role()
        self._update_photo_bar()

    def apply_role(self) -> None:
        """The columns, search and photo buttons for the person at the desk now (another may
        have switched in since the page was built): names only for a lunchtime supervisor."""
        can = self._context.can
        self.model.set_sensitive(can("pupil.see_sensitive"))
        self.filter.setPlaceholderText(_("Name, admission number or class") if self.model.sensitive
                                       else _("Name or class"))
        self.photo_bar.setVisible(can("pupil.photo") and can("import"))

    def refresh(self) -> None:
        self.apply_role()
        pupils = self._school.pupils()
        self.model.set_rows(pupils, self._photos.status())
        self._update_photo_bar()
        self.count.setText(_("{n} pupils on roll. Double-click a pupil for their profile.").format(
            n=len(pupils)))
        self._loaded = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API: load when first shown
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def _on_open(self, index: QModelIndex) -> None:
        if self.open_profile is not None:
            self.open_profile(self.model.pupil_at(self.proxy.mapToSource(index).row()).id)

    # -- photos (admin) ---------------------------------------------------------------------------
    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.mapToSource(rows[0]).row() if rows else None

    def _update_photo_bar(self) -> None:
        row = self.selected_row()
        status = self.model.photo_status(row) if row is not None else None
        consent = bool(status and status.consent)
        self.consent_button.setEnabled(row is not None)
        self.consent_button.setText(_("Withdraw photo consent") if consent
                                    else _("Record photo consent"))
        self.choose_photo_button.setEnabled(consent)
        self.remove_photo_button.setEnabled(bool(status and status.has_photo))

    def ask_folder(self) -> Path | None:
        """The folder dialog (tests replace this method)."""
        folder = QFileDialog.getExistingDirectory(self, _("Folder of pupils' photos"))
        return Path(folder) if folder else None

    def ask_image(self) -> Path | None:
        """The file dialog for one photo (tests replace this method)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a photo"), "",
            _("Images (*.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp)"))
        return Path(name) if name else None

    def import_photos(self) -> None:
        folder = self.ask_folder()
        if folder is None:
            return
        photos = self._photos

        def work(progress: Any) -> Any:
            return photos.import_folder(folder, progress=progress.report)

        def done(report: Any) -> None:
            self.last_report = report.lines()
            self.refresh()
            box = QMessageBox(QMessageBox.Icon.Information, _("Import photos"),
                              self.last_report[0], parent=self)
            box.setInformativeText(_("Photos are kept only for pupils whose photo consent is "
                                     "recorded. Show Details for every file."))
            box.setDetailedText("\n".join(self.last_report[1:]))
            prompts.run(box)

        self.import_photos_button.setEnabled(False)

        def finished(callback: Any) -> Any:
            def call(value: Any) -> None:
                self.import_photos_button.setEnabled(True)
                callback(value)
            return call

        self._tasks.run(work, finished(done), finished(lambda exc: prompts.error(self, exc)),
                        label=_("Importing photos…"), parent=self)

    def _selected(self) -> PupilInfo | None:
        row = self.selected_row()
        return None if row is None else self.model.pupil_at(row)

    def _change(self, action: Any) -> None:
        try:
            action()
        except Exception as exc:  # shown as a sentence; nothing changed
            prompts.error(self, exc)
        self.refresh()

    def toggle_consent(self) -> None:
        pupil = self._selected()
        if pupil is None:
            return
        status = self.model.photo_status(self.selected_row() or 0)
        if status is not None and status.consent:
            if status.has_photo and not prompts.confirm(
                    self, _("Withdraw photo consent"),
                    _("Withdraw photo consent for {name}? Their photo will be deleted.").format(
                        name=pupil.display_name)):
                return
            self._change(lambda: self._photos.set_consent(pupil.id, False))
        else:
            self._change(lambda: self._photos.set_consent(pupil.id, True))
        self._reselect(pupil.id)

    def choose_photo(self) -> None:
        pupil = self._selected()
        path = self.ask_image() if pupil is not None else None
        if pupil is None or path is None:
            return
        self._change(lambda: self._photos.set_photo(pupil.id, path))
        self._reselect(pupil.id)

    def remove_photo(self) -> None:
        pupil = self._selected()
        if pupil is None or not prompts.confirm(
                self, _("Remove photo"), _("Remove the photo of {name}?").format(
                    name=pupil.display_name)):
            return
        self._change(lambda: self._photos.clear_photo(pupil.id))
        self._reselect(pupil.id)

    def _reselect(self, pupil_id: Any) -> None:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0)).row()
            if self.model.pupil_at(source).id == pupil_id:
                self.table.selectRow(row)
                break
        self._update_photo_bar()


def make_page(services: Any, tasks: Any) -> PupilsPage:
    return PupilsPage(services, tasks)
