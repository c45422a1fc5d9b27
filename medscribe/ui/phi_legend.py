"""The PHI legend (what the colours mean) and the review counts under the transcript."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from medscribe.core.phi import PhiCategory, ReviewState
from medscribe.core.steps import StepName, StepState
from medscribe.ui.document import SessionDocument
from medscribe.ui.phi_colors import accent_color, category_color, is_dark


def _chip(text: str, background: str, color: str, extra: str = "") -> str:
    return (
        f'<span style="background-color:{background}; color:{color};{extra}">'
        # Non-breaking inside a chip: a wrapped legend must never split "Phone or fax".
        f"&nbsp;{html.escape(text).replace(' ', '&nbsp;')}&nbsp;</span>"
    )


class PhiLegend(QWidget):
    """A compact, wrapping key: the three review states, then one swatch per category.

    With a document, only the categories present in its spans are listed (all of them when
    there are none yet, so the first look still explains the colours); without one, all.
    """

    def __init__(self, document: SessionDocument | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("phiLegend")
        self.setAccessibleName("PHI colour legend")
        self._document = document
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.RichText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self._label)
        if document is not None:
            document.phi_changed.connect(self._on_document_phi_changed)
            document.result_replaced.connect(self._on_document_result_replaced)
        self._refresh()

    def categories(self) -> list[PhiCategory]:
        """The categories the legend currently lists, in menu order."""
        if self._document is None:
            return list(PhiCategory)
        present = {s.category for s in self._document.result.phi_spans}
        return [c for c in PhiCategory if c in present] or list(PhiCategory)

    def _refresh(self) -> None:
        pal = self.palette()
        dark = is_dark(pal)
        text = pal.color(QPalette.ColorRole.Text).name()
        grey = pal.color(QPalette.ColorRole.PlaceholderText).name()
        sample = PhiCategory.NAME
        states = [
            _chip(
                "to review",
                category_color(sample, dark, strong=False).name(),
                text,
                f" text-decoration: underline; border-bottom: 1px dashed "
                f"{accent_color(sample, dark).name()};",
            ),
            _chip("confirmed", category_color(sample, dark).name(), text),
            _chip("rejected", "transparent", grey, " text-decoration: line-through;"),
        ]
        cats = [_chip(c.label, category_color(c, dark).name(), text) for c in self.categories()]
        self._label.setText(
            "<b>PHI</b>&nbsp; " + " ".join(states) + " &nbsp;|&nbsp; " + " ".join(cats)
        )
        self.setToolTip(
            "Pale with a dashed underline: still to review. Solid colour: confirmed PHI. "
            "Grey and struck through: rejected, not PHI. The colour says the kind of "
            "identifier."
        )

    def legend_text(self) -> str:
        return self._label.text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh()
        super().changeEvent(event)

    def _on_document_phi_changed(self) -> None:
        self._refresh()

    def _on_document_result_replaced(self, _result: object) -> None:
        self._refresh()


class PhiCountsLabel(QLabel):
    """'PHI: 12 to review · 30 confirmed · 2 rejected', kept current with the document."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phiCounts")
        self.setAccessibleName("PHI review counts")
        self._document = document
        document.phi_changed.connect(self._on_document_phi_changed)
        document.result_replaced.connect(self._on_document_result_replaced)
        document.steps_changed.connect(self._on_document_steps_changed)
        self._refresh()

    def counts(self) -> dict[ReviewState, int]:
        out = dict.fromkeys(ReviewState, 0)
        for span in self._document.result.phi_spans:
            out[span.state] += 1
        return out

    def _refresh(self) -> None:
        result = self._document.result
        n = self.counts()
        phi_done = result.steps.get(StepName.PHI)
        if result.phi_spans:
            text = (
                f"PHI: {n[ReviewState.PENDING]} to review · "
                f"{n[ReviewState.CONFIRMED]} confirmed · {n[ReviewState.REJECTED]} rejected"
            )
        elif phi_done is not None and phi_done.state is StepState.DONE:
            text = "PHI: none found"
        elif self._document.is_empty:
            text = "PHI: no transcript yet"
        else:
            text = "PHI: not checked yet"
        self.setText(text)
        self.setToolTip(
            "Identifiers found in the transcript and your decisions on them. "
            "Pending and confirmed ones are removed from de-identified exports."
        )

    def _on_document_phi_changed(self) -> None:
        self._refresh()

    def _on_document_result_replaced(self, _result: object) -> None:
        self._refresh()

    def _on_document_steps_changed(self) -> None:
        self._refresh()
