"""The one seam through which the desk asks a person something, so tests never block on a modal.

Widgets call ``prompts.run(dialog)`` instead of ``dialog.exec()``; tests replace ``prompts.run``
with a function that fills the dialog in and returns an answer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _


def run(dialog: QDialog) -> int:
    return dialog.exec()


def error(parent: QWidget | None, exc: Exception) -> None:
    """A refusal shows its own sentence; anything else a short apology (details are logged)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("SkillsDesk"), "", parent=parent)
    if isinstance(exc, UserError):
        box.setText(exc.message)
        if exc.problems:
            box.setDetailedText("\n".join(str(p) for p in exc.problems))
    else:
        box.setText(_("Something went wrong and nothing was changed. The details are in the log."))
    run(box)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    return run(box) == QMessageBox.StandardButton.Yes


def accessible(widget: Any, name: str) -> Any:
    """Give a control the name a screen reader announces; returns the widget for chaining."""
    widget.setAccessibleName(name)
    return widget
