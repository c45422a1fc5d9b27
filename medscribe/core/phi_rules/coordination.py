"""The other half of "X and Y" when X is a place or a name already found: "we looked at
magnolia manor and the arbors", "we toured the heritage and brookdale", "kat and junie".

People list alike things together, so a plain word joined by "and" / "or" to a place is a
place, and one joined to a name is a name. The joined words must still pass the place or
name test (not a function, clinical, time or body word, not a relative: "sarah and dad"),
and the phrase must end there (punctuation, a line break, or the next clause).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.at_places import LEADS, place_word
from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
    HONORIFICS_WEAK,
    KINSHIP,
    PERSON_NOUNS,
    STOPWORDS,
    Lexicon,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.place_words import (
    STREET_SUFFIX_FREE,
    STREET_SUFFIX_NUMBERED,
)
from medscribe.core.phi_rules.tokens import NUMBER_WORDS, Token, is_blank_gap

_JOIN = frozenset(["and", "or"])
_PLACE_OPENERS = frozenset(["the", "at", "to", "in", "from"])
_NAME_OPENERS = _PLACE_OPENERS | frozenset(["with", "for", "and", "by"])
_TITLES = HONORIFICS_STRONG | HONORIFICS_WEAK
# What follows a street address besides its town: "..., suite 140", "..., zip code 29319".
_NOT_TOWNS = frozenset(["suite", "ste", "apt", "apartment", "unit", "zip", "room", "floor"])
_STREETS = STREET_SUFFIX_FREE | STREET_SUFFIX_NUMBERED
# Words after which a clause (and so a name) starts: "yeah little acorns on ...", "i run elko".
_OPENERS = frozenset(["yeah", "yes", "well", "oh", "uh", "um", "so", "run", "drive", "it's"])
# After the joined words the phrase must end or a clause start: "... and brookdale both were".
_NEXT = frozenset(
    ["both", "are", "were", "is", "was", "and", "but", "so", "too", "then", "can", "could",
     "will", "would", "we", "i", "you", "he", "she", "they", "it", "that", "which", "where"]
)  # fmt: skip


def _fits(lex: Lexicon, tok: Token, category: PhiCategory) -> bool:
    low = tok.low
    if low in KINSHIP or low in PERSON_NOUNS or low.removesuffix("s") in KINSHIP:
        return False
    if category is PhiCategory.LOCATION:
        return place_word(lex, tok)
    return (
        tok.is_word
        and len(low) > 2
        and low.isalpha()
        and low not in STOPWORDS
        and low not in lex.clinical
        and not low.endswith(("ing", "ed", "ly"))
    )


def _town_word(lex: Lexicon, tok: Token) -> bool:
    return place_word(lex, tok) and tok.low not in lex.clinical and not tok.low.endswith("ing")


def _ends(tokens: list[Token], j: int) -> bool:
    return (
        j >= len(tokens)
        or not tokens[j].is_word
        or "\n" in tokens[j].gap
        or (tokens[j].low in _NEXT)
    )


def find_coordinated(tokens: list[Token], lex: Lexicon, found: list[Found]) -> Iterator[Found]:
    starts = [t.start for t in tokens]
    most = {PhiCategory.LOCATION: 3, PhiCategory.NAME: 1}
    for start, end, category in found:
        if category not in most:
            continue
        a = bisect_left(starts, start)
        b = bisect_left(starts, end)  # first token after the span
        # After: "<span> and (the) <words>"
        if b + 1 < len(tokens) and tokens[b].low in _JOIN:
            j = b + 1 + (tokens[b + 1].low == "the")
            k = j
            while (
                k < min(len(tokens), j + most[category])
                and is_blank_gap(tokens[k])
                and _fits(lex, tokens[k], category)
            ):
                k += 1
            if k > j and _ends(tokens, k):
                yield tokens[j].start, tokens[k - 1].end, category
        # The town after a street address: "nineteen twelve orchard bluff drive , portage ."
        if category is PhiCategory.LOCATION and tokens[b - 1].low in _STREETS:
            town = _town_after_address(tokens, lex, b)
            if town is not None:
                yield town
        # A town after a business: "hank's diesel in roundup", "cottonwood drug in lamesa".
        if category is PhiCategory.LOCATION and b + 1 < len(tokens) and tokens[b].low == "in":
            k = b + 1
            while (
                k < min(len(tokens), b + 3)
                and is_blank_gap(tokens[k])
                and _town_word(lex, tokens[k])
            ):
                k += 1
            if k > b + 1 and _ends(tokens, k):
                yield tokens[b + 1].start, tokens[k - 1].end, category
        # A business before its street address: "little acorns on four forty seven tupelo
        # street", and a town before a route: "i run elko to council bluffs".
        if category is PhiCategory.LOCATION and a >= 2 and tokens[a - 1].low in ("on", "to"):
            address = tokens[a].low in NUMBER_WORDS or tokens[a].text[:1].isdigit()
            k = a - 1
            j = k
            while j > max(0, k - 3) and (
                _town_word(lex, tokens[j - 1]) or tokens[j - 1].low in LEADS
            ):
                j -= 1
            opens = j == 0 or not tokens[j - 1].is_word or "\n" in tokens[j].gap
            opens = opens or tokens[j - 1].low in _OPENERS
            # "he goes to sunny patch on orchard hill road": after a place preposition too
            street = tokens[b - 1].low in _STREETS
            prep = j > 0 and tokens[j - 1].low in ("to", "at", "from")
            if j < k and tokens[a - 1].low == "on" and ((address and opens) or (street and prep)):
                yield tokens[j].start, tokens[k - 1].end, category
            before = tokens[k - 1]
            town = tokens[a - 1].low == "to" and _town_word(lex, before)
            if town and (before.low in lex.cities.names or lex.is_unknown(before.low)):
                yield before.start, before.end, category
        # Before: "(the) <words> and <span>", "with dub and tiny okafor", "for buck and mister
        # fenwick"
        if category is PhiCategory.NAME and a >= 3 and tokens[a - 1].low in _TITLES:
            a -= 1
        if a >= 2 and tokens[a - 1].low in _JOIN:
            k = a - 1
            j = k
            while j > max(0, k - most[category]) and _fits(lex, tokens[j - 1], category):
                j -= 1
            openers = _PLACE_OPENERS
            if category is PhiCategory.NAME and all(
                lex.is_name_word(t.low) or (lex.is_unknown(t.low) and t.low not in lex.dictionary)
                for t in tokens[j:k]
            ):
                openers = _NAME_OPENERS  # "with dub and tiny okafor": name-list words only
            opener = (
                j == 0
                or tokens[j - 1].low in openers
                or (not tokens[j - 1].is_word or "\n" in tokens[j].gap)
            )
            if j < k and opener:
                yield tokens[j].start, tokens[k - 1].end, category


def _town_after_address(tokens: list[Token], lex: Lexicon, b: int) -> Found | None:
    """ "<street address> , <one or two place words>" closed by punctuation or a line break."""
    if b + 1 >= len(tokens) or tokens[b].text != ",":
        return None
    k = b + 1
    while k < min(len(tokens), b + 3) and _town_word(lex, tokens[k]):
        k += 1
    # closed by a full stop or a line break ("..., white subaru , plate ..." is a list)
    closed = k >= len(tokens) or tokens[k].text == "." or "\n" in tokens[k].gap
    if k == b + 1 or not closed or tokens[b + 1].low in _NOT_TOWNS:
        return None
    plain = all(lex.is_plain_word(t.low) for t in tokens[b + 1 : k])
    if plain and " ".join(t.low for t in tokens[b + 1 : k]) not in lex.cities.names:
        return None  # "..., correct ?": an ordinary word, unless a town is called that
    return tokens[b + 1].start, tokens[k - 1].end, PhiCategory.LOCATION
