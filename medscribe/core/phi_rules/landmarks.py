"""Places said with ordinary words, found by the phrase around them, not by any list.

Small-town speech names places as landmarks ("out by the co op", "near the fairgrounds"), as
somebody's home ("my mom's in paradise"), as a street after a business ("the senior center
on grand") or in apposition to what the place is ("his daycare little sprouts called me").
The words themselves are common English, so each rule needs its phrase; what fills the slot
must pass the same test as a place after "at" (not a time, body part, amount or clinical
word). A false alarm costs a click on the review screen; a missed place leaks.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.at_places import LEADS, place_word
from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
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
from medscribe.core.phi_rules.tokens import ORDINALS, Token, is_blank_gap, split_words

# "out by the co op", "next to the arbors": a landmark after these and "the".
_LANDMARK_BEFORE = frozenset(split_words("by near behind past beside across outside"))
_LANDMARK_PAIRS = frozenset([("next", "to"), ("across", "from"), ("close", "to")])
# Not landmarks even after "by the": "by the way", "by the time", "near the end".
_NOT_LANDMARK = frozenset(
    split_words("""way time end same book bottle dozen hour day week month year pound inch
    bedside sink door window bed phone number mouth nose room wall""")
)
# What a business is, before its name or before "on" + a street: "the senior center on grand".
_KINDS = frozenset(
    split_words("""center centre clinic office pharmacy store shop church school daycare
    preschool gym lodge hall library station plant mill factory warehouse diner cafe bar
    restaurant salon agency company branch place spot joint one""")
)
_NOT_STREET = frozenset(
    split_words("""time call duty site record file staff hold weekends vacation leave disability
    medication meds therapy board top track schedule purpose average foot display sale""")
)
# "my mom's in paradise", "at my sister's out in ferndale".
_HOME_PREP = frozenset(split_words("in at near outside"))
_PERSONS = KINSHIP | PERSON_NOUNS | frozenset(split_words("friend friends buddy neighbor"))


def _slot_word(lex: Lexicon, tok: Token) -> bool:
    """A word that may be (part of) a place's name; two-letter parts too ("co op")."""
    low = tok.low
    if low in _NOT_LANDMARK or low in ORDINALS:  # "near the fifth metacarpal"
        return False
    if len(low) == 2 and tok.is_word and low.isalpha():
        return low not in STOPWORDS and low not in lex.clinical and low not in lex.english
    return place_word(lex, tok)


def _run(tokens: list[Token], lex: Lexicon, a: int, most: int = 3) -> int:
    """End (exclusive) of the place words starting at ``a``; ``a`` when there are none."""
    j = a
    while j < min(len(tokens), a + most) and is_blank_gap(tokens[j]) and _slot_word(lex, tokens[j]):
        j += 1
    return j


