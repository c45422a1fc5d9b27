"""More context for names that are ordinary words: self-introductions after a greeting,
answers to "who ..." and "what's her name", names that are function words ("miss honey lets
me"), relatives' names before their clause ("my half brother pip he's two").

Kept apart from ``names`` to keep that module small; these rules read and set the same flags.
Names known by a role or title are in ``name_roles``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medscribe.core.phi_rules import name_words as words
from medscribe.core.phi_rules.lexicon import (
    KINSHIP,
    MONTHS,
    POSSESSIVES,
    SPEAKER_LABELS,
    end_of_previous_turn,
)
from medscribe.core.phi_rules.tokens import is_blank_gap, split_words

if TYPE_CHECKING:
    from medscribe.core.phi_rules.names import _Ctx

# "hi , i'm clover": what follows these after a greeting is a name unless it says how one is.
_SELF = (("i'm",), ("i", "am"), ("im",), ("this", "is"), ("it's",), ("you're",))
_SELF_LAST = frozenset(phrase[-1] for phrase in _SELF)
_NOT_SELF = frozenset(
    split_words("""good fine well glad ready doing back new here great okay alright sorry
    happy tired so just not very really still calling back here there""")
)
_CLOSE = frozenset([",", ".", "and", "?", "!"])


def word_name(c: _Ctx, k: int) -> bool:
    """A name that is a function word ("miss honey lets me", "doctor will oduya"): only with
    a verb or a surname right after it."""
    if c.tokens[k].low not in words.STOPWORD_NAMES or k + 1 >= c.n:
        return False
    after = c.after(k)
    # "my husband will was at work": a past verb or a closing word cannot follow the modal.
    closing = after in words.AFTER_NAME and after not in (".", "?", "!")
    return (
        words.verb_after_name(after)
        or closing
        or (c.tokens[k + 1].gap.strip() == "" and c.namey(k + 1, allow_plain=False))
    )


def greeting_intro(c: _Ctx) -> None:
    """ "hi , i'm clover , my regular doctor retired": a name word after a greeting and "i'm",
    closed by punctuation, "and" or a surname."""
    tokens, lex = c.tokens, c.lex
    for i in range(2, c.n):
        tok = tokens[i]
        if c.flags.on[i] or not tok.is_word or tokens[i - 1].low not in _SELF_LAST:
            continue
        if not lex.is_name_word(tok.low):
            continue
        for phrase in _SELF:
            k = len(phrase)
            if i < k + 1 or tuple(t.low for t in tokens[i - k : i]) != phrase:
                continue
            g = i - k - 1
            if tokens[g].text == "," and g > 0:
                g -= 1
            if tokens[g].low not in words.GREETINGS and tokens[g].low != "hello":
                break
            closed = c.after(i) in _CLOSE or (i + 1 < c.n and c.namey(i + 1, allow_plain=False))
            if closed and tok.low not in _NOT_SELF and c.namey(i, allow_plain=True):
                c.flags.set(i, tok.low)
            break


def _asked_name(c: _Ctx, i: int) -> bool:
    """Did the turn before ``i`` end by asking the speaker's name ("what's your name , hon ?",
    "and you are ?", "who are you")?"""
    k = end_of_previous_turn(c.tokens, i - 1)
    last = [t.low for t in c.tokens[max(0, k - 4) : k + 1]]
    ends = (last[-2:] in (["you", "are"], ["you're", "?"])) or last[-3:] == ["who", "are", "you"]
    return ends or ("your" in last[-4:] and "name" in last[-3:])


def _any_word(c: _Ctx, i: int) -> bool:
    """A word that could be any name, English or not: not a function or clinical word."""
    low = c.tokens[i].low
    return (
        low.isalpha() and len(low) > 2 and low not in words.NOT_NAMES and low not in c.lex.clinical
    )


def _opens_turn(c: _Ctx, i: int) -> bool:
    tokens = c.tokens
    if i == 0 or tokens[i - 1].text in ("]", ":"):
        return True
    if "\n" in tokens[i].gap:
        return tokens[i].low not in SPEAKER_LABELS  # the label itself does not open it
    # the word after a bare speaker label at the start of a line
    return tokens[i - 1].low in SPEAKER_LABELS and "\n" in tokens[i - 1].gap


def answer_to_who(c: _Ctx) -> None:
    """ "[doctor] who's your supervisor [patient] dean , he'll be fine": a turn that opens
    with a name word, right after a question asking who or for a name."""
    tokens, lex = c.tokens, c.lex
    for i in range(1, c.n):
        tok = tokens[i]
        if c.flags.on[i] or not _opens_turn(c, i) or tok.low in _NOT_SELF:
            continue
        closed = c.after(i) in _CLOSE or i + 1 >= c.n or "\n" in tokens[i + 1].gap
        spelled = i + 2 < c.n and all(
            len(t.text) == 1 and t.text.isalpha() for t in tokens[i + 1 : i + 3]
        )
        closed = closed or spelled  # "szczepanik s z c z e p a n i k"
        # "marigold sweeney , but ...": a surname closing the answer vouches for a given name
        # that is only an English word.
        last = i + 1 < c.n and is_blank_gap(tokens[i + 1]) and c.namey(i + 1, allow_plain=False)
        last = last and (c.after(i + 1) in _CLOSE or i + 2 >= c.n or "\n" in tokens[i + 2].gap)
        if last and tok.is_word and tok.low not in words.NOT_NAMES and tok.low not in lex.clinical:
            pass
        elif closed and c.cased and tok.text.istitle() and _plain_name_slot(c, i):
            pass  # typed: "Granddaughter: Pepper." answering "introduce yourselves"
        elif (closed or c.after(i) in words.PRONOUNS) and _asked_which_kin(c, i):
            pass  # "which daughter ?" / "honeybee , she lives over in ...": any word
        elif closed and lex.is_unknown(tok.low) and c.namey(i, allow_plain=False):
            pass  # "who's your nurse navigator ?" / "fenna"
        elif _asked_role_is(c, i) and _plain_name_slot(c, i):
            c.flags.set(i, tok.low)  # "and your coach is ..." / "moss"
            continue
        elif _asked_name(c, i) and (closed or c.after(i) in words.PRONOUNS) and _any_word(c, i):
            c.flags.set(i, tok.low)  # "whats your name hon" / "marigold"; "and you are ?"
            continue
        elif not (closed and lex.is_name_word(tok.low) and c.namey(i, allow_plain=True)):
            continue
        asked = [t.low for t in tokens[max(0, i - 20) : i]]
        # "introduce yourselves" is answered by several turns in a row
        earlier = [t.text.lower() for t in tokens[max(0, i - 60) : i]]
        introduced = "introduce" in earlier or ("around" in earlier and "who's" in earlier)
        which_kin = "which" in asked and any(w in KINSHIP for w in asked)  # "which daughter ?"
        # "... and your son ?" / "thatcher he's up at the mine": asked about a relative
        your_kin = len(asked) > 1 and asked[-1] in KINSHIP and asked[-2] in POSSESSIVES
        which_kin = which_kin or (your_kin and c.after(i) in words.PRONOUNS)
        if "who" in asked or "whom" in asked or "name" in asked or introduced or which_kin:
            c.flags.set(i, tok.low)


def _asked_role_is(c: _Ctx, i: int) -> bool:
    """Did the turn before end with "<whose> <role> is" ("and your coach is")?"""
    k = i - 1
    while k > 0 and (
        not c.tokens[k].is_word
        or _is_label(c, k)
        or (c.tokens[k].low in SPEAKER_LABELS and "\n" in c.tokens[k].gap)
    ):
        k -= 1
    return k > 1 and c.tokens[k].low == "is" and c.tokens[k - 1].low in words.ROLES


def _asked_which_kin(c: _Ctx, i: int) -> bool:
    asked = [t.low for t in c.tokens[max(0, i - 12) : i]]
    return "which" in asked and any(w in KINSHIP for w in asked) and _plain_name_slot(c, i)


def full_name_intro(c: _Ctx) -> None:
    """ "yes i'm summer delacroix", "i'm rose her daughter": after "i'm" or "this is", a given
    name (even an English word) needs no greeting when a surname no list calls ordinary
    closes the clause, or when the speaker says whose relative they are."""
    tokens, lex = c.tokens, c.lex
    for i in range(1, c.n - 1):
        first, last = tokens[i], tokens[i + 1]
        if not first.is_word or not last.is_word or not is_blank_gap(last):
            continue
        if tokens[i - 1].low not in _SELF_LAST:
            continue  # cheap test first: every phrase ends in one of a few words
        if not any(_said_before(c, i, phrase) for phrase in _SELF):
            continue
        surname = (last.low in lex.surnames or lex.is_unknown(last.low)) and not (
            lex.is_plain_word(last.low) or last.low in lex.clinical
        )
        closed = i + 2 >= c.n or c.after(i + 1) in _CLOSE or "\n" in tokens[i + 2].gap
        kin = i + 2 < c.n and last.low in POSSESSIVES and tokens[i + 2].low in KINSHIP
        if kin and lex.is_name_word(first.low) and c.namey(i, allow_plain=True):
            c.flags.set(i, first.low)  # "i'm rose her daughter"
        elif (
            surname
            and closed
            and lex.is_name_word(first.low)
            and first.low not in _NOT_SELF
            and c.namey(i, allow_plain=True)
            and c.namey(i + 1, allow_plain=True)
        ):
            c.flags.set(i, first.low)
            c.flags.set(i + 1, last.low)


def _said_before(c: _Ctx, i: int, phrase: tuple[str, ...]) -> bool:
    k = len(phrase)
    return i >= k and tuple(t.low for t in c.tokens[i - k : i]) == phrase


# "yeah , dawn's at lakewood elementary": a name-list word contracted with "is" before where
# the person is or what they are doing, opening a turn or after a filler.
_WHERE = frozenset(split_words("at in with over out home working doing going been still"))
_FILLERS = frozenset(split_words("yeah yes well oh and but so no , um uh"))


def contracted_is(c: _Ctx) -> None:
    tokens, lex = c.tokens, c.lex
    for i in range(c.n - 1):
        tok = tokens[i]
        if c.flags.on[i] or tok.name_end == tok.end or not lex.is_name_word(tok.low):
            continue
        opener = _opens_turn(c, i) or tokens[i - 1].low in _FILLERS
        if opener and c.after(i) in _WHERE and c.namey(i, allow_plain=True):
            c.flags.set(i, tok.low)


def month_name(c: _Ctx, k: int) -> bool:
    """ "my husband august has been great": a month that is also a first name, after a kinship
    word (the caller checks) and before a verb; "my son may have" stays a verb."""
    low = c.tokens[k].low
    if low not in MONTHS or low not in c.lex.first_names or low == "may":
        return False
    return c.after(k) in words.AFTER_NAME or words.verb_after_name(c.after(k))


# Verbs that, right after "her sister <word>", make the word the subject: "her sister sky had".
_SUBJECT_VERBS = frozenset(
    split_words("""had has was is said says came comes drove brought took saw told went got gave
    called picked found lives lived works worked wants wanted needs helped helps takes knows
    thinks stays stayed moved passed died""")
)


def noun_name(c: _Ctx, k: int) -> bool:
    """ "her sister sky had a concussion": after a kinship word (the caller checks) an English
    noun no name list holds is a name when a past or present verb follows it at once."""
    tok = c.tokens[k]
    low = tok.low
    if not tok.is_word or len(low) < 3 or not low.isalpha() or low.endswith("ly"):
        return False
    if low in words.NOT_NAMES or low in c.lex.clinical or low in _NOT_SELF or low in words.ADVERBS:
        return False
    return k + 1 < c.n and is_blank_gap(c.tokens[k + 1]) and c.after(k) in _SUBJECT_VERBS


# After "my wife ," these close the phrase without being a name: "my son , yeah".
_APPOSED_NOT = frozenset(
    split_words("""yeah yes yep no nope right though anyway anyways too also mostly mainly
    maybe probably usually sometimes basically actually obviously okay ok alright sure
    again either both""")
)


def apposed_name(c: _Ctx, k: int) -> bool:
    """ "that's my wife , marigold", "my daughter , sage , drives me": one word set off by
    commas after a kinship word (the caller checks) and closed by punctuation is a name,
    even an English word no name list holds."""
    tok = c.tokens[k]
    low = tok.low
    if not tok.is_word or len(low) < 3 or not low.isalpha() or low.endswith("ly"):
        return False
    if low in words.NOT_NAMES or low in c.lex.clinical or low in words.ADVERBS:
        return False
    if low in _APPOSED_NOT or low in _NOT_SELF:
        return False
    return k + 1 >= c.n or not c.tokens[k + 1].is_word or "\n" in c.tokens[k + 1].gap


def _plain_name_slot(c: _Ctx, k: int) -> bool:
    tok = c.tokens[k]
    low = tok.low
    return (
        tok.is_word
        and len(low) > 1
        and low.replace("'", "").isalpha()
        and low not in words.NOT_NAMES
        and low not in c.lex.clinical
        and low not in words.ADVERBS
        and low not in _NOT_SELF
        and low not in _APPOSED_NOT
    )


def _is_label(c: _Ctx, i: int) -> bool:
    """A speaker label ("SPEAKER_01:", "Nurse:", "[doctor]"), not words of the turn."""
    nxt = c.tokens[i + 1 : i + 3]
    return bool(nxt) and (
        nxt[0].text in (":", "]") or (nxt[0].gap == "_" and len(nxt) > 1 and nxt[1].text == ":")
    )


def _closes(c: _Ctx, k: int) -> bool:
    """Does the phrase end after ``tokens[k]`` (punctuation, line break, "and", the end)?"""
    return c.ends_phrase(k) or c.after(k) in ("and", "but", "so")


def who_was(c: _Ctx) -> None:
    """ "who was petey ?", "who's marigold": the word asked about is a person's name."""
    tokens = c.tokens
    for i in range(2, c.n):
        prev = tokens[i - 1].low
        asked = prev in ("is", "was") and tokens[i - 2].low == "who"
        if not (asked or tokens[i - 1].text.lower() in ("who's", "who’s")):
            continue
        low = tokens[i].low
        named = c.lex.is_name_word(low) or not c.lex.is_plain_word(low)  # not "who's sick"
        verbish = low.endswith(("ed", "ing", "ly"))
        if not c.flags.on[i] and named and not verbish and _plain_name_slot(c, i) and _closes(c, i):
            c.flags.set(i, low)


