"""The other mentions of an identifier the physician marked by hand.

A name the rules missed is rarely said once: the patient's sister comes up three times. When
the physician marks one mention, the same words elsewhere in the transcript are marked too
(whole words, any case), so one correction stops every leak of it. Ordinary words are the
exception: marking "Will" or "May" as a name must not mark every "will" and "may".
"""

from __future__ import annotations

import re

from medscribe.core.phi_rules.lexicon import load_lexicon


def other_mentions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of every other whole-word, case-insensitive occurrence of ``text[start:end]``.

    Empty when the marked words are a single ordinary English or clinical word, or too short
    to be told from other words (one character).
    """
    needle = text[start:end]
    if len(needle.strip()) < 2:
        return []
    words = needle.split()
    if len(words) == 1 and load_lexicon().is_plain_word(words[0].lower()):
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.start() != start]
