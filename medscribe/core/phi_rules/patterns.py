"""Identifiers with a written shape: e-mail, web and IP addresses, numeric dates.

These are plain regular expressions over the raw text, precompiled once. Spoken forms
("john dot smith at gmail dot com", "w w w dot ...") are covered here too because speech
recognisers write them as words with a fixed shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.tokens import split_words

Found = tuple[int, int, PhiCategory]

_TLD = r"(?:com|org|net|edu|gov|mil|us|io|co|info|biz|me|health|care|uk|ca|ai|app|no|de|ie|au|nz)"
_SEP = r"(?:\s+(?:dot|period|underscore|dash|hyphen)\s+|[._-])"
_SPOKEN_DOT = r"(?:\s*\.\s*|\s+dot\s+)"

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", re.IGNORECASE)
# The domain may be said as several words ("at hilltop mail dot com", "at iron lotus p d x
# dot com"): up to four words before each spoken dot.
_DOMAIN_PART = r"(?!at\b)[a-z0-9-]+(?:\s+(?!at\b)[a-z0-9-]+){0,3}"
_SPOKEN_EMAIL = re.compile(
    r"\b[a-z0-9]+(?:"
    + _SEP
    + r"[a-z0-9]+)*\s+(?:at|@)\s+"
    + _DOMAIN_PART
    + r"(?:"
    + _SPOKEN_DOT
    + _DOMAIN_PART
    + r")*?"
    + _SPOKEN_DOT
    + _TLD
    + r"\b",
    re.IGNORECASE,
)
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\." + _TLD + r"\b(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)])?",
    re.IGNORECASE,
)
_HTTP = r"(?:h\s*t\s*t\s*p\s*s?\s+(?:colon\s+)?(?:(?:forward\s+)?slash\s+){0,2})?"
_SPOKEN_URL = re.compile(
    r"\b(?:" + _HTTP + r"(?:w\s+w\s+w|www|triple\s+w)\s+dot\s+[a-z0-9-]+(?:\s+[a-z0-9-]+){0,2}?"
    r"|[a-z0-9-]+)(?:\s+dot\s+[a-z0-9-]+)*\s+dot\s+" + _TLD + r"\b"
    r"(?:\s+(?:forward\s+)?slash\s+[a-z0-9-]+)*",
    re.IGNORECASE,
)
_IP = re.compile(r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b", re.IGNORECASE)

_D, _M = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])"
_NUMERIC_DATE = re.compile(
    rf"\b(?:{_M}([/.-]){_D}\1(?:\d{{4}}|\d{{2}})|{_D}([/.-]){_M}\2\d{{4}}"
    rf"|(?:19|20)\d\d([/.-]){_M}\3{_D}|{_M}/(?:19|20)\d\d)\b(?![.:/-]?\d)"
)
# "on 3/14": month/day without a year only after a word that makes it a date (not 8/10 pain).
_SHORT_DATE = re.compile(
    rf"\b(?:on|since|from|until|till|dated|dob|born|of|by|before|after|due|scheduled|admitted|"
    rf"discharged|seen|surgery|through|thru|to|and|between|starting|started|onset|last|next|"
    rf"visit)\s+({_M}[/-]{_D})\b(?![/.-]?\d)"
    # "11/02", "3/07": a day written with a leading zero is a date, never a score or ratio.
    rf"|\b({_M}/0[1-9])\b(?![/.-]?\d)",
    re.IGNORECASE,
)
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b")
_PHONE = re.compile(
    # "1-800-555-0147", "+1 (503) 555-0199": after a country code the area code follows a
    # dash, so the "not inside a longer number" test applies to the code, not the area code.
    r"(?:(?<![\w-])\+?1[\s.-]?(?:\(\d{3}\)\s?|\d{3}[\s.-])"
    r"|(?:\(\d{3}\)\s?|(?<![\w-])\d{3}[\s.-]))\d{3}[\s.-]\d{4}\b"
    r"|(?<![\w.-])\d{3}-\d{4}\b(?![.-]\d)"
)


_NOT_LOCAL_PART = frozenset(
    split_words("""in on me us it them him her you look here there is was be log sign up out online
    signed logged email emails message page info go went find available it's that this""")
)
# Cheap anchors: the full patterns only run near them, which keeps a 2-hour visit fast.
_DIGITS = re.compile(r"\d+")
_AT = re.compile(r"@|\sat\s", re.IGNORECASE)
_DOT_TLD = re.compile(r"(?:\.|\sdot\s+)" + _TLD + r"\b|https?://|www\.", re.IGNORECASE)
_PAD = 40


