"""Ages over 89: "92 years old", "ninety-two year old", "age 95", "she went at a hundred and
four", answers to "how old is he ?"; an age said once with context is flagged again where it
is repeated as a bare answer.

Split from ``dates`` (calendar dates); both read spoken numbers the same way.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.dates import SEASONS, skip_words
from medscribe.core.phi_rules.lexicon import KINSHIP, MONTHS, end_of_previous_turn
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import (
    ORDINALS,
    SPANISH_DIGITS,
    Token,
    opens_turn,
    small_number,
    split_words,
)

_AGE_BEFORE = frozenset(
    split_words(
        "age aged i'm im he's she's hes shes you're youre turned turning turns be is was am he "
        "she age's "
        "reached reaching lived tiene tenía cumple cumplió"
    )
)
_DIED = frozenset(split_words("died passed away death deceased"))
_AGE_FILLERS = frozenset(
    split_words(
        "what like about almost nearly around maybe um uh already now just , actually really "
        'only still probably something ninety hundred or no sorry wait quote "'
    )
)
# Who an "is 92" / "will be 93" is about: a person, not a heart rate.
_AGE_SUBJECTS = frozenset(
    split_words("""
    age i i'll she he she'll he'll you'll who who'll who's mom dad mother father grandmother grandma
    grandfather grandpa sister brother aunt uncle wife husband patient she's he's""")
)
# Between the subject and "be": "she's gon na be 101", "he'll probably be".
_FUTURE = frozenset(split_words("na gon gonna going to will would should might probably"))
# "he lived to be a hundred and three", "she wants to make it to be ninety".
_LIVED = frozenset(split_words("lived live lives living make made"))
# "sats at 91", "heart rate at ninety five": "at" a number that is a reading, not an age.
_READINGS = frozenset(
    split_words("""sat sats satting saturation saturating oxygen o2 spo2 pulse rate hr pressure
    bp sugar sugars glucose weight weighs weighed temp temperature fever running set dose
    level levels speed mph count score ef fraction reading readings systolic diastolic
    percent capped starting started stable steady hovering sitting dropped mg units titrated
    increased decreased bumped raised lowered went normal range high low end value result
    lab labs number""")
)


_TITLES = frozenset(split_words("mister mr mrs miss ms"))


def _kin_in_clause(tokens: list[Token], k: int) -> bool:
    """A relative named up to eight words before "is" at ``k``, in the same sentence and
    with no reading in between ("his brother ambrose who lives out back is ninety nine")."""
    for m in range(k - 1, max(-1, k - 9), -1):
        tok = tokens[m]
        if tok.low in _READINGS or tok.text in (".", "?", "!", ";") or "\n" in tok.gap:
            return False
        if tok.low in KINSHIP and m > 0 and tokens[m - 1].low in ("his", "her", "my", "our"):
            return True
    return False


# A question about age in the turn before: "how old is he ?", "... so you are".
_AGE_QUESTION_ENDS = frozenset([("you", "are"), ("he", "is"), ("she", "is"), ("you", "now")])


def _answers_age_question(tokens: list[Token], i: int) -> bool:
    """Is ``tokens[i]`` within the first words of a turn answering an age question?"""
    start = i
    while start > 0 and i - start < 8 and not opens_turn(tokens, start):
        start -= 1
    if not opens_turn(tokens, start) or start == 0:
        return False
    k = end_of_previous_turn(tokens, start - 1)
    prev_turn = [t.low for t in tokens[max(0, k - 12) : k + 1]]
    asked = " how old " in f" {' '.join(prev_turn)} "
    return asked or tuple(prev_turn[-2:]) in _AGE_QUESTION_ENDS


def _measured(tokens: list[Token], k: int) -> bool:
    """Is the "at" at ``k`` about a reading ("oxygen was at 91")? Looks a few words back;
    a death in the sentence makes it an age ("died of a weak heart at ninety-four")."""
    window = [t.low for t in tokens[max(0, k - 8) : k]]
    if any(w in _DIED for w in window):
        return False
    return any(w in _READINGS for w in window[-5:])


_AGE_AFTER_UNITS = frozenset(
    split_words("""percent % pounds lbs lb mg milligrams over beats bpm degrees minutes seconds
    milliliters ml units kg mmhg days weeks months times point fahrenheit f celsius""")
)


def age_value(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """(age, next index) for 90-129 in digits or words at ``tokens[i]``."""
    tok = tokens[i]
    n = len(tokens)
    if tok.text.isdigit():
        value = int(tok.text)
        return (value, i + 1) if 90 <= value <= 129 else None
    if tok.low in ("ninety", "nineties"):
        got = small_number(tokens, i)
        return (got[0], got[1]) if got else None
    if tok.low == "noventa":  # "she's noventa y tres"
        if i + 2 < n and tokens[i + 1].low == "y" and tokens[i + 2].low in SPANISH_DIGITS:
            return 90 + SPANISH_DIGITS[tokens[i + 2].low], i + 3
        return 90, i + 1
    if tok.low in ("cien", "ciento"):  # "lived to ciento dos", "cumplió cien"
        if tok.low == "ciento" and i + 1 < n and tokens[i + 1].low in SPANISH_DIGITS:
            return 100 + SPANISH_DIGITS[tokens[i + 1].low], i + 2
        return 100, i + 1
    j = i
    if tok.low in ("a", "one") and i + 1 < n and tokens[i + 1].low == "hundred":
        j = i + 1
    if tokens[j].low == "hundred":
        k = skip_words(tokens, j + 1, ("and",))
        extra = small_number(tokens, k) if k < n else None
        if extra is not None and not extra[2] and extra[0] < 30:
            return 100 + extra[0], extra[1]
        return 100, j + 1
    return None


def find_ages(tokens: list[Token]) -> Iterator[Found]:
    """Ages over 89: "92 years old", "ninety-two year old", "age 95", "in her nineties".

    An age said once with context is the same age when repeated as a bare answer ("your
    sister is 101 ?" "a hundred and one , still in sarasota"), so its other mentions at the
    start of a turn are flagged too.
    """
    n = len(tokens)
    seen: set[int] = set()
    bare: list[tuple[int, int, int]] = []  # (value, start index, end index) opening a turn
    for i in range(n):
        low = tokens[i].low
        if low in ("nineties", "90s", "90's"):
            prev = {t.low for t in tokens[max(0, i - 3) : i]}
            if prev & {"her", "his", "my", "their", "your", "the"}:
                yield tokens[i].start, tokens[i].end, PhiCategory.AGE
            continue
        if low in ("nonagenarian", "centenarian", "supercentenarian"):
            yield tokens[i].start, tokens[i].end, PhiCategory.AGE
            continue
        if (
            i > 0
            and tokens[i - 1].low in ("ninety", "hundred", "a", "one")
            and low != "a"
            and age_value(tokens, i - 1) is not None
        ):
            continue  # inside a number already handled at its first word
        got = age_value(tokens, i)
        if got is None:
            continue
        if opens_turn(tokens, i):
            bare.append((got[0], i, got[1]))
        elif i > 0 and (tokens[i - 1].text == "," or tokens[i - 1].low in ("yes", "yep")):
            bare.append((got[0], i, got[1]))  # "a 101-year-old woman, yes, one hundred and one"
        _, end = got
        after = [t.low for t in tokens[end : end + 4]]
        aged = bool(after) and (
            after[0] in ("yo", "y/o", "yr", "yrs", "year", "years", "-year-old")
            or after[:2] == ["y", "/"]
            or (after[0] == "-" and len(after) > 1 and after[1] in ("year", "years"))
        )
        k = i - 1
        while k > 0 and tokens[k].low in _AGE_FILLERS:
            k -= 1  # "she's what ninety eight", "he's almost ninety"
        prev = tokens[k].low if k >= 0 else ""
        before = prev in _AGE_BEFORE or (prev == "of" and k > 0 and tokens[k - 1].low == "age")
        if k >= 0 and tokens[k].text.lower().endswith(("'s", "’s")):
            before = before or prev in _AGE_SUBJECTS or prev in KINSHIP  # "my dad's ninety two"
        if aged and after[0] in ("years", "year") and "old" not in after and "of" not in after:
            aged = before  # "95 years" without "old": only after "age", "she's" ...
        if before and after and after[0] in _AGE_AFTER_UNITS:
            before = False
        if prev == "to" and k > 0:
            verb = tokens[k - 1].low
            if verb == "it" and k > 1:  # "made it to a hundred"
                verb = tokens[k - 2].low
            if verb in ("lived", "made", "live", "get", "living", "make", "makes", "got"):
                before = True
        bp = "over" in after  # "a hundred and forty over seventy" is a blood pressure
        if (
            prev == "at"
            and k > 0
            and not bp
            and (tokens[k - 1].low in _DIED or not _measured(tokens, k))
        ):
            # "she passed at 99", "had a stroke at ninety-one"; not "at 99 percent"
            before = not (after and after[0] in _AGE_AFTER_UNITS)
        elif prev == "at" and k > 1 and tokens[k - 1].low == "went" and not bp:
            # "mother went at ninety-nine": a person "went" (died), not "sugar went at 99"
            before = tokens[k - 2].low in _AGE_SUBJECTS or tokens[k - 2].low in KINSHIP
        if prev == "over" and k > 1 and tokens[k - 1].low == "day":
            before = True  # "i don't look a day over ninety one"
        if _answers_age_question(tokens, i):
            before = before or not (after and after[0] in _AGE_AFTER_UNITS)
        if before and prev in ("is", "was", "be", "lived") and not aged:
            lived_to = k > 1 and tokens[k - 1].low == "to" and tokens[k - 2].low in _LIVED
            m = k - 1
            while m > 0 and k - m < 4 and tokens[m].low in _FUTURE:
                m -= 1  # "she's gonna be", "he will be"
            subject = m >= 0 and tokens[m].low in _AGE_SUBJECTS
            # "Padraic was ninety-eight", "Lorcan, is ninety-six": a capitalised person
            s = m - 1 if m > 0 and tokens[m].text == "," else m
            proper = s > 0 and tokens[s].text[:1].isupper() and tokens[s].low not in _READINGS
            # "Mr. Horák, is ninety-seven": the full stop of a title is no sentence end
            title = s > 1 and tokens[s - 2].low in ("mr", "mrs", "ms", "dr", "mx")
            proper = proper and (tokens[s - 1].text not in (".", "?", "!", "\n") or title)
            subject = subject or proper
            # "his sister remedios is 93", "my grandma oma liesl is ninety one", "mister
            # marchbanks is ninety seven", "his brother ambrose who lives in the bunkhouse is 99"
            named_kin = any(
                t.low in KINSHIP or t.low in _TITLES for t in tokens[max(0, k - 3) : k - 1]
            ) or _kin_in_clause(tokens, k)
            before = lived_to or subject or named_kin
        if not (aged or before) and len(after) > 1 and after[0] in ("in", "this", "next", "en"):
            aged = after[1] in MONTHS or after[1] == "birthday"  # "ninety nine in november"
            # "ninety-five in the spring"
            aged = aged or (len(after) > 2 and after[1] == "the" and after[2] in SEASONS)
        if not (aged or before) and len(after) > 2 and after[0] == "on":
            # "ninety on the fourth of july", "a hundred on june third": a birthday
            day = after[2] if after[1] == "the" else after[1]
            aged = day in MONTHS or day in ORDINALS or day in ("fourth", "first")
        if aged or before:
            seen.add(got[0])
            stop = end
            if aged:
                k = end
                while k < min(n, end + 5) and tokens[k].low in (
                    "-",
                    "year",
                    "years",
                    "yr",
                    "yrs",
                    "old",
                    "yo",
                    "y",
                    "/",
                    "o",
                    "of",
                    "age",
                ):
                    k += 1
                stop = k
            yield tokens[i].start, tokens[stop - 1].end, PhiCategory.AGE
    for value, start, end in bare:
        unit = end < n and tokens[end].low in _AGE_AFTER_UNITS
        if value in seen and not unit and not _measured(tokens, start):
            yield tokens[start].start, tokens[end - 1].end, PhiCategory.AGE


def find_age_echoes(tokens: list[Token], found: list[Found]) -> Iterator[Found]:
    """An age said again right after itself, in another language or form: "lived to ciento
    dos, one hundred and two", "she's noventa y uno ninety-one"."""
    starts = [t.start for t in tokens]
    for _, end, category in found:
        if category is not PhiCategory.AGE:
            continue
        b = bisect_left(starts, end)
        while b < len(tokens) and tokens[b].low in (",", "like", "or", "so"):
            b += 1  # "at noventa y dos , like ninety-two"
        got = age_value(tokens, b) if b < len(tokens) else None
        if got is not None:
            yield tokens[b].start, tokens[got[1] - 1].end, PhiCategory.AGE
