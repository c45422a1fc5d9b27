"""The transcript view: PHI highlights, review menus, navigation, paste/drop, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QHelpEvent,
    QTextCharFormat,
)
from PySide6.QtWidgets import QMenu, QToolTip

from medscribe.core.entities import TextSpan
from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan, ReviewState
from medscribe.core.readers import transcript_from_text
from medscribe.core.session import EncounterResult
from medscribe.core.transcript import Transcript
from medscribe.ui.document import SessionDocument
from medscribe.ui.phi_legend import PhiCountsLabel, PhiLegend
from medscribe.ui.transcript_view import TranscriptView

TEXT = (
    "[doctor] hi martha, you were seen at mercy hospital on march 3rd.\n"
    "[patient] yes, call me at 555-201-3344 if needed.\n"
    "[doctor] and your brother john drove you?\n"
)


def _span(word: str, category: PhiCategory, state=ReviewState.PENDING, source=PhiSource.RULES):
    start = TEXT.index(word)
    return PhiSpan(
        start=start,
        end=start + len(word),
        category=category,
        text=word,
        state=state,
        source=source,
    )


SPANS = [
    _span("martha", PhiCategory.NAME),
    _span("mercy hospital", PhiCategory.LOCATION, ReviewState.CONFIRMED),
    _span("march 3rd", PhiCategory.DATE, ReviewState.REJECTED),
    _span("555-201-3344", PhiCategory.PHONE, source=PhiSource.LLM),
    _span("john", PhiCategory.NAME, ReviewState.CONFIRMED),
]


@pytest.fixture
def doc(qapp) -> SessionDocument:
    document = SessionDocument()
    result = EncounterResult(transcript=transcript_from_text(TEXT), phi_spans=list(SPANS))
    document.load(result)
    return document


@pytest.fixture
def view(qtbot, doc) -> TranscriptView:
    widget = TranscriptView(doc)
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _point_in(view: TranscriptView, span: PhiSpan) -> QPoint:
    """Viewport point over the middle of a span's characters."""
    cursor = view.textCursor()
    cursor.setPosition(span.start + 1)
    return view.cursorRect(cursor).center()


def _open_menu(view: TranscriptView, name: str = "phiSpanMenu") -> QMenu:
    menus = [m for m in view.findChildren(QMenu, name) if m.isVisible()]
    assert len(menus) == 1, f"expected one open {name}"
    return menus[0]


def _action(menu: QMenu, name: str):
    found = [a for a in menu.findChildren(type(menu.actions()[0])) if a.objectName() == name]
    assert found, f"no action {name} in menu"
    return found[0]


def test_every_span_is_highlighted_with_its_category_and_state(view, doc) -> None:
    selections = view.extraSelections()
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in selections] == [
        (s.start, s.end) for s in SPANS
    ]
    fmt = {s.text: sel.format for s, sel in zip(SPANS, selections, strict=True)}
    pending, confirmed, rejected = fmt["martha"], fmt["mercy hospital"], fmt["march 3rd"]
    assert pending.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    assert confirmed.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    assert rejected.fontStrikeOut() and rejected.background().style() == Qt.BrushStyle.NoBrush
    # Categories differ in colour; the same category is stronger once confirmed.
    assert confirmed.background().color() != fmt["john"].background().color()
    assert fmt["john"].background().color() != pending.background().color()
    assert pending.background().color() != fmt["555-201-3344"].background().color()
    assert fmt["john"].background().color().lightness() < pending.background().color().lightness()


def test_speaker_tags_are_bold_and_coloured_per_speaker(view) -> None:
    doc_ = view.document()
    tags = []
    for number in range(3):
        block = doc_.findBlockByNumber(number)
        ranges = block.layout().formats()
        assert ranges and ranges[0].start == 0
        assert ranges[0].format.fontWeight() == QFont.Weight.Bold
        tags.append((block.text()[: ranges[0].length], ranges[0].format.foreground().color()))
    assert [t[0] for t in tags] == ["[doctor]", "[patient]", "[doctor]"]
    assert tags[0][1] == tags[2][1] != tags[1][1]


