"""Person names: dictionary, context triggers, honorifics, kinship words and capitals.

Speech recognisers write names in lower case, so capitals cannot be relied on. A word is a
name when it is in the census name lists and is not ordinary English or clinical vocabulary
("martha", "okafor"); a word that is also English ("grace", "will", "brown") or unknown to
every list only counts after a trigger ("my name is", "mrs.", "my wife", "hi") or next to a
name. When the text does have mixed case, a capitalised name-like word mid-sentence counts too.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
    HONORIFICS_WEAK,
    KINSHIP,
    MONTHS,
    NAME_INTRO_STRONG,
    NAME_INTRO_WEAK,
    PERSON_NOUNS,
    POSSESSIVES,
    STOPWORDS,
    US_STATES,
    WEEKDAYS,
    Lexicon,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import DIGIT_WORDS, TEENS, TENS, Token, split_words

_GREETINGS = frozenset(split_words("hi hello hey bye goodbye thanks morning afternoon evening"))
# After a kinship word, an English word that is also a name ("my son will ...") is a name only
# when what follows reads like the end of a noun phrase.
_AFTER_NAME = frozenset(
    split_words(
        ". , ? ! ; : and who is was has had said says lives lived came comes brought drove takes "
        "took thinks thought told noticed wants helps helped does did made makes asked keeps "
        "called picked found saw"
    )
)
_AFTER_TITLE_NAME = frozenset(
    split_words("""from at is was and who said says told wants called recommended prescribed thinks
    . , ?""")
)
_BEFORE_TITLE = frozenset(
    split_words("""with to see saw seeing seen from called call and per by asked told ask tell email
    message page paged emailed texted""")
)
_NOT_NAMES = (
    MONTHS.keys()
    | WEEKDAYS
    | US_STATES
    | STOPWORDS
    | HONORIFICS_STRONG
    | HONORIFICS_WEAK
    | DIGIT_WORDS.keys()
    | TEENS.keys()
    | TENS.keys()
    | {"christmas", "easter", "thanksgiving", "halloween", "hanukkah", "kwanzaa"}
)


_INTRO_LAST = frozenset(p[-1] for p in NAME_INTRO_STRONG + NAME_INTRO_WEAK)


def _fragment(tokens: list[Token], i: int) -> bool:
    """A word cut off mid-speech ("mon- , i monitor"): ASR marks it with a trailing hyphen."""
    return i + 1 < len(tokens) and tokens[i + 1].gap.startswith("-")


def _spaced(tok: Token) -> bool:
    return tok.gap.strip() == ""


def _matches_before(tokens: list[Token], i: int, phrase: tuple[str, ...]) -> bool:
    k = len(phrase)
    if i < k:
        return False
    window = tokens[i - k : i]
    return all(t.low == w for t, w in zip(window, phrase, strict=True)) and all(
        t.gap.strip() in ("", ",") for t in window[1:]
    )


def _is_tag(tokens: list[Token], i: int) -> bool:
    """A speaker label ("[doctor]", "Doctor:"), not a title before a name."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return tokens[i].gap.endswith("[") or (nxt is not None and nxt.text in ("]", ":"))


class _Flags:
    """Which tokens are names; ``strong`` holds words a context rule (not a chain) vouched for."""

    def __init__(self, n: int) -> None:
        self.on = [False] * n
        self.strong: set[str] = set()

    def set(self, i: int, low: str | None = None) -> None:
        self.on[i] = True
        if low is not None:
            self.strong.add(low)


