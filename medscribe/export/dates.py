"""Other spellings of a date, so that a date said one way is also removed when written another.

The transcript says "november twenty fourth 2020" or "11/24/2020"; the generated note writes
"November 24, 2020" or "2020-11-24". De-identifying generated text by matching the span's
text alone would leak those. Only dates with a month are expanded (a bare "the 28th" or a
year has too many innocent look-alikes), and numeric forms are produced only together with a
year, because "3/10" without one is as likely a pain score as March 10.
"""

from __future__ import annotations

import re

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBER = {name: i for i, name in enumerate(_MONTHS, start=1)}
_MONTH_NUMBER.update({name[:3]: i for i, name in enumerate(_MONTHS, start=1)})
_MONTH_NUMBER["sept"] = 9

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_SPELLED_DAY = {word: i for i, word in enumerate(_UNITS, start=1)}
_SPELLED_DAY.update({word: i for i, word in enumerate(_TEENS, start=10)})
_SPELLED_DAY.update({"twentieth": 20, "thirtieth": 30})
_SPELLED_DAY.update({f"twenty {w}": 20 + i for i, w in enumerate(_UNITS, start=1)})
_SPELLED_DAY.update({"thirty first": 31})

_NUMERIC_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_YEAR_RE = re.compile(r"^(19|20)\d\d$")


def _parse_words(text: str) -> tuple[int, int | None, int | None] | None:
    words = re.sub(r"[,.]", " ", text.casefold().replace("-", " ")).split()
    words = [w for w in words if w not in ("the", "of", "on")]
    month = next((_MONTH_NUMBER[w] for w in words if w in _MONTH_NUMBER), None)
    if month is None:
        return None
    joined = " ".join(words)
    day = year = None
    for phrase, number in sorted(_SPELLED_DAY.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{phrase}\b", joined):
            day = number
            break
    for word in words:
        if _YEAR_RE.match(word):
            year = int(word)
        elif day is None and (m := _DAY_RE.match(word)) and 1 <= int(m.group(1)) <= 31:
            day = int(m.group(1))
    return month, day, year


def _parse(text: str) -> tuple[int, int | None, int | None] | None:
    """(month, day, year) of a date in words or US numeric form; None when there is no month."""
    compact = text.strip()
    if m := _ISO_RE.match(compact):
        year, month, day = (int(g) for g in m.groups())
        return (month, day, year) if 1 <= month <= 12 and 1 <= day <= 31 else None
    if m := _NUMERIC_RE.match(compact):
        month, day, year = (int(g) for g in m.groups())
        if year < 100:
            year += 1900 if year > 30 else 2000
        return (month, day, year) if 1 <= month <= 12 and 1 <= day <= 31 else None
    return _parse_words(compact)


def date_variants(text: str) -> list[str]:
    """Other common spellings of the date in ``text`` (empty when it has no month)."""
    parsed = _parse(text)
    if parsed is None:
        return []
    month, day, year = parsed
    name = _MONTHS[month - 1].capitalize()
    abbr = name[:3]
    out: list[str] = []
    if day is not None:
        out += [f"{name} {day}", f"{abbr} {day}", f"{day} {name}", f"{day} {abbr}"]
    if year is not None and day is not None:
        out = [f"{v} {year}" for v in out]
        out += [
            f"{month}/{day}/{year}",
            f"{month:02d}/{day:02d}/{year}",
            f"{month}/{day}/{year % 100:02d}",
            f"{year}-{month:02d}-{day:02d}",
        ]
    elif year is not None:
        out += [f"{name} {year}", f"{abbr} {year}", f"{month}/{year}", f"{month:02d}/{year}"]
    return [v for v in dict.fromkeys(out) if v.casefold() != text.strip().casefold()]
