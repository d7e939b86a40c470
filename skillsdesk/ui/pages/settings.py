"""Settings: the school's name, the framework in use, the step rule and the idle lock (admins)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.i18n import N_, _, ngettext
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible

TITLE = N_("Settings")  # the navigation label: the window builds the page when first shown
REQUIRES = "settings"  # hidden in the navigation for other roles


class SettingsPage(QWidget):
    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self.setWindowTitle(_("Settings"))
        self._settings = services.settings
        self._frameworks = services.frameworks
        self._context = services.context
        self._tasks = tasks
        self.school = accessible(QLineEdit(), _("School name"))
        self.framework = accessible(QComboBox(), _("Framework in use"))
        self.days = accessible(QSpinBox(), _("Days seen independently to secure a step"))
        self.days.setRange(1, 10)
        self.places = accessible(QSpinBox(), _("Different settings needed to secure a step"))
        self.places.setRange(1, 5)
        self.lock = accessible(QSpinBox(), _("Lock after idle minutes"))
        self.lock.setRange(1, 15)
        self.lock.setSuffix(_(" min"))
        # The number boxes as wide as their number and unit, not the page (the unit follows the
        # number: "1 day", "2 different days").
        for spin in (self.days, self.places, self.lock):
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, spin.sizePolicy().verticalPolicy())
        self.days.valueChanged.connect(self._units)
        self.places.valueChanged.connect(self._units)
        self._steady_widths()
        self.save = accessible(QPushButton(_("&Save settings")), _("Save settings"))
        self.save.clicked.connect(self.save_settings)
        self.note = QLabel()
        self.note.setWordWrap(True)
        heading = QLabel(_("Settings"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold")
        form = QFormLayout()
        form.addRow(_("School &name"), self.school)
        form.addRow(_("&Framework in use"), self.framework)
        form.addRow(_("A step is secured when seen independently on at least"), self.days)
        form.addRow(_("… and in at least"), self.places)
        form.addRow(_("(or when a member of staff records a secured judgement)"), QLabel())
        form.addRow(_("&Lock the desk after"), self.lock)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.save, 0, Qt.AlignmentFlag.AlignLeft)  # a button, not a bar
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.refresh()

    def _steady_widths(self) -> None:
        """Each box as wide as its widest number and unit, so that its arrows stay under the
        mouse while the unit changes from "day" to "days"."""
        for spin in (self.days, self.places):
            widths = []
            for value in range(spin.minimum(), spin.maximum() + 1):
                spin.setValue(value)
                self._units()
                widths.append(spin.sizeHint().width())
            spin.setMinimumWidth(max(widths))

    def _units(self) -> None:
        days, places = self.days.value(), self.places.value()
        self.days.setSuffix(ngettext(" day", " different days", days))
        self.places.setSuffix(ngettext(" setting", " different settings", places))

    def refresh(self) -> None:
        current = self._settings.get()
        self.school.setText(current.school_name)
        self.framework.clear()
        for summary in self._frameworks.list():
            self.framework.addItem(summary.name, summary.code)
        self.framework.setCurrentIndex(max(0, self.framework.findData(current.framework)))
        self.days.setValue(current.independent_days)
        self.places.setValue(current.min_settings)
        self.lock.setValue(current.lock_minutes)
        allowed = self._context.can("settings")
        for widget in (self.school, self.framework, self.days, self.places, self.lock, self.save):
            widget.setEnabled(allowed)
        self.note.setText("" if allowed else _("Only an admin can change these settings."))

    def save_settings(self) -> None:
        values = {"school_name": self.school.text().strip(),
                  "framework": self.framework.currentData(),
                  "independent_days": self.days.value(), "min_settings": self.places.value(),
                  "lock_minutes": self.lock.value()}
        self._tasks.run(lambda: self._settings.update(**values),
                        lambda _saved: self.note.setText(
                            _("Saved. A new framework or step rule shows when a class is opened "
                              "again.")),
                        lambda exc: prompts.error(self, exc))


def make_page(services: Any, tasks: Any) -> SettingsPage:
    return SettingsPage(services, tasks)