def test_hover_shows_category_source_and_state(view, qtbot) -> None:
    point = _point_in(view, SPANS[3])
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QGuiApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text().splitlines()[0] == (
        "Phone or fax — found by the language model — to review"
    )
    assert view.tooltip_at(_point_in(view, SPANS[2])).startswith("Date — found by rules — rejected")


def test_click_on_span_then_confirm_is_undoable(view, doc, qtbot) -> None:
    with qtbot.waitSignal(view.span_activated) as activated:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_in(view, SPANS[0]))
    assert activated.args == [0]
    _action(_open_menu(view), "phiConfirm").trigger()
    assert doc.result.phi_spans[0].state is ReviewState.CONFIRMED
    # The highlight follows the document: now solid, no dashed underline.
    assert view.extraSelections()[0].format.underlineStyle() == (
        QTextCharFormat.UnderlineStyle.NoUnderline
    )
    doc.undo_stack.undo()
    assert doc.result.phi_spans[0].state is ReviewState.PENDING


def test_enter_on_current_span_opens_menu_and_rejects(view, doc, qtbot) -> None:
    cursor = view.textCursor()
    cursor.setPosition(SPANS[3].start + 2)
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    _action(_open_menu(view), "phiReject").trigger()
    assert doc.result.phi_spans[3].state is ReviewState.REJECTED
    assert view.toPlainText() == TEXT  # Enter never edits the read-only transcript


def test_change_category_from_the_menu(view, doc) -> None:
    menu = view.open_span_menu(4)
    _action(menu, "phiCategory_LOCATION").trigger()
    assert doc.result.phi_spans[4].category is PhiCategory.LOCATION
    assert doc.result.phi_spans[4].state is ReviewState.CONFIRMED
    doc.undo_stack.undo()
    assert doc.result.phi_spans[4].category is PhiCategory.NAME


def test_mark_selection_as_phi_trims_and_is_undoable(view, doc) -> None:
    start = TEXT.index(" brother ")
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(" brother "), cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.mark_selection_as_phi(PhiCategory.NAME)
    added = [s for s in doc.result.phi_spans if s.source is PhiSource.USER]
    assert [(s.text, s.state) for s in added] == [("brother", ReviewState.CONFIRMED)]
    assert len(view.extraSelections()) == len(SPANS) + 1
    doc.undo_stack.undo()
    assert not [s for s in doc.result.phi_spans if s.source is PhiSource.USER]


def test_mark_without_category_asks_for_one(view, doc) -> None:
    start = TEXT.index("brother")
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + 7, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.mark_selection_as_phi()
    _action(_open_menu(view, "phiMarkMenu"), "phiCategory_ID").trigger()
    assert any(s.text == "brother" and s.category is PhiCategory.ID for s in doc.result.phi_spans)


def test_context_menu_offers_mark_as_phi_for_a_selection(view) -> None:
    cursor = view.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(5, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    point = QPoint(5, 5)
    view.contextMenuEvent(
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.mapToGlobal(point))
    )
    shown = [m for m in view.findChildren(QMenu) if m.isVisible()]
    assert len(shown) == 1
    titles = [a.text() for a in shown[0].actions()]
    assert "Mark as PHI (Ctrl+M)" in titles and any("Copy" in t for t in titles)
    shown[0].close()


def test_next_and_previous_select_spans_in_order_and_wrap(view, qtbot) -> None:
    seen = []
    for _ in range(len(SPANS) + 1):
        with qtbot.waitSignal(view.span_activated) as activated:
            view.next_phi()
        seen.append(activated.args[0])
        assert view.textCursor().selectedText() == SPANS[activated.args[0]].text
    assert seen == [0, 1, 2, 3, 4, 0]
    view.previous_phi()
    assert view.textCursor().selectedText() == SPANS[4].text
    assert view.hasFocus()


