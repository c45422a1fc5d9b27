"""Names a person is given out loud: introductions ("my name is ...", "a guy named ...") and
what someone is called ("call me skip", "my case manager is crystal", "summer , my oldest ,").

Split from ``names`` so that module keeps the dictionary, title, kinship and chaining rules;
these rules read and set the same flags through the context object ``names`` passes in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medscribe.core.phi_rules import name_words as words
from medscribe.core.phi_rules.lexicon import (
    KINSHIP,
    NAME_INTRO_STRONG,
    NAME_INTRO_WEAK,
    PERSON_NOUNS,
    POSSESSIVES,
    SPEAKER_LABELS,
    STOPWORDS,
)
from medscribe.core.phi_rules.tokens import Token, is_blank_gap, opens_turn

if TYPE_CHECKING:
    from medscribe.core.phi_rules.names import _Ctx


def _matches_before(tokens: list[Token], i: int, phrase: tuple[str, ...]) -> bool:
    k = len(phrase)
    if i < k:
        return False
    window = tokens[i - k : i]
    return all(t.low == w for t, w in zip(window, phrase, strict=True)) and all(
        t.gap.strip() in ("", ",") for t in window[1:]
    )


def introductions(c: _Ctx) -> None:
    """6. "my name is ...", "i'm ...", "a guy named ..."."""
    tokens, lex, flags, n = c.tokens, c.lex, c.flags, c.n
    for i in range(1, n):
        if not tokens[i].is_word or tokens[i].gap.strip() not in ("", ","):
            continue
        if "\n" in tokens[i].gap:
            continue  # "... they call me" ends a turn; the next line is not the name
        if tokens[i - 1].low not in words.INTRO_LAST:
            continue
        if any(_matches_before(tokens, i, p) for p in NAME_INTRO_STRONG):
            if tokens[i - 1].low == "patient" and not c.namey(i, allow_plain=False):
                continue
            low = tokens[i].low
            if low in words.STOPWORD_NAMES and tokens[i - 1].low == "is":
                flags.set(i, low)  # "her name is honey"
                continue
            if c.namey(i, allow_plain=True):
                flags.set(i, tokens[i].low)
                j = i + 1
                while (
                    j < min(n, i + 3) and is_blank_gap(tokens[j]) and c.namey(j, allow_plain=False)
                ):
                    flags.set(j)
                    j += 1
        elif (
            tokens[i - 1].low == "named"
            and tokens[i].low.isalpha()
            and len(tokens[i].low) > 2
            and (tokens[i].low not in STOPWORDS and tokens[i].low not in lex.clinical)
        ):
            flags.set(i, tokens[i].low)  # "a gal named tuesday": whatever word it is
        elif any(_matches_before(tokens, i, p) for p in NAME_INTRO_WEAK):
            person = i > 1 and tokens[i - 2].low in PERSON_NOUNS
            if (lex.is_name_word(tokens[i].low) and c.namey(i, allow_plain=True)) or (
                person and c.namey(i, allow_plain=False)
            ):
                flags.set(i)


def nicknames(c: _Ctx) -> None:
    """What a person is called, even a plain word: "call me skip", "i go by sunny", "is it okay
    if i call you dusty ?", "my case manager is crystal", "summer , my oldest , brought me"."""
    tokens, lex, flags, n = c.tokens, c.lex, c.flags, c.n
    for i in range(2, n):
        tok = tokens[i]
        speaking = (tokens[i - 2].low, tokens[i - 1].low, c.after(i)) == ("this", "is", "speaking")
        if speaking and tok.low.isalpha() and tok.low not in STOPWORDS:
            flags.set(i, tok.low)  # "triage line this is ros speaking": any word, even "ros"
            continue
        if not tok.is_word or flags.on[i] or tok.low in words.NOT_NAMES or tok.low in lex.clinical:
            continue
        if "\n" in tok.gap:
            continue  # "... and you go by ?" ends the turn: the next line's label is no name
        pair = (tokens[i - 2].low, tokens[i - 1].low)
        closing = c.ends_phrase(i) or c.after(i) in ("and", "but", "so")
        closing = closing or c.after(i) in words.PRONOUNS  # "we call her honeybee she lives"
        if pair in words.CALLED and tok.low not in words.NOT_NICKNAMES and closing:
            flags.set(i, tok.low)
        elif (
            pair[1] in words.CONTACT
            and lex.is_name_word(tok.low)
            and c.namey(i, allow_plain=True)
            and c.after(i) in words.CONTACT_AFTER
        ):
            flags.set(i, tok.low)  # "call crystal at the front desk"
        elif (
            pair[1] == "is"
            and pair[0] in words.ROLES
            and (
                tokens[i - 3].low in POSSESSIVES
                or tokens[i - 3].low == "the"  # "the adjuster is tamsin gale"
                or (i > 3 and tokens[i - 4].low in POSSESSIVES)
                or pair[0] in KINSHIP  # "so mom is euphemia and she's ninety nine"
            )
            and (lex.is_name_word(tok.low) or lex.is_unknown(tok.low))
            and (
                closing
                or c.after(i) in words.AFTER_NAME
                or (i + 1 < n and c.namey(i + 1, allow_plain=True))  # "... is tamsin gale"
            )
        ):
            flags.set(i, tok.low)  # "my case manager is crystal"
    for i in range(n - 3):
        tok = tokens[i]
        if _before_kin_phrase(c, i):
            flags.set(i, tok.low)  # "that's bitsy my dad's sister", "and hank his brother"
        # "summer , my oldest , brought me": a name in apposition to a kinship phrase.
        if (
            tokens[i + 1].text == ","
            and tokens[i + 2].low in POSSESSIVES
            and (tokens[i + 3].low in KINSHIP or tokens[i + 3].low in words.ELDEST)
            and (i == 0 or tokens[i - 1].text in ("]", ":", ",", "."))
            and lex.is_name_word(tok.low)
            and c.namey(i, allow_plain=True)
        ):
            flags.set(i, tok.low)


def _before_kin_phrase(c: _Ctx, i: int) -> bool:
    """A name word right before "my dad's sister" / "his brother", with no comma, after
    "that's", "and" or at the start of a turn."""
    tokens, lex = c.tokens, c.lex
    tok = tokens[i]
    if not c.namey(i, allow_plain=True) or tok.low in SPEAKER_LABELS or tok.low in words.ROLES:
        return False  # "patient my neighbor": a speaker label, then the answer
    if lex.is_plain_word(tok.low) and tok.low not in lex.first_names:
        return False
    if i and not (tokens[i - 1].low in ("that's", "thats", "and", "is") or opens_turn(tokens, i)):
        return False
    k = i + 1
    if tokens[k].low not in POSSESSIVES or not is_blank_gap(tokens[k]):
        return False
    k += 1
    head = tokens[k].low.removesuffix("'s").removesuffix("’s")
    if head != tokens[k].low and head in KINSHIP and k + 1 < c.n:
        k += 1  # "my dad's sister"
    if not (tokens[k].low in KINSHIP and is_blank_gap(tokens[k])):
        return False
    # the phrase ends there ("..., she's ninety-three"): not "call my daughter at ..."
    return tok.low not in words.BASE_VERBS and (
        c.ends_phrase(k) or c.after(k) in words.PRONOUNS or c.after(k) == "who"
    )