def find_names(tokens: list[Token], lex: Lexicon, cased: bool) -> Iterator[Found]:
    n = len(tokens)
    flags = _Flags(n)

    def namey(i: int, *, allow_plain: bool) -> bool:
        tok = tokens[i]
        if not tok.is_word or len(tok.low) < 2 or tok.low in _NOT_NAMES or tok.low in lex.clinical:
            return False
        if lex.is_name_word(tok.low):
            return allow_plain or not lex.is_plain_word(tok.low)
        return lex.is_unknown(tok.low)

    for i, tok in enumerate(tokens):
        low = tok.low
        if not tok.is_word:
            continue
        # 1. Dictionary names that are not English words.
        if (
            (low in lex.first_names or low in lex.common_surnames)
            and len(low) > 2
            and not lex.is_plain_word(low)
            and low not in _NOT_NAMES
            and not _fragment(tokens, i)
        ):
            flags.set(i)
        # 2. Capitalised mid-sentence, in text that has case at all.
        if cased and tok.text[0].isupper() and tok.text[1:].islower() and len(low) > 1 and i:
            prev = tokens[i - 1]
            sentence_start = prev.text in (".", "?", "!", ":", "]", '"') or "\n" in tok.gap
            if not sentence_start and namey(i, allow_plain=True) and low not in lex.clinical:
                flags.set(i)
        nxt = i + 1
        gap = ""
        if nxt < n and tokens[nxt].text in (".", ","):
            gap = tokens[nxt].text
            nxt += 1
        if nxt >= n or not tokens[nxt].is_word or "\n" in tokens[nxt].gap:
            continue
        # 3. Honorifics: "mrs. brown", "dr okafor", "nurse jackie".
        if low in HONORIFICS_STRONG and gap in ("", ".") and not _is_tag(tokens, i):
            if namey(nxt, allow_plain=True):
                flags.set(nxt, tokens[nxt].low)
        elif low in HONORIFICS_WEAK and gap == "" and not _is_tag(tokens, i):
            after = tokens[nxt + 1].low if nxt + 1 < n else "."
            if namey(nxt, allow_plain=False) or (
                cased and tokens[nxt].text[0].isupper() and namey(nxt, allow_plain=True)
            ):
                flags.set(nxt)
            elif (
                lex.is_name_word(tokens[nxt].low)
                and namey(nxt, allow_plain=True)
                and (after in _AFTER_TITLE_NAME or not tokens[min(nxt + 1, n - 1)].is_word)
            ):
                flags.set(nxt, tokens[nxt].low)  # "doctor davenport from cardiology"
        # 4. Kinship: "my wife sarah", "her son , will ,".
        possessive = tok.text.lower().endswith(("'s", "’s"))  # "my daughter's number"
        if (
            low in KINSHIP
            and not possessive
            and i
            and tokens[i - 1].low in POSSESSIVES
            and gap in ("", ",")
        ):
            after = tokens[nxt + 1].low if nxt + 1 < n else "."
            if namey(nxt, allow_plain=False) or (
                namey(nxt, allow_plain=True) and after in _AFTER_NAME
            ):
                flags.set(nxt, tokens[nxt].low)
        # 5. Greetings: "hi grace", "thanks bill".
        if low in _GREETINGS and gap in ("", ",") and namey(nxt, allow_plain=True):
            after = tokens[nxt + 1].low if nxt + 1 < n else "."
            # ASR text has no commas: "good morning carolyn how are you".
            if (
                namey(nxt, allow_plain=False)
                or after in _AFTER_NAME
                or (not tokens[nxt + 1 if nxt + 1 < n else nxt].is_word)
            ):
                flags.set(nxt, tokens[nxt].low)
        # 5b. "i spoke with doctor wafer": after a verb or preposition, a title is followed by
        # a name even when the name is also an English word.
        if (
            low in ("doctor", "nurse")
            and gap == ""
            and i
            and tokens[i - 1].low in _BEFORE_TITLE
            and lex.is_name_word(tokens[nxt].low)
            and namey(nxt, allow_plain=True)
        ):
            flags.set(nxt, tokens[nxt].low)
    # 6. Introductions: "my name is ...", "i'm ...".
    for i in range(1, n):
        if not tokens[i].is_word or tokens[i].gap.strip() not in ("", ","):
            continue
        prev = tokens[i - 1].low
        if prev not in _INTRO_LAST:
            continue
        if any(_matches_before(tokens, i, p) for p in NAME_INTRO_STRONG):
            if tokens[i - 1].low == "patient" and not namey(i, allow_plain=False):
                continue
            if namey(i, allow_plain=True):
                flags.set(i, tokens[i].low)
                j = i + 1
                while j < min(n, i + 3) and _spaced(tokens[j]) and namey(j, allow_plain=False):
                    flags.set(j)
                    j += 1
        elif any(_matches_before(tokens, i, p) for p in NAME_INTRO_WEAK):
            person = i > 1 and tokens[i - 2].low in PERSON_NOUNS
            if (lex.is_name_word(tokens[i].low) and namey(i, allow_plain=True)) or (
                person and namey(i, allow_plain=False)
            ):
                flags.set(i)
    # 7. Chains: a name's neighbours that are surnames or unknown words join it.
    for i in range(n):
        if not flags.on[i]:
            continue
        j = i + 1
        if tokens[i].name_end != tokens[i].end:
            j = n  # "martha's knee": nothing follows a possessive name
        while j < n and not flags.on[j] and _spaced(tokens[j]) and tokens[j].is_word:
            low = tokens[j].low
            if low in _NOT_NAMES or low in lex.clinical or len(low) < 2:
                break
            after = tokens[j + 1].low if j + 1 < n else "."
            plain_ok = low in lex.surnames and (after in _AFTER_NAME or "\n" in tokens[j + 1].gap)
            if not (
                plain_ok
                or lex.is_unknown(low)
                or (low in lex.surnames and not lex.is_plain_word(low))
            ):
                break
            flags.set(j)
            j += 1
        k = i - 1
        if k >= 0 and not flags.on[k] and _spaced(tokens[i]) and namey(k, allow_plain=False):
            flags.set(k)
    # 8. A name found once is the same name elsewhere in the visit ("hi , joy" ... "so joy").
    found = flags.strong | {
        tokens[i].low
        for i in range(n)
        if flags.on[i] and len(tokens[i].low) > 2 and not lex.is_plain_word(tokens[i].low)
    }
    if found:
        for i in range(n):
            if not flags.on[i] and tokens[i].low in found and not _fragment(tokens, i):
                flags.set(i)
    # Join flagged neighbours into one span per name.
    i = 0
    while i < n:
        if not flags.on[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and flags.on[j + 1] and tokens[j + 1].gap.strip() in ("", "."):
            j += 1
        yield tokens[i].start, tokens[j].name_end, PhiCategory.NAME
        i = j + 1
