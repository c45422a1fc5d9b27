"""Second look at the label of a span the name rules found: is it a place after all?

The name rules find many words a place is named by ("past fenwick bridge", "in cheverly",
"Rutland, VT 05701", "the Haw River") because the census name lists hold them too. The span is
right either way; the label the physician sees should say "place" when the words around it say
so: a place preposition before it, a state and ZIP code after it, or a place word ending it.
"""

from __future__ import annotations

from bisect import bisect_left

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import STATE_CODES, US_STATES
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.place_words import FACILITY_SUFFIX, GEO_SUFFIX, STREET_SUFFIX_FREE
from medscribe.core.phi_rules.tokens import Token, split_words

# Words that put a place after them, and rarely a person ("to", "with" and "from" are left
# to the verb before them: "a card from mary", "talk to joe").
_PLACE_BEFORE = frozenset(
    split_words("""in past through outside near into toward towards via around inside across at
    on the""")
)
_MOVES = frozenset(
    split_words("""went go goes going drove drive driving moved move moving flew fly flying headed
    heading came come coming back walked walk ride rode trip trips transferred hiked hike
    hiking traveled travelled travel biked""")
)
_FROM = _MOVES | frozenset(split_words("originally i'm im he's she's we're is are was were"))
# Last words of a business's or a place's name: "delancey drugs", "merriweather hill farm".
_PLACE_ENDINGS = (
    FACILITY_SUFFIX
    | GEO_SUFFIX
    | STREET_SUFFIX_FREE
    | frozenset(
        split_words("""va high middle medicine drugs farm farms ranch mill plant store shop
        market bakery diner grill tavern pub inn lanes orchards vineyard winery collective
        mutual insurance software motors garage supply feed seed hardware""")
    )
)
# "the town of X", "out of X": a place follows "of" after these.
_OF_PLACE = frozenset(split_words("town city village county out outside north south east west"))


def _state_after(tokens: list[Token], b: int) -> bool:
    """ "Rutland, VT 05701", "Oak Level, Alabama 36067": a comma, a state, a ZIP code (the ZIP
    tells "VT" from a credential: "Gideon Ashgrove, MD")."""
    if b + 2 >= len(tokens) or tokens[b].text != ",":
        return False
    state, zip_code = tokens[b + 1], tokens[b + 2]
    is_state = state.text in STATE_CODES or state.low in US_STATES
    return is_state and len(zip_code.text) == 5 and zip_code.text.isdigit()


def relabel_places(tokens: list[Token], found: list[Found]) -> list[Found]:
    """``found`` (sorted, disjoint) with name spans that their context calls a place relabelled;
    offsets never change."""
    starts = [t.start for t in tokens]
    out: list[Found] = []
    for start, end, category in found:
        if category is PhiCategory.NAME:
            a = bisect_left(starts, start)
            b = bisect_left(starts, end)
            last = tokens[b - 1]
            possessive = last.name_end != last.end  # "in mary's room": a person's
            before = tokens[a - 1].low if a else ""
            verb = tokens[a - 2].low if a > 1 else ""
            # "drove to moab", "originally from tulsa"; not "talk to mary", "a card from sue"
            moved = (before == "to" and verb in _MOVES) or (before == "from" and verb in _FROM)
            moved = moved or (before == "of" and verb in _OF_PLACE)
            if before == "on" and verb in ("dictating", "dictation", "report", "note"):
                before = ""  # "dictating on donald clark": the patient
            if before == "in" and verb == "as":
                before = ""  # "m as in mary": spelling a letter out
            if (
                ((before in _PLACE_BEFORE or moved) and not possessive)
                or _state_after(tokens, b)
                or (b - a > 1 and last.low in _PLACE_ENDINGS)
            ):
                category = PhiCategory.LOCATION
        out.append((start, end, category))
    return out