_CALLED_ASKED = frozenset(
    [("go", "by"), ("goes", "by"), ("call", "you"), ("call", "her"), ("call", "him")]
)


def called_next_line(c: _Ctx) -> None:
    """ "and you go by ?" / "gunny , everybody calls me gunny": a question about what a person
    is called, answered by the next turn's first word."""
    tokens = c.tokens
    for i in range(2, c.n):
        if not _opens_turn(c, i) or c.flags.on[i] or not _plain_name_slot(c, i):
            continue
        if _is_label(c, i):
            continue
        k = i - 1
        while k > 0 and not tokens[k].is_word:
            k -= 1  # back over "?" and the speaker label
        if k > 0 and tokens[k + 1 : i] and any(t.text in ("]", ":") for t in tokens[k + 1 : i]):
            k -= 1  # the label's word itself ("SPEAKER_01")
            while k > 0 and not tokens[k].is_word:
                k -= 1
        pair = (tokens[k - 1].low, tokens[k].low) if k > 0 else ("", "")
        # Only a question to the other person ("you go by ?", "what should i call you"):
        # "... they call me" ends a statement and the next line is someone else's.
        if pair in _CALLED_ASKED:
            c.flags.set(i, tokens[i].low)


def parallel_ages(c: _Ctx) -> None:
    """ "caspian is twelve and rook is nine": a word in the same frame as a name just found."""
    tokens = c.tokens
    for i in range(c.n - 5):
        named = c.flags.on[i] or c.namey(i, allow_plain=False)
        if not named or tokens[i + 1].low != "is":
            continue
        for k in range(i + 3, min(c.n - 2, i + 6)):
            if tokens[k - 1].low == "and" and tokens[k + 1].low == "is":
                if not c.flags.on[k] and _plain_name_slot(c, k):
                    c.flags.set(k, tokens[k].low)
                break