def test_loaded_view_is_read_only(view, qtbot) -> None:
    assert view.isReadOnly()
    qtbot.keyClicks(view, "xyz")
    QGuiApplication.clipboard().setText("pasted")
    with qtbot.assertNotEmitted(view.text_pasted):
        qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert view.toPlainText() == TEXT


def test_paste_into_empty_view_emits_text(qtbot, qapp) -> None:
    view = TranscriptView(SessionDocument())
    qtbot.addWidget(view)
    view.show()
    assert not view.isReadOnly() and "Ctrl+V" in view.placeholderText()
    QGuiApplication.clipboard().setText("[doctor] hello\n[patient] hi")
    with qtbot.waitSignal(view.text_pasted) as pasted:
        qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert pasted.args == ["[doctor] hello\n[patient] hi"]
    assert view.toPlainText() == ""  # the window loads it; the view shows the document


def _drop(view: TranscriptView, mime: QMimeData) -> None:
    """A drag entering the viewport, then the drop (Qt ignores a drop without the enter)."""
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QGuiApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QGuiApplication.sendEvent(view.viewport(), event)


def test_dropping_a_file_emits_its_path_even_when_loaded(view, qtbot, tmp_path) -> None:
    path = tmp_path / "visit.txt"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(view.file_dropped) as dropped:
        _drop(view, mime)
    assert dropped.args == [Path(path)]


def test_dropping_text_on_empty_view_emits_it(qtbot, qapp) -> None:
    view = TranscriptView(SessionDocument())
    qtbot.addWidget(view)
    view.show()
    mime = QMimeData()
    mime.setText("Doctor: hello")
    with qtbot.waitSignal(view.text_pasted) as pasted:
        _drop(view, mime)
    assert pasted.args == ["Doctor: hello"]


def test_document_load_makes_view_read_only_and_redraws(qtbot, qapp) -> None:
    doc = SessionDocument()
    view = TranscriptView(doc)
    qtbot.addWidget(view)
    assert view.extraSelections() == []
    doc.load(EncounterResult(transcript=transcript_from_text(TEXT), phi_spans=SPANS[:2]))
    assert view.isReadOnly() and view.toPlainText() == TEXT
    assert len(view.extraSelections()) == 2


def test_evidence_highlight_is_distinct_and_scrolled_to(qtbot, qapp) -> None:
    text = "".join(f"[doctor] line {i} about nothing much\n" for i in range(300))
    text += "[patient] i take lisinopril daily\n"
    doc = SessionDocument()
    doc.load(EncounterResult(transcript=transcript_from_text(text)))
    view = TranscriptView(doc)
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.show()
    qtbot.waitExposed(view)
    start = text.index("lisinopril")
    view.highlight_evidence([TextSpan(start=start, end=start + 10)])
    assert view.evidence_ranges() == [(start, start + 10)]
    assert view.verticalScrollBar().value() > 0
    selections = view.extraSelections()
    bg = selections[-1].format.background().color()
    assert bg.isValid() and bg.alpha() > 0
    view.highlight_evidence([])
    assert view.evidence_ranges() == []


def test_offsets_survive_characters_outside_the_bmp(qtbot, qapp) -> None:
    text = "[doctor] 😀 hello martha 😀 bye\n"
    start = text.index("martha")
    span = PhiSpan(start=start, end=start + 6, category=PhiCategory.NAME, text="martha")
    doc = SessionDocument()
    doc.load(EncounterResult(transcript=Transcript(text=text), phi_spans=[span]))
    view = TranscriptView(doc)
    qtbot.addWidget(view)
    assert view.extraSelections()[0].cursor.selectedText() == "martha"
    view.next_phi()
    assert view.current_span() == 0


