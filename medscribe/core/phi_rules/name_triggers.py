"""Names right after a trigger word: an honorific ("mrs. brown", "doctor van der berg"), a
kinship or helper word ("my wife sarah", "her son , will ,"), a greeting ("hi grace") or
"spoke with doctor wafer".

Split from ``names``, which calls :func:`after_trigger` for every word; the rules read and set
the flags of the context object ``names`` passes in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medscribe.core.phi_rules import name_context
from medscribe.core.phi_rules import name_words as words
from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
    HONORIFICS_WEAK,
    KINSHIP,
    POSSESSIVES,
)
from medscribe.core.phi_rules.tokens import Token, is_blank_gap

# Endings of tests and diseases, never of surnames ("-ine" or "-ate" can be: Quartermaine, Tate).
_PROCEDURE_ENDINGS = (
    "gram", "graphy", "scopy", "itis", "osis", "ectomy", "otomy", "ostomy", "plasty", "emia",
    "algia", "pathy",
)  # fmt: skip

if TYPE_CHECKING:
    from medscribe.core.phi_rules.names import _Ctx


def _is_tag(tokens: list[Token], i: int) -> bool:
    """A speaker label ("[doctor]", "Doctor:"), not a title before a name."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return tokens[i].gap.endswith("[") or (nxt is not None and nxt.text in ("]", ":"))


# "good morning hope you had a good weekend": a word that is also a verb, before its object.
_VERB_OBJECTS = frozenset(
    ["you", "your", "you're", "everything", "everyone", "all", "it", "that", "this", "we", "i"]
)


def _opens_greeting(tokens: list[Token], i: int) -> bool:
    """Does the greeting at ``i`` open a turn or a sentence? There, a first name that is
    also a word is the person greeted ("hey mason good to see you"), not "say hi to mom"."""
    if i == 0 or "\n" in tokens[i].gap or tokens[i - 1].text in ("]", ":", ".", "!", "?", ","):
        return True
    return tokens[i - 1].low in ("oh", "well", "and", "good", "yeah", "okay", "ok")


