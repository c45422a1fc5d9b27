"""Identifier values in their written and spoken forms, for the PHI evaluation set.

Each generator takes a ``random.Random`` and returns the surface text of one identifier the way
a speech recogniser or a typist would write it. The DEV and TEST splits call them with
different seeds, name pools and templates (see make_eval_set.py), so the TEST split holds
values and wordings the rules were not tuned on.
"""

from __future__ import annotations

import random


def split_words(text: str) -> list[str]:
    return text.split()


DIGIT = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = split_words(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
)
TENS = split_words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
MONTHS = split_words(
    "january february march april may june july august september october november december"
)
ORD = split_words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
LETTERS = "abcdefghjkmnprstuvwxyz"


def digits(rng: random.Random, n: int, first_nonzero: bool = True) -> str:
    out = [str(rng.randint(1 if first_nonzero else 0, 9))]
    out += [str(rng.randint(0, 9)) for _ in range(n - 1)]
    return "".join(out)


def spell(ds: str, rng: random.Random, oh: bool = True) -> str:
    words = []
    for d in ds:
        if d == "0" and oh and rng.random() < 0.5:
            words.append("oh")
        else:
            words.append(DIGIT[int(d)])
    return " ".join(words)


def spell_groups(groups: list[str], rng: random.Random, sep: str) -> str:
    return sep.join(spell(g, rng) for g in groups)


def number_words(n: int) -> str:
    """0-99 in words, ASR style ("forty two")."""
    if n < 10:
        return DIGIT[n]
    if n < 20:
        return TEENS[n - 10]
    tens, unit = divmod(n, 10)
    return TENS[tens] + ("" if unit == 0 else " " + DIGIT[unit])


def ordinal_words(n: int) -> str:
    if n <= 20:
        return ORD[n - 1]
    if n == 30:
        return "thirtieth"
    tens, unit = divmod(n, 10)
    return TENS[tens] + " " + ORD[unit - 1]


def ordinal_digits(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def year_words(y: int) -> str:
    if 2000 <= y <= 2009:
        return "two thousand" + ("" if y == 2000 else " and " + DIGIT[y - 2000])
    hi, lo = divmod(y, 100)
    tail = ("oh " + DIGIT[lo]) if lo < 10 else number_words(lo)
    return number_words(hi) + " " + tail


def phone(rng: random.Random, style: str) -> str:
    area = str(rng.randint(2, 9)) + digits(rng, 2, False)
    ex = str(rng.randint(2, 9)) + digits(rng, 2, False)
    line = digits(rng, 4, False)
    return {
        "spoken": spell_groups([area, ex, line], rng, " "),
        "spoken_commas": spell_groups([area, ex, line], rng, " , "),
        "dashes": f"{area}-{ex}-{line}",
        "parens": f"({area}) {ex}-{line}",
        "dots": f"{area}.{ex}.{line}",
        "bare": area + ex + line,
        "mixed": f"{spell(area, rng)} {ex} {line}",
        "seven": spell_groups([ex, line], rng, " "),
    }[style]


def ssn(rng: random.Random, style: str) -> str:
    a, b, c = digits(rng, 3), digits(rng, 2, False), digits(rng, 4, False)
    return {
        "dashes": f"{a}-{b}-{c}",
        "spaces": f"{a} {b} {c}",
        "spoken": spell_groups([a, b, c], rng, " "),
        "spoken_commas": spell_groups([a, b, c], rng, " , "),
    }[style]


def letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(n))


def code(rng: random.Random, style: str, n_letters: int, n_digits: int) -> str:
    """An alphanumeric identifier: written ("AB1234567") or spoken ("a b one two ...")."""
    let, ds = letters(rng, n_letters), digits(rng, n_digits, False)
    if style == "written":
        return (let.upper() + ds) if n_letters else ds
    if style == "written_lower":
        return let + ds
    if style == "spaced":
        return (let.upper() + " " if n_letters else "") + ds
    return " ".join(list(let) + spell(ds, rng).split())


def date(rng: random.Random, style: str) -> str:
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    y = rng.randint(1931, 2025)
    month = MONTHS[m - 1]
    return {
        "month_ord": f"{month} {ordinal_digits(d)}",
        "month_ord_words": f"{month} {ordinal_words(d)}",
        "month_the_ord": f"{month} the {ordinal_words(d)}",
        "month_day_year": f"{month} {d} {y}",
        "month_day_comma_year": f"{month} {d}, {y}",
        "month_ord_year_words": f"{month} {ordinal_words(d)} {year_words(y)}",
        "ord_of_month": f"the {ordinal_words(max(d, 4))} of {month}",
        "the_ord": f"the {ordinal_words(max(d, 4))}",
        "the_ord_digits": f"the {ordinal_digits(max(d, 4))}",
        "slash": f"{m}/{d}/{y}",
        "slash_short": f"{m:02d}/{d:02d}/{str(y)[2:]}",
        "iso": f"{y}-{m:02d}-{d:02d}",
        "month_year": f"{month} {y}",
        "month_of_year": f"{month} of {year_words(y)}",
        "day_month_year": f"{d} {month} {y}",
    }[style]


def age(rng: random.Random, style: str) -> str:
    n = rng.randint(90, 104)
    words = number_words(n) if n < 100 else "a hundred" + (f" and {DIGIT[n - 100]}" * (n > 100))
    return {
        "digits_years_old": f"{n} years old",
        "hyphen": f"{n}-year-old",
        "words_years_old": f"{words} years old",
        "words_year_old": f"{words} year old",
        "words": words,
        "digits": str(n),
    }[style]


def email(rng: random.Random, first: str, last: str, domain: str, style: str) -> str:
    num = str(rng.randint(1, 99))
    if style == "written":
        return f"{first}.{last}{num}@{domain}"
    if style == "written_plain":
        return f"{first[0]}{last}@{domain}"
    host, tld = domain.rsplit(".", 1)
    spoken_host = " dot ".join(host.split("."))
    if style == "spoken_dot":
        return f"{first} dot {last} at {spoken_host} dot {tld}"
    if style == "spoken_underscore":
        return f"{first} underscore {last} at {spoken_host} dot {tld}"
    return f"{first[0]}{last}{num} at {spoken_host} dot {tld}"


def url(rng: random.Random, host: str, style: str) -> str:
    name, tld = host.rsplit(".", 1)
    if style == "www":
        return f"www.{host}"
    if style == "https":
        return f"https://{host}/portal"
    if style == "spoken_www":
        return f"w w w dot {' dot '.join(name.split('.'))} dot {tld}"
    return f"{' dot '.join(name.split('.'))} dot {tld}"


def ip(rng: random.Random, style: str) -> str:
    parts = [rng.randint(10, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)]
    if style == "written":
        return ".".join(map(str, parts))
    return " dot ".join(spell(str(p), rng, oh=False) for p in parts)


def street_number(rng: random.Random, style: str) -> str:
    n = rng.randint(12, 9899)
    if style == "digits":
        return str(n)
    hi, lo = divmod(n, 100)
    if hi == 0:
        return number_words(lo)
    tail = ("oh " + DIGIT[lo]) if lo < 10 else number_words(lo)
    return f"{number_words(hi)} {tail}"


def zip_code(rng: random.Random, style: str) -> str:
    z = digits(rng, 5, False)
    return z if style == "digits" else spell(z, rng)
