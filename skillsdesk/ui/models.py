"""Qt item models over plain records: the class list and the pupil table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from skillsdesk.domain.records import FrameworkInfo, GroupInfo
from skillsdesk.domain.yeargroups import year_group_label
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.progress import PupilProgress

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


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

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PupilProgress] = []
        self._framework: FrameworkInfo | None = None
        self._expected: dict[str, int] = {}

    def set_rows(self, framework: FrameworkInfo, rows: list[PupilProgress]) -> None:
        self.beginResetModel()
        self._framework = framework
        self._expected = dict(framework.expected)
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        skills = len(self._framework.skills) if self._framework else 0
        return 0 if parent.isValid() else self.FIXED + skills

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = (_("Pupil"), _("Adno"), _("Year"))
        if section < self.FIXED:
            return fixed[section]
        assert self._framework is not None
        return self._framework.skills[section - self.FIXED].name

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._framework is None:
            return None
        row = self._rows[index.row()]
        column = index.column()
        pupil = row.pupil
        if column < self.FIXED:
            values = (pupil.display_name, pupil.admission_number, pupil.year_group)
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return values[column]
            return None
        position = row.skills[column - self.FIXED]
        expected = self._expected.get(pupil.year_group)
        if role == Qt.ItemDataRole.DisplayRole:
            return "–" if position.current is None else str(position.current)
        if role == SORT_ROLE:
            return -1 if position.current is None else position.current
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and expected is not None:
            current = -1 if position.current is None else position.current
            if current < expected - 1:
                return QColor("#f6d5d1")  # below where the year group is expected to be
        if role == Qt.ItemDataRole.ToolTipRole:
            skill = self._framework.skills[column - self.FIXED]
            if position.current is None:
                return _("{skill}: no step secured yet").format(skill=skill.name)
            return _("{skill}: step {step} secured; expected by the end of the year: {expected}"
                     ).format(skill=skill.name, step=position.current,
                              expected="–" if expected is None else expected)
        return None
