"""The left side of the window: the transcript with its PHI tools around it.

Above: the review counts and Previous / Next / Mark as PHI (buttons placing the window's
actions). Below: the colour legend. The transcript view itself is H7's ``TranscriptView``.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from medscribe.ui.actions import Actions
from medscribe.ui.document import SessionDocument
from medscribe.ui.phi_legend import PhiCountsLabel, PhiLegend
from medscribe.ui.transcript_view import TranscriptView


def _button(action: QAction, text: str) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setText(text)  # shorter than the menu text; the tooltip keeps the shortcut
    button.setAccessibleName(action.toolTip())
    return button


class TranscriptPane(QWidget):
    def __init__(
        self, document: SessionDocument, actions: Actions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptPane")
        self.view = TranscriptView(document)
        self.counts = PhiCountsLabel(document)
        self.legend = PhiLegend(document)
        # Lambdas: triggered(bool) must not reach the optional ``category`` parameter.
        actions.next_phi.triggered.connect(lambda: self.view.next_phi())
        actions.previous_phi.triggered.connect(lambda: self.view.previous_phi())
        actions.mark_phi.triggered.connect(lambda: self.view.mark_selection_as_phi())

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.counts, 1)
        top.addWidget(_button(actions.previous_phi, "◀ Previous"))
        top.addWidget(_button(actions.next_phi, "Next ▶"))
        top.addWidget(_button(actions.mark_phi, "Mark as PHI"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
