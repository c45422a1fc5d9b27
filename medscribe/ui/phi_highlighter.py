"""Drawing the transcript: speaker tags (a syntax highlighter) and PHI spans (extra selections).

Why two mechanisms: speaker tags never change after a transcript is loaded, so they are laid
out once as block formats (bold changes glyph widths, which only layout formats can do).
PHI spans change with every review decision; ``QPlainTextEdit`` extra selections are painted
over the laid-out text without a relayout, so redrawing ~1,000 spans in a 25,000-word
transcript costs only building the selection list (see bench/bench_transcript_view.py).

Offsets: the core counts Python characters, Qt counts UTF-16 units. They differ only after
characters outside the Basic Multilingual Plane (emoji), which :class:`TextOffsets` maps.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from PySide6.QtGui import (
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextEdit

from medscribe.core.entities import TextSpan
from medscribe.core.phi import PhiSpan
from medscribe.core.transcript import Transcript
from medscribe.ui.phi_colors import evidence_format, is_dark, span_format, speaker_color


class TextOffsets:
    """Maps Python string offsets to Qt document positions and back."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # Qt position just after each astral character (its two UTF-16 units).
        self._qt_ends = [i + k + 2 for k, i in enumerate(self._astral)]

    def to_qt(self, offset: int) -> int:
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_py(self, position: int) -> int:
        if not self._astral:
            return position
        return position - bisect_right(self._qt_ends, position)


_TAG_AROUND = re.compile(r"^\s*[\[<(]?\s*$")


def speaker_tags(transcript: Transcript) -> list[tuple[int, int, str]]:
    """(start, end, speaker) of the speaker tag at the start of each turn, Python offsets.

    The tag keeps its text as written ("[doctor]", "Dr. Lee:", "SPEAKER_00:"); this finds
    it near the start of the segment and takes its brackets or colon with it.
    """
    tags: list[tuple[int, int, str]] = []
    text = transcript.text
    for seg in transcript.segments:
        if not seg.speaker:
            continue
        head = text[seg.start : min(seg.end, seg.start + len(seg.speaker) + 12)]
        at = head.lower().find(seg.speaker.lower())
        if at < 0 or not _TAG_AROUND.match(head[:at]):
            continue
        start = seg.start + len(head[:at]) - len(head[:at].lstrip())
        end = seg.start + at + len(seg.speaker)
        while end < seg.end and text[end] in "]>):" and end - (seg.start + at) < 60:
            end += 1
        tags.append((start, end, seg.speaker))
    return tags


class SpeakerHighlighter(QSyntaxHighlighter):
    """Bold, per-speaker coloured tags at the start of each turn."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._starts: list[int] = []
        self._tags: list[tuple[int, int, int]] = []  # qt start, qt end, speaker number
        self._formats: list[QTextCharFormat] = []

    def set_tags(
        self, tags: list[tuple[int, int, str]], offsets: TextOffsets, palette: QPalette
    ) -> None:
        """Tags in Python offsets; colours follow the order speakers first appear."""
        order: dict[str, int] = {}
        self._tags = []
        for start, end, speaker in tags:
            number = order.setdefault(speaker.lower(), len(order))
            self._tags.append((offsets.to_qt(start), offsets.to_qt(end), number))
        self._starts = [t[0] for t in self._tags]
        dark = is_dark(palette)
        self._formats = []
        for number in range(len(order)):
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setForeground(speaker_color(number, dark))
            self._formats.append(fmt)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if not self._tags:
            return
        block_start = self.currentBlock().position()
        block_end = block_start + len(text)
        i = bisect_left(self._starts, block_start)
        while i < len(self._tags) and self._tags[i][0] < block_end:
            start, end, number = self._tags[i]
            self.setFormat(start - block_start, min(end, block_end) - start, self._formats[number])
            i += 1


def _selection(
    document: QTextDocument, start: int, end: int, fmt: QTextCharFormat
) -> QTextEdit.ExtraSelection:
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    sel = QTextEdit.ExtraSelection()
    sel.cursor = cursor
    sel.format = fmt
    return sel


def phi_selections(
    document: QTextDocument, spans: list[PhiSpan], offsets: TextOffsets, palette: QPalette
) -> list[QTextEdit.ExtraSelection]:
    """One extra selection per PHI span, formats shared per (category, state)."""
    formats: dict[tuple[str, str], QTextCharFormat] = {}
    limit = document.characterCount() - 1
    out: list[QTextEdit.ExtraSelection] = []
    for span in spans:
        key = (span.category.value, span.state.value)
        fmt = formats.get(key)
        if fmt is None:
            fmt = formats[key] = span_format(span.category, span.state, palette)
        start, end = offsets.to_qt(span.start), min(offsets.to_qt(span.end), limit)
        if start < end:
            out.append(_selection(document, start, end, fmt))
    return out


def evidence_selections(
    document: QTextDocument, spans: list[TextSpan], offsets: TextOffsets, palette: QPalette
) -> list[QTextEdit.ExtraSelection]:
    fmt = evidence_format(palette)
    limit = document.characterCount() - 1
    out = []
    for span in spans:
        start, end = offsets.to_qt(span.start), min(offsets.to_qt(span.end), limit)
        if start < end:
            out.append(_selection(document, start, end, fmt))
    return out


class SpanIndex:
    """Which PHI span covers a character: a bisect over span starts (spans do not overlap)."""

    def __init__(self, spans: list[PhiSpan]) -> None:
        order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
        self._order = order
        self._starts = [spans[i].start for i in order]
        self._ends = [spans[i].end for i in order]

    def __len__(self) -> int:
        return len(self._order)

    def at(self, offset: int) -> int | None:
        """Index (into the document's span list) of the span containing ``offset``."""
        k = bisect_right(self._starts, offset) - 1
        if k >= 0 and offset < self._ends[k]:
            return self._order[k]
        return None

    def next_after(self, offset: int) -> int | None:
        """The first span starting after ``offset``, wrapping to the first span."""
        if not self._order:
            return None
        k = bisect_right(self._starts, offset)
        return self._order[k % len(self._order)]

    def previous_before(self, offset: int) -> int | None:
        """The last span starting before ``offset``, wrapping to the last span."""
        if not self._order:
            return None
        k = bisect_left(self._starts, offset) - 1
        return self._order[k % len(self._order)]
