"""Tokens with offsets, and spoken numbers as speech recognisers write them.

Rules look at words, not characters: "five five five one two three four" is a phone number
only when read as digits. Each token keeps its character offsets so spans map back exactly.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A word (with inner apostrophes: o'brien, martha's), a number with grouping commas or a
# decimal point (150,000 / 7.2: quantities, never identifiers), or one punctuation mark.
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+(?![.\d])|[^\W_]+(?:['’][^\W_]+)*|[^\w\s-]"
)


def split_words(text: str) -> list[str]:
    """Word lists are written as one string for readability; this turns them into a list."""
    return text.split()


class Token(NamedTuple):
    """A word, number or punctuation mark (a tuple: tens of thousands are made per visit)."""

    start: int
    end: int
    text: str
    low: str  # lower case, possessive 's removed
    gap: str  # the characters between the previous token and this one
    is_word: bool
    is_number: bool

    @property
    def name_end(self) -> int:
        """End offset without a possessive ('s), so "martha's" is flagged as "martha"."""
        if self.text.lower().endswith(("'s", "’s")) and len(self.text) > 2:
            return self.end - 2
        return self.end


# Speech-to-text often drops apostrophes ("hes at work", "whats your name"). These are read as
# the contractions they stand for, so a rule written for "he's" also fits "hes". Ambiguous
# ones ("ill", "were" for "we're", "well", "shed", "its", "im" for intramuscular) are left alone.
_FULL_CONTRACTIONS = [
    "he's", "she's", "that's", "what's", "who's", "where's", "there's", "here's", "how's",
    "you're", "they're", "i've", "you've", "they've", "we've", "you'll", "they'll", "it'll",
    "don't", "doesn't", "didn't", "can't", "couldn't", "wouldn't", "shouldn't", "isn't",
    "wasn't", "aren't", "weren't", "hasn't", "haven't",
]  # fmt: skip
_BARE_CONTRACTIONS = {full.replace("'", ""): full for full in _FULL_CONTRACTIONS}


def looks_cased(text: str) -> bool:
    """Does the text use capitals like prose? ASR output is often all lower case."""
    sample = text[:20_000]
    letters = sum(c.isalpha() for c in sample)
    upper = sum(c.isupper() for c in sample)
    return letters > 0 and 0.02 < upper / letters < 0.5


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    prev_end = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        start, end = match.span()
        low = word.lower()
        if "'" in low or "’" in low:
            low = low.replace("’", "'")
            if low.endswith("'s") and len(low) > 2:
                low = low[:-2]
        else:
            low = _BARE_CONTRACTIONS.get(low, low)
        first = word[0]
        append(Token(start, end, word, low, text[prev_end:start], first.isalpha(), first.isdigit()))
        prev_end = end
    return tokens


DIGIT_WORDS = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
# Digits read out in Spanish ("tres dos cinco", "noventa y dos"); "cero" is left to the code
# rule, where it is a digit, not a part of an age.
SPANISH_DIGITS = {
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# Spoken cardinal words up to ninety: house numbers, road numbers, counts.
NUMBER_WORDS = frozenset(DIGIT_WORDS) | frozenset(TEENS) | frozenset(TENS)
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_ORDINAL_DIGITS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")


def opens_turn(tokens: list[Token], i: int) -> bool:
    """Does ``tokens[i]`` start a turn: the first token, the first after a speaker label's
    ":" or "]", or the first on a new line?"""
    return i == 0 or "\n" in tokens[i].gap or tokens[i - 1].text in ("]", ":")


def new_field(tok: Token) -> bool:
    """Does ``tok`` start a new line or a new field of a typed form ("Sorokina, MD    Discharge
    nurse: ...": a tab or a run of spaces separates fields the way a line break does)?"""
    return "\n" in tok.gap or "\t" in tok.gap or "  " in tok.gap


def is_blank_gap(tok: Token) -> bool:
    """True when only blanks (or nothing) separate the token from the previous one."""
    return tok.gap.strip() == ""


def is_spaced(tok: Token) -> bool:
    """True when only blanks or a hyphen separate the token from the previous one."""
    return tok.gap.strip() in ("", "-")


def small_number(tokens: list[Token], i: int) -> tuple[int, int, bool] | None:
    """A number below 100 spoken or written at ``tokens[i]``: (value, next index, ordinal)."""
    tok = tokens[i]
    low = tok.low
    if tok.text.isdigit() and len(tok.text) <= 2:
        return int(tok.text), i + 1, False
    match = _ORDINAL_DIGITS.fullmatch(low)
    if match:
        return int(match.group(1)), i + 1, True
    if low in ORDINALS:
        return ORDINALS[low], i + 1, True
    if low in TEENS:
        return TEENS[low], i + 1, False
    if low in DIGIT_WORDS and low not in ("o", "oh", "zero"):
        return DIGIT_WORDS[low], i + 1, False
    if low in TENS:
        value = TENS[low]
        if i + 1 < len(tokens) and is_spaced(tokens[i + 1]):
            nxt = tokens[i + 1].low
            if nxt in DIGIT_WORDS and nxt not in ("o", "oh", "zero"):
                return value + DIGIT_WORDS[nxt], i + 2, False
            if nxt in ORDINALS and ORDINALS[nxt] < 10:
                return value + ORDINALS[nxt], i + 2, True
        return value, i + 1, False
    if low.endswith("ieth") and low[:-4] + "y" in TENS:
        return TENS[low[:-4] + "y"], i + 1, True
    return None


def spoken_year(tokens: list[Token], i: int) -> int | None:
    """Index after a year at ``tokens[i]``: 1961, '61, nineteen sixty one, two thousand five,
    twenty twenty four, twenty oh five. None when there is no year there."""
    n = len(tokens)
    tok = tokens[i]
    if tok.text.isdigit() and len(tok.text) == 4 and tok.text[:2] in ("18", "19", "20"):
        return i + 1
    low = tok.low
    if low in ("nineteen", "twenty", "eighteen") and i + 1 < n and is_spaced(tokens[i + 1]):
        nxt = tokens[i + 1].low
        if nxt in ("oh", "o", "zero") and i + 2 < n and tokens[i + 2].low in DIGIT_WORDS:
            return i + 3
        if nxt in ("hundred",):
            return i + 2
        tail = small_number(tokens, i + 1)
        if tail is not None and not tail[2] and tail[0] >= 10:
            return tail[1]
    if low == "two" and i + 1 < n and tokens[i + 1].low == "thousand":
        j = i + 2
        if j < n and tokens[j].low == "and":
            j += 1
        if j < n:
            tail = small_number(tokens, j)
            if tail is not None and not tail[2]:
                return tail[1]
        return i + 2
    return None
