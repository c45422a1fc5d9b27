"""Person names: dictionary, context triggers, honorifics, kinship words and capitals.

Speech recognisers write names in lower case, so capitals cannot be relied on. A word is a
name when it is in the census name lists and is not ordinary English or clinical vocabulary
("martha", "okafor"); a word that is also English ("grace", "will", "brown") or unknown to
every list only counts after a trigger ("my name is", "mrs.", "my wife", "hi") or next to a
name. When the text does have mixed case, a capitalised name-like word mid-sentence counts too.

This module holds the dictionary, capital, chaining and spreading rules and runs the others:
``name_triggers`` (after a title, relative or greeting), ``name_intros`` (introductions and
nicknames), ``name_context`` and ``name_roles`` (answers, roles, clause cues). A word no
dictionary knows at all is caught later by ``unknown_words``.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules import name_context, name_intros, name_roles, name_triggers
from medscribe.core.phi_rules import name_words as words
from medscribe.core.phi_rules.lexicon import (
    KINSHIP,
    PERSON_NOUNS,
    SPEAKER_LABELS,
    Lexicon,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.place_words import (
    FACILITY_GENERIC,
    FACILITY_SUFFIX,
)
from medscribe.core.phi_rules.tokens import Token, is_blank_gap, new_field


def _fragment(tokens: list[Token], i: int) -> bool:
    """A word cut off mid-speech ("mon- , i monitor"): ASR marks it with a trailing hyphen."""
    return i + 1 < len(tokens) and tokens[i + 1].gap.startswith("-")


class _Flags:
    """Which tokens are names; ``strong`` holds words a context rule (not a chain) vouched for."""

    def __init__(self, n: int) -> None:
        self.on = [False] * n
        self.strong: set[str] = set()

    def set(self, i: int, low: str | None = None) -> None:
        self.on[i] = True
        if low is not None:
            self.strong.add(low)


class _Ctx:
    """What every name rule needs: the tokens, the word lists, the flags so far."""

    def __init__(self, tokens: list[Token], lex: Lexicon, cased: bool) -> None:
        self.tokens, self.lex, self.cased = tokens, lex, cased
        self.n = len(tokens)
        self.flags = _Flags(self.n)

    def namey(self, i: int, *, allow_plain: bool) -> bool:
        """Could ``tokens[i]`` be a name? Plain English words only when ``allow_plain``."""
        tok, lex = self.tokens[i], self.lex
        if (
            not tok.is_word
            or len(tok.low) < 2
            or tok.low in words.NOT_NAMES
            or tok.low in lex.clinical
        ):
            return False
        if lex.is_name_word(tok.low):
            return allow_plain or not lex.is_plain_word(tok.low)
        return lex.is_unknown(tok.low)

    def capital_name(self, i: int) -> bool:
        """A capitalised word in a name slot of typed text ("his daughter Marigold"): a name
        even when it is also an English word, unless it is a function or clinical word."""
        low = self.tokens[i].low
        return self.lex.is_name_word(low) or (
            len(low) > 2 and low not in words.NOT_NAMES and low not in self.lex.clinical
        )

    def after(self, i: int) -> str:
        return self.tokens[i + 1].low if i + 1 < self.n else "."

    def ends_phrase(self, i: int) -> bool:
        """Is the token after ``i`` punctuation, a line break or the end (not another word)?"""
        nxt = self.tokens[i + 1] if i + 1 < self.n else None
        return nxt is None or not nxt.is_word or "\n" in nxt.gap


def _dictionary_and_case(c: _Ctx, i: int) -> None:
    """1. Census names that are not English words; 2. capitalised words mid-sentence."""
    tokens, lex, tok = c.tokens, c.lex, c.tokens[i]
    low = tok.low
    if (
        (low in lex.first_names or low in lex.common_surnames)
        and len(low) > 2
        and not lex.is_plain_word(low)
        and low not in words.NOT_NAMES
        and not _fragment(tokens, i)
    ):
        c.flags.set(i)
    # Capitals mid-sentence: in typed text they mark names; in lower-case speech text a word
    # somebody capitalised ("tell him Buck says hi") is all the more deliberate.
    if tok.text[0].isupper() and tok.text[1:].islower() and len(low) > 1 and i:
        prev = tokens[i - 1]
        sentence_start = prev.text in (".", "?", "!", ":", "]", '"', "[") or new_field(tok)
        if not sentence_start and c.namey(i, allow_plain=True) and low not in lex.clinical:
            c.flags.set(i)
        elif not sentence_start and _capital_plain(c, i):
            c.flags.set(i)  # "that's fine, Temperance goes right past it": capitals tell


def _capital_plain(c: _Ctx, i: int) -> bool:
    """A capitalised English word mid-sentence in typed text: a name or a place, unless it
    is a function, clinical, calendar or title word."""
    low = c.tokens[i].low
    return (
        len(low) > 2
        and low.isalpha()
        and low not in words.NOT_NAMES
        and low not in c.lex.clinical
        and low not in words.CAPITALISED_WORDS
    )


def _vocative(c: _Ctx, i: int) -> None:
    """A first name said to someone at the end of a sentence ("see you next week , frank .")."""
    tokens, lex = c.tokens, c.lex
    low = tokens[i].low
    if i and tokens[i - 1].text == "," and low in lex.first_names and c.namey(i, allow_plain=True):
        nxt = tokens[i + 1] if i + 1 < c.n else None
        if nxt is None or nxt.text in (".", "?", "!") or "\n" in nxt.gap:
            c.flags.set(i)


def _chains(c: _Ctx) -> None:
    """7. A name's neighbours that are surnames or unknown words join it."""
    tokens, lex, flags, n = c.tokens, c.lex, c.flags, c.n
    for i in range(n):
        if not flags.on[i]:
            continue
        j = i + 1
        if tokens[i].name_end != tokens[i].end:
            j = n  # "martha's knee": nothing follows a possessive name
        while j < n and not flags.on[j] and is_blank_gap(tokens[j]) and tokens[j].is_word:
            low = tokens[j].low
            if low in words.NOT_NAMES or low in lex.clinical or len(low) < 2:
                break
            after = c.after(j)
            plain_ok = low in lex.surnames and (
                after in words.AFTER_NAME or "\n" in tokens[j + 1].gap
            )
            if not (
                plain_ok
                or lex.is_unknown(low)
                or (low in lex.surnames and not lex.is_plain_word(low))
            ):
                break
            flags.set(j)
            j += 1
        k = i - 1
        if k < 0 or flags.on[k] or not is_blank_gap(tokens[i]):
            continue
        # "bobby elia", "grace okafor": a first name that is also a word, before a surname.
        given = (
            tokens[k].low in lex.first_names
            and tokens[i].low not in lex.first_names
            and not lex.is_plain_word(tokens[i].low)
            and c.namey(k, allow_plain=True)
            and (k == 0 or tokens[k - 1].low not in words.MODALS)
            and tokens[k].low not in KINSHIP
            and tokens[k].low not in PERSON_NOUNS
        )
        # "patient kestrel amundsen she runs": an English word opening a clause before a
        # surname no list calls ordinary is a given name too.
        opener = k == 0 or not tokens[k - 1].is_word or "\n" in tokens[k].gap
        opener = opener or tokens[k - 1].low in ("patient", "doctor", "nurse", "is", "named")
        plain_given = (
            opener
            and lex.is_unknown(tokens[i].low)
            and tokens[k].is_word
            and tokens[k].low.isalpha()
            and len(tokens[k].low) > 2
            and tokens[k].low not in words.NOT_NAMES
            and tokens[k].low not in lex.clinical
            and not tokens[k].low.endswith(("ed", "ing", "ly"))
            and tokens[k].low not in words.TIME_WORDS
            and tokens[k].low not in words.ROLES  # a speaker label: "patient oyelaran ..."
            and tokens[k].low not in SPEAKER_LABELS
        )
        if given or c.namey(k, allow_plain=False):
            flags.set(k)
        elif plain_given:
            flags.set(k, tokens[k].low)


