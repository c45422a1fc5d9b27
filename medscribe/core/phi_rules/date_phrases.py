"""Dates said as phrases rather than numbers: "the second sunday in may", "the winter of
eighty seven", "the spring of twenty twenty two".

Each pins a time more finely than a year alone, so Safe Harbor counts it as a date element.
A season or a weekday on its own ("last winter", "on sunday") is not a date and stays
unflagged: only the phrase with its month or year is.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import MONTHS, WEEKDAYS
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import (
    DIGIT_WORDS,
    ORDINALS,
    Token,
    small_number,
    split_words,
    spoken_year,
)

_COUNTED = frozenset(split_words("years months weeks days hours times people kids percent"))
_SEASONS = frozenset(split_words("spring summer fall autumn winter christmas easter"))
# Days of the month in Spanish after "el" ("el quince"); "el uno", "el dos" are left out: they
# are as often "the one", "the two".
_SPANISH_DAYS = frozenset(
    split_words("""primero tres cuatro cinco seis siete ocho nueve diez once doce trece catorce
    quince dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidós
    veintidos veintitrés veintitres veinticuatro veinticinco veintiséis veintiseis veintisiete
    veintiocho veintinueve treinta""")
)
_SPANISH_COUNTED = frozenset(
    split_words("""por veces años anos meses semanas días dias horas minutos dólares dolares
    pesos pastillas libras kilos""")
)


def _year_at(tokens: list[Token], i: int) -> int | None:
    """Index after a year at ``tokens[i]``, including two-digit years ("eighty seven", '87)."""
    end = spoken_year(tokens, i)
    if end is not None:
        return end
    tok = tokens[i]
    if tok.text.startswith("'") and tok.text[1:].isdigit() and len(tok.text) == 3:
        return i + 1
    if tok.low in ("oh", "o") and i + 1 < len(tokens) and tokens[i + 1].low in DIGIT_WORDS:
        return i + 2  # "august of oh nine"
    got = small_number(tokens, i)
    if got is not None and not got[2] and tokens[i].low not in ORDINALS:
        after = tokens[got[1]].low if got[1] < len(tokens) else ""
        if got[0] >= 10 and after not in _COUNTED:
            return got[1]  # "the winter of eighty seven", "the spring of twenty two"
    return None


def find_date_phrases(tokens: list[Token]) -> Iterator[Found]:
    n = len(tokens)
    for i, tok in enumerate(tokens[:-2]):
        low = tok.low
        # "the second sunday in may", "the last friday of june"
        if (low in ORDINALS or low == "last") and tokens[i + 1].low in WEEKDAYS:
            if i + 3 < n and tokens[i + 2].low in ("in", "of") and tokens[i + 3].low in MONTHS:
                yield tok.start, tokens[i + 3].end, PhiCategory.DATE
            continue
        # "Thursday 11 March", "by 1 March 2027": a day in digits before the month's name
        month = tokens[i + 1]
        day_month = tok.text.isdigit() and 1 <= int(tok.text) <= 31 and month.low in MONTHS
        if day_month and (len(month.text) > 3 or month.text[:1].isupper()):
            end = i + 2
            year = spoken_year(tokens, end) if end < n else None
            yield tok.start, tokens[(year or end) - 1].end, PhiCategory.DATE
            continue
        # "the first week of may", "the last weekend in june"
        week = tokens[i + 1].low in ("week", "weekend") and (low in ORDINALS or low == "last")
        if week and i + 3 < n and tokens[i + 2].low in ("of", "in") and tokens[i + 3].low in MONTHS:
            yield tok.start, tokens[i + 3].end, PhiCategory.DATE
            continue
        # "the second of this month", "the tenth of next month"
        this_month = i + 3 < n and tokens[i + 2].low in ("this", "next", "last")
        this_month = this_month and tokens[i + 3].low == "month"
        if low in ORDINALS and tokens[i + 1].low == "of" and this_month:
            yield tok.start, tokens[i + 3].end, PhiCategory.DATE
            continue
        # "el quince", "el primero de mayo": a day of the month in Spanish ("el tres por
        # ciento", "el cinco veces" count something)
        counted = i + 2 < n and tokens[i + 2].low in _SPANISH_COUNTED
        if low == "el" and tokens[i + 1].low in _SPANISH_DAYS and not counted:
            yield tok.start, tokens[i + 1].end, PhiCategory.DATE
            continue
        # "the winter of eighty seven", "spring of 2019", "august of oh nine"
        if (low in _SEASONS or low in MONTHS) and tokens[i + 1].low in ("of", "in"):
            end = _year_at(tokens, i + 2)
            if end is not None:
                yield tok.start, tokens[end - 1].end, PhiCategory.DATE
