"""Search for a pupil from anywhere (Ctrl+K): type part of a name or an admission number.

A lunchtime supervisor sees children's names only (DESIGN.md J2), as on the class grid and the
Pupils page: the results carry no admission number for them, and a number finds no one."""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from skillsdesk.domain.records import PupilInfo
from skillsdesk.i18n import _
from skillsdesk.ui.prompts import accessible


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so "sian" finds Siân and "lucja" finds Łucja."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("ł", "l").replace("ø", "o").replace("đ", "d")


def matches(pupils: list[PupilInfo], query: str, limit: int = 30,
            names_only: bool = False) -> list[PupilInfo]:
    """Pupils whose names (or class, or admission number unless ``names_only``) hold every
    word typed."""
    words = fold(query).split()
    if not words:
        return []
    found = []
    for pupil in pupils:
        number = "" if names_only else pupil.admission_number
        haystack = fold(" ".join((pupil.first_name, pupil.last_name, pupil.legal_first_name,
                                  pupil.legal_last_name, number, pupil.class_name or "")))
        if all(word in haystack for word in words):
            found.append(pupil)
            if len(found) >= limit:
                break
    return found


class SearchDialog(QDialog):
    def __init__(self, school: Any, parent: Any = None, *, names_only: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Search for a pupil"))
        self.resize(420, 380)
        self._pupils = school.pupils()
        self.names_only = names_only  # a lunchtime supervisor: no admission numbers
        self.chosen: PupilInfo | None = None
        hint = _("Name or class") if names_only else _("Name or admission number")
        self.query = accessible(QLineEdit(), hint)
        self.query.setPlaceholderText(hint)
        self.results = accessible(QListWidget(), _("Matching pupils"))
        self.hint = QLabel(_("Enter opens the pupil's profile."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(self.hint)
        self.query.textChanged.connect(self._on_query)
        self.query.returnPressed.connect(self._on_enter)
        self.results.itemActivated.connect(self._on_activated)

    def _on_query(self, text: str) -> None:
        self.results.clear()
        for pupil in matches(self._pupils, text, names_only=self.names_only):
            parts = [pupil.display_name, pupil.class_name or ""]
            if not self.names_only:
                parts.append(pupil.admission_number)
            item = QListWidgetItem("  ·  ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, pupil)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _on_enter(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._on_activated(item)

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
