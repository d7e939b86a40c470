"""Qt item models over plain records: the class list and the pupil table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from skillsdesk.domain.records import FrameworkInfo, GroupInfo
from skillsdesk.domain.yeargroups import year_group_label
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.progress import PupilProgress
from skillsdesk.ui.colours import step_colour, text_on
from skillsdesk.ui.table_model import SORT_ROLE, Index


class GroupListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[GroupInfo] = []

    def set_groups(self, groups: list[GroupInfo]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def group(self, row: int) -> GroupInfo:
        return self._groups[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._groups)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self._groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            pupils = ngettext("{n} pupil", "{n} pupils", group.pupil_count).format(
                n=group.pupil_count)
            return f"{group.name}  ·  {pupils}"
        if role == Qt.ItemDataRole.ToolTipRole and group.year_group:
            return year_group_label(group.year_group)
        return None


class PupilTableModel(QAbstractTableModel):
    """One row per pupil: name, year group, then the current step in each skill."""

    FIXED = 3
    ADMISSION = 1  # the admission number's column, empty and hidden for lunchtime staff

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PupilProgress] = []
        self._framework: FrameworkInfo | None = None
        self._expected: dict[str, int] = {}
        self._seen: set[tuple[Any, str]] = set()
        self.admission_shown = True

    def set_admission_shown(self, shown: bool) -> None:
        """Whether the model hands out admission numbers at all: a lunchtime supervisor sees
        children's names only (DESIGN.md J2), so for them the column is empty (and the page
        hides it), and nothing that reads the model (a copy, a screen reader) finds a number."""
        if shown != self.admission_shown:
            self.beginResetModel()
            self.admission_shown = shown
            self.endResetModel()

    def set_rows(self, framework: FrameworkInfo, rows: list[PupilProgress],
                 seen: set[tuple[Any, str]] | None = None) -> None:
        self.beginResetModel()
        self._framework = framework
        self._expected = dict(framework.expected)
        self._rows = list(rows)
        self._seen = set(seen or ())
        self.endResetModel()

    def update_rows(self, rows: list[PupilProgress], seen: set[tuple[Any, str]]) -> None:
        """Replace some pupils' rows in place (after a save) without resetting the view."""
        by_id = {r.pupil.id: r for r in rows}
        changed = [i for i, row in enumerate(self._rows) if row.pupil.id in by_id]
        ids = {self._rows[i].pupil.id for i in changed}
        self._seen = {k for k in self._seen if k[0] not in ids} | {k for k in seen if k[0] in ids}
        for index in changed:
            self._rows[index] = by_id[self._rows[index].pupil.id]
            self.dataChanged.emit(self.index(index, 0), self.index(index, self.columnCount() - 1))

    def pupil_at(self, row: int) -> PupilProgress:
        return self._rows[row]

    def skill_at(self, column: int) -> Any:
        if self._framework is None or column < self.FIXED:
            return None
        return self._framework.skills[column - self.FIXED]

    def pupil_ids(self) -> list[Any]:
        return [r.pupil.id for r in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        skills = len(self._framework.skills) if self._framework else 0
        return 0 if parent.isValid() else self.FIXED + skills

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = (_("Pupil"), _("Adno") if self.admission_shown else None, _("Year"))
        if section < self.FIXED:
            return fixed[section]
        assert self._framework is not None
        return self._framework.skills[section - self.FIXED].name

    # Views ask for many more roles (size hints, fonts, decorations…) than the grid answers;
    # turning those away first keeps resizing and repainting cheap.
    _ROLES = frozenset(int(r) for r in (
        Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self._ROLES or not index.isValid() or self._framework is None:
            return None
        row = self._rows[index.row()]
        column = index.column()
        pupil = row.pupil
        if column < self.FIXED:
            admission = pupil.admission_number if self.admission_shown else None
            values = (pupil.display_name, admission, pupil.year_group)
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return values[column]
            return None
        position = row.skills[column - self.FIXED]
        skill = self._framework.skills[column - self.FIXED]
        expected = self._expected.get(pupil.year_group)
        current = -1 if position.current is None else position.current
        below = expected is not None and current < expected - 1
        seen = (pupil.id, skill.code) in self._seen
        if role == Qt.ItemDataRole.DisplayRole:
            # Text marks as well as colour: colour is never the only signal.
            # ▼ below, ✓ reached the step expected by the end of the year; no mark between.
            text = "–" if position.current is None else str(position.current)
            reached = expected is not None and current >= expected
            mark = "▼ " if below else "✓ " if reached else ""
            return f"{mark}{text}{' •' if seen else ''}"
        if role == SORT_ROLE:
            return current
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return step_colour(position.current, expected, QApplication.palette())
        if role == Qt.ItemDataRole.ForegroundRole:
            # Set with the background, so the pair reads whatever the palette's text colour is.
            background = step_colour(position.current, expected, QApplication.palette())
            return None if background is None else text_on(background)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = [_("{skill}: no step secured yet").format(skill=skill.name)
                     if position.current is None else
                     _("{skill}: step {step} secured").format(skill=skill.name,
                                                              step=position.current)]
            if expected is not None:
                parts.append(_("expected by the end of the year: {step}").format(step=expected))
            if below:
                parts.append(_("below where the year group is expected to be"))
            elif expected is not None and current >= expected:
                parts.append(_("has reached the step expected for the year group"))
            elif expected is not None:
                parts.append(_("one step from the step expected for the year group"))
            parts.append(_("seen this term") if seen else _("not seen this term"))
            return "; ".join(parts)
        return None
