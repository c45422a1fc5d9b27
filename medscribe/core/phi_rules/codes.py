"""Number and code sequences, written or spoken digit by digit, classified by context.

"five five five , one two three , four five six seven", "555-123-4567", "m r n a b c one two
three four five": a run of digits, digit words and single letters. Whether it is a phone, an
SSN, a record number or a plate is decided by the nearest trigger word before it, and failing
that by its shape (10 digits is a phone). Quantities ("150,000", "7.2", "120 over 80") are not
runs: they are split off by the tokenizer or are too short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import STATE_CODES, US_STATES
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.spelled import SPELLED_ABBREVIATIONS
from medscribe.core.phi_rules.tokens import (
    DIGIT_WORDS,
    SPANISH_DIGITS,
    TEENS,
    TENS,
    Token,
    split_words,
    spoken_year,
)

_SPANISH_DIGIT_WORDS = frozenset(SPANISH_DIGITS) | {"cero"}
_GAP_OK = frozenset(["", "-", ",", "(", ")", "#"])
_JOINERS = frozenset(["dash", "hyphen", "dot", "point", "slash"])
_REPEAT = {"double": 2, "triple": 3}
# Nearest trigger before a run decides its category. Weak triggers only count when no
# strong one is in the window ("member number" is a plan ID, "my number" a phone).
_TRIGGERS: dict[str, PhiCategory] = {
    "social": PhiCategory.SSN, "ssn": PhiCategory.SSN, "security": PhiCategory.SSN,
    "mrn": PhiCategory.MRN, "record": PhiCategory.MRN, "chart": PhiCategory.MRN,
    "records": PhiCategory.MRN, "mr": PhiCategory.MRN,
    "member": PhiCategory.HEALTH_PLAN, "insurance": PhiCategory.HEALTH_PLAN,
    "policy": PhiCategory.HEALTH_PLAN, "medicare": PhiCategory.HEALTH_PLAN,
    "medicaid": PhiCategory.HEALTH_PLAN, "subscriber": PhiCategory.HEALTH_PLAN,
    "group": PhiCategory.HEALTH_PLAN, "plan": PhiCategory.HEALTH_PLAN,
    "beneficiary": PhiCategory.HEALTH_PLAN, "insurer": PhiCategory.HEALTH_PLAN,
    "account": PhiCategory.ACCOUNT, "acct": PhiCategory.ACCOUNT,
    "billing": PhiCategory.ACCOUNT, "invoice": PhiCategory.ACCOUNT,
    "card": PhiCategory.ACCOUNT, "routing": PhiCategory.ACCOUNT,
    "license": PhiCategory.LICENSE, "licence": PhiCategory.LICENSE,
    "certificate": PhiCategory.LICENSE, "dea": PhiCategory.LICENSE,
    "npi": PhiCategory.LICENSE, "passport": PhiCategory.LICENSE,
    "permit": PhiCategory.LICENSE,
    "plate": PhiCategory.VEHICLE, "plates": PhiCategory.VEHICLE, "vin": PhiCategory.VEHICLE,
    "vehicle": PhiCategory.VEHICLE, "tag": PhiCategory.VEHICLE,
    "serial": PhiCategory.DEVICE, "device": PhiCategory.DEVICE, "lot": PhiCategory.DEVICE,
    "model": PhiCategory.DEVICE, "pacemaker": PhiCategory.DEVICE,
    "implant": PhiCategory.DEVICE, "defibrillator": PhiCategory.DEVICE,
    "pump": PhiCategory.DEVICE, "meter": PhiCategory.DEVICE, "sn": PhiCategory.DEVICE,
    "zip": PhiCategory.LOCATION, "zipcode": PhiCategory.LOCATION,
    "postal": PhiCategory.LOCATION, "apartment": PhiCategory.LOCATION,
    "apt": PhiCategory.LOCATION, "suite": PhiCategory.LOCATION, "unit": PhiCategory.LOCATION,
    "box": PhiCategory.LOCATION,
    "ip": PhiCategory.IP,
    "birth": PhiCategory.DATE, "born": PhiCategory.DATE, "dob": PhiCategory.DATE,
    "birthday": PhiCategory.DATE,
    "phone": PhiCategory.PHONE, "telephone": PhiCategory.PHONE, "cell": PhiCategory.PHONE,
    "mobile": PhiCategory.PHONE, "fax": PhiCategory.PHONE, "pager": PhiCategory.PHONE,
    "extension": PhiCategory.PHONE, "ext": PhiCategory.PHONE, "landline": PhiCategory.PHONE,
    "id": PhiCategory.ID, "identifier": PhiCategory.ID, "confirmation": PhiCategory.ID,
    "reference": PhiCategory.ID, "case": PhiCategory.ID, "claim": PhiCategory.ID,
    "ticket": PhiCategory.ID, "code": PhiCategory.ID, "badge": PhiCategory.ID,
    "employee": PhiCategory.ID, "student": PhiCategory.ID, "pin": PhiCategory.ID,
    "report": PhiCategory.ID, "referral": PhiCategory.ID, "requisition": PhiCategory.ID,
    "rx": PhiCategory.ID, "prescription": PhiCategory.ID, "donor": PhiCategory.ID,
    "authorization": PhiCategory.ID, "authorisation": PhiCategory.ID,
    "tracking": PhiCategory.ID, "registration": PhiCategory.ID, "accession": PhiCategory.ID,
}  # fmt: skip
# Plan words that outrank a nearer "card": "the policy number on my card is ...".
_PLAN_WORDS = frozenset(
    w for w, category in _TRIGGERS.items() if category is PhiCategory.HEALTH_PLAN
)

_WEAK_TRIGGERS: dict[str, PhiCategory] = {
    "number": PhiCategory.PHONE, "numbers": PhiCategory.PHONE, "call": PhiCategory.PHONE,
    "reach": PhiCategory.PHONE, "text": PhiCategory.PHONE, "contact": PhiCategory.PHONE,
    "digits": PhiCategory.ID, "last": PhiCategory.ID,
}  # fmt: skip
_WINDOW = 12
# Words after a number that make it a quantity, not an identifier.
_UNITS = frozenset(
    split_words("""
    mg milligram milligrams mcg microgram micrograms g gram grams kg kilo kilos kilograms
    lb lbs pound pounds ml milliliter milliliters cc cc's units unit iu steps step calories
    calorie dollars dollar bucks cents percent % mmhg beats bpm degrees degree miles mile
    feet foot ft inches inch cm mm times meters yards minutes mins seconds hours days weeks
    months years cigarettes packs drinks beers people patients cells platelets copies
    ounces oz liters litres""")
)


def _unit(tok: Token) -> tuple[int, bool] | None:
    """(digits, is_letter) for a token that can be part of a code run, else None."""
    low = tok.low
    if tok.text.isdigit():
        return len(tok.text), False
    if low in DIGIT_WORDS or low in _SPANISH_DIGIT_WORDS:
        return 1, False  # "tres dos cinco , cinco cinco cinco": numbers read out in Spanish
    if low in TEENS or low in TENS:
        return 2, False
    if low == "hundred":
        return 1, False  # "seventy one dot two hundred twelve dot ..."

    if len(low) == 1 and low.isalpha():
        return 0, True
    if 2 <= len(low) <= 4 and tok.text.isalpha() and tok.text.isupper():
        return 0, True  # "KXR 4452", "WHT 448 201": capitals inside a written code
    if tok.text.isalnum() and any(c.isdigit() for c in low) and any(c.isalpha() for c in low):
        return sum(c.isdigit() for c in low), False
    return None


# State names before a ZIP ("dallas , texas 75201"): every word of one, except the first words
# that are ordinary ("new", "north", "west", "rhode" of "rhode island").
_STATES = US_STATES - {"new", "north", "south", "west", "rhode"}


def _opens_answer(tokens: list[Token], start: int) -> bool:
    """Is the run near the start of a turn (an answer to the question before it)?"""
    for j in range(start, max(-1, start - 12), -1):
        if "\n" in tokens[j].gap or (j > 0 and tokens[j - 1].text in (":", "]")):
            return True
    return False


def _context(tokens: list[Token], start: int) -> PhiCategory | None:
    answer = _opens_answer(tokens, start)
    k = start - 1
    if k >= 0 and tokens[k].text == ",":
        k -= 1
    if k >= 0 and tokens[k].low in _STATES:
        return PhiCategory.LOCATION  # "dallas , texas 75201"
    zip_shape = len(tokens[start].text) == 5 and tokens[start].text.isdigit()
    if zip_shape and k >= 0 and tokens[k].text in STATE_CODES:
        return PhiCategory.LOCATION  # "Rutland, VT 05701"
    after = tokens[start + 1].text if start + 1 < len(tokens) else ""
    if tokens[start].text in STATE_CODES and len(after) == 5 and after.isdigit():
        return PhiCategory.LOCATION  # the same, when the run starts at the state's capitals
    if zip_shape and k >= 0 and k < start - 1 and tokens[k].text[:1].isupper():
        return PhiCategory.LOCATION  # "Gloucester, 01930": a town, a comma, five digits
    weak: PhiCategory | None = None
    for j in range(start - 1, max(-1, start - 1 - _WINDOW), -1):
        low = tokens[j].low
        if low in _TRIGGERS:
            if low == "mr" and j + 1 < len(tokens) and tokens[j + 1].low not in ("n", "number"):
                continue  # "mr smith", not "m r n"
            found = _TRIGGERS[low]
            before = tokens[j - 1].low if j else ""
            if low == "code" and before in ("zip", "postal", "area"):
                return PhiCategory.PHONE if before == "area" else PhiCategory.LOCATION
            if found is PhiCategory.ID and before in _TRIGGERS:
                return _TRIGGERS[before]  # "member id", "patient id": the specific word wins
            if low == "card" and any(
                t.low in _PLAN_WORDS for t in tokens[max(0, start - _WINDOW) : j]
            ):
                return PhiCategory.HEALTH_PLAN  # "the policy number on my card is ..."
            return found
        if low in (".", "!") and j < start - 1 and not answer:
            break  # a question ("your date of birth ?") still frames the answer after it
        if weak is None and low in _WEAK_TRIGGERS:
            weak = _WEAK_TRIGGERS[low]
    return weak


def _context_after(tokens: list[Token], end: int) -> PhiCategory | None:
    """A trigger right after the run: "... four five six is my cell", "... is the zip"."""
    for j in range(end, min(len(tokens), end + 4)):
        low = tokens[j].low
        if low in (".", "?", "!"):
            break
        if low in _TRIGGERS and low not in ("mr", "last", "code"):
            return _TRIGGERS[low]
    return None


def _by_shape(groups: list[int], digits: int, letters: int, dots: int) -> PhiCategory:
    if dots == 3 and letters == 0:
        return PhiCategory.IP
    if letters == 0 and groups[:3] == [3, 2, 4] and digits == 9:
        return PhiCategory.SSN
    if letters == 0 and (digits in (7, 10) or (digits == 11 and groups[0] == 1)):
        return PhiCategory.PHONE
    if digits + letters == 17 and letters >= 2:
        return PhiCategory.VEHICLE
    return PhiCategory.ID


# A written piece of a code mixing digits and letters ("4N7", "KT2")...
_CODE_PIECE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{3,}")
# ...but not an ordinal, a lab, a vitamin or a vertebra ("101st", "a1c", "b12", "l4").
_NOT_CODE_PIECE = re.compile(r"\d+(?:st|nd|rd|th)|[a-z]\d{1,2}[a-z]?|hba1c|spo2|fev1|co2|h2o")
# "2000iu", "500mg", "10ml": a dose written with its unit, not a code.
_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?(?:iu|mg|mcg|ml|kg|lbs?|units?|cc|mm|cm|g|mmol|meq)")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _dosing_letters(run: list[Token]) -> bool:
    """Are the letters only an abbreviation said letter by letter before a number ("b i d
    one two")? The same list the spelled-name rule uses."""
    head = "".join(t.low for t in run if len(t.low) == 1 and t.low.isalpha())
    return head in SPELLED_ABBREVIATIONS


def _counting(run: list[Token]) -> bool:
    """ "one two three four five": counting up or down in an exam, not a number read out."""
    values = [DIGIT_WORDS[t.low] for t in run if t.low in DIGIT_WORDS]
    if len(values) < 4 or len(values) != sum(t.is_word for t in run):
        return False
    steps = {b - a for a, b in pairwise(values)}
    return steps in ({1}, {-1})


def find_codes(tokens: list[Token]) -> Iterator[Found]:
    n = len(tokens)
    i = 0
    while i < n:
        if _unit(tokens[i]) is None and tokens[i].low not in _REPEAT:
            i += 1
            continue
        j, digits, letters, dots, groups = i, 0, 0, 0, []
        last_unit = i
        while j < n:
            tok = tokens[j]
            if j > i and tok.gap.strip() not in _GAP_OK and tok.text not in ("-", ",", "(", ")"):
                break
            if tok.text in ("-", ",", "(", ")", "#"):
                j += 1
                continue
            if tok.low in _JOINERS and j > i:
                dots += tok.low in ("dot", "point")
                j += 1
                continue
            if tok.low in _REPEAT and j + 1 < n and tokens[j + 1].low in DIGIT_WORDS:
                digits += _REPEAT[tok.low]
                groups.append(_REPEAT[tok.low])
                j += 2
                last_unit = j - 1
                continue
            unit = _unit(tok)
            if unit is None:
                break
            digits += unit[0]
            letters += unit[1]
            if unit[1] and len(tok.text) > 1:
                letters += len(tok.text) - 1  # "PRG" is three letters of the code
            elif _CODE_PIECE.fullmatch(tok.text) and not _NOT_CODE_PIECE.fullmatch(tok.low):
                letters += sum(ch.isalpha() for ch in tok.text)  # "4N7": one letter
            if unit[0]:
                groups.append(unit[0])
            last_unit = j
            j += 1
        end = last_unit + 1
        # Leading "a"/"i" are words far more often than letters of a code.
        first = i
        while first < end - 1 and tokens[first].low in _TRIGGERS and tokens[first].text.isupper():
            letters -= 1  # "ID four four seven one": the label in capitals, not the code
            first += 1
        category = _context(tokens, first) or _context_after(tokens, last_unit + 1)
        while (
            category is None
            and first < end
            and tokens[first].low in ("a", "i")
            and _unit(tokens[first]) == (0, True)
        ):
            first += 1
        # "last four six six oh two", "hers ends in double six one two": part of a number.
        last_four = first > 1 and tokens[first - 1].low == "last" and tokens[first].low == "four"
        partial = last_four or (
            first > 1
            and (
                (tokens[first - 1].low == "in" and tokens[first - 2].low in ("ends", "ending"))
                or tokens[first - 1].low == "ending"
            )
        )
        if last_four:
            first += 1  # the code starts after "last four"
        follows = tokens[end].low if end < n and "\n" not in tokens[end].gap else ""
        quantity = follows in _UNITS or (first > 0 and tokens[first - 1].text == "$")
        quantity = quantity or any(_WITH_UNIT.fullmatch(t.low) for t in tokens[first:end])
        if tokens[first].low == "o" and digits < 7:
            first += 1
        written = any(c.isdigit() for t in tokens[first:end] for c in t.text)
        one_by_one = all(t.low in DIGIT_WORDS or t.low in _REPEAT for t in tokens[first:end]
                         if t.is_word)  # fmt: skip
        need = 4 if category is not None else (5 if written or letters or one_by_one else 7)
        if category is PhiCategory.DATE:
            # "born oh three one four six one", "six twelve twenty-three"; a year alone
            # ("born in nineteen sixty one") is not an identifier.
            need = 99 if spoken_year(tokens, first) == end else 5
        if letters >= 2 and digits >= 3 and not _dosing_letters(tokens[first:end]):
            need = min(need, 3)  # "v m nine oh four four": a code spelled out, even unasked
        if category is not None and letters >= 2 and digits >= 2:
            need = min(need, max(2, 5 - letters))  # "plate e j n five eight nine"
        if dots == 3 and digits >= 4 and letters == 0:
            need = 4  # "ten dot zero dot zero dot fifteen"
        mixed = [t for t in tokens[first:end] if len(t.text) >= 8 and _CODE_PIECE.fullmatch(t.text)]
        if mixed and digits >= 2:
            need = min(need, digits)  # "MARCHDM498QJ": one long mixed token is a code
        if partial:
            need = 4
            if category in (None, PhiCategory.DATE):
                category = PhiCategory.ID
        only_letters_tail = all(_unit(t) == (0, True) for t in tokens[first:end])
        year = end - first == 1 and _YEAR.fullmatch(tokens[first].text) is not None
        only_letters_tail = only_letters_tail or year  # "in 2018": a year alone is no identifier
        counting = category is None and _counting(tokens[first:end])
        if digits >= need and not quantity and not only_letters_tail and not counting:
            if category is None or (category is PhiCategory.PHONE and digits not in (7, 10, 11)):
                shape = _by_shape(groups, digits, letters, dots)
                category = shape if category is None or shape is not PhiCategory.ID else category
            yield tokens[first].start, tokens[end - 1].end, category
        i = max(end, i + 1)
