"""Preview a PDF made in memory and print it through the system print dialog.

The PDF never touches the disk: QtPdf reads it from a buffer, and printing draws each page as an
image at the printer's resolution.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout

from skillsdesk.i18n import _
from skillsdesk.ui import prompts
from skillsdesk.ui.prompts import accessible


def load_document(data: bytes, parent: Any = None) -> QPdfDocument:
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def render_page(document: QPdfDocument, page: int, size: QSize) -> QImage:
    """A page as an image on white (QtPdf renders onto a transparent background)."""
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, document.render(page, size))
    painter.end()
    return image


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page onto the printer; returns the number of pages sent."""
    painter = QPainter(printer)
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            painter.drawImage(QRect(0, 0, size.width(), size.height()),
                              render_page(document, page, size))
    finally:
        painter.end()
    return document.pageCount()


class PdfPreviewDialog(QDialog):
    def __init__(self, title: str, data: bytes, on_printed: Callable[[], None] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        # An A4 page's shape, within the screen: on a 1366x768 one a 900-pixel-tall dialog
        # left its Print and Close buttons below the bottom edge.
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(720, screen.width() - 40), min(900, screen.height() - 40))
        self.document = load_document(data, self)
        self.view = accessible(QPdfView(self), _("Preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._on_printed = on_printed
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = accessible(QPushButton(_("&Print…")), _("Print"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_pages)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)

    def print_pages(self, printer: QPrinter | None = None) -> int:
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if prompts.run(QPrintDialog(printer, self)) != QDialog.DialogCode.Accepted:
                return 0
        sent = print_document(self.document, printer)
        if self._on_printed is not None:
            self._on_printed()
        return sent
