"""The transcript as the physician reviews it: speakers, PHI highlights, review menus.

Empty, the view invites a paste or a dropped file and reports it (``text_pasted``,
``file_dropped``); the window turns that into a transcript. Loaded, it is read-only so that
PHI offsets never shift, but selectable, so text can be marked as PHI. Every decision goes
through the SessionDocument (undoable); the view only redraws on its signals.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QApplication,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)

from medscribe.core.entities import TextSpan
from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan, ReviewState
from medscribe.core.phi_mentions import other_mentions
from medscribe.ui.document import SessionDocument
from medscribe.ui.phi_highlighter import (
    SpanIndex,
    SpeakerHighlighter,
    TextOffsets,
    evidence_selections,
    phi_selections,
    speaker_tags,
)
from medscribe.ui.phi_legend import PhiCountsLabel, PhiLegend
from medscribe.ui.phi_menu import mark_menu, review_menu, span_tooltip
from medscribe.ui.transcript_input import PasteDropMixin

__all__ = ["PhiCountsLabel", "PhiLegend", "TranscriptView"]

log = logging.getLogger(__name__)

PLACEHOLDER = "Paste a transcript here (Ctrl+V), drop a file, or use File > Open (Ctrl+O)."


class TranscriptView(PasteDropMixin, QPlainTextEdit):
    """Read-only transcript with PHI review; editable only to receive a paste when empty."""

    text_pasted = Signal(str)
    file_dropped = Signal(object)  # Path
    span_activated = Signal(int)  # index into document.result.phi_spans
    marked = Signal(str)  # what marking a selection did, in words, for the status bar

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self.setAccessibleName("Transcript")
        self.setPlaceholderText(PLACEHOLDER)
        self.setUndoRedoEnabled(False)  # undo lives in the document's QUndoStack
        self.setTabChangesFocus(True)  # keyboard users can leave the read-only view with Tab
        self.document().setDocumentMargin(10)
        self._doc = document
        self._offsets = TextOffsets("")
        self._index = SpanIndex([])
        self._phi: list[QTextEdit.ExtraSelection] = []
        self._evidence: list[QTextEdit.ExtraSelection] = []
        self._press_pos: QPoint | None = None
        self._menu: QMenu | None = None
        self._speakers = SpeakerHighlighter(self.document())
        document.result_replaced.connect(self._on_document_result_replaced)
        document.phi_changed.connect(self._on_document_phi_changed)
        self._load()

    # --- state from the document ---------------------------------------------------------

    @property
    def is_loaded(self) -> bool:
        return not self._doc.is_empty

    def _load(self) -> None:
        transcript = self._doc.result.transcript
        loaded = self.is_loaded
        self._offsets = TextOffsets(transcript.text if loaded else "")
        self._evidence = []
        self.setPlainText(transcript.text if loaded else "")
        if loaded:
            self.setReadOnly(True)
            self.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
        else:
            self.setReadOnly(False)
        # setReadOnly(True) turns drops off; a dropped file must still open (a new visit).
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self._speakers.set_tags(
            speaker_tags(transcript) if loaded else [], self._offsets, self.palette()
        )
        self._redraw_phi()
        log.debug("transcript shown: %d chars, %d spans", len(transcript.text), len(self._index))

    def _redraw_phi(self) -> None:
        spans = self._doc.result.phi_spans if self.is_loaded else []
        self._index = SpanIndex(spans)
        self._phi = phi_selections(self.document(), spans, self._offsets, self.palette())
        self.setExtraSelections(self._phi + self._evidence)

    def _on_document_result_replaced(self, _result: object) -> None:
        self._load()

    def _on_document_phi_changed(self) -> None:
        self._redraw_phi()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._load()

    # --- positions -----------------------------------------------------------------------

    def span_at(self, position: int) -> int | None:
        """Index of the PHI span covering the Qt document ``position``, if any."""
        return self._index.at(self._offsets.to_py(position))

    def _span_at_point(self, point: QPoint) -> int | None:
        cursor = self.cursorForPosition(point)
        pos = cursor.position()
        # cursorForPosition rounds to the nearest gap: look at the character under the point.
        rect = self.cursorRect(cursor)
        if point.x() < rect.x() and pos > 0:
            pos -= 1
        return self.span_at(pos)

    def current_span(self) -> int | None:
        """The span under the text cursor (or its selection), if any."""
        return self.span_at(self.textCursor().selectionStart())

    def _select_span(self, index: int) -> None:
        span = self._doc.result.phi_spans[index]
        cursor = self.textCursor()
        cursor.setPosition(self._offsets.to_qt(span.start))
        cursor.setPosition(self._offsets.to_qt(span.end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.span_activated.emit(index)

    # --- navigation and actions ------------------------------------------------------------

    def next_phi(self) -> None:
        cursor = self.textCursor()
        index = self._index.next_after(self._offsets.to_py(cursor.selectionStart()))
        if index is not None:
            self._select_span(index)

    def previous_phi(self) -> None:
        cursor = self.textCursor()
        index = self._index.previous_before(self._offsets.to_py(cursor.selectionStart()))
        if index is not None:
            self._select_span(index)

    def mark_selection_as_phi(self, category: PhiCategory | None = None) -> None:
        """Add the selected text as a user PHI span (asks for the category when None)."""
        cursor = self.textCursor()
        if not self.is_loaded or not cursor.hasSelection():
            return
        if category is None:
            menu = mark_menu(self, self.mark_selection_as_phi)
            self._popup(menu, self._cursor_global_pos())
            return
        text = self._doc.result.transcript.text
        start = self._offsets.to_py(cursor.selectionStart())
        end = self._offsets.to_py(cursor.selectionEnd())
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            return
        # The same words elsewhere are marked too (one undo step), except where a span
        # already is: one correction covers every mention of a missed name.
        taken = self._doc.result.phi_spans
        places = [(start, end)] + [
            (s, e)
            for s, e in other_mentions(text, start, end)
            if all(e <= t.start or s >= t.end for t in taken)
        ]
        spans = [
            PhiSpan(
                start=s,
                end=e,
                category=category,
                text=text[s:e],
                source=PhiSource.USER,
                state=ReviewState.CONFIRMED,
            )
            for s, e in places
        ]
        self._doc.add_phi_spans(spans)
        if len(spans) > 1:
            self.marked.emit(f'Marked "{text[start:end]}" in {len(spans)} places (Ctrl+Z undoes)')

    def highlight_evidence(self, spans: list[TextSpan]) -> None:
        """Mark an entity's evidence (replacing the previous one) and scroll to the first."""
        spans = sorted(spans, key=lambda s: s.start) if self.is_loaded else []
        self._evidence = evidence_selections(self.document(), spans, self._offsets, self.palette())
        self.setExtraSelections(self._phi + self._evidence)
        if self._evidence:
            cursor = self.textCursor()
            cursor.setPosition(self._evidence[0].cursor.selectionStart())
            self.setTextCursor(cursor)
            self.centerCursor()

    def evidence_ranges(self) -> list[tuple[int, int]]:
        """Qt ranges currently shown as evidence (for tests and accessibility tools)."""
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in self._evidence]

    def open_span_menu(self, index: int, global_pos: QPoint | None = None) -> QMenu:
        """Show the Confirm / Reject / Change category menu for one span; returns it."""
        menu = review_menu(self, self._doc, index)
        self.span_activated.emit(index)
        self._popup(menu, global_pos or self._cursor_global_pos())
        return menu

    def _popup(self, menu: QMenu, global_pos: QPoint) -> None:
        if self._menu is not None:
            self._menu.close()
            self._menu.deleteLater()
        self._menu = menu
        menu.popup(global_pos)

    def _cursor_global_pos(self) -> QPoint:
        return self.viewport().mapToGlobal(self.cursorRect().bottomLeft())

    # --- Qt event handlers ------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.is_loaded:
            index = self._span_at_point(event.pos())
            if index is None:
                QToolTip.hideText()
            else:
                tip = span_tooltip(self._doc.result.phi_spans[index])
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPoint) -> str:
        """The tooltip shown when hovering ``point`` (viewport coordinates); '' off spans."""
        index = self._span_at_point(point)
        return "" if index is None else span_tooltip(self._doc.result.phi_spans[index])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        pressed, self._press_pos = self._press_pos, None
        if (
            event.button() != Qt.MouseButton.LeftButton
            or pressed is None
            or (pos - pressed).manhattanLength() >= QApplication.startDragDistance()
            or self.textCursor().hasSelection()
            or not self.is_loaded
        ):
            return
        index = self._span_at_point(pos)
        if index is not None:
            self.open_span_menu(index, self.viewport().mapToGlobal(pos))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.is_loaded:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
            elif event.text() and event.text().isprintable():
                event.accept()  # typing is not a transcript: paste or open one instead
            else:
                super().keyPressEvent(event)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.current_span()
            if index is not None:
                self.open_span_menu(index)
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.is_loaded:
            index = self._span_at_point(event.pos())
            if index is not None and not self.textCursor().hasSelection():
                sub = review_menu(self, self._doc, index)
                sub.setTitle("PHI review")
                menu.insertMenu(menu.actions()[0], sub)
            if self.textCursor().hasSelection():
                menu.insertMenu(menu.actions()[0], mark_menu(menu, self.mark_selection_as_phi))
        self._popup(menu, event.globalPos())
