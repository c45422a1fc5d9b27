"""Token-level text matching shared by entity grounding and the ICD-10-CM title checks.

Transcripts come from speech recognition and models paraphrase, so an exact substring search
finds too little. These helpers compare words loosely (case, plurals and word endings such as
"hypertension"/"hypertensive", small spelling slips) but never numbers, where "10" and "100"
must stay different.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

# Words, and numbers with decimals or slashes kept whole ("98.6", "140/90").
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[./][0-9]+)*")

# Function words, plus words that fill ICD-10-CM titles without naming anything.
_STOPWORD_TEXT = (
    "a an and are as at be by for from has have he her his i in is it its of on or our she "
    "that the their them they this to was we were with you your not no unspecified other "
    "without due mg"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_SUFFIXES = ("ations", "ation", "ities", "ness", "ings", "ing", "ies", "es", "s")


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``."""
    return [m.group(0).lower() for m in WORD_RE.finditer(text)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning; all words if the phrase is nothing but stopwords."""
    toks = words(text)
    content = [t for t in toks if t not in STOPWORDS]
    return content or toks


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A crude suffix strip: enough to make plural and singular meet, not a real stemmer."""
    if token.isdigit() or len(token) <= 4:
        return token
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@lru_cache(maxsize=262144)
def tokens_match(a: str, b: str) -> bool:
    """Whether two lower-case tokens name the same thing, loosely.

    Numbers must be equal. Words match on a shared stem or a long shared beginning
    ("diabetes"/"diabetic"), or when nearly identical in spelling ("metformin"/"metphormin").
    """
    if a == b:
        return True
    if any(c.isdigit() for c in a) or any(c.isdigit() for c in b):
        return False
    if stem(a) == stem(b):
        return True
    shortest = min(len(a), len(b))
    if shortest >= 4 and _common_prefix(a, b) >= max(4, shortest - 3):
        return True
    if shortest >= 6 and abs(len(a) - len(b)) <= 2:
        return SequenceMatcher(None, a, b).ratio() >= 0.8
    return False


def coverage(query: list[str], target: list[str]) -> float:
    """Share of ``query`` tokens that match some token of ``target`` (0..1)."""
    if not query:
        return 0.0
    hit = sum(1 for q in query if any(tokens_match(q, t) for t in target))
    return hit / len(query)
