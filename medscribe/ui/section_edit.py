"""A plain-text editor bound to one section of the document (SOAP or structured).

Its own undo is off: typing goes to ``SessionDocument`` (merged into one undo step per run of
typing), so Ctrl+Z in the editor is the window's Undo and undoes PHI decisions, entity edits
and note text in one history. When the document changes (undo, a step result) the editor takes
the new text, keeping the cursor where it was as far as the text allows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class SectionEdit(QPlainTextEdit):
    """Sends the user's edits to ``commit(text)``; ``show_text`` shows the document's text."""

    def __init__(
        self,
        object_name: str,
        accessible_name: str,
        commit: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible_name)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)  # keyboard users can leave the editor with Tab
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._commit = commit
        self._updating = False
        self._generating = False
        self.textChanged.connect(self._on_self_text_changed)

    # --- shown text ---------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        """Show the document's text without echoing it back as an edit."""
        if text == self.toPlainText():
            return
        cursor = self.textCursor()
        pos, anchor = cursor.position(), cursor.anchor()
        bar = self.verticalScrollBar()
        scroll = bar.value()
        at_end = scroll >= bar.maximum() - 2
        self._updating = True
        try:
            self.setPlainText(text)
        finally:
            self._updating = False
        n = len(text)
        cursor = self.textCursor()
        cursor.setPosition(min(anchor, n))
        cursor.setPosition(min(pos, n), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        # While text streams in, follow it if the reader was at the end; else stay put.
        bar.setValue(bar.maximum() if (self._generating and at_end) else scroll)

    def set_generating(self, generating: bool) -> None:
        """Read-only while the model writes this text, so typing cannot be lost."""
        self._generating = generating
        self.setReadOnly(generating)

    def _on_self_text_changed(self) -> None:
        if not self._updating and not self._generating:
            self._commit(self.toPlainText())

    # --- let the window's Undo/Redo handle Ctrl+Z / Ctrl+Y --------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo_redo(event):  # type: ignore[arg-type]
            event.ignore()  # not ours: the window's Undo/Redo shortcut fires
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_undo_redo(event):
            event.ignore()
            return
        super().keyPressEvent(event)


def _is_undo_redo(event: QKeyEvent) -> bool:
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() == Qt.Key.Key_Y and mods == Qt.KeyboardModifier.ControlModifier
