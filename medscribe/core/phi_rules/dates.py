"""Dates and ages over 89 as people say them.

"march 3rd", "march the third nineteen sixty one", "the fourteenth of march", "on the
fourteenth", "ninety two years old", "she's a hundred and one". Year-only mentions are not
flagged: Safe Harbor allows the year (except with an age over 89, which is caught as AGE).
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import MONTHS, WEEKDAYS
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import (
    ORDINALS,
    TENS,
    Token,
    small_number,
    split_words,
    spoken_year,
)

# Words before a bare month that make it a date ("in march", "since january").
_MONTH_CONTEXT = frozenset(
    split_words(
        "in on since until till from by before after during last next this early late mid "
        "middle end beginning start of around about through thru"
    )
)
# Nouns after "the <ordinal>" that make it a count, not a day ("the third time").
_ORDINAL_NOUNS = frozenset(
    split_words("""
    time times floor grade day days week weeks month months year years visit visits dose
    doses round rounds cycle cycles trimester degree toe toes finger fingers rib ribs one
    ones child kid baby pregnancy surgery shot shots injection opinion place attempt try
    line generation level step stage session appointment set row pill tablet bottle
    vertebra disc metatarsal metacarpal digit cranial nerve heart sound sounds quarter
    half person thing option question point part piece decade""")
)
_HOLIDAYS = (
    ("christmas",), ("thanksgiving",), ("easter",), ("halloween",), ("hanukkah",),
    ("new", "year's"), ("new", "years"), ("valentine's",), ("valentines",),
    ("fourth", "of", "july"), ("memorial", "day"), ("labor", "day"), ("independence", "day"),
    ("mother's", "day"), ("father's", "day"), ("valentine's", "day"), ("christmas", "eve"),
    ("new", "year's", "eve"), ("new", "year's", "day"), ("st", "patrick's", "day"),
    ("saint", "patrick's", "day"), ("veterans", "day"), ("presidents", "day"),
    ("president's", "day"), ("martin", "luther", "king", "day"), ("mlk", "day"),
    ("good", "friday"), ("black", "friday"), ("juneteenth",), ("passover",), ("ramadan",),
    ("rosh", "hashanah"), ("yom", "kippur"), ("diwali",), ("kwanzaa",),
    ("cinco", "de", "mayo"), ("columbus", "day"), ("boxing", "day"), ("armistice", "day"),
    ("tết",), ("lunar", "new", "year"), ("día", "de", "reyes"), ("dia", "de", "reyes"),
    ("april", "fools"), ("april", "fool's"), ("groundhog", "day"), ("eid",), ("holi",),
    ("noche", "buena"), ("nochebuena",), ("día", "de", "los", "muertos"),
    ("dia", "de", "los", "muertos"),
)  # fmt: skip
# Longest first, so "valentine's day" wins over "valentine's".
_HOLIDAYS = tuple(sorted(_HOLIDAYS, key=len, reverse=True))
_HOLIDAY_FIRST = frozenset(h[0].partition("'")[0] for h in _HOLIDAYS)


def _spoken(tok: Token) -> str:
    """The word as said, possessive kept ("valentine's"): ``low`` drops the 's."""
    return tok.text.lower().replace("’", "'")


_DAY_WORDS = frozenset(ORDINALS) | frozenset(TENS) | {"thirtieth", "twentieth"}
_DAY_ENDINGS = frozenset(["st", "nd", "rd", "th"])


def _day(tokens: list[Token], i: int) -> tuple[int, bool] | None:
    """(next index, ordinal) for a day of the month at ``tokens[i]``."""
    got = small_number(tokens, i)
    if got is None or not (1 <= got[0] <= 31):
        return None
    return got[1], got[2]


def skip_words(tokens: list[Token], i: int, words: tuple[str, ...]) -> int:
    """The index of the first token at or after ``i`` that is not one of ``words``."""
    while i < len(tokens) and tokens[i].low in words:
        i += 1
    return i


def _year_after(tokens: list[Token], i: int) -> int | None:
    j = skip_words(tokens, i, (",", "of", "in"))
    return spoken_year(tokens, j) if j < len(tokens) else None


def _month_date(tokens: list[Token], i: int) -> int | None:
    """End index of a date starting with the month at ``tokens[i]``; None if not a date."""
    n = len(tokens)
    low = tokens[i].low
    j = skip_words(tokens, i + 1, ("the",))
    if j + 1 < n and tokens[j].text == "." and len(low) <= 4:
        j += 1  # "oct. 14"
    if j < n:
        day = _day(tokens, j)
        if day is not None:
            end = day[0]
            year_end = _year_after(tokens, end)
            return year_end if year_end is not None else end
    year_end = _year_after(tokens, i + 1)
    if year_end is not None:
        return year_end
    prev = tokens[i - 1].low if i > 0 else ""
    if low == "may":  # "may" is mostly a verb: only "in may", "last may", "may 5th"
        ok = prev in _MONTH_CONTEXT and prev not in ("i", "it", "you", "this", "that", "on")
        return i + 1 if ok and (i + 1 >= n or not tokens[i + 1].is_word) else None
    if low in ("mar", "jun", "jul", "sep", "dec", "jan", "oct", "nov", "aug", "feb", "apr"):
        return i + 1 if tokens[i].text[0].isupper() or prev in _MONTH_CONTEXT else None
    if low in ("march", "august") and prev not in _MONTH_CONTEXT:
        return None
    return i + 1


def _ordinal_date(tokens: list[Token], i: int) -> int | None:
    """ "the fourteenth (of march) (nineteen sixty one)", "the 3rd" when it names a day."""
    n = len(tokens)
    day = _day(tokens, i)
    if day is None or not day[1]:
        return None
    end = day[0]
    j = skip_words(tokens, end, ("of",))
    if (j < n and tokens[j].low in MONTHS and tokens[j].low != "may") or (
        j < n and tokens[j].low == "may" and j > end
    ):
        end = j + 1
        year_end = _year_after(tokens, end)
        return year_end if year_end is not None else end
    prev = tokens[i - 1].low if i > 0 else ""
    if prev != "the":
        return None
    nxt = tokens[end].low if end < n else ""
    if nxt in _ORDINAL_NOUNS or (nxt.endswith("s") and nxt[:-1] in _ORDINAL_NOUNS):
        return None
    value = small_number(tokens, i)
    if value is not None and value[0] <= 3:
        before = tokens[i - 2].low if i > 1 else ""
        preps = ("on", "since", "by", "until", "till", "from", "after", "before")
        if before not in preps and before not in WEEKDAYS:  # "wednesday the 3rd"
            return None
    return end


# A season with its year narrows a date to three months: "the fall of 2019".
SEASONS = frozenset(["spring", "summer", "fall", "autumn", "winter"])


def find_dates(tokens: list[Token]) -> Iterator[Found]:
    n = len(tokens)
    i = 0
    while i < n:
        low = tokens[i].low
        end: int | None = None
        if low in MONTHS:
            end = _month_date(tokens, i)
        elif low in _DAY_WORDS or (tokens[i].is_number and low[-2:] in _DAY_ENDINGS):
            end = _ordinal_date(tokens, i)
        if end is None and low in SEASONS:
            end = _year_after(tokens, i + 1)  # "the spring of 2021", "fall twenty nineteen"
        if end is None and low in _HOLIDAY_FIRST:
            for words in _HOLIDAYS:
                if tuple(_spoken(t) for t in tokens[i : i + len(words)]) == words:
                    end = i + len(words)
                    break
        if end is not None and end > i:
            yield tokens[i].start, tokens[end - 1].end, PhiCategory.DATE
            i = end
        else:
            i += 1
