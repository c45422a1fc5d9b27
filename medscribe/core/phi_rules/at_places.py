"""Places after a bare "at" ("a clinic at harbor view") and street corners ("fifth and maple").

Where care, work and errands happen is said with "at", and the place is often one or two
ordinary words no list knows ("at riverside", "at southdale", "at vision works"). Everything
else said after "at" is a small, closed set: times ("at night", "at bedtime"), amounts ("at
least", "at high risk"), generic places ("at home", "at the hospital"), body sites ("at the
knee"), numbers. So after "at" (and an optional "the") the words that are none of those are
taken as a place. A missed identifier costs more than a false alarm; on clinical speech this
rule mostly fires on real places.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import (
    KINSHIP,
    MONTHS,
    PERSON_NOUNS,
    STOPWORDS,
    WEEKDAYS,
    Lexicon,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.place_words import (
    PLACE_STOP,
)
from medscribe.core.phi_rules.tokens import (
    NUMBER_WORDS,
    ORDINALS,
    Token,
    is_blank_gap,
    split_words,
)

# Words after "at" that are not a named place: times, degrees, generic places, positions.
_AT_COMMON = PLACE_STOP | frozenset(
    split_words("""
    noon midnight bedtime dinnertime lunchtime naptime dawn dusk sunrise sunset weekends
    weekend night nights first last once all least most best worst rest baseline times moment
    end beginning start top bottom side sides front rear middle center level levels site
    point age ages risk birth high higher low lower normal full maximum max minimum min
    peak random regular least same different various home house apartment place places
    parties party games game practice meeting meetings events event funerals wedding
    weddings church school work job desk table computer door window counter register
    store stores shop mall grocery supermarket restaurant bar pool beach park lake river
    airport station gas hotel daycare camp playground library bank post mailbox
    appointment appointments visit visits checkup office's doctor's dentist dentist's
    hospital's er urgent care clinic hospital pharmacy lab hand quick glance rate dose doses
    doses discharge admission presentation intake triage followup follow least times
    this that these those which what whatever whom risk stake once ease peace fault war
    sea bay odds length large heart times moment times hand random times pace speed
    intervals interval base bases young current results result request requests
    shoulder shoulders wrist wrists knee knees elbow elbows ankle ankles hip hips neck
    waist chest arm arms leg legs foot feet toe toes finger fingers thigh calf back spine
    biceps triceps forearm heel left right bilateral highest lowest plant factory mill
    warehouse farm shop medial lateral inferior superior anterior posterior proximal distal
    aspect goal goals target another other outside local nearby joint line tip apex
    insertion margin edge border wound incision injection port stop sign bus fire light
    corner scene wheel hospice medicare medicaid insurance company family""")
)
# "look at", "good at", "mad at": "at" after these is not about a place.
_NOT_PLACE_BEFORE = frozenset(
    split_words("""look looks looking looked glance glanced stare staring stared point
    pointing pointed aim aimed aiming good bad great better best worse terrible mad angry
    upset yell yelled yelling laugh laughed laughing shoot shot throw threw thrown hint
    hinted hints pick picking picked poke poking scratch scratching scratched swing swung
    swinging tug tugging pull pulling jab grab grabbing peek peeked nibble nibbling
    smile smiled smiling wave waved waving arrive arrived arrives arriving surprised
    estimated estimate valued priced set started starts starting peaked peaks capped
    stable steady maintained plateaued stopped stuck""")
)
# Nouns that end names of places said with ordinary words: "the cozy corner", "the
# gathering place", "legion post". Common after "at the" on their own, so never a name alone.
_NAME_TAILS = frozenset(
    split_words("""corner place post house shop spot hall barn den nest hut shack tap lounge club
    lanes alley tavern grill pub inn diner bakery market ranch""")
)
_LEADS = frozenset(split_words("little big new old good great grand first"))
# "she's with birthwise", "i'm with accent care": whom someone works for or is cared by.
_WHO_IS = frozenset(split_words("i'm im she's he's they're we're"))


# After "at the" and one plain word these make a named workplace: "the paper mill".
_WORKPLACES = frozenset(split_words("mill plant factory farm store yard works depot"))


def _plural_name(tok: Token) -> bool:
    """A plural after "at the" names a place ("the arbors", "the commons"), unlike a singular
    common noun ("the cabin"); "at publix at the summit" is caught by the unknown word before."""
    low = tok.low
    return len(low) > 4 and low.endswith("s") and not low.endswith(("ss", "us", "is"))


def _place_word(lex: Lexicon, tok: Token) -> bool:
    """Could this word be (part of) a place's name after "at"?"""
    low = tok.low
    if not tok.is_word or len(low) < 3 or not low.replace("'", "").isalpha():
        return False
    return not (
        low in STOPWORDS
        or low in _AT_COMMON
        or (low.endswith("s") and low[:-1] in _AT_COMMON)  # "at gyms", "at parties"
        or (low.endswith("ies") and low[:-3] + "y" in _AT_COMMON)
        or low in lex.clinical
        or low in NUMBER_WORDS
        or low in MONTHS
        or low in WEEKDAYS
    )


place_word = _place_word  # shared with ``landmarks``
LEADS = _LEADS


