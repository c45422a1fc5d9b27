"""More context for names that are ordinary words: self-introductions after a greeting and
names that are function words ("miss honey lets me").

Kept apart from ``names`` to keep that module small; these rules read and set the same flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medscribe.core.phi_rules import name_words as words
from medscribe.core.phi_rules.tokens import split_words

if TYPE_CHECKING:
    from medscribe.core.phi_rules.names import _Ctx

# "hi , i'm clover": what follows these after a greeting is a name unless it says how one is.
_SELF = (("i'm",), ("i", "am"), ("im",), ("this", "is"), ("it's",))
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
    return words.verb_after_name(after) or (
        c.tokens[k + 1].gap.strip() == "" and c.namey(k + 1, allow_plain=False)
    )


def greeting_intro(c: _Ctx) -> None:
    """ "hi , i'm clover , my regular doctor retired": a name word after a greeting and "i'm",
    closed by punctuation, "and" or a surname."""
    tokens, lex = c.tokens, c.lex
    for i in range(2, c.n):
        tok = tokens[i]
        if c.flags.on[i] or not tok.is_word or not lex.is_name_word(tok.low):
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


def _opens_turn(c: _Ctx, i: int) -> bool:
    tokens = c.tokens
    return i == 0 or tokens[i - 1].text in ("]", ":") or "\n" in tokens[i].gap


def answer_to_who(c: _Ctx) -> None:
    """ "[doctor] who's your supervisor [patient] dean , he'll be fine": a turn that opens
    with a name word, right after a question asking who or for a name."""
    tokens, lex = c.tokens, c.lex
    for i in range(1, c.n):
        tok = tokens[i]
        if c.flags.on[i] or not _opens_turn(c, i) or not lex.is_name_word(tok.low):
            continue
        closed = c.after(i) in _CLOSE or i + 1 >= c.n or "\n" in tokens[i + 1].gap
        if not closed or tok.low in _NOT_SELF or not c.namey(i, allow_plain=True):
            continue
        asked = [t.low for t in tokens[max(0, i - 12) : i]]
        if "who" in asked or "whom" in asked or ("name" in asked and "what" in asked):
            c.flags.set(i, tok.low)
