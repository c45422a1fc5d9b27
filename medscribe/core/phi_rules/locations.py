"""Places below the state level: street addresses, cities, facilities, employers, ZIP codes.

A US city list catches "toledo" or "san diego" anywhere; trigger phrases ("i live in",
"i work at", "moved to") catch places no list has; street and facility suffixes catch
"four twelve elm street" and "saint mary's hospital". States alone are not identifiers under
Safe Harbor and are left alone, but they anchor "dayton , ohio".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.answers import find_answer_places
from medscribe.core.phi_rules.at_places import find_at_places, find_corners
from medscribe.core.phi_rules.facilities import find_facilities, placey
from medscribe.core.phi_rules.landmarks import find_landmarks
from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
    HONORIFICS_WEAK,
    STATE_NAMES,
    STOPWORDS,
    CityList,
    Lexicon,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.place_words import (
    EMPLOYER_TRIGGERS,
    LOCATION_TRIGGERS,
    PLACE_STOP,
    STREET_SUFFIX_FREE,
    STREET_SUFFIX_NUMBERED,
)
from medscribe.core.phi_rules.tokens import (
    NUMBER_WORDS,
    Token,
    is_blank_gap,
    split_words,
)

_PREPOSITIONS = frozenset(split_words("in from to near at of outside around by toward towards"))
_STATES = frozenset(STATE_NAMES)
_STATE_FIRST = frozenset(s.split()[0] for s in STATE_NAMES)
_NUMBER_WORDS = NUMBER_WORDS | {
    "hundred",
    "thousand",
}
_UNIT_WORDS = frozenset(
    split_words("apartment apt unit suite ste number no # lot room building bldg")
)
_CENTER = frozenset(["center", "centre", "clinic", "hospital", "office", "practice"])


def _phrase(tokens: list[Token], i: int, k: int) -> str | None:
    if i + k > len(tokens) or any(not is_blank_gap(t) for t in tokens[i + 1 : i + k]):
        return None
    return " ".join(t.low for t in tokens[i : i + k])


def _state_at(tokens: list[Token], i: int) -> int:
    """Number of tokens of a state name starting at ``i`` (0 when none)."""
    if i >= len(tokens) or tokens[i].low not in _STATE_FIRST:
        return 0
    for k in (2, 1):
        if _phrase(tokens, i, k) in _STATES:
            return k
    return 0


def _cities(tokens: list[Token], lex: Lexicon, cities: CityList) -> Iterator[Found]:
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.is_word or tok.low not in cities.first_words:
            i += 1
            continue
        longest = 1
        if tok.low in cities.multi_first:
            for k in range(2, min(cities.max_words, n - i) + 1):
                if _phrase(tokens, i, k) not in cities.prefixes:
                    break
                longest = k
        for k in range(longest, 0, -1):
            phrase = _phrase(tokens, i, k)
            if phrase is None or phrase not in cities.names:
                continue
            prev = tokens[i - 1].low if i else ""
            state_after = i + k < n and _state_at(tokens, i + k) > 0
            if phrase in _STATES and not (i + k < n and tokens[i + k].low == "city"):
                break
            plain = k == 1 and (lex.is_plain_word(phrase) or phrase in STOPWORDS)
            verb = tokens[i - 2].low if i > 1 else ""
            if verb == "back" and i > 2:
                verb = tokens[i - 3].low  # "driving back to", never "back to normal"
            moving = (
                (prev in ("to", "from", "in") and verb in _MOVES)
                or (
                    prev == "over" and verb == "all"  # "smoke all over paradise"
                )
                or (prev == "from" and verb in ("originally", "i'm", "are", "we're", "is", "came"))
            )
            capital = tok.text[0].isupper() and i > 0 and tokens[i - 1].text not in _SENTENCE_END
            if plain and not ((prev in _PREPOSITIONS and state_after) or moving or capital):
                break
            if k == 1 and lex.is_name_word(phrase) and prev not in _PREPOSITIONS and not moving:
                break  # a person's name that is also a town: left to the name rules
            if prev in HONORIFICS_STRONG or prev in HONORIFICS_WEAK:
                break  # "doctor larkspur": a surname, whatever town shares it
            yield tok.start, tokens[i + k - 1].end, PhiCategory.LOCATION
            i += k - 1
            break
        i += 1


# A capitalised city name mid-sentence is a city even when it is also a word ("Boulder").
_SENTENCE_END = frozenset([".", "?", "!", ":", "]", '"'])
_TRIGGERS_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _trig in LOCATION_TRIGGERS:
    _TRIGGERS_BY_LAST.setdefault(_trig[-1], []).append(_trig)
for _list in _TRIGGERS_BY_LAST.values():
    _list.sort(key=len, reverse=True)  # the most specific trigger decides ("minutes from")


# Verbs of travel and residence: "driving back to bend", "we live in mobile".
_MOVES = frozenset(
    split_words("""live lives lived living moved move moving drove driving drive flew flying fly
    headed heading relocated raised born grew up visiting still staying stays""")
)
_WORKERS = frozenset(split_words("i you he she we they who still also and currently i'll usually"))
_NOT_EMPLOYER_BEFORE = frozenset(
    split_words("""
    lab blood paper more some any the this that your my his her our their good great hard
    much of no extra home house yard""")
)
_I_AM = frozenset(split_words("i'm im am she's he's is was as"))


# "forty minutes from two harbors": after a distance any words but function words name it.
_DISTANCE = frozenset(split_words("minutes miles hour hours"))
# "the town of sleepy eye", "just outside of two harbors": what follows is a place name.
_OF_PLACE = frozenset([("town", "of"), ("city", "of"), ("outside", "of"), ("suburb", "of")])
_ORDINAL_DIGITS = re.compile(r"\d{1,3}(?:st|nd|rd|th)")
# "the ambulance took me to mercy": where a person was taken is a place.
_TAKEN_TO = frozenset(
    [("took", "me", "to"), ("took", "him", "to"), ("took", "her", "to"), ("taken", "to"),
     ("brought", "me", "to"), ("rushed", "to"), ("airlifted", "to"), ("flown", "to")]
)  # fmt: skip
_ROADS = frozenset(split_words("highway hwy route interstate exit"))
# More ways to name where one works: "i've been with X", "i drive for X", "hired by X".
_MORE_EMPLOYER = frozenset(
    [("been", "with"), ("drive", "for"), ("drives", "for"), ("drove", "for"),
     ("driving", "for"), ("deliver", "for"), ("delivers", "for"), ("hired", "by"),
     ("hired", "at"), ("off", "from"), ("volunteer", "at"), ("volunteers", "at"),
     ("shift", "at"), ("shifts", "at"), ("intern", "at"), ("clean", "for"), ("nanny", "for")]
)  # fmt: skip
for _trig in _TAKEN_TO | _MORE_EMPLOYER:
    _TRIGGERS_BY_LAST.setdefault(_trig[-1], []).insert(0, _trig)
# "<X> laid me off", "<X> is where i work": the employer comes first.
_EMPLOYER_AFTER = (
    ("laid", "me", "off"), ("hired", "me"), ("fired", "me"), ("let", "me", "go"),
    ("is", "where", "i", "work"), ("is", "where", "i", "worked"), ("is", "where", "she", "works"),
    ("is", "where", "he", "works"),
)  # fmt: skip
_EMPLOYER_AFTER_FIRST = frozenset(p[0] for p in _EMPLOYER_AFTER)
_WORK = frozenset(split_words("work works worked working job"))
# Where care happened: a word from the name lists after these names the place ("treated at
# huntsman", "transferred to mercy").
_FACILITY_TRIGGERS = frozenset(
    [("treated", "at"), ("seen", "at"), ("admitted", "to"), ("transferred", "to"),
     ("transferred", "from"), ("over", "at"), ("down", "at"), ("been", "at")]
)  # fmt: skip


def _job_at(tokens: list[Token], k: int) -> bool:
    """ "i'm a cashier at", "i work as a nurse at", "i work nights at", "works part time for":
    ``tokens[k]`` is the at/for and an employer follows."""
    if tokens[k].low not in ("at", "for") or k < 3:
        return False
    for w in (k - 2, k - 3):  # one or two words between "work" and at/for
        if w > 0 and tokens[w].low in _WORK and tokens[w - 1].low in _WORKERS:
            between = tokens[w + 1 : k]
            if all(t.is_word and t.low not in ("a", "an", "the", "to") for t in between):
                return True
    if tokens[k].low != "at":
        return False
    for a in range(k - 2, max(0, k - 4), -1):  # the article, one or two words before at/for
        if tokens[a].low in ("a", "an") and tokens[a - 1].low in _I_AM:
            return all(t.is_word and t.low not in STOPWORDS for t in tokens[a + 1 : k])
    return False


def _triggered(tokens: list[Token], lex: Lexicon, cased: bool) -> Iterator[Found]:
    n = len(tokens)
    for i in range(1, n):
        if _job_at(tokens, i - 1):
            a = i + 1 if tokens[i].low == "the" and i + 1 < n else i  # "a cook at the golden spoon"
            j = a
            while j < min(n, a + 3) and (j == a or is_blank_gap(tokens[j])) and tokens[j].is_word:
                if tokens[j].low in STOPWORDS or tokens[j].low in PLACE_STOP:
                    break
                j += 1
            if j > a:
                yield tokens[a].start, tokens[j - 1].end, PhiCategory.LOCATION
            continue
        candidates = _TRIGGERS_BY_LAST.get(tokens[i - 1].low)
        if not candidates or not tokens[i].is_word or tokens[i].low in PLACE_STOP:
            continue
        for trig in candidates:
            k = len(trig)
            if i < k or any(tokens[i - k + m].low != w for m, w in enumerate(trig)):
                continue
            employer = (
                trig in EMPLOYER_TRIGGERS
                or trig in _MORE_EMPLOYER
                or trig[0] in _DISTANCE
                or trig in _OF_PLACE
            )
            if employer and i > k and tokens[i - k - 1].low in _NOT_EMPLOYER_BEFORE:
                break  # "lab work for hep c", "a lot of work at home"

            facility = trig in _FACILITY_TRIGGERS or trig in _TAKEN_TO

            def ok(tok: Token, employer: bool = employer, facility: bool = facility) -> bool:
                if employer:
                    return tok.is_word and tok.low not in STOPWORDS and tok.low not in PLACE_STOP
                if facility and lex.is_name_word(tok.low) and tok.low not in PLACE_STOP:
                    return tok.low not in STOPWORDS and tok.low not in lex.clinical
                return placey(lex, tok, cased)

            j = i
            while j < min(n, i + 4) and (j == i or is_blank_gap(tokens[j])) and ok(tokens[j]):
                if _state_at(tokens, j):
                    break
                j += 1
            if j > i:
                yield tokens[i].start, tokens[j - 1].end, PhiCategory.LOCATION
            break


def _before_state(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """ "dayton , ohio", "springfield illinois": the words before a state name."""
    for i in range(1, len(tokens)):
        if not _state_at(tokens, i) or tokens[i].gap.strip() not in ("", ","):
            continue
        j = i - 1
        while j >= max(0, i - 3) and tokens[j].is_word and tokens[j].low not in STOPWORDS:
            if tokens[j].low in _PREPOSITIONS or _state_at(tokens, j):
                break
            if j < i - 1 and not is_blank_gap(tokens[j + 1]):
                break
            j -= 1
        if j < i - 1 and (
            not lex.is_plain_word(tokens[i - 1].low)
            or (tokens[j].low in _PREPOSITIONS and tokens[i].gap.strip() == ",")
        ):
            yield tokens[j + 1].start, tokens[i - 1].end, PhiCategory.LOCATION


def _street_word(tok: Token) -> bool:
    """A word of a street name: "elm", "west", "98th", "forty second"."""
    if tok.is_number:
        return _ORDINAL_DIGITS.fullmatch(tok.low) is not None
    return tok.is_word and tok.low not in STOPWORDS


def _streets(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    n = len(tokens)
    for i, tok in enumerate(tokens):
        low = tok.low
        free, numbered = low in STREET_SUFFIX_FREE, low in STREET_SUFFIX_NUMBERED
        if not (free or numbered) or i == 0 or not is_blank_gap(tok):
            continue
        j = i - 1
        words = 0
        while j >= 0 and words < 3 and _street_word(tokens[j]):
            if tokens[j].low in _NUMBER_WORDS and words:
                break
            words += 1
            j -= 1
            if not is_blank_gap(tokens[j + 1]):
                break
        if words == 0:
            continue
        start = j + 1
        k = j
        while k >= 0 and (tokens[k].is_number or tokens[k].low in _NUMBER_WORDS):
            k -= 1
        has_number = k < j
        if numbered and not has_number:
            continue
        if not has_number and tokens[start].low in ("one", "same", "other", "side", "dirt"):
            continue
        end = i
        if end + 1 < n and tokens[end + 1].low in _UNIT_WORDS:
            m = end + 2
            while m < n and (
                tokens[m].is_number or len(tokens[m].low) == 1 or tokens[m].low in _NUMBER_WORDS
            ):
                m += 1
            if m > end + 2:
                end = m - 1
        yield tokens[k + 1 if has_number else start].start, tokens[end].end, PhiCategory.LOCATION


def _apartments(tokens: list[Token]) -> Iterator[Found]:
    """ "apartment twelve b", "suite 200", "apt 4c": the unit, even without a street."""
    n = len(tokens)
    for i, tok in enumerate(tokens[:-1]):
        if tok.low not in ("apartment", "apt", "suite", "ste"):
            continue
        j = i + 1
        if j < n and tokens[j].low in ("number", "no", "#"):
            j += 1
        k = j
        while (
            k < min(n, j + 4)
            and is_blank_gap(tokens[k])
            and (
                tokens[k].is_number
                or tokens[k].low in _NUMBER_WORDS
                or (tokens[k].is_word and len(tokens[k].low) == 1)
                or (tokens[k].low[:1].isdigit() and len(tokens[k].low) <= 5)
            )
        ):
            k += 1
        if k > j and (tokens[j].is_number or tokens[j].low in _NUMBER_WORDS):
            yield tokens[j].start, tokens[k - 1].end, PhiCategory.LOCATION


def _employer_first(tokens: list[Token]) -> Iterator[Found]:
    """ "riverside foundry laid me off", "copper kettle is where i work"."""
    n = len(tokens)
    for i in range(1, n):
        if tokens[i].low not in _EMPLOYER_AFTER_FIRST:
            continue
        for phrase in _EMPLOYER_AFTER:
            k = len(phrase)
            if i + k > n or any(tokens[i + m].low != w for m, w in enumerate(phrase)):
                continue
            j = i
            while j > max(0, i - 3) and tokens[j - 1].is_word and is_blank_gap(tokens[j]):
                if tokens[j - 1].low in STOPWORDS or tokens[j - 1].low in PLACE_STOP:
                    break
                j -= 1
            if j < i:
                yield tokens[j].start, tokens[i - 1].end, PhiCategory.LOCATION
            break


def _numbered_roads(tokens: list[Token]) -> Iterator[Found]:
    """ "highway ten", "route 66", "interstate thirty five", "county road nineteen"."""
    n = len(tokens)
    for i, tok in enumerate(tokens[:-1]):
        county_road = tok.low in ("road", "rd") and i and tokens[i - 1].low in ("county", "state")
        if not (tok.low in _ROADS or county_road) or not is_blank_gap(tokens[i + 1]):
            continue
        start = i - 1 if i and tokens[i - 1].low in ("county", "state", "us") else i
        j = i + 1
        while (
            j < min(n, i + 4)
            and is_blank_gap(tokens[j])
            and (tokens[j].is_number or tokens[j].low in _NUMBER_WORDS)
        ):
            j += 1
        if j > i + 1:
            yield tokens[start].start, tokens[j - 1].end, PhiCategory.LOCATION


def find_world_cities(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    """Places abroad ("she flew in from lusaka"): the caller adds them only where no other
    rule found anything, since some are also given names."""
    yield from _cities(tokens, lex, lex.world_cities)


def find_locations(tokens: list[Token], lex: Lexicon, cased: bool) -> Iterator[Found]:
    yield from _cities(tokens, lex, lex.cities)
    yield from _triggered(tokens, lex, cased)
    yield from _before_state(tokens, lex)
    yield from _streets(tokens, lex)
    yield from find_facilities(tokens, lex, cased)
    yield from _apartments(tokens)
    yield from _numbered_roads(tokens)
    yield from _employer_first(tokens)
    yield from find_at_places(tokens, lex)
    yield from find_corners(tokens, lex)
    yield from find_landmarks(tokens, lex)
    yield from find_answer_places(tokens, lex)