def _opens(lex: Lexicon, tokens: list[Token], a: int) -> bool:
    """May ``tokens[a]`` open a place's name? "at riverside"; an adjective or a word in -ing
    only before another name word: "at little acorns", "at the gathering place"."""
    tok = tokens[a]
    nxt = tokens[a + 1] if a + 1 < len(tokens) else None
    followed = nxt is not None and is_blank_gap(nxt) and _place_word(lex, nxt)
    if tok.low in _LEADS:
        return followed
    if not _place_word(lex, tok):
        return False
    return followed or not tok.low.endswith(("ly", "ing"))


def _with_place(tokens: list[Token], lex: Lexicon, i: int) -> Found | None:
    """An organisation after "she's with" ("she's with accent care"), or None."""
    n = len(tokens)
    a = i + 1 + (i + 1 < n and tokens[i + 1].low == "the")
    j = a
    while j < min(n, a + 3) and is_blank_gap(tokens[j]) and _place_word(lex, tokens[j]):
        person = {tokens[j].low, tokens[j].low.removesuffix("s")}  # "friends", "kids"
        if person & KINSHIP or person & PERSON_NOUNS:
            return None
        j += 1
    return (tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION) if j > a else None


# "the urgent care at five points", "out at seven oaks": a number before a plural is a
# place's name, unless the plural counts time, amounts or body parts.
_COUNTED = frozenset(
    split_words("""minutes hours days weeks months years times nights mornings pounds pills
    tablets doses shots units percent places spots ways things sides parts pieces
    people kids children feet inches miles blocks steps stairs flights degrees beats drinks
    beers cups glasses servings packs cigarettes rounds sets reps visits episodes
    milligrams micrograms grams kilograms milliliters liters ounces puffs drops
    sprays hundreds thousands""")
)


def _legion_post(tokens: list[Token], a: int) -> Found | None:
    """ "the meetings at post 1137": a veterans' post by its number."""
    if a + 1 < len(tokens) and tokens[a].low == "post" and tokens[a + 1].text.isdigit():
        return tokens[a].start, tokens[a + 1].end, PhiCategory.LOCATION
    return None


def _numbered_place(tokens: list[Token], lex: Lexicon, a: int) -> Found | None:
    if a + 1 >= len(tokens) or tokens[a].low not in NUMBER_WORDS:
        return None
    nxt = tokens[a + 1]
    if not is_blank_gap(nxt) or not _plural_name(nxt) or nxt.low in _COUNTED:
        return None
    if nxt.low in STOPWORDS or nxt.low in lex.clinical or nxt.low in NUMBER_WORDS:
        return None
    return tokens[a].start, nxt.end, PhiCategory.LOCATION


def find_at_places(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "at regions", "at the gathering place", "at vision works in maplewood"."""
    n = len(tokens)
    for i, tok in enumerate(tokens[:-1]):
        if tok.low == "with" and i and tokens[i - 1].text.lower() in _WHO_IS:
            found = _with_place(tokens, lex, i)
            if found is not None:
                yield found
            continue
        if tok.low != "at" or (i and tokens[i - 1].low in _NOT_PLACE_BEFORE):
            continue
        numbered = _numbered_place(tokens, lex, i + 1) or _legion_post(tokens, i + 1)
        if numbered is not None:
            yield numbered
            continue
        a = i + 1
        article = tokens[a].low == "the" and a + 1 < n and is_blank_gap(tokens[a + 1])
        a += article
        tail = a + 1 < n and tokens[a + 1].low in _NAME_TAILS and is_blank_gap(tokens[a + 1])
        opens = tail and tokens[a].low not in STOPWORDS and tokens[a].low not in lex.clinical
        if not is_blank_gap(tokens[a]) or not (opens or _opens(lex, tokens, a)):
            continue
        j = a + 1
        while j < min(n, a + 3) and is_blank_gap(tokens[j]) and _place_word(lex, tokens[j]):
            j += 1
        if j < n and is_blank_gap(tokens[j]) and tokens[j].low in _NAME_TAILS:
            j += 1  # "at the cozy corner", "at the gathering place"
        elif article and j == a + 1 and j < n and tokens[j].low in _WORKPLACES:
            j += 1  # "at the paper mill", "at the feed store"
        elif (
            article
            and j == a + 1
            and lex.is_plain_word(tokens[a].low)
            and not (_plural_name(tokens[a]) or (i and lex.is_unknown(tokens[i - 1].low)))
        ):
            continue  # "at the bedside", "at the cabin": one common noun after "the"
        yield tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION


_ORDINAL_STREET = re.compile(r"\d{1,3}(?:st|nd|rd|th)")
_CORNER_BEFORE = frozenset(split_words("on at of near by off"))


def _street_ordinal(tok: Token) -> bool:
    return tok.low in ORDINALS or _ORDINAL_STREET.fullmatch(tok.low) is not None


def find_corners(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "over on fifth and maple", "the corner of elm and oak": two streets that cross."""
    n = len(tokens)
    for i in range(1, n - 2):
        prev, first, conj, second = tokens[i - 1], tokens[i], tokens[i + 1], tokens[i + 2]
        if conj.low != "and" or prev.low not in _CORNER_BEFORE:
            continue
        corner = prev.low == "of" and i > 1 and tokens[i - 2].low == "corner"
        if not (_street_ordinal(first) or corner) or not all(
            map(is_blank_gap, (first, conj, second))
        ):
            continue
        if corner and (first.low in STOPWORDS or not first.is_word):
            continue  # "the corner of canal and fourth": any two street names
        if (_place_word(lex, second) and not _street_ordinal(second)) or (
            corner and (_street_ordinal(second) or _place_word(lex, second))
        ):
            yield first.start, second.end, PhiCategory.LOCATION
