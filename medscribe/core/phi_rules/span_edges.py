"""Last touch on where a span ends: the parts of an identifier the rules left just outside it.

A highlight that covers "okonkwo" but not "-obi", or "(555) 201-3344" but not "ext. 214",
still lets part of the identifier through to a de-identified export. So a name runs on over
hyphenated parts ("okonkwo-obi", "ti-jean"), and a phone number over its extension.
"""

from __future__ import annotations

from bisect import bisect_left

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import DIGIT_WORDS, Token

_EXTENSION = frozenset(["ext", "extension", "x"])


def _hyphen_part(tokens: list[Token], k: int) -> bool:
    """Is ``tokens[k]`` a word joined to the one before it by a bare hyphen?"""
    tok = tokens[k]
    return tok.gap == "-" and tok.is_word and tok.low.replace("'", "").isalpha()


def _extension_end(tokens: list[Token], b: int) -> int | None:
    """Index after "ext. 214" / ", extension two two six" starting at ``tokens[b]``."""
    k = b + (b < len(tokens) and tokens[b].text == ",")
    if k >= len(tokens) or tokens[k].low not in _EXTENSION:
        return None
    k += 1 + (k + 1 < len(tokens) and tokens[k + 1].text == ".")
    j = k
    while j < min(len(tokens), k + 5) and (
        tokens[j].text.isdigit() or tokens[j].low in DIGIT_WORDS
    ):
        j += 1
    return j if j > k else None


def widen(tokens: list[Token], found: list[Found]) -> list[Found]:
    """``found`` with names run on over hyphenated parts and phones over their extension."""
    starts = [t.start for t in tokens]
    out: list[Found] = []
    for start, end, category in found:
        a = bisect_left(starts, start)
        b = bisect_left(starts, end)
        if category is PhiCategory.NAME and b > a:
            while b < len(tokens) and _hyphen_part(tokens, b) and tokens[b - 1].end == end:
                end = tokens[b].name_end
                b += 1
            while a > 0 and _hyphen_part(tokens, a) and tokens[a - 1].is_word:
                a -= 1
                start = tokens[a].start
        elif category is PhiCategory.PHONE:
            stop = _extension_end(tokens, b)
            if stop is not None:
                end = tokens[stop - 1].end
        out.append((start, end, category))
    return out
