"""Names known by a person's role or title: "marigold is your wife", "this is dov our
pharmacist", "uncle fen", "the lady there , birdie ,", "Birdie, the doula", "the dietitian
mirela she's ...", "doctor larkspur ,".

Split from ``name_context`` to keep modules small; these rules read and set the same flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medscribe.core.phi_rules import name_words as words
from medscribe.core.phi_rules.lexicon import POSSESSIVES, STOPWORDS
from medscribe.core.phi_rules.name_context import (
    _APPOSED_NOT,
    _FILLERS,
    _NOT_SELF,
    _SELF,
    _opens_turn,
    _plain_name_slot,
    _said_before,
)
from medscribe.core.phi_rules.tokens import is_blank_gap, split_words

if TYPE_CHECKING:
    from medscribe.core.phi_rules.names import _Ctx


# Whose relative or what role: "marigold is your wife", "this is dov our pharmacist".
_ROLE_WORDS = words.ROLES | frozenset(
    split_words("""pharmacist interpreter translator chaplain practitioner np pa aide resident
    intern student scribe tech technician medic paramedic dietitian nutritionist doula midwife
    outreach chaplain pastor""")
)


_ROLE_OWNERS = POSSESSIVES | frozenset(["the"])


def _subject_slot(c: _Ctx, i: int) -> bool:
    """May ``tokens[i]`` be the subject of "is your wife"? A name word anywhere; an English
    word only opening a clause ("doctor marigold is your wife", "so, marigold is ..."), never
    after "how" or "what" ("how old is your mom")."""
    if i and c.tokens[i - 1].low in ("how", "what", "who", "where", "which", "why", "when"):
        return False
    if c.lex.is_name_word(c.tokens[i].low) or c.lex.is_unknown(c.tokens[i].low):
        return True
    return (
        i == 0
        or _opens_turn(c, i)
        or not c.tokens[i - 1].is_word
        or (c.tokens[i - 1].low in _FILLERS or c.tokens[i - 1].low in ("doctor", "patient"))
    )


def named_by_role(c: _Ctx) -> None:
    """ "marigold is your wife": a word before "is <whose> <relative or role>"; "this is dov
    our pharmacist", "i'm anneliese the nurse practitioner": a word between "this is" / "i'm"
    and "<whose> <role>"."""
    tokens = c.tokens
    for i in range(c.n - 2):
        if c.flags.on[i] or not _plain_name_slot(c, i):
            continue
        a, b = tokens[i + 1], tokens[i + 2]
        d = tokens[i + 3] if i + 3 < c.n else b
        role = b.low in POSSESSIVES and d.low in _ROLE_WORDS
        if a.low == "is" and role and _subject_slot(c, i):
            c.flags.set(i, tokens[i].low)
            continue
        asked_role = i > 0 and tokens[i - 1].low == "is" and a.low in POSSESSIVES
        if asked_role and b.low in _ROLE_WORDS:  # "is penny your friend ?"
            c.flags.set(i, tokens[i].low)
            continue
        role = a.low in _ROLE_OWNERS and (b.low in _ROLE_WORDS or d.low in _ROLE_WORDS)
        verbish = tokens[i].low.endswith(("ed", "ing", "ly"))  # "i'm worried the nurse ..."
        introduced = not verbish and any(_said_before(c, i, phrase) for phrase in _SELF)
        if introduced and role and is_blank_gap(a):
            c.flags.set(i, tokens[i].low)


# Kinship words used as a title before a name: "uncle fen", "aunt ivy", "grandma lou".
_KIN_TITLES = frozenset(
    split_words("uncle aunt auntie grandma grandpa nana papa granny gramma grampa cousin tia tio")
)


def kin_titles(c: _Ctx) -> None:
    """ "three brothers uncle fen uncle basil and uncle teodor": without a possessive before
    it ("my uncle died"), a kinship title is followed by a name, whatever word it is, unless
    that word reads as a verb."""
    tokens = c.tokens
    for i in range(c.n - 1):
        if tokens[i].low not in _KIN_TITLES or (i and tokens[i - 1].low in words.ARTICLES):
            continue
        k = i + 1
        low = tokens[k].low
        if c.flags.on[k] or not is_blank_gap(tokens[k]) or not _plain_name_slot(c, k):
            continue
        verbish = low.endswith(("ed", "ing")) or low in words.AFTER_NAME or low in words.BASE_VERBS
        if not verbish and low not in words.AFTER_KIN_NAME:
            c.flags.set(k, low)


# "the lady there , birdie , she keeps them": a person described, then named between commas.
_DESCRIBED = frozenset(split_words("lady guy man woman girl fella gal boy kid person one"))


def person_apposition(c: _Ctx) -> None:
    tokens = c.tokens
    for i in range(c.n - 3):
        if tokens[i].low not in _DESCRIBED and tokens[i].low not in words.ROLES:
            continue
        k = i + 1
        if tokens[k].low in ("there", "here"):
            k += 1
        if k + 2 >= c.n or tokens[k].text != ",":
            continue
        name = k + 1
        if tokens[name + 1].text == "," and _plain_name_slot(c, name) and not c.flags.on[name]:
            c.flags.set(name, tokens[name].low)


def name_then_role(c: _Ctx) -> None:
    tokens = c.tokens
    for i in range(c.n - 3):
        if c.flags.on[i] or tokens[i + 1].text != "," or not _plain_name_slot(c, i):
            continue
        if tokens[i + 2].low not in _ROLE_OWNERS:
            continue
        role = tokens[i + 3].low in _ROLE_WORDS or (
            i + 4 < c.n and tokens[i + 4].low in _ROLE_WORDS
        )
        low = tokens[i].low
        plain = c.lex.is_plain_word(low)
        namey = (low in c.lex.first_names or not plain) and low not in words.BASE_VERBS
        namey = namey and (c.lex.is_name_word(low) or c.lex.is_unknown(low))
        namey = namey or (c.cased and tokens[i].text.istitle())  # "Birdie, the doula?"
        if role and namey and low not in words.TIME_WORDS:
            c.flags.set(i, low)


def role_then_name(c: _Ctx) -> None:
    """ "the dietitian mirela she's at our brookfield office", "our aide tamsin will": after
    a role, a word no English list holds, followed by a pronoun or a verb, is the name."""
    tokens = c.tokens
    for i in range(1, c.n - 2):
        if tokens[i].low not in _ROLE_WORDS or tokens[i - 1].low not in _ROLE_OWNERS:
            continue
        k = i + 1
        if c.flags.on[k] or not is_blank_gap(tokens[k]) or not _plain_name_slot(c, k):
            continue
        low = tokens[k].low
        if c.lex.is_plain_word(low) and low not in c.lex.first_names:
            continue
        after = c.after(k)
        if after in words.PRONOUNS or after in words.AFTER_NAME or words.verb_after_name(after):
            c.flags.set(k, low)


def titled_word_closed(c: _Ctx) -> None:
    """ "ortho was doctor larkspur , at the clinic", "her teacher , miss tuesday , says": after
    a title (not "the doctor"), a word closed by punctuation is the person's name, even an
    English word or a weekday."""
    tokens = c.tokens
    for i in range(1, c.n - 1):
        title = tokens[i - 1]
        if title.low not in _TITLES or (i > 1 and tokens[i - 2].low in words.ARTICLES):
            continue
        tok = tokens[i]
        low = tok.low
        if c.flags.on[i] or not tok.is_word or not low.isalpha() or len(low) < 3:
            continue
        if low in STOPWORDS or low in c.lex.clinical or low in words.TIME_WORDS:
            continue
        if low in words.ADVERBS or low in _APPOSED_NOT or low in _NOT_SELF:
            continue
        if c.tokens[i + 1].text in (",", ".", "?", "!") or "\n" in c.tokens[i + 1].gap:
            c.flags.set(i, low)


_TITLES = frozenset(split_words("doctor dr miss mrs mr ms coach nurse pastor father sister"))


# Credentials written after a name in typed notes: "Discharge nurse: Hale, RN".
_CREDENTIALS = frozenset(
    split_words("rn md do np pa pa-c lpn lvn cna dnp aprn fnp crna phd pharmd rd lcsw msw")
)


def credentialed(c: _Ctx) -> None:
    """Capitalised words (and initials) before ", RN" / ", MD" in typed text are a name."""
    tokens = c.tokens
    for k in range(2, c.n):
        cred = tokens[k]
        if cred.low not in _CREDENTIALS or not cred.text[:1].isupper() or tokens[k - 1].text != ",":
            continue
        if cred.low in ("do", "pa") and not cred.text.isupper():
            continue  # "..., do you" / "Pa" is not a credential
        m = k - 2
        while m >= 0 and m > k - 6 and tokens[m].is_word and tokens[m].text[:1].isupper():
            low = tokens[m].low
            if low in c.lex.clinical or low in words.NOT_NAMES or low in _CREDENTIALS:
                break  # "Okonjo-Rivas, MD, PhD": the first credential is no name
            c.flags.set(m)
            m -= 1
            if m >= 0 and tokens[m].text == ".":
                m -= 1  # "T. Hale, RN": an initial and its full stop
