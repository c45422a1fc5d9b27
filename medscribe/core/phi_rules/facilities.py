"""Facilities, employers, schools and churches: "<a few words> <kind of place>".

Places of care and work are usually named with ordinary words ("summit orthopedics",
"harbor view urgent care", "lakeshore property management"), so no dictionary knows them.
What gives them away is the last word, the kind of place. Before such a word, up to four
words that are not function words, generic modifiers ("pediatric", "high", "urgent") or
verbs ("needs urgent care") are taken as the name. Geographic words ("lake", "county")
and "home" are weaker evidence: before them only a distinctive word (capitalised, or in no
English list) starts a name, so "lake tahoe" counts and "back home" does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import (
    KINSHIP,
    MONTHS,
    STOPWORDS,
    WEEKDAYS,
    Lexicon,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.place_words import (
    FACILITY_GENERIC,
    FACILITY_SUFFIX,
    GEO_PREFIX,
    GEO_SUFFIX,
)
from medscribe.core.phi_rules.tokens import (
    NUMBER_WORDS,
    Token,
    is_blank_gap,
    split_words,
)

# Kinds of place that are named with plain words: any non-generic word before them starts
# the name.
PLAIN_NAMED = frozenset(
    split_words("""
    hospital clinic pharmacy rehab hospice infirmary healthcare center centre memorial
    practice orthopedics orthopaedics pediatrics dentistry podiatry chiropractic optometry
    physiotherapy
    associates inc corp corporation company llc foundation institute academy elementary
    university college montessori preschool daycare church chapel cathedral temple mosque
    synagogue ministries bank restaurant cafe grill diner bakery gym fitness salon
    management services solutions industries enterprises logistics construction
    manufacturing motors realty properties insurance apartments ortho health bookshop
    bookstore boutique brewery winery tavern pub hotel inn motel bistro pizzeria fellowship
    tabernacle warehouse factory freight transit trucking transport foundry lumber
    consultants specialists partners physicians surgeons hardware outfitters
    plumbing electric hall lodge manor villa villas bowl lanes garage general district donuts
    doughnuts tattoo diesel supply supplies building orthotics prosthetics genomics
    diagnostics regional baptist methodist lutheran presbyterian episcopal pentecostal
    adventist apothecary pedorthics club monitoring""")
)
# Residences named after nature ("whispering pines", "shady oaks"): any plain word before.
_NATURE = frozenset(split_words("pines oaks meadows gardens acres woods estates pointe glen"))
# Weak kinds: only a distinctive word before them starts a name.
_WEAK = frozenset(split_words("home homes shop"))
# "<x> urgent care", "<x> primary care": "care" names a place only after these.
_CARE_BEFORE = frozenset(
    split_words("urgent primary senior memory day child home respite personal lawn pet elder")
)
# Inside a name but never its start: "sunrise adult day services", "evergreen home health".
# "the gateway office park", "maple leaf trailer park": "park" after these names a site.
_PARK_KINDS = frozenset(
    split_words("office business industrial trailer rv tech technology research")
)
_INNER = frozenset(split_words("day adult home credit")) | _CARE_BEFORE | _PARK_KINDS
# Never the first word of a facility name: generic modifiers and verbs that stand before a
# kind of place in ordinary speech ("high school", "needs urgent care", "grad school").
_NOT_START = FACILITY_GENERIC | frozenset(
    split_words("""
    high middle junior grad graduate law public private charter boarding trade sunday
    summer night beauty driving dance art food farmers stock flea grocery super medical
    group solo needs need needed needing went attend attends attended call called calling
    visit visited try tried find found like liked love loved hate pick picked drop dropped
    referred refer send sent got get getting saw seen seeing went going start started
    finished finish quit left join joined leave leaving closed close open opened
    insurance car life auto dental vision review social protective human
    began begin further diagnostic pertinent town city add added adding
    surgeon attorney brigadier major postmaster inspector consul very more less pretty fairly
    quite rather overall super toilet salad cereal soup fish dust mixing sugar punch rice
    bike traffic fast slow express travel passing parking attached detached fire water
    street illegal recreational prescription study generic brand this that same new wonder
    sewer congressional voting business historic office apartment main auto body bill
    nursing tattoo muscle team confidence shop behind beside near past across toward towards
    into onto upon within without around between beyond outside inside book fan glee chess
    drama golf heart glucose blood sugar remote cardiac""")
)
_LEADS = frozenset(split_words("little good great new best big old first grand"))
_BEFORE_LEAD = frozenset(split_words("at the to from in"))
_PLACE_PREP = frozenset(
    split_words(
        "to in at from near visiting by past around across along behind beside toward through on"
    )
)
_CENTER = frozenset(["center", "centre", "clinic", "hospital", "office", "practice"])
# "supply" and "building" name a business only when not said of the body or a substance.
_NEEDS_NAME = frozenset(split_words("supply supplies building"))
_BODY_STUFF = frozenset(
    split_words("""blood air water food oxygen milk phlegm mucus fluid plaque pressure muscle
    bone gas power fat tissue pus""")
)
# Possessives that are not a person's name: "through everyone's gap", "at one's".
_NOT_NAME_POSSESSIVES = frozenset(
    split_words("everyone's everybody's someone's somebody's one's it's")
)
_KINDS = FACILITY_SUFFIX | GEO_SUFFIX | _CENTER


def placey(lex: Lexicon, tok: Token, cased: bool) -> bool:
    low = tok.low
    if not tok.is_word or low in STOPWORDS or low in MONTHS or low in WEEKDAYS:
        return False
    if cased and tok.text[0].isupper():
        return True
    return not lex.is_plain_word(low)


def _distinctive(lex: Lexicon, tok: Token, cased: bool) -> bool:
    low = tok.low
    if tok.name_end != tok.end and lex.is_name_word(low) and low not in KINSHIP:
        return True  # "hank's diesel", "dale's auto": somebody's business
    return low in ("saint", "st", "mount", "mt") or (
        placey(lex, tok, cased) and low not in lex.clinical
    )


def _lead(tokens: list[Token], j: int) -> bool:
    """An adjective that opens a name right after "at/the/to...": "at little sprouts ..."."""
    return tokens[j].low in _LEADS and j > 0 and tokens[j - 1].low in _BEFORE_LEAD


def _opens_sentence(tokens: list[Token], j: int) -> bool:
    """A capital here is grammar, not a name: "Home health was arranged"."""
    return j == 0 or tokens[j - 1].text in (".", "?", "!", ":", "]") or "\n" in tokens[j].gap


def _plain_start(lex: Lexicon, tok: Token, nature: bool = False) -> bool:
    """May this ordinary word start a facility name? Not a verb or adverb by its ending
    ("reviewed", "personally"), not a possessive ("husband's insurance")."""
    word = tok.low
    endings = ("ed", "ly") if nature else ("ed", "ly", "ing")
    if len(word) < 3 or tok.name_end != tok.end or word.endswith(endings):
        return False
    return not (
        word in _NOT_START
        or word in FACILITY_SUFFIX
        or word in lex.clinical
        or word in NUMBER_WORDS
        or word in MONTHS
        or word in WEEKDAYS
    )


def _geo_prefixed(tokens: list[Token], lex: Lexicon, cased: bool) -> Iterator[Found]:
    """ "mount baker", "lake tahoe", "saint agnes"."""
    for i, tok in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        if tok.low not in GEO_PREFIX or not is_blank_gap(nxt) or not nxt.is_word:
            continue
        name = lex.is_name_word(nxt.low)
        looks_placey = name or (placey(lex, nxt, cased) and nxt.low not in lex.clinical)
        if looks_placey and nxt.low not in STOPWORDS:
            yield tok.start, nxt.end, PhiCategory.LOCATION


def _after_place_prep(tokens: list[Token], lex: Lexicon, i: int) -> int | None:
    """Start of a one- or two-word name before the geographic word at ``i`` when a place
    preposition precedes it: "drove down to cannon beach", "the loop around mirror lake",
    "she lives by union point park"."""
    for size in (1, 2):
        a = i - size
        if a < 1:
            continue
        before = tokens[a - 1].low
        if before == "the" and a > 1:  # "signed up for the harrow ridge half"
            before = tokens[a - 2].low if tokens[a - 2].low != "for" else "to"
        if before not in _PLACE_PREP:
            continue
        run = tokens[a:i]
        if all(
            w.is_word
            and w.low not in STOPWORDS
            and (
                _plain_start(lex, w)
                or lex.is_name_word(w.low)  # "lily lake"
                or (k == 0 and w.name_end != w.end and w.low not in _NOT_NAME_POSSESSIVES)
            )  # "through miller's ford"
            and (k == 0 or is_blank_gap(w))
            for k, w in enumerate(run)
        ):
            return a
    return None


def _ends_name(tokens: list[Token], i: int) -> bool:
    """Does a place-like word at ``i`` end a name ("cottonwood drug in lamesa", "... drug ,")
    rather than a noun phrase ("the drug makes me dizzy")?"""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        nxt is None or not nxt.is_word or "\n" in nxt.gap or nxt.low in ("in", "on", "at", "over")
    )


def find_facilities(tokens: list[Token], lex: Lexicon, cased: bool) -> Iterator[Found]:
    """ "mercy general hospital", "riverside clinic", "summit orthopedics"."""
    yield from _geo_prefixed(tokens, lex, cased)
    for i, tok in enumerate(tokens):
        low = tok.low
        if not i or not is_blank_gap(tok):
            continue
        plain = tokens[i - 1].low in _CARE_BEFORE if low == "care" else low in PLAIN_NAMED
        plain = plain or (low == "union" and tokens[i - 1].low == "credit")
        family = ("sons", "daughters", "brothers", "company", "co")
        if low in family and tokens[i - 1].text in ("&", "and"):
            k = i - 2  # "Harrowgate & Sons", "miller and sons": a family business
            named = k >= 0 and tokens[k].is_word and tokens[k].low not in STOPWORDS
            if named and (lex.is_name_word(tokens[k].low) or _distinctive(lex, tokens[k], cased)):
                yield tokens[k].start, tok.end, PhiCategory.LOCATION
                continue
        plain = plain or (low == "park" and tokens[i - 1].low in _PARK_KINDS)
        plain = plain or (low == "drug" and _ends_name(tokens, i))  # "cottonwood drug in"
        if low in _NEEDS_NAME and tokens[i - 1].low in _BODY_STUFF:
            continue  # "an adequate blood supply", "phlegm building up"
        if (
            low == "va"
            and tokens[i - 1].low == "the"
            and i > 1
            and tokens[i - 2].low in _PLACE_PREP
        ):
            yield tok.start, tok.end, PhiCategory.LOCATION  # "the coumadin clinic at the va"
            continue
        weak, nature = low in _WEAK, low in _NATURE
        if not (plain or weak or nature or low in _KINDS):
            continue
        j = i - 1
        first = None
        while (
            j >= max(0, i - 5)
            and tokens[j].is_word
            and (tokens[j].low not in STOPWORDS or tokens[j].low in _INNER or _lead(tokens, j))
        ):
            if not is_blank_gap(tokens[j + 1]):
                break
            word = tokens[j].low
            if _lead(tokens, j) and first is not None:
                first = j
            elif _distinctive(lex, tokens[j], cased and not _opens_sentence(tokens, j)) or (
                (plain or nature) and _plain_start(lex, tokens[j], nature) and word not in _INNER
            ):
                if low == "health" and j == i - 1 and not _distinctive(lex, tokens[j], False):
                    break  # "bone health", "gut health": a name needs two words before it
                first = j
            elif (plain and word.endswith("ing") and word not in _NOT_START) or word in _INNER:
                pass  # "little sprouts learning center": inside a name, never its start
            elif word not in FACILITY_GENERIC and word not in FACILITY_SUFFIX:
                break
            j -= 1
        if first is None and low in GEO_SUFFIX and is_blank_gap(tok):
            first = _after_place_prep(tokens, lex, i)
        # "drove me to valley regional": a generic word is the name after a preposition
        short = low in ("general", "regional", "memorial") and i > 1
        if first is None and short and tokens[i - 2].low in _PLACE_PREP:
            first = i - 1 if tokens[i - 1].low in FACILITY_GENERIC else None
        if first is not None:
            yield tokens[first].start, tok.end, PhiCategory.LOCATION
