"""The one seam through which the desk asks a person something, so tests never block on a modal.

Widgets call ``prompts.run(dialog)`` instead of ``dialog.exec()``; tests replace ``prompts.run``
with a function that fills the dialog in and returns an answer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _

SHOWN_PROBLEMS = 5  # problems a refusal lists in the box itself; the rest under Details


def run(dialog: QDialog) -> int:
    return dialog.exec()


def error(parent: QWidget | None, exc: Exception) -> None:
    """A refusal shows its own sentence; anything else a short apology (details are logged)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("SkillsDesk"), "", parent=parent)
    # Plain text: a refusal quotes what a file held ("<b>" in a name cell), never markup.
    # (Qt is imported here: the sign-in window imports this module and shows before Qt's
    # namespace enums are built.)
    from PySide6.QtCore import Qt

    box.setTextFormat(Qt.TextFormat.PlainText)
    if isinstance(exc, UserError):
        box.setText(exc.message)
        if exc.problems:
            problems = [str(p) for p in exc.problems]
            # The first few rows and fields in plain sight (a closed Details box reads as
            # "something is wrong" with no where or why); every one of them under Details.
            shown = "\n".join(problems[:SHOWN_PROBLEMS])
            if len(problems) > SHOWN_PROBLEMS:
                shown += "\n" + _("… and {n} more under Show Details.").format(
                    n=len(problems) - SHOWN_PROBLEMS)
            box.setInformativeText(shown)
            box.setDetailedText("\n".join(problems))
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