def test_counts_label_and_legend_follow_the_document(qtbot, doc) -> None:
    label = PhiCountsLabel(doc)
    legend = PhiLegend(doc)
    qtbot.addWidget(label)
    qtbot.addWidget(legend)
    assert label.text() == "PHI: 2 to review · 2 confirmed · 1 rejected"
    doc.set_phi_state(0, ReviewState.REJECTED)
    assert label.text() == "PHI: 1 to review · 2 confirmed · 2 rejected"
    assert legend.categories() == [
        PhiCategory.NAME,
        PhiCategory.LOCATION,
        PhiCategory.DATE,
        PhiCategory.PHONE,
    ]
    shown = legend.legend_text().replace("&nbsp;", " ")
    assert "Phone or fax" in shown and "Email" not in shown
    assert "Phone&nbsp;or&nbsp;fax" in legend.legend_text()  # never split across lines
    assert PhiLegend().categories() == list(PhiCategory)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Doctor: hi\nPatient: hello\n", ["Doctor:", "Patient:"]),
        ("SPEAKER_00: hi\n  SPEAKER_01: yo\n", ["SPEAKER_00:", "SPEAKER_01:"]),
        ("Dr. Lee: hi\nPt: ok", ["Dr. Lee:", "Pt:"]),
        ("[doctor]: hi\n[patient] x", ["[doctor]:", "[patient]"]),
        ("no speakers in this dictation", []),
    ],
)
def test_speaker_tags_are_found_in_each_transcript_style(text, tags) -> None:
    from medscribe.ui.phi_highlighter import speaker_tags

    found = speaker_tags(transcript_from_text(text))
    assert [text[start:end] for start, end, _ in found] == tags


def test_right_click_on_a_span_offers_its_review(view, doc) -> None:
    point = _point_in(view, SPANS[1])
    view.contextMenuEvent(
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.mapToGlobal(point))
    )
    shown = [m for m in view.findChildren(QMenu) if m.isVisible()]
    review = [a.menu() for a in shown[0].actions() if a.text() == "PHI review"]
    assert len(review) == 1
    _action(review[0], "phiPending").trigger()  # confirmed -> back to review
    assert doc.result.phi_spans[1].state is ReviewState.PENDING
    shown[0].close()


def test_repeated_redraws_keep_none_alive(view, doc) -> None:
    """PySide6 6.12.0 dropped a reference to None on every void call: on Python 3.11 the app
    crashed ("deallocating None") after a few thousand redraws. pyproject excludes it."""
    import sys

    before = sys.getrefcount(None)
    for i in range(2000):
        doc.set_phi_state(0, ReviewState.CONFIRMED if i % 2 else ReviewState.REJECTED)
    assert sys.getrefcount(None) >= before - 100


def test_marking_a_missed_name_marks_its_other_mentions_in_one_undo_step(qtbot) -> None:
    text = "[doctor] who drove you?\n[patient] tavi did. tavi always drives, Tavi is my cousin.\n"
    covered = text.index("always") - len("tavi ")  # the second "tavi" already has a span
    document = SessionDocument()
    existing = PhiSpan(start=covered, end=covered + 4, category=PhiCategory.NAME, text="tavi")
    document.load(EncounterResult(transcript=transcript_from_text(text), phi_spans=[existing]))
    widget = TranscriptView(document)
    qtbot.addWidget(widget)
    start = text.index("tavi")
    cursor = widget.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + 4, cursor.MoveMode.KeepAnchor)
    widget.setTextCursor(cursor)
    with qtbot.waitSignal(widget.marked) as said:
        widget.mark_selection_as_phi(PhiCategory.NAME)
    assert said.args == ['Marked "tavi" in 2 places (Ctrl+Z undoes)']
    added = [s for s in document.result.phi_spans if s.source is PhiSource.USER]
    assert [s.text for s in added] == ["tavi", "Tavi"]
    assert existing in document.result.phi_spans  # the span already there is left alone
    document.undo_stack.undo()
    assert document.result.phi_spans == [existing]
