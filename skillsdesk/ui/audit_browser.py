"""The audit trail for admins: every event, newest first, filtered by who, what, when and text.

A trail can hold hundreds of thousands of events, so the model reads one page at a time
(``fetchMore`` when the table is scrolled to its end). "Check the chain" runs the same hash-chain
check as ``skillsdesk check`` in the background and names the first tampered event. Browsing
changes nothing and shows no pupil's name, so it is not itself audited.
"""

from __future__ import annotations

import datetime as dt
import json
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.audit import AuditRecord
from skillsdesk.domain.permissions import role_label
from skillsdesk.i18n import N_, _
from skillsdesk.ui.prompts import accessible
from skillsdesk.ui.table_model import Column, Index, RowTableModel

PAGE = 500
# The areas offered in the action filter; any other prefix can be typed.
ACTIONS = ("signin", "staff", "observation", "pupil", "passport", "sar", "backup", "restore",
           "settings", "school", "framework", "appraisal", "careers", "trust")


def _short(text: str | None, keep: int = 8) -> str:
    if not text:
        return ""
    return text if len(text) <= keep + 4 else text[:keep] + "…"


def _change(record: Any) -> str:
    """Before → after, field by field, as ``browse`` gives them."""
    if record.content_erased:
        return _("(content erased)")
    before = record.before if isinstance(record.before, dict) else {}
    after = record.after if isinstance(record.after, dict) else {}
    parts = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        if key in before and key in after:
            parts.append(f"{key}: {_value(old)} → {_value(new)}")
        elif key in after:
            parts.append(f"{key}: {_value(new)}")
        else:
            parts.append(f"{key}: {_value(old)} → –")
    return "; ".join(parts)


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class AuditModel(RowTableModel[AuditRecord]):
    """Pages of audit events from ``load(before_sequence, limit)``, fetched as the view scrolls."""

    loaded = Signal()  # after each page is read, even an empty one (the last page may be)

    def __init__(self, parent: Any = None, logins: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._logins = logins or {}  # staff id -> login, so a staff entity reads as a login
        self._load: Any = None
        self._more = False
        self.columns = (
            Column(N_("Time"), lambda event: event.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
            Column(N_("Who"), lambda event: event.login or _("(nobody signed in)")),
            Column(N_("Role"), lambda event: role_label(event.role) if event.role else ""),
            Column(N_("Action"), attrgetter("action")),
            Column(N_("Entity"), self._entity, tooltip=lambda event: (
                f"{event.entity_type} {event.entity_id or ''}".strip())),
            Column(N_("Pupil"), lambda event: "" if event.pupil_id is None
                   else "#" + _short(str(event.pupil_id)),
                   tooltip=lambda event: None if event.pupil_id is None else str(event.pupil_id)),
            Column(N_("Change"), _change, tooltip=lambda event: _change(event) or None),
        )

    def _entity(self, event: AuditRecord) -> str:
        shown = (self._logins.get(event.entity_id or "") if event.entity_type == "staff"
                 else None) or _short(event.entity_id)
        return f"{event.entity_type} {shown}".strip()

    def reset(self, load: Any) -> None:
        """Start again with a new query; the first page is read at once."""
        self._load = load
        self._more = True
        self.set_rows([])
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more and self._load is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        before = self._rows[-1].sequence if self._rows else None
        page = self._load(before, PAGE)
        self._more = len(page) == PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self.loaded.emit()

    @property
    def complete(self) -> bool:
        return not self._more

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(self._rows[section].sequence)
        return super().headerData(section, orientation, role)


class AuditBrowser(QWidget):
    """Filters on top, the events below, and the chain check."""

    def __init__(self, accounts: Any, staff: list[Any], tasks: Any) -> None:
        super().__init__()
        self._accounts = accounts
        self._tasks = tasks
        self.who = accessible(QComboBox(), _("Who"))
        self.who.addItem(_("Anyone"), None)
        for person in sorted(staff, key=lambda p: p.login):
            self.who.addItem(person.login, person.login)
        self.action = accessible(QComboBox(), _("Action"))
        self.action.setEditable(True)
        self.action.addItem("")
        self.action.addItems(ACTIONS)
        self.action.lineEdit().setPlaceholderText(_("any action"))
        today = QDate.currentDate()
        self.use_from = QCheckBox(_("&From"))
        self.date_from = accessible(QDateEdit(today.addDays(-30)), _("From date"))
        self.use_to = QCheckBox(_("&To"))
        self.date_to = accessible(QDateEdit(today), _("To date"))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.text = accessible(QLineEdit(), _("Search the trail"))
        self.text.setPlaceholderText(_("Search login, action, entity…"))
        self.text.setClearButtonEnabled(True)
        self.check_button = accessible(QPushButton(_("Check the chain")),
                                       _("Check the audit chain"))
        self.check_button.clicked.connect(self.check_chain)
        self.count = QLabel()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)

        self.model = AuditModel(self, {str(p.id): p.login for p in staff})
        self.table = accessible(QTableView(), _("Audit events"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 90, 110, 150, 150, 90)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(22)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Who")))
        filters.addWidget(self.who)
        filters.addWidget(QLabel(_("Action")))
        filters.addWidget(self.action)
        filters.addWidget(self.use_from)
        filters.addWidget(self.date_from)
        filters.addWidget(self.use_to)
        filters.addWidget(self.date_to)
        filters.addWidget(self.text, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count)
        footer.addStretch(1)
        footer.addWidget(self.verdict)
        footer.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self.text.textChanged.connect(self._debounce.start)
        self.action.currentTextChanged.connect(self._debounce.start)
        self.who.currentIndexChanged.connect(self.reload)
        self.use_from.toggled.connect(self.date_from.setEnabled)
        self.use_to.toggled.connect(self.date_to.setEnabled)
        for signal in (self.use_from.toggled, self.use_to.toggled, self.date_from.dateChanged,
                       self.date_to.dateChanged):
            signal.connect(self.reload)
        self.model.loaded.connect(self._show_count)
        self.reload()

    def filters(self) -> dict[str, Any]:
        """What the service is asked for: local dates become UTC instants (whole local days)."""
        def local_midnight(day: QDate) -> dt.datetime:
            return dt.datetime(day.year(), day.month(), day.day()).astimezone()

        return {
            "login": self.who.currentData(),
            "action": self.action.currentText().strip() or None,
            "since": local_midnight(self.date_from.date()) if self.use_from.isChecked() else None,
            "until": (local_midnight(self.date_to.date().addDays(1))
                      if self.use_to.isChecked() else None),
            "text": self.text.text().strip() or None,
        }

    def reload(self) -> None:
        self._debounce.stop()
        wanted = self.filters()
        self.model.reset(lambda before, limit: self._accounts.audit_trail(
            **wanted, before_sequence=before, limit=limit))

    def _show_count(self) -> None:
        rows = self.model.rowCount()
        if self.model.complete:
            self.count.setText(_("{n} events").format(n=rows) if rows else
                               _("No events match these filters."))
        else:
            self.count.setText(_("The newest {n} events; scroll down for more.").format(n=rows))

    def check_chain(self) -> None:
        self.check_button.setEnabled(False)
        self.verdict.setText(_("Checking…"))
        self.verdict.setStyleSheet("")
        self._tasks.run(lambda _progress: self._accounts.check_audit_chain(), self._checked,
                        self._check_failed, label=_("Checking the audit trail…"), parent=self)

    def _checked(self, first_break: int | None) -> None:
        self.check_button.setEnabled(True)
        if first_break is None:
            self.verdict.setText(_("The chain is intact: no event was changed, added or removed "
                                   "outside SkillsDesk."))
            self.verdict.setStyleSheet("color: #1b5e20")
        else:
            self.verdict.setText(_("The trail was changed outside SkillsDesk at event {seq}.")
                                 .format(seq=first_break))
            self.verdict.setStyleSheet("color: #b00020; font-weight: bold")

    def _check_failed(self, exc: Exception) -> None:
        from skillsdesk.domain.errors import UserError

        self.check_button.setEnabled(True)
        self.verdict.setStyleSheet("color: #b00020")
        self.verdict.setText(exc.message if isinstance(exc, UserError) else
                             _("The check could not run; the details are in the log."))
