"""Colours and text formats for PHI review, legible on both light and dark palettes.

The scheme (also shown in the legend):

* every PHI category has its own hue; the background is a pale tint of it on a light palette
  and a deep shade of it on a dark one, so the palette's own text colour stays readable;
* **to review** (pending): light tint plus a dashed underline in the category colour, i.e.
  "tentative, look at me";
* **confirmed**: a stronger, solid tint of the same hue and no underline, i.e. "settled";
* **rejected** (not PHI): no tint, greyed text struck through, so it stays visible but quiet.

Speakers get a bold, coloured tag; evidence for a selected entity gets a marker-yellow
background that no PHI category uses.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, QTextCharFormat

from medscribe.core.phi import PhiCategory, ReviewState

# Hue (degrees) per category: the common ones (name, place, date, age, phone, email, MRN, ID)
# are far apart; the rare ones share neighbourhoods and are told apart by tooltip and legend.
_HUES: dict[PhiCategory, int] = {
    PhiCategory.NAME: 25,
    PhiCategory.LOCATION: 130,
    PhiCategory.DATE: 265,
    PhiCategory.AGE: 330,
    PhiCategory.PHONE: 185,
    PhiCategory.EMAIL: 215,
    PhiCategory.SSN: 0,
    PhiCategory.MRN: 48,
    PhiCategory.HEALTH_PLAN: 95,
    PhiCategory.ACCOUNT: 160,
    PhiCategory.LICENSE: 295,
    PhiCategory.VEHICLE: 240,
    PhiCategory.DEVICE: 75,
    PhiCategory.URL: 200,
    PhiCategory.IP: 175,
    PhiCategory.ID: 10,
}

# Speaker tag hues in order of first appearance: blue, red-orange, green, purple, brown, teal.
_SPEAKER_HUES = (215, 12, 140, 280, 35, 180)

STATE_WORDS = {
    ReviewState.PENDING: "to review",
    ReviewState.CONFIRMED: "confirmed",
    ReviewState.REJECTED: "rejected (not PHI)",
}


def is_dark(palette: QPalette) -> bool:
    """True when the palette paints light text on a dark base (dark mode)."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def _hsl(hue: int, sat: float, light: float) -> QColor:
    return QColor.fromHslF(hue / 360.0, sat, light)


def category_color(category: PhiCategory, dark: bool, *, strong: bool = True) -> QColor:
    """Background tint for a category: ``strong`` for confirmed spans, pale for pending."""
    hue = _HUES[category]
    if dark:
        return _hsl(hue, 0.55, 0.34 if strong else 0.22)
    return _hsl(hue, 0.80 if strong else 0.85, 0.78 if strong else 0.90)


def accent_color(category: PhiCategory, dark: bool) -> QColor:
    """The category's saturated colour, for the dashed underline and legend swatch borders."""
    hue = _HUES[category]
    return _hsl(hue, 0.75, 0.68) if dark else _hsl(hue, 0.85, 0.38)


def span_format(category: PhiCategory, state: ReviewState, palette: QPalette) -> QTextCharFormat:
    """The character format of one PHI span in the transcript view."""
    dark = is_dark(palette)
    fmt = QTextCharFormat()
    if state is ReviewState.REJECTED:
        fmt.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        fmt.setFontStrikeOut(True)
        return fmt
    fmt.setForeground(palette.color(QPalette.ColorRole.Text))
    if state is ReviewState.CONFIRMED:
        fmt.setBackground(category_color(category, dark, strong=True))
    else:
        fmt.setBackground(category_color(category, dark, strong=False))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(accent_color(category, dark))
    return fmt


def evidence_format(palette: QPalette) -> QTextCharFormat:
    """Marker-yellow background for the evidence of the selected entity."""
    fmt = QTextCharFormat()
    if is_dark(palette):
        fmt.setBackground(QColor("#8a6a00"))
        fmt.setForeground(QColor("#ffffff"))
    else:
        fmt.setBackground(QColor("#ffd84d"))
        fmt.setForeground(QColor("#000000"))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    return fmt


def speaker_color(index: int, dark: bool) -> QColor:
    """Text colour of the ``index``-th speaker's tag (cycles after six speakers)."""
    hue = _SPEAKER_HUES[index % len(_SPEAKER_HUES)]
    return _hsl(hue, 0.70, 0.72) if dark else _hsl(hue, 0.80, 0.33)


def warning_color(palette: QPalette) -> QColor:
    """Text colour for "check this" marks (unsupported entities), legible on either base."""
    return QColor("#ffb454") if is_dark(palette) else QColor("#a04a00")