def _everywhere(c: _Ctx) -> None:
    """8. A name found once is the same name elsewhere in the visit ("hi , joy" ... "so joy")."""
    tokens, lex, flags = c.tokens, c.lex, c.flags
    found = flags.strong | {
        tokens[i].low
        for i in range(c.n)
        if flags.on[i]
        and len(tokens[i].low) > 2
        and not lex.is_plain_word(tokens[i].low)
        and tokens[i].low not in words.PARTICLES
    }
    # In typed text a capitalised name that is also a word ("Story", "Temperance") is the
    # same name wherever it is capitalised again; "a bedtime story" in lower case is not.
    capitalised = set()
    if c.cased:
        capitalised = {
            tokens[i].text
            for i in range(c.n)
            if flags.on[i]
            and tokens[i].text.istitle()
            and len(tokens[i].text) > 2
            and tokens[i].low not in FACILITY_GENERIC  # "Amana Home Care" ... "Home oxygen:"
            and tokens[i].low not in FACILITY_SUFFIX
        }
    for i in range(c.n):
        if flags.on[i] or _fragment(tokens, i):
            continue
        if tokens[i].low in found or tokens[i].text in capitalised:
            flags.set(i)


def _spans(c: _Ctx) -> Iterator[Found]:
    """Flagged neighbours joined into one span per name."""
    tokens, on, n = c.tokens, c.flags.on, c.n
    i = 0
    while i < n:
        if not on[i]:
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and on[j + 1]
            and tokens[j + 1].gap.strip() in ("", ".")
            and (
                not new_field(tokens[j + 1])  # a name never runs on into the next turn or field
            )
        ):
            j += 1
        yield tokens[i].start, tokens[j].name_end, PhiCategory.NAME
        i = j + 1


def find_names(tokens: list[Token], lex: Lexicon, cased: bool) -> Iterator[Found]:
    c = _Ctx(tokens, lex, cased)
    n = c.n
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        _dictionary_and_case(c, i)
        _vocative(c, i)
        nxt = i + 1
        gap = ""
        if nxt < n and tokens[nxt].text in (".", ","):
            gap = tokens[nxt].text
            nxt += 1
        if nxt >= n or not tokens[nxt].is_word or "\n" in tokens[nxt].gap:
            continue
        name_triggers.after_trigger(c, i, nxt, gap)
    name_intros.introductions(c)
    name_context.greeting_intro(c)
    name_context.answer_to_who(c)
    name_context.full_name_intro(c)
    name_context.contracted_is(c)
    name_roles.named_by_role(c)
    name_context.who_was(c)
    name_context.called_next_line(c)
    name_roles.kin_titles(c)
    name_roles.person_apposition(c)
    name_roles.name_then_role(c)
    name_roles.role_then_name(c)
    name_roles.titled_word_closed(c)
    name_roles.credentialed(c)
    name_intros.nicknames(c)
    _chains(c)
    name_context.parallel_ages(c)
    _everywhere(c)
    return _spans(c)