def _landmarks(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "out by the co op", "next to the fairgrounds"."""
    n = len(tokens)
    for i in range(n - 2):
        low = tokens[i].low
        pair = (tokens[i - 1].low, low) if i else ("", low)
        if low not in _LANDMARK_BEFORE and pair not in _LANDMARK_PAIRS:
            continue
        article = tokens[i + 1].low == "the"
        a = i + 1 + article
        if a >= n or not is_blank_gap(tokens[a]):
            continue
        j = _run(tokens, lex, a)
        person = {tokens[k].low.removesuffix("s") for k in range(a, j)} & _PERSONS
        # Without "the" one plain word is too weak ("near home", "by myself"): "across from
        # fashion fair" needs two words or one no English list knows.
        bare_ok = j - a >= 2 or (j > a and not lex.is_plain_word(tokens[a].low))
        bare_ok = bare_ok and (pair in _LANDMARK_PAIRS or low in ("near", "behind", "beside"))
        if j > a and not person and (article or bare_ok):
            yield tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION


def _on_street(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "the senior center on grand", "the pharmacy on main": a street with no suffix, after
    what a business is or a name no list knows."""
    for i in range(len(tokens) - 2):
        store = (
            tokens[i].low in _KINDS
            or any(  # "the piggly wiggly on commerce"
                lex.is_unknown(t.low) for t in tokens[max(0, i - 1) : i + 1]
            )
        )
        if not store or tokens[i + 1].low != "on":
            continue
        a = i + 2
        if tokens[a].low in _NOT_STREET or not is_blank_gap(tokens[a]):
            continue
        j = _run(tokens, lex, a, most=2)
        if j > a:
            yield tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION


def _homes(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "to my mom's in paradise": the town where a relative lives."""
    for i in range(len(tokens) - 2):
        tok = tokens[i]
        if tok.name_end == tok.end or tok.low not in _PERSONS:
            continue
        p = i + 1 + (tokens[i + 1].low in ("out", "up", "down", "over"))
        if p + 1 >= len(tokens) or tokens[p].low not in _HOME_PREP:
            continue
        a = p + 1 + (tokens[p + 1].low == "the" and p + 2 < len(tokens))
        j = _run(tokens, lex, a, most=2)
        if j > a:
            yield tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION


def _verbish(low: str) -> bool:
    return low.endswith(("ed", "ing")) or low in ("says", "calls", "wants", "is", "was")


def _appositions(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "his daycare little sprouts called me": a business named right after what it is."""
    n = len(tokens)
    for i in range(1, n - 1):
        if tokens[i].low not in _KINDS or tokens[i - 1].low not in ("my", "his", "her", "our"):
            continue
        a = i + 1
        j = a
        while j < min(n, a + 3) and is_blank_gap(tokens[j]):
            lead = j == a and tokens[j].low in LEADS and j + 1 < n
            if not (lead or _slot_word(lex, tokens[j])) or _verbish(tokens[j].low):
                break
            j += 1
        if j - a >= 2 or (j > a and lex.is_unknown(tokens[a].low)):
            yield tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION


# Churches and hospitals named for a holy thing: "holy trinity", "sacred heart".
_HOLY = frozenset(split_words("holy sacred blessed"))
_NOT_HOLY = frozenset(split_words("cow moly smokes crap heck"))


def _holy(tokens: list[Token]) -> Iterator[Found]:
    """ "the priest from holy trinity", "sacred heart": any word after these but an oath."""
    for i in range(len(tokens) - 1):
        nxt = tokens[i + 1]
        holy = tokens[i].low in _HOLY and is_blank_gap(nxt) and nxt.low not in _NOT_HOLY
        if holy and nxt.is_word and len(nxt.low) > 2 and nxt.low not in STOPWORDS:
            yield tokens[i].start, nxt.end, PhiCategory.LOCATION


def _short_pairs(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "i'm at the co op": two short parts after "the", not both English, not clinical."""
    for i in range(len(tokens) - 2):
        a, b = tokens[i + 1], tokens[i + 2]
        pair = tokens[i].low == "the" and is_blank_gap(b) and len(a.low) == len(b.low) == 2
        if pair and a.is_word and b.is_word and a.low.isalpha() and b.low.isalpha():
            words = {a.low, b.low}
            known = words <= lex.english
            if not (known or words & STOPWORDS or words & lex.clinical):
                yield a.start, b.end, PhiCategory.LOCATION


# "the house on wren court", "turn off cedar hollow road": a street named with plain words,
# after a word of position or movement. Suffixes that are also common nouns after these
# ("on the way", "on the run", "in place") are not in the list.
_STREET_BEFORE = frozenset(split_words("on off onto down up along at to from near"))
_STREET_KINDS = (STREET_SUFFIX_FREE | STREET_SUFFIX_NUMBERED) - frozenset(
    split_words("st dr pl way place run path row loop crossing square sq commons ter")
)


def _named_streets(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    for i in range(1, len(tokens)):
        if tokens[i].low not in _STREET_KINDS or not is_blank_gap(tokens[i]):
            continue
        a = i
        while (
            a > max(0, i - 3) and is_blank_gap(tokens[a]) and _street_name_word(lex, tokens[a - 1])
        ):
            a -= 1
        if a < i and a > 0 and tokens[a - 1].low in _STREET_BEFORE:
            yield tokens[a].start, tokens[i].end, PhiCategory.LOCATION


def _street_name_word(lex: Lexicon, tok: Token) -> bool:
    low = tok.low
    named = _name_part(lex, tok) and len(low) > 1 and low not in _NOT_STREET
    return named or low in ORDINALS


# Words that name ranches by their brand: "the double k", "out on the rocking r".
_BRANDS = frozenset(
    split_words("double triple lazy rocking flying bar circle running diamond broken crooked")
)


def _ranch_brands(tokens: list[Token]) -> Iterator[Found]:
    n = len(tokens)
    for i in range(1, n - 1):
        letter = tokens[i + 1]
        if tokens[i].low not in _BRANDS or tokens[i - 1].low != "the" or not is_blank_gap(letter):
            continue
        if len(letter.text) != 1 or not letter.text.isalpha():
            continue
        after = tokens[i + 2] if i + 2 < n else None
        spelled_on = after is not None and len(after.text) == 1 and after.text.isalpha()
        spelled_on = spelled_on and after.low not in ("i", "a")  # "the lazy j i was helping"
        if not spelled_on:  # not the start of a code spelled letter by letter
            yield tokens[i].start, letter.end, PhiCategory.LOCATION


# "refer you to prairie digestive", "referred him over to lakeside": the practice referred to.
_REFER = frozenset(split_words("refer referred referring refers send sending sent referral"))
_REFER_OBJECTS = frozenset(split_words("you him her them me us over in"))


def _referred_to(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.low not in _REFER:
            continue
        k = i + 1
        while k < min(n, i + 3) and tokens[k].low in _REFER_OBJECTS:
            k += 1
        if tokens[i].low.startswith("s") and k < n and tokens[k].low != "to":
            # "we'll send the orthotic order to stride lab": what is sent, then where
            k = next((m for m in range(k, min(n, k + 5)) if tokens[m].low == "to"), k)
        if k >= n or tokens[k].low != "to" or k + 1 >= n:
            continue
        a = k + 1
        j = _run(tokens, lex, a, most=3)
        person = {tokens[m].low.removesuffix("s") for m in range(a, j)} & _PERSONS
        if tokens[a].low in HONORIFICS_STRONG or tokens[a].low in ("doctor", "nurse"):
            continue  # "send you to dr. martin": a person, found by the name rules
        if tokens[a].low in lex.first_names:
            continue  # "send it to jennifer alvarez": a person too
        named = j - a >= 2 or not all(lex.is_plain_word(tokens[m].low) for m in range(a, j))
        if j > a and not person and named:
            yield tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION


# "a small company called pinwheel data", "your oxygen company is breeze medical".
_BUSINESSES = frozenset(
    split_words("""company outfit business shop firm store restaurant bar church school
    daycare clinic practice agency employer pharmacy lab bakery cafe diner place""")
)


def _named_business(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    n = len(tokens)
    for i in range(n - 2):
        if tokens[i].low not in _BUSINESSES:
            continue
        k = i + 1
        if tokens[k].low in ("called", "named"):
            k += 1
        elif tokens[k].low == "is" and k + 1 < n:
            k += 1 + (tokens[k + 1].low == "that")  # "the company is that breeze medical"
        else:
            continue
        j = k
        while (
            j < min(n, k + 3)
            and is_blank_gap(tokens[j])
            and tokens[j].is_word
            and (tokens[j].low not in STOPWORDS and tokens[j].low not in lex.clinical)
        ):
            j += 1
        ends = j >= n or not tokens[j].is_word or "\n" in tokens[j].gap
        plain_one = j - k == 1 and lex.is_plain_word(tokens[k].low)
        if j > k and ends and not plain_one:
            yield tokens[k].start, tokens[j - 1].end, PhiCategory.LOCATION


# "is it the sunrise crullers place on tamarack": a business named before "place on".
_GENERIC_PLACE = frozenset(split_words("place shop spot joint"))
_NOT_NAME_ADJ = frozenset(
    split_words("""old new same other first last big little good nice best usual regular
    closest nearest cheap chinese mexican italian thai indian japanese ethiopian greek""")
)


def _name_part(lex: Lexicon, tok: Token) -> bool:
    low = tok.low
    return tok.is_word and low.isalpha() and low not in STOPWORDS and low not in lex.clinical


def _place_on_street(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    n = len(tokens)
    for i in range(2, n - 1):
        if tokens[i].low not in _GENERIC_PLACE or tokens[i + 1].low != "on":
            continue
        j = i
        while j > max(0, i - 3) and is_blank_gap(tokens[j]) and _name_part(lex, tokens[j - 1]):
            j -= 1
        if j < i and j > 0 and tokens[j - 1].low == "the" and tokens[j].low not in _NOT_NAME_ADJ:
            yield tokens[j].start, tokens[i - 1].end, PhiCategory.LOCATION


def find_landmarks(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    yield from _ranch_brands(tokens)
    yield from _place_on_street(tokens, lex)
    yield from _named_business(tokens, lex)
    yield from _referred_to(tokens, lex)
    yield from _named_streets(tokens, lex)
    yield from _landmarks(tokens, lex)
    yield from _on_street(tokens, lex)
    yield from _homes(tokens, lex)
    yield from _appositions(tokens, lex)
    yield from _holy(tokens)
    yield from _short_pairs(tokens, lex)
