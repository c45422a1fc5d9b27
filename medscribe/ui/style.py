"""Colours and small style helpers that follow the OS light/dark palette.

No global stylesheet: the platform style and palette stay in charge (dark mode, high
contrast). Where the app adds meaning with colour (a failed step), the colour is chosen for
the current palette and the meaning is always in words too.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from medscribe.core.steps import StepState


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


_LIGHT = {"good": QColor(26, 127, 55), "bad": QColor(185, 28, 28), "busy": QColor(29, 78, 216)}
_DARK = {"good": QColor(86, 211, 100), "bad": QColor(255, 123, 114), "busy": QColor(121, 192, 255)}

_TONES = {
    StepState.DONE: "good",
    StepState.FAILED: "bad",
    StepState.WAITING: "busy",
    StepState.PROMPT: "busy",
    StepState.GENERATING: "busy",
}


def state_colour(state: StepState, palette: QPalette) -> QColor | None:
    """Text colour for a step's state words; None keeps the palette's own text colour."""
    tone = _TONES.get(state)
    if tone is None:
        return None
    return (_DARK if is_dark(palette) else _LIGHT)[tone]


def set_text_colour(widget: QWidget, colour: QColor | None) -> None:
    """Colour a label's text through its palette (so it survives style changes)."""
    palette = QPalette(widget.palette())
    default = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    palette.setColor(QPalette.ColorRole.WindowText, colour or default)
    widget.setPalette(palette)
