"""The small menus of PHI review: decide on one span, or mark a selection as PHI.

Menus are built fresh for each use and only call back; the view decides what the choices do
(through the SessionDocument, so every decision is undoable).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan, ReviewState
from medscribe.ui.document import SessionDocument
from medscribe.ui.phi_colors import STATE_WORDS, accent_color, category_color, is_dark

SOURCE_WORDS = {
    PhiSource.RULES: "found by rules",
    PhiSource.LLM: "found by the language model",
    PhiSource.USER: "marked by you",
}


def span_tooltip(span: PhiSpan) -> str:
    """'Name — found by rules — to review', then how to act on it."""
    head = f"{span.category.label} — {SOURCE_WORDS[span.source]} — {STATE_WORDS[span.state]}"
    return f"{head}\nClick (or press Enter) to confirm, reject or change the category."


def category_icon(category: PhiCategory, palette: QPalette) -> QIcon:
    """A small swatch of the category colour, as in the transcript."""
    dark = is_dark(palette)
    pixmap = QPixmap(14, 14)
    pixmap.fill(accent_color(category, dark))
    inner = QPixmap(10, 10)
    inner.fill(category_color(category, dark))
    painter = QPainter(pixmap)
    painter.drawPixmap(2, 2, inner)
    painter.end()
    return QIcon(pixmap)


def fill_category_menu(
    menu: QMenu,
    on_choose: Callable[[PhiCategory], None],
    palette: QPalette,
    current: PhiCategory | None = None,
) -> None:
    """One action per category, labelled in words; ``current`` is shown checked."""
    for category in PhiCategory:
        action = QAction(category_icon(category, palette), category.label, menu)
        action.setObjectName(f"phiCategory_{category.value}")
        action.setCheckable(current is not None)
        action.setChecked(category is current)
        action.triggered.connect(lambda _=False, c=category: on_choose(c))
        menu.addAction(action)


def span_menu(
    parent: QWidget,
    span: PhiSpan,
    on_state: Callable[[ReviewState], None],
    on_category: Callable[[PhiCategory], None],
) -> QMenu:
    """Confirm / Reject / Back to review / Change category > ... for one span."""
    menu = QMenu(parent)
    menu.setObjectName("phiSpanMenu")
    menu.setAccessibleName("PHI decision")
    title = menu.addAction(f"{span.category.label}: “{_short(span.text)}”")
    title.setEnabled(False)
    menu.addSeparator()
    confirm = menu.addAction(f"Confirm as {span.category.label}")
    confirm.setObjectName("phiConfirm")
    confirm.setStatusTip("Keep this as PHI: it is removed from de-identified exports.")
    confirm.triggered.connect(lambda: on_state(ReviewState.CONFIRMED))
    reject = menu.addAction("Reject (not PHI)")
    reject.setObjectName("phiReject")
    reject.setStatusTip("This is not an identifier: it stays in de-identified exports.")
    reject.triggered.connect(lambda: on_state(ReviewState.REJECTED))
    if span.state is not ReviewState.PENDING:
        reset = menu.addAction("Back to review")
        reset.setObjectName("phiPending")
        reset.triggered.connect(lambda: on_state(ReviewState.PENDING))
    confirm.setEnabled(span.state is not ReviewState.CONFIRMED)
    reject.setEnabled(span.state is not ReviewState.REJECTED)
    sub = menu.addMenu("Change category")
    sub.setObjectName("phiChangeCategory")
    fill_category_menu(sub, on_category, parent.palette(), current=span.category)
    return menu


def mark_menu(parent: QWidget, on_choose: Callable[[PhiCategory], None]) -> QMenu:
    """'Mark as PHI' > category, for a text selection."""
    menu = QMenu("Mark as PHI (Ctrl+M)", parent)
    menu.setObjectName("phiMarkMenu")
    menu.setAccessibleName("Mark as PHI")
    fill_category_menu(menu, on_choose, parent.palette())
    return menu


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def review_menu(parent: QWidget, document: SessionDocument, index: int) -> QMenu:
    """The span menu for ``document.result.phi_spans[index]``, acting on the document.

    The span list may change while the menu is open (a detection run finishing), so each
    choice finds the span again by its offsets instead of trusting ``index``.
    """
    span = document.result.phi_spans[index]
    key = (span.start, span.end)

    def resolve() -> int | None:
        spans = document.result.phi_spans
        return next((i for i, s in enumerate(spans) if (s.start, s.end) == key), None)

    def on_state(state: ReviewState) -> None:
        if (i := resolve()) is not None:
            document.set_phi_state(i, state)

    def on_category(category: PhiCategory) -> None:
        if (i := resolve()) is not None:
            document.set_phi_category(i, category)

    return span_menu(parent, span, on_state, on_category)
