"""Fleet numbers of trucks and trailers: "truck is unit four one seven", "pete unit 447".

A code of three digits is too short for the general code rule (doses and readings look the
same), but after "unit" in a sentence about a truck it is the vehicle's number, which a
driver's work-injury visit names as readily as the plate.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import DIGIT_WORDS, TEENS, TENS, Token, split_words

_VEHICLES = frozenset(
    split_words("""truck trucks trailer rig semi tractor fleet pete peterbilt freightliner
    kenworth volvo mack international bus cab van reefer""")
)
_LABELS = frozenset(["unit", "truck", "trailer", "tractor"])
_FILLERS = frozenset(["number", "no", "#", "is", "was", "numero"])


def _number_end(tokens: list[Token], k: int, least: int) -> int:
    """Index after a run of ``least``-6 digits said as digits or number words, from ``k``."""
    j, digits = k, 0
    while j < min(len(tokens), k + 5):
        tok = tokens[j]
        if tok.text.isdigit():
            digits += len(tok.text)
        elif tok.low in DIGIT_WORDS:
            digits += 1
        elif tok.low in TEENS or tok.low in TENS:
            digits += 2
        else:
            break
        j += 1
    return j if least <= digits <= 6 else k


def find_vehicle_units(tokens: list[Token]) -> Iterator[Found]:
    for i, tok in enumerate(tokens):
        if tok.low not in _LABELS:
            continue
        context = {t.low for t in tokens[max(0, i - 8) : i + 1]}
        if tok.low == "unit" and not context & _VEHICLES:
            continue  # "apartment unit 4", "units of insulin"
        k = i + 1
        while k < len(tokens) and tokens[k].low in _FILLERS:
            k += 1
        # "unit 47", "truck number 12"; but "the truck is twenty years old" needs 3 digits
        named = tok.low == "unit" or any(t.low in ("number", "#", "no") for t in tokens[i + 1 : k])
        end = _number_end(tokens, k, 2 if named else 3)
        if end > k:
            yield tokens[k].start, tokens[end - 1].end, PhiCategory.VEHICLE
