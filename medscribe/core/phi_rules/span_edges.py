"""Last touch on where a span ends: the parts of an identifier the rules left just outside it.

A highlight that covers "okonkwo" but not "-obi", or "(555) 201-3344" but not "ext. 214",
still lets part of the identifier through to a de-identified export. So a name runs on over
hyphenated parts ("okonkwo-obi", "ti-jean"), a phone number over its extension, a code over
letters spelled the long way before it ("M as in Mary, 4 4 7 ..."), an age over "and a half",
a place over the last word of a business's name ("vision works"), and two spans one generic
word apart become one place ("Lakeview Family Medicine").
"""

from __future__ import annotations

from bisect import bisect_left

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.place_words import FACILITY_GENERIC
from medscribe.core.phi_rules.tokens import DIGIT_WORDS, Token, is_blank_gap, split_words

_EXTENSION = frozenset(["ext", "extension", "x"])
_NAMED = (PhiCategory.NAME, PhiCategory.LOCATION)
_CODES = frozenset(
    [
        PhiCategory.MRN, PhiCategory.HEALTH_PLAN, PhiCategory.ACCOUNT, PhiCategory.LICENSE,
        PhiCategory.VEHICLE, PhiCategory.DEVICE, PhiCategory.ID, PhiCategory.SSN,
    ]
)  # fmt: skip
# Last words of a business's name that the place rules leave out: "vision works".
_TAILS = frozenset(
    split_words("""works care square mill pt builders va center centre place house store farm
    ranch drugs software supply feed lanes diner grill cafe bakery market""")
)


def _spelled_letter(tokens: list[Token], k: int) -> bool:
    """ "m as in mary" at ``tokens[k:k+4]``."""
    if k < 0 or k + 3 >= len(tokens) or not tokens[k + 3].is_word:
        return False
    letter, as_, in_ = tokens[k], tokens[k + 1], tokens[k + 2]
    return len(letter.low) == 1 and letter.low.isalpha() and as_.low == "as" and in_.low == "in"


def _age_tail(tokens: list[Token], b: int) -> int:
    """Index after "and a half" / "and three-quarters" / "-something" at ``tokens[b]``."""
    if b < len(tokens) and tokens[b].low == "something":
        return b + 1
    words = [t.low for t in tokens[b : b + 3]]
    if words[:3] == ["and", "a", "half"]:
        return b + 3
    if words[:2] in (["and", "three-quarters"], ["and", "three"]):
        return b + 2 + (words[1] == "three" and b + 2 < len(tokens))
    return b


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
        elif category is PhiCategory.AGE:
            stop = _age_tail(tokens, b)
            if stop > b:
                end = tokens[stop - 1].end  # "ninety-nine and a half", "ninety-something"
        elif category in _CODES:
            # "M as in Mary , 4 4 7 ...": the first letters said the long way
            while True:
                comma = a > 0 and tokens[a - 1].text == ","
                k = a - 4 - comma
                if not _spelled_letter(tokens, k):
                    break
                a = k
                start = tokens[a].start
        elif category is PhiCategory.LOCATION:
            while b < len(tokens) and is_blank_gap(tokens[b]) and tokens[b].low in _TAILS:
                end = tokens[b].end  # "vision works", "accent care", "des moines va"
                b += 1
        out.append((start, end, category))
    return _bridge(tokens, out)


def _bridge(tokens: list[Token], found: list[Found]) -> list[Found]:
    """Two spans with one generic word between them are one place: "Lakeview [Family]
    Medicine", "Snake River [Physical] Therapy"."""
    starts = [t.start for t in tokens]
    out: list[Found] = []
    for span in found:
        if out and out[-1][2] in _NAMED and span[2] in _NAMED:
            b = bisect_left(starts, out[-1][1])
            between = tokens[b] if b < len(tokens) else None
            if (
                between is not None
                and b + 1 < len(tokens)
                and tokens[b + 1].start == span[0]
                and is_blank_gap(between)
                and is_blank_gap(tokens[b + 1])
                and between.low in FACILITY_GENERIC
            ):
                out[-1] = (out[-1][0], span[1], PhiCategory.LOCATION)
                continue
        out.append(span)
    return out