def apposed_word(c: _Ctx, k: int) -> bool:
    """May the word at ``k`` be a relative's name that is an English word ("pip", "sky")?"""
    return _plain_name_slot(c, k) and not c.tokens[k].low.endswith(("ed", "ing", "ly"))


_MODALS_AFTER = frozenset(split_words("can will could would should might"))
_ADVERBS_BEFORE_VERB = frozenset(split_words("still always usually never also just"))


def clause_after_relative(c: _Ctx, k: int, after: str) -> bool:
    """Do the words after a relative's would-be name ``tokens[k]`` read as its clause? Then
    even an English word there is the name: "my half brother pip he's two", "my friend
    peaches from work", "my dispatcher rooster can get me home", "my dad happy still opens"."""
    tokens = c.tokens
    word = tokens[k].low
    then = tokens[k + 2].low if k + 2 < c.n else ""
    if after in ("he's", "she's", "he", "she"):
        cue = True
    elif after == "from":  # where they are from, unless the word is the verb ("came from")
        cue = not (words.verb_after_name(word) or word in words.AFTER_NAME)
    elif after in _MODALS_AFTER:
        cue = then in words.BASE_VERBS
    elif after in _ADVERBS_BEFORE_VERB:
        cue = words.verb_after_name(then)
    else:
        cue = False
    return cue and apposed_word(c, k)


def kin_name_before_verb(c: _Ctx, k: int) -> bool:
    """ "i helped my brother ace move", "helping my neighbor dusty pull a calf", "my cousin
    tucker wilhelmina's boy": after a kinship word (the caller checks), a word followed by a
    verb's base form or by another person's name is that relative's name."""
    if not _plain_name_slot(c, k) or c.tokens[k].low.endswith(("ed", "ing", "ly", "s")):
        return False
    if c.tokens[k].low in words.BASE_VERBS or k + 1 >= c.n or not is_blank_gap(c.tokens[k + 1]):
        return False
    nxt = c.tokens[k + 1]
    if nxt.low in words.BASE_VERBS:
        return True
    return nxt.name_end != nxt.end and c.namey(k + 1, allow_plain=False)


# "Birdie, the doula?", "Patch, our outreach worker": a name set before its role (after
# one of _ROLE_OWNERS).