def after_trigger(c: _Ctx, i: int, nxt: int, gap: str) -> None:
    """3-5b. The word after an honorific, a kinship word, a greeting or "spoke with doctor"."""
    tokens, lex, flags = c.tokens, c.lex, c.flags
    tok, low = tokens[i], tokens[i].low
    n = c.n
    # 3. Honorifics: "mrs. brown", "dr okafor", "nurse jackie", "doctor van der berg".
    titled = low in HONORIFICS_STRONG or (low in HONORIFICS_WEAK and gap == "")
    if titled and tokens[nxt].low in words.PARTICLES and not _is_tag(tokens, i):
        m = nxt
        while (
            m < min(n - 1, nxt + 3)
            and tokens[m].low in words.PARTICLES
            and is_blank_gap(tokens[m + 1])
        ):
            m += 1
        if m > nxt and tokens[m].low not in words.PARTICLES and c.namey(m, allow_plain=True):
            for k in range(nxt, m + 1):
                flags.set(k)
            return
    if titled and tokens[nxt].low in words.COMPASS and not _is_tag(tokens, i):
        article = i > 0 and tokens[i - 1].low in words.ARTICLES  # "the doctor north of here"
        if c.after(nxt) not in words.NOT_AFTER_COMPASS and not article:
            flags.set(nxt, tokens[nxt].low)  # "doctor west", not "west virginia"
        return
    if low in HONORIFICS_STRONG and gap in ("", ".") and not _is_tag(tokens, i):
        title_word = tokens[nxt].low
        if c.namey(nxt, allow_plain=True):
            flags.set(nxt, title_word)
        elif title_word in lex.surnames and title_word not in words.NOT_NAMES:
            flags.set(nxt, title_word)  # "dr. baker": a surname that is also a clinical word
        elif (
            title_word.isalpha()
            and len(title_word) > 2
            and not lex.is_plain_word(title_word)
            and title_word not in words.NOT_NAMES
            and not title_word.endswith(_PROCEDURE_ENDINGS)  # "mr arthrogram"
        ):
            # "Ms. Quartermaine": in no list, yet ending like a drug ("-ine"); after "ms." a
            # word no dictionary calls ordinary is a surname
            flags.set(nxt, title_word)
        elif (
            c.cased
            and tokens[nxt].text.istitle()
            and lex.is_name_word(tokens[nxt].low)
            and nxt + 1 < n
            and tokens[nxt + 1].text.istitle()
        ):
            flags.set(nxt)  # "Dr. Will Brandt": capitals say it is a name, not a verb
    elif low in HONORIFICS_WEAK and gap == "" and not _is_tag(tokens, i):
        article = i > 0 and tokens[i - 1].low in words.ARTICLES  # "the nurse went over"
        titled_word = name_context.word_name(c, nxt) and not article
        if (
            c.namey(nxt, allow_plain=False)
            or titled_word
            or (c.cased and tokens[nxt].text[0].isupper() and c.namey(nxt, allow_plain=True))
        ):
            flags.set(nxt)
        elif (
            lex.is_name_word(tokens[nxt].low)
            and c.namey(nxt, allow_plain=True)
            and not (article and lex.is_plain_word(tokens[nxt].low))  # "the nurse line"
            and (
                c.after(nxt) in words.AFTER_TITLE_NAME
                or (c.after(nxt) in words.AFTER_NAME and not article)  # "pastor mike came"
                or not tokens[min(nxt + 1, n - 1)].is_word
                or (words.verb_after_name(c.after(nxt)) and not article)
            )
        ):
            flags.set(nxt, tokens[nxt].low)  # "doctor davenport from cardiology"
        elif (
            tokens[nxt].low in lex.first_names
            and c.namey(nxt, allow_plain=True)
            and c.after(nxt) in words.BASE_VERBS
        ):
            flags.set(nxt, tokens[nxt].low)  # "i'll have the hospice nurse deb call you"
        elif (
            lex.is_name_word(tokens[nxt].low)
            and c.namey(nxt, allow_plain=True)
            and nxt + 1 < n
            and is_blank_gap(tokens[nxt + 1])
            and c.namey(nxt + 1, allow_plain=False)
        ):
            flags.set(nxt, tokens[nxt].low)  # "doctor will oduya": a given name, then a surname
    # 4. Kinship: "my wife sarah", "her son , will ,".
    possessive = tok.text.lower().endswith(("'s", "’s"))  # "my daughter's number"
    # "my sister ivy", and "a sister temperance she's healthy" in a family history
    owner = i and (tokens[i - 1].low in POSSESSIVES or tokens[i - 1].low in ("a", "another"))
    if i > 1 and tokens[i - 1].low in words.KIN_ADJECTIVES:  # "his older sister ivy"
        owner = tokens[i - 2].low in POSSESSIVES
    kin = (low in KINSHIP or low in words.HELPERS) and not possessive and owner
    if low == "law" and i > 2 and tokens[i - 1].low == "in" and tokens[i - 2].low in KINSHIP:
        kin = tokens[i - 3].low in POSSESSIVES and not possessive  # "my daughter-in-law"
    nick = kin and gap in ("", ",") and tokens[nxt].low in words.NICK_ADJECTIVES
    nick = nick and nxt + 1 < n and is_blank_gap(tokens[nxt + 1])
    if nick and lex.is_name_word(tokens[nxt + 1].low) and c.namey(nxt + 1, allow_plain=True):
        flags.set(nxt)  # "my buddy big tony"
        flags.set(nxt + 1, tokens[nxt + 1].low)
        return
    if kin and gap in ("", ",") and tokens[nxt].low not in words.ADVERBS:
        after = c.after(nxt)  # "i asked my brother wade to come"
        if nxt + 2 < n and tokens[nxt + 1].gap == "-" and tokens[nxt + 1].is_word:
            after = c.after(nxt + 1)  # "my daughter ivy-rose comes"
        plain_ok = c.namey(nxt, allow_plain=True) and (
            after in words.AFTER_NAME
            or after == "to"
            or (after in words.PRONOUNS and lex.is_name_word(tokens[nxt].low))
            or (after == "in" and lex.is_name_word(tokens[nxt].low) and c.after(nxt + 1) != "law")
            or nxt + 1 >= n
            or "\n" in tokens[nxt + 1].gap  # "his daughter dawn" closing a turn
            or (lex.is_name_word(tokens[nxt].low) and words.verb_after_name(after))
            or (lex.is_name_word(tokens[nxt].low) and tokens[nxt].name_end != tokens[nxt].end)
        )
        typed = c.cased and tokens[nxt].text.istitle() and c.capital_name(nxt)
        plain_ok = plain_ok or (gap == "," and name_context.apposed_name(c, nxt))
        plain_ok = plain_ok or name_context.kin_name_before_verb(c, nxt)
        plain_ok = plain_ok or name_context.clause_after_relative(c, nxt, after)
        plain_ok = plain_ok and tokens[nxt].low not in words.BASE_VERBS  # "had my wife call"
        plain_ok = plain_ok or name_context.month_name(c, nxt) or name_context.noun_name(c, nxt)
        if plain_ok or typed or c.namey(nxt, allow_plain=False) or name_context.word_name(c, nxt):
            flags.set(nxt, tokens[nxt].low)  # "his son Will at ...": capitals decide
    # 5. Greetings: "hi grace", "thanks bill"; ASR text has no commas: "good morning carolyn
    # how are you".
    greeted = low in words.GREETINGS and gap in ("", ",") and c.namey(nxt, allow_plain=True)
    if greeted and (
        c.namey(nxt, allow_plain=False) or c.after(nxt) in words.AFTER_NAME or c.ends_phrase(nxt)
    ):
        flags.set(nxt, tokens[nxt].low)
    elif (
        greeted
        and _opens_greeting(tokens, i)
        and tokens[nxt].low in lex.first_names
        and not (lex.is_plain_word(tokens[nxt].low) and c.after(nxt) in _VERB_OBJECTS)
    ):
        flags.set(nxt, tokens[nxt].low)  # "[doctor] hey mason good to see you"
    # 5b. "i spoke with doctor wafer": after a verb or preposition, a title is followed by
    # a name even when the name is also an English word.
    if (
        low in ("doctor", "nurse")
        and gap == ""
        and i
        and tokens[i - 1].low in words.BEFORE_TITLE
        and lex.is_name_word(tokens[nxt].low)
        and c.namey(nxt, allow_plain=True)
    ):
        flags.set(nxt, tokens[nxt].low)
