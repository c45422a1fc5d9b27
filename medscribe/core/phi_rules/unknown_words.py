"""The last net: a word that no list and no large dictionary knows.

Names from many cultures ("funmi", "dragan", "tove") and nicknames reach a transcript without
any cue a rule could use, and the census lists do not hold them. A word that is in none of the
project's lists (English, clinical, Spanish, names, places) and not in a 430,000-word English
dictionary either is most likely a name, so it is flagged as one, but only where no other rule
claimed the text: the review screen shows it, and the physician rejects the few that are drug
brands or speech-recognition slips.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
    HONORIFICS_WEAK,
    KINSHIP,
    US_STATES,
    Lexicon,
    is_label_word,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import Token, split_words

_VOWELS = frozenset("aeiouy")


def _never_heard_of(tok: Token, lex: Lexicon) -> bool:
    low = tok.low
    if not tok.is_word or len(low) < 3 or not low.replace("'", "").isalpha():
        return False
    if not _VOWELS & set(low):
        return False  # "cdl", "phq", "dnr": abbreviations, said letter by letter
    if tok.text.isupper() and len(low) <= 5:
        return False  # "HPI", "POLST" in typed notes
    if low in KINSHIP or low in HONORIFICS_STRONG or low in HONORIFICS_WEAK:
        return False
    if low in US_STATES or is_label_word(tok):
        return False
    return lex.is_unknown(low) and low not in lex.dictionary and not _compound(low, lex)


def _compound(low: str, lex: Lexicon) -> bool:
    """Two known words run together ("weightbearing", "pickleball") or a known word behind a
    prefix ("nonhealing", "preauth"): vocabulary, not a name."""
    for cut in range(2, len(low) - 2):
        head, tail = low[:cut], low[cut:]
        if (head in _PREFIXES or (len(head) > 2 and lex.is_plain_word(head))) and (
            lex.is_plain_word(tail) or tail in lex.dictionary
        ):
            return True
    return False


_PREFIXES = frozenset(
    split_words("""non un re pre post sub super anti hyper hypo intra inter peri para retro neuro
    cardio micro macro multi poly mono semi pseudo over under""")
)


def find_unknown_words(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    for i, tok in enumerate(tokens):
        # a piece of a hyphenated word ("accu-cheks", "neuro-exam") is shorthand, not a name
        # and a word cut off mid-speech ("partici- for participating") is no name either
        joined = tok.gap == "-" or (i + 1 < len(tokens) and tokens[i + 1].gap.startswith("-"))
        if not joined and _never_heard_of(tok, lex):
            yield tok.start, tok.name_end, PhiCategory.NAME
