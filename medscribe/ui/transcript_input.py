"""How a transcript gets into the empty view: paste (Ctrl+V) or drag and drop.

The view never inserts what it receives. It reports it (``text_pasted`` / ``file_dropped``)
and the window turns it into a Transcript and loads the document, which the view then shows.
That way pasted text goes through the same readers and checks as an opened file, and a
loaded transcript is never changed by a stray paste. A dropped file is taken at any time
(opening another visit); dropped or pasted text only while the view is empty.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, SignalInstance
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent


def dropped_file(mime: QMimeData) -> Path | None:
    """The first local file in a drop, if any."""
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None


class PasteDropMixin:
    """QPlainTextEdit overrides for paste and drop; the view defines the two signals."""

    # Provided by the view this is mixed into (annotations only, for readers and checkers).
    is_loaded: bool
    text_pasted: SignalInstance
    file_dropped: SignalInstance

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return dropped_file(source) is not None or (source.hasText() and not self.is_loaded)

    def insertFromMimeData(self, source: QMimeData) -> None:
        path = dropped_file(source)
        if path is not None:
            self.file_dropped.emit(path)
        elif source.hasText() and not self.is_loaded and source.text().strip():
            self.text_pasted.emit(source.text())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.canInsertFromMimeData(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if self.canInsertFromMimeData(event.mimeData()):
            event.acceptProposedAction()
            self.insertFromMimeData(event.mimeData())
        else:
            event.ignore()
