"""Classes: the class grid. Pupils as rows, skills as columns, each cell the current step.

Select a cell, a row, a column or many pupils (Ctrl/Shift-click, Shift+Space for the row,
Ctrl+Space for the column, Ctrl+A for the whole class; a header click sorts) and
press Enter (or Ctrl+R) to record; the grid updates in place after the save. Double-click a
pupil's name for their profile."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.calendar import default_terms, school_year_of
from skillsdesk.i18n import N_, _
from skillsdesk.ui import prompts
from skillsdesk.ui.models import SORT_ROLE, GroupListModel, PupilTableModel
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.record_flow import RecordFlow

TITLE = N_("Classes")  # the navigation label: the window builds the page when first shown


class ClassesPage(QWidget):
    def __init__(self, services: Any, tasks: Any, undo: Any, session: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Classes"))
        self._school = services.school
        self._progress = services.progress
        self._frameworks = services.frameworks
        self._recording = services.recording
        self._tasks = tasks
        self._undo = undo
        self._session = session
        self._context = services.context
        self.recorder = RecordFlow(services, tasks, undo, session, self)
        self._framework = self._frameworks.current()
        self._year = self._school.current_year()
        self.open_profile: Any = None  # set by the window: callable(pupil_id)
        self._header_state: Any = None  # column widths and sort chosen by hand, if any
        self._header_columns = 0
        self._fitting = False
        self._build()
        self._connect()
        self.refresh()

    def _connect(self) -> None:
        self.group_view.selectionModel().selectionChanged.connect(self._on_group_selected)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.year.currentIndexChanged.connect(self._on_year_chosen)
        self.framework.currentIndexChanged.connect(self._on_framework_chosen)
        self.record_button.clicked.connect(self.record_selection)
        self.groups_menu.aboutToShow.connect(self._fill_groups_menu)
        self.table.doubleClicked.connect(self._on_double_click)
        header = self.table.horizontalHeader()
        header.sectionResized.connect(self._on_section_resized)
        header.sortIndicatorChanged.connect(self._on_section_resized)
        # Enter records what is selected (eventFilter: only a key the grid itself receives,
        # so a key typed into a dialog over it is never taken for the grid's); Ctrl+R too.
        shortcut = QShortcut(QKeySequence("Ctrl+R"), self.table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.record_selection)
        # Spreadsheet conventions: Shift+Space selects the row, Ctrl+Space the column (a header
        # click sorts, so the column needs a way of its own). Caught before the view, which
        # would take a typed space for its type-to-find search.
        self.table.installEventFilter(self)

    def _build(self) -> None:
        self.groups = GroupListModel(self)
        self.group_view = QListView()
        self.group_view.setObjectName("classList")
        self.group_view.setModel(self.groups)
        self.group_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("Classes"))
        label.setStyleSheet("font-weight: bold")
        left_layout.addWidget(label)
        left_layout.addWidget(self.group_view)

        self.pupils = PupilTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.pupils)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("pupilTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        # Columns are fitted once per load (_fit_columns), not on every change: a header that
        # resizes to its contents measures every cell again after each save.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        accessible(self.table, _("Class grid: pupils and their current step in each skill"))
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold")
        self.filter = accessible(QLineEdit(), _("Filter by name"))
        self.filter.setPlaceholderText(_("Filter by name (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.year = accessible(QComboBox(), _("Academic year"))
        self.framework = accessible(QComboBox(), _("Framework"))
        self.record_button = accessible(QPushButton(_("&Record…")), _("Record an observation"))
        self.record_button.setToolTip(_("Record for the selected pupils (Enter or Ctrl+R)"))
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(QLabel(_("Year")))
        bar.addWidget(self.year)
        bar.addWidget(QLabel(_("Framework")))
        bar.addWidget(self.framework)
        self.groups_button = accessible(QPushButton(_("&Groups")), _("Saved groups of pupils"))
        self.groups_menu = QMenu(self.groups_button)
        self.groups_button.setMenu(self.groups_menu)
        bar.addWidget(self.groups_button)
        bar.addWidget(self.record_button)
        # The key wraps only between its parts, never inside one (a narrow window takes the
        # shortcuts to a line of their own rather than leaving "Ctrl+A class" alone).
        parts = (_("▼ below the step expected for the year group"), _("✓ reached it"),
                 _("• seen this term"), _("– no step secured yet"), "·",
                 _("Shift+Space row, Ctrl+Space column, Ctrl+A class"))
        self.legend = QLabel("   ".join(part.replace(" ", "\u00a0") for part in parts))
        self.legend.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.table)
        right_layout.addWidget(self.legend)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

    def apply_role(self) -> None:
        """Record here needs recording outside the lunchtime setting (DESIGN.md §8); a
        lunchtime supervisor records in lunchtime mode instead."""
        allowed = self._context.can("observation.record")
        self.record_button.setEnabled(allowed)
        self.record_button.setToolTip(
            _("Record for the selected pupils (Enter or Ctrl+R)") if allowed else
            _("Lunchtime supervisors record in lunchtime mode (View ▸ Lunchtime mode)."))
        # Names only for a lunchtime supervisor (DESIGN.md J2): no admission numbers either, by
        # the same rule that keeps the SEN, PP and EAL flags from them.
        self.pupils.set_admission_shown(self._context.can("pupil.see_sensitive"))
        self._hide_admission()

    def _hide_admission(self) -> None:
        """Hide the admission number's column where the model leaves it empty, and show it
        otherwise: a column layout kept from someone else (restored with the header) may say
        the opposite."""
        fitting, self._fitting = self._fitting, True  # not widths a person chose: not kept
        self.table.setColumnHidden(PupilTableModel.ADMISSION, not self.pupils.admission_shown)
        self._fitting = fitting

    def refresh(self) -> None:
        self.apply_role()
        self._fill_choices()
        current = self.selected_group()
        self.groups.set_groups(self._school.classes(self._year))
        row = 0
        if current is not None:
            names = [self.groups.group(i).name for i in range(self.groups.rowCount())]
            row = names.index(current.name) if current.name in names else 0
        if self.groups.rowCount():
            self.group_view.setCurrentIndex(self.groups.index(row))
        else:
            self.heading.setText(_("No classes yet: import pupils from File ▸ Import pupils…"))

    def selected_group(self) -> Any:
        index = self.group_view.currentIndex()
        return self.groups.group(index.row()) if index.isValid() else None

    def _fill_choices(self) -> None:
        for combo, values, current in (
            (self.year, [(y, y) for y in self._school.years()], self._year),
            (self.framework, [(f.name, f.code) for f in self._frameworks.list()
                              if not f.structure_only or f.code == self._framework.code],
             self._framework.code),
        ):
            combo.blockSignals(True)
            combo.clear()
            for label, data in values:
                combo.addItem(label, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _on_year_chosen(self) -> None:
        self._year = self.year.currentData()
        self.groups.set_groups(self._school.classes(self._year))
        if self.groups.rowCount():
            self.group_view.setCurrentIndex(self.groups.index(0))
        else:
            self.pupils.set_rows(self._framework, [])

    def _on_framework_chosen(self) -> None:
        self._framework = self._frameworks.get(self.framework.currentData())
        self._load_group()

    def _on_group_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._load_group()

    def _term_start(self) -> dt.date:
        today = self._school.today()
        return next(t.starts_on for t in default_terms(school_year_of(today))
                    if t.starts_on <= today <= t.ends_on)

    def _load_group(self) -> None:
        group = self.selected_group()
        if group is None:
            return
        pupils = self._school.pupils(group=group.name, year_label=self._year)
        grid = self._progress.for_grid(self._framework, pupils, self._term_start())
        self.pupils.set_rows(self._framework, list(grid.rows), set(grid.seen))
        self._fit_columns()
        self._hide_admission()
        self.heading.setText(_("{group} — {framework}").format(group=group.name,
                                                              framework=self._framework.name))

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        self._fitting = True
        if self._header_state is not None and self._header_columns == header.count():
            header.restoreState(self._header_state)  # the widths and sort someone chose
            self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        else:
            self._fit_to_contents()
        self._fit_skill_columns()
        self._fitting = False

    def _fit_to_contents(self) -> None:
        """What ``resizeColumnsToContents`` does, without asking the view for every cell's size
        (a fifth of a second on a class's first fill): the name, admission number and year
        columns fit their widest text, the skill columns their headings (their cells' width is
        ``_fit_skill_columns``'s)."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        padding = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                                      None, self.table) + 1) + 4
        for column in range(self.pupils.columnCount()):
            width = header.sectionSizeHint(column)
            if column < PupilTableModel.FIXED:
                texts = (self.pupils.data(self.pupils.index(row, column))
                         for row in range(self.pupils.rowCount()))
                width = max(width, max((metrics.horizontalAdvance(str(text)) + padding
                                        for text in texts if text is not None), default=0))
            header.resizeSection(column, width)

    def _on_section_resized(self) -> None:
        if not self._fitting:  # a person dragged a column edge: keep it for the next class
            self._keep_header()

    def _keep_header(self) -> None:
        header = self.table.horizontalHeader()
        self._header_state = header.saveState()
        self._header_columns = header.count()

    def _fit_skill_columns(self) -> None:
        # Room for the widest cell a save can bring ("▼ 15 •", "✓ 15 •"), so no later update
        # is cut off.
        widest = self.table.fontMetrics().horizontalAdvance("▼ 88 •") + 16
        header = self.table.horizontalHeader()
        for column in range(PupilTableModel.FIXED, self.pupils.columnCount()):
            if header.sectionSize(column) < widest:
                header.resizeSection(column, widest)

    def current_framework(self) -> Any:
        return self._framework

    def refresh_pupils(self, pupil_ids: tuple[uuid.UUID, ...]) -> None:
        """Update only the rows of pupils whose observations changed."""
        shown = {p.pupil.id: p.pupil for p in (self.pupils.pupil_at(r)
                                               for r in range(self.pupils.rowCount()))}
        pupils = [shown[p] for p in pupil_ids if p in shown]
        if not pupils:
            return
        grid = self._progress.for_grid(self._framework, pupils, self._term_start())
        self.pupils.update_rows(list(grid.rows), set(grid.seen))

    # -- recording ----------------------------------------------------------------------------
    def selected_pupils_and_skill(self) -> tuple[list[Any], str | None]:
        indexes = [self.proxy.mapToSource(i) for i in self.table.selectionModel().selectedIndexes()]
        current = self.proxy.mapToSource(self.table.currentIndex())
        if not indexes and current.isValid():
            indexes = [current]
        # In the order the grid shows them (sorted or not), so the per-pupil pass reads alike.
        rows = sorted({i.row() for i in indexes},
                      key=lambda r: self.proxy.mapFromSource(self.pupils.index(r, 0)).row())
        pupils = [self.pupils.pupil_at(r) for r in rows]
        column = current.column() if current.isValid() else -1
        skill = self.pupils.skill_at(column) or next(
            (self.pupils.skill_at(i.column()) for i in indexes if self.pupils.skill_at(i.column())),
            None)
        return pupils, (skill.code if skill else None)

    def selected_skills(self) -> list[tuple[str, list[Any]]]:
        """Each skill with a selected cell, in the grid's column order, with the pupils whose
        cell of it is selected (in the grid's row order)."""
        cells: dict[int, set[int]] = {}
        for index in self.table.selectionModel().selectedIndexes():
            source = self.proxy.mapToSource(index)
            if self.pupils.skill_at(source.column()) is not None:
                cells.setdefault(source.column(), set()).add(source.row())

        def shown(row: int) -> int:
            return self.proxy.mapFromSource(self.pupils.index(row, 0)).row()

        return [(self.pupils.skill_at(column).code,
                 [self.pupils.pupil_at(r) for r in sorted(cells[column], key=shown)])
                for column in sorted(cells)]

    def record_selection(self) -> None:
        pupils, skill = self.selected_pupils_and_skill()
        if not pupils or not self.record_button.isEnabled():
            return
        # Several skills selected: one observation is of one skill, so the current cell's comes
        # first and the others follow in turn (RecordFlow), each for the pupils selected in it.
        groups = self.selected_skills() if skill else []
        more = [(code, group) for code, group in groups if code != skill]
        if more:
            pupils = next((group for code, group in groups if code == skill), pupils)
        self.recorder.record(self._framework, pupils, skill or self._framework.skills[0].code,
                             self.refresh_pupils, lambda exc: prompts.error(self, exc),
                             more=more)

    def offer_draft(self) -> None:
        """A note left half typed (a crash, the desk locking): offer to carry on with it."""
        self.recorder.resume(self.refresh_pupils, lambda exc: prompts.error(self, exc))

    # -- saved groups -------------------------------------------------------------------------
    def _fill_groups_menu(self) -> None:
        self.groups_menu.clear()
        self.groups_menu.addAction(_("Select the whole class"), self.table.selectAll)
        self.groups_menu.addAction(_("Save selection as a group…"), self.save_selection_as_group)
        saved = self._school.sets(self._year)
        if saved:
            self.groups_menu.addSeparator()
        for group in saved:
            self.groups_menu.addAction(group.name, lambda g=group: self.select_group(g.id))

    def save_selection_as_group(self, name: str | None = None) -> None:
        pupils, _skill = self.selected_pupils_and_skill()
        if name is None:
            dialog = QInputDialog(self)
            dialog.setWindowTitle(_("Save group"))
            dialog.setLabelText(_("Name for these {n} pupils (for example 'Blue table'):").format(
                n=len(pupils)))
            if prompts.run(dialog) != QInputDialog.DialogCode.Accepted:
                return
            name = dialog.textValue()
        ids = [p.pupil.id for p in pupils]
        self._tasks.run(lambda: self._school.save_set(name, ids), lambda _g: None,
                        lambda exc: prompts.error(self, exc))

    def select_group(self, group_id: uuid.UUID) -> None:
        """Select the members of a saved group who are in this class, in the current column."""
        from PySide6.QtCore import QItemSelectionModel

        members = set(self._school.members(group_id))
        column = max(self.table.currentIndex().column(), PupilTableModel.FIXED)
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.pupils.pupil_at(source.row()).pupil.id in members:
                selection.select(self.proxy.index(row, column),
                                 QItemSelectionModel.SelectionFlag.Select)

    def _on_double_click(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.column() < PupilTableModel.FIXED and self.open_profile is not None:
            self.open_profile(self.pupils.pupil_at(source.row()).pupil.id)
        else:
            self.record_selection()

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        if watched is self.table and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.record_selection()
            return True
        if watched is self.table and event.type() in (QEvent.Type.KeyPress,
                                                      QEvent.Type.ShortcutOverride) \
                and event.key() == Qt.Key.Key_Space:
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            action = {Qt.KeyboardModifier.ShiftModifier: self.select_current_row,
                      Qt.KeyboardModifier.ControlModifier: self.select_current_column}.get(
                          Qt.KeyboardModifier(modifiers))
            if action is not None:
                if event.type() == QEvent.Type.KeyPress:
                    action()
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def select_current_row(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.selectionModel().select(
                current, QItemSelectionModel.SelectionFlag.Select
                | QItemSelectionModel.SelectionFlag.Rows)

    def select_current_column(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.selectionModel().select(
                current, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Columns)

    # -- remembered layout --------------------------------------------------------------------
    def save_layout(self, settings: Any) -> None:
        settings.setValue("classes/splitter", self.splitter.saveState())
        header = self.table.horizontalHeader()
        settings.setValue("classes/header", header.saveState())
        settings.setValue("classes/header_columns", header.count())

    def restore_layout(self, settings: Any) -> None:
        """The class list's width and the grid's column widths and sort from the last time."""
        splitter = settings.value("classes/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = settings.value("classes/header")
        if header is not None:
            self._header_state = header
            self._header_columns = int(settings.value("classes/header_columns", 0))
            self._fit_columns()

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()


def make_page(services: Any, tasks: Any, undo: Any, session: Any) -> ClassesPage:
    return ClassesPage(services, tasks, undo, session)
