"""What the PHI rules flag in a piece of text, as the rule tests ask it."""

from __future__ import annotations

from medscribe.core.phi import PhiCategory, PhiSource
from medscribe.core.phi_detect import detect_phi_rules


def flagged(text: str) -> dict[str, PhiCategory]:
    """Every flagged span's text and category (and each span's text checked against it)."""
    spans = detect_phi_rules(text)
    for s in spans:
        assert text[s.start : s.end] == s.text and s.source is PhiSource.RULES
    return {s.text: s.category for s in spans}


def covered(text: str, needle: str) -> PhiCategory | None:
    """The category of the span covering ``needle`` entirely (None when not covered)."""
    start = text.index(needle)
    end = start + len(needle)
    for s in detect_phi_rules(text):
        if s.start <= start and end <= s.end:
            return s.category
    return None


def anything_in(text: str, needle: str) -> bool:
    """Is any character of ``needle`` (its first occurrence) flagged?"""
    start = text.index(needle)
    end = start + len(needle)
    return any(s.start < end and start < s.end for s in detect_phi_rules(text))