def _windows(anchor: re.Pattern[str], text: str, before: int, after: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in anchor.finditer(text):
        start, end = max(0, m.start() - before), min(len(text), m.end() + after)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _scan(
    pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]], group: int = 0
) -> Iterator[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    for start, end in windows:
        for m in pattern.finditer(text, start, end):
            span = m.span(group)
            if span not in seen:
                seen.add(span)
                yield span


# Words that end the spoken local part of an e-mail on its left: "my email is j smith ...".
_BEFORE_LOCAL = frozenset(
    split_words("""is email e-mail mail address it's its my me the to send reach was and or you
    can it her his their our your at use try under that's thats""")
)
_LOCAL_WORD = re.compile(r"([a-z0-9]+)\s+$", re.IGNORECASE)


def _spoken_local_start(text: str, start: int) -> int:
    """Start of a spoken local part said as several words ("j smith seventy two at ..."):
    up to four words to the left of the match that are not the phrase before the address."""
    for _ in range(4):
        m = _LOCAL_WORD.search(text, max(0, start - 40), start)
        if m is None or m.end() != start or m.group(1).lower() in _BEFORE_LOCAL:
            break
        if m.start(1) > 0 and not text[m.start(1) - 1].isspace():
            break  # the tail of "it's", not a word of its own
        start = m.start(1)
    return start


# "on I-24", "off I-5": interstate highways by number.
_INTERSTATE = re.compile(r"\b[Ii]-\d{1,3}\b")
# "hospice at our lady of peace", "Our Lady of Lourdes": Catholic institutions.
_OUR_LADY_STOP = frozenset(
    split_words("if and or but so when where who in on at for to is was he she they we it")
)
_OUR_LADY = re.compile(r"\bour lady of(?: the)? [a-z]+(?: [a-z]+)?\b", re.IGNORECASE)


# A letterhead: a line in capitals naming a practice ("CEDAR HOLLOW FAMILY MEDICINE",
# "HIGH DESERT HEART & VASCULAR"). Section headings in capitals ("PAST MEDICAL HISTORY")
# are told apart by their words.
_CAPS_WORD = r"(?:[A-Z][A-Z'&.-]*|&)"
_CAPS_LINE = re.compile(rf"^[ \t]*({_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{1,6}})[ \t]*$", re.M)
_PRACTICE_WORDS = frozenset(
    split_words("""medicine medical health healthcare clinic clinics hospital center centre
    heart vascular associates orthopaedic orthopaedics orthopedic orthopedics care practice
    physicians pediatrics cardiology dermatology surgery surgical partners group & family
    neurology oncology urology gastroenterology rheumatology pulmonary therapy rehab""")
)
_HEADING_WORDS = frozenset(
    split_words("""history plan assessment exam examination impression medications allergies
    review systems instructions discharge summary note diagnosis diagnoses procedure findings
    social past present illness labs results vitals follow-up followup chief complaint
    subjective objective disposition signature addendum orders problem list""")
)


def _letterheads(text: str) -> Iterator[Found]:
    for m in _CAPS_LINE.finditer(text):
        words = {w.lower().strip(".") for w in m.group(1).split()}
        if words & _PRACTICE_WORDS and not words & _HEADING_WORDS:
            yield m.start(1), m.end(1), PhiCategory.LOCATION


def find_patterns(text: str) -> Iterator[Found]:
    """Every written-shape identifier in ``text``; overlaps are resolved by the caller."""
    at = _windows(_AT, text, 200, 200)
    dot = _windows(_DOT_TLD, text, 200, 120)
    digits = _windows(_DIGITS, text, _PAD, _PAD)
    yield from _letterheads(text)
    for m in _INTERSTATE.finditer(text):
        yield m.start(), m.end(), PhiCategory.LOCATION
    for m in _OUR_LADY.finditer(text):
        end = m.end()
        tail = text[m.start() : end].split()
        if tail[-1].lower() in _OUR_LADY_STOP:
            end -= len(tail[-1]) + 1  # "our lady of peace if he's stable": not "if"
        yield m.start(), end, PhiCategory.LOCATION
    for s, e in _scan(_EMAIL, text, at):
        yield s, e, PhiCategory.EMAIL
    for s, e in _scan(_SPOKEN_EMAIL, text, at):
        local, _, domain = re.split(r"\s+(at|@)\s+", text[s:e].lower(), maxsplit=1)
        if local in _NOT_LOCAL_PART or domain.startswith("www"):
            continue  # "log in at www.example.org" is a web address, not an e-mail
        yield _spoken_local_start(text, s), e, PhiCategory.EMAIL
    for s, e in _scan(_URL, text, dot):
        if "@" not in text[max(0, s - 1) : s]:
            yield s, e, PhiCategory.URL
    for s, e in _scan(_SPOKEN_URL, text, dot):
        yield s, e, PhiCategory.URL
    for s, e in _scan(_IP, text, digits):
        yield s, e, PhiCategory.IP
    for s, e in _scan(_IPV6, text, _windows(re.compile(r":"), text, 40, 40)):
        yield s, e, PhiCategory.IP
    for s, e in _scan(_NUMERIC_DATE, text, digits):
        yield s, e, PhiCategory.DATE
    for s, e in _scan(_SHORT_DATE, text, digits, group=1):
        yield s, e, PhiCategory.DATE
    for s, e in _scan(_SSN, text, digits):
        yield s, e, PhiCategory.SSN
    for s, e in _scan(_PHONE, text, digits):
        yield s, e, PhiCategory.PHONE
