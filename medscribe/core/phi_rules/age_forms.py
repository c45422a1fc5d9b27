"""Ages over 89 said in less common ways than "92 years old" (see ``dates.find_ages``).

"her ninety fifth birthday", "his 101st birthday", "a 92yo man", "going on ninety three",
"pushing a hundred", "he'll be 100 next month", "how old is she ?" "ninety seven". Each names
an age over 89, which Safe Harbor counts as an identifier, and none has the "years old" or
"age" the main rule waits for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.ages import age_value
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import Token, opens_turn, split_words

_ORDINAL_ONES = frozenset(
    split_words("first second third fourth fifth sixth seventh eighth ninth tenth")
)
# "95th", "101st" before "birthday".
_ORDINAL_DIGITS = re.compile(r"(?:9\d|1[0-2]\d)(?:st|nd|rd|th)")
# "92yo", "95y/o", "91yrs" written as one token.
_COMPACT = re.compile(r"(?:9\d|1[0-2]\d)(?:yo|y/o|yr|yrs|yrold)")
_BIRTHDAY = frozenset(split_words("birthday bday birthdays"))
# "going on ninety three", "pushing a hundred": the words just before the number.
_APPROACHING = (("going", "on"), ("pushing",), ("closing", "in", "on"), ("knocking", "on"))
_COME = frozenset(
    split_words("""spring summer fall autumn winter birthday christmas easter thanksgiving
    january february march april may june july august september october november december""")
)
_PRAISE = frozenset(split_words("good great well sharp young fit spry strong amazing fantastic"))
_NEXT = frozenset(split_words("month week year spring summer fall winter birthday"))


def _birthday_ordinal(tokens: list[Token], i: int) -> int | None:
    """Index of the first token of an ordinal age ending just before ``tokens[i]``."""
    if i < 1:
        return None
    prev = tokens[i - 1].low
    if _ORDINAL_DIGITS.fullmatch(prev) or prev in ("ninetieth", "hundredth"):
        return i - 1
    if prev in _ORDINAL_ONES and i >= 2:
        before = tokens[i - 2].low
        if before == "ninety":
            return i - 2
        if before in ("hundred", "and"):  # "hundred and first"
            k = i - 2
            while k > 0 and tokens[k].low in ("hundred", "and", "a", "one"):
                k -= 1
            return k + 1 if tokens[k + 1].low in ("a", "one", "hundred") else None
    return None


def _approached(tokens: list[Token], i: int) -> bool:
    for phrase in _APPROACHING:
        k = len(phrase)
        if i >= k and tuple(t.low for t in tokens[i - k : i]) == phrase:
            return True
    return False


def _answers_age_question(tokens: list[Token], i: int) -> bool:
    """Does ``tokens[i]`` open a turn that answers a question like "how old is she now"?"""
    # The number opens the answer, or nearly: "speaker two ninety seven", "oh she's 94".
    k = i
    while i - k < 4 and not opens_turn(tokens, k):
        k -= 1
    if not opens_turn(tokens, k):
        return False
    window = [t.low for t in tokens[max(0, i - 20) : i]]
    asked = any(a == "how" and b == "old" for a, b in pairwise(window))
    # "fourth of july , nineteen thirty-three ... so that makes you ..."
    asked = asked or any(a == "makes" and b in ("you", "her", "him") for a, b in pairwise(window))
    return asked or "age" in window[-8:]


def find_age_forms(tokens: list[Token]) -> Iterator[Found]:
    for i, tok in enumerate(tokens):
        low = tok.low
        if low in _BIRTHDAY:
            start = _birthday_ordinal(tokens, i)
            if start is not None:
                yield tokens[start].start, tokens[i - 1].end, PhiCategory.AGE
            continue
        if _COMPACT.fullmatch(low):
            yield tok.start, tok.end, PhiCategory.AGE
            continue
        got = age_value(tokens, i)
        if got is None:
            continue
        _, end = got
        nxt = [t.low for t in tokens[end : end + 2]]
        soon = len(nxt) == 2 and nxt[0] in ("next", "this") and nxt[1] in _NEXT
        # "ninety-two come spring", "a hundred and one come easter": an age reached soon.
        soon = soon or (len(nxt) == 2 and nxt[0] == "come" and nxt[1] in _COME)
        be = i >= 2 and tokens[i - 1].low in ("be", "turn", "turns")
        # "you look good for ninety one": an age the speaker is praised for
        good_for = i >= 2 and tokens[i - 1].low == "for" and tokens[i - 2].low in _PRAISE
        # "Ninety-three and still sharp": an age, said with what the person still does
        good_for = good_for or (len(nxt) == 2 and nxt == ["and", "still"])
        if good_for or _approached(tokens, i) or (soon and be) or _answers_age_question(tokens, i):
            yield tok.start, tokens[end - 1].end, PhiCategory.AGE
