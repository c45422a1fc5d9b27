"""Places given as the answer to a question about where: "where were you skiing ?" "crystal
mountain ." / "which er was that ?" "mercy general , on the fourteenth".

In a conversation the question carries the cue the answer lacks: the answer is a short run of
ordinary words that no list knows as a place. So when a turn asks where somebody was, works,
lives or went, or which hospital, school or store, the next turn's opening words (after a
filler such as "yeah", "uh", "it was", "at the") are taken as the place when they pass the
same test as a place after "at" (not a time, body part, amount, number or clinical word) and
the run ends at punctuation, a line break or a word that carries on the sentence ("out",
"in", "on"). "Where does it hurt" asks about the body and is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.at_places import place_word
from medscribe.core.phi_rules.lexicon import KINSHIP, PERSON_NOUNS, SPEAKER_LABELS, Lexicon
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import Token, opens_turn, split_words

# Kinds of place a patient names when asked about them: "still at daycare ?" "little acorns".
_NAMED_KINDS = frozenset(split_words("daycare preschool school pharmacy church employer gym"))
# Asked about a place: "which <kind>", "what <kind>", "where ...".
_KINDS = frozenset(
    split_words("""hospital er emergency clinic pharmacy school college store company town city
    place facility center centre church office plant mill shop gym resort mountain lake park
    practice employer job work restaurant bar club hotel home agency department part area
    neighborhood neighbourhood side""")
)
# "where does it hurt", "where is the pain": questions about the body, not a place.
_BODY_QUESTION = frozenset(
    split_words("""hurt hurts hurting pain painful ache aches sore feel pointing point rash
    swelling numb numbness tingling spot lump located radiate radiates go goes bleeding""")
)
# Openers of an answer before the place itself.
_FILLERS = frozenset(
    split_words("""yeah yes yep no nope uh um oh well so it it's it was that's that at in the
    over up down out to from , . a""")
)
# Words after which the sentence goes on: the place ends before them.
_ENDERS = frozenset(
    split_words("""out in on near by over up down off at for with and but so because where
    which who that when on the about around outside past my his her our their it's its
    i'm i he she they we""")
)
_LOOKBACK = 30  # tokens: a question a few lines back still frames the answer


def _turn_starts(tokens: list[Token]) -> list[int]:
    """Indexes of the first word of each turn: after a speaker label or a line break."""
    starts = []
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        if opens_turn(tokens, i):
            if i + 1 < len(tokens) and tokens[i + 1].text in ("]", ":"):
                continue  # the speaker label itself
            starts.append(i)
    return starts


def _asks_where(tokens: list[Token], a: int, b: int) -> bool:
    """Does the turn ``tokens[a:b]`` ask where, or which/what place?"""
    words = [t.low for t in tokens[a:b]]
    if any(w in _BODY_QUESTION for w in words):
        return False
    if "where" in words or "whereabouts" in words or "employer" in words:
        return True
    asks_who = {"who", "whom", "what", "which"} & set(words)
    if "work" in words and "for" in words and asks_who:  # "who do you work for ?"
        return True
    # "and are they still at daycare ?" / "yeah , little acorns , the one behind ...": a
    # yes/no question about a kind of place is often answered with its name.
    if "?" in words[-5:] and set(words) & _NAMED_KINDS:
        return True
    asking = {"who", "who's", "whos", "what", "what's", "whats", "which"} & set(words)
    if asking and {"company", "agency", "lab", "pharmacy", "outfit", "supplier"} & set(words):
        return True  # "who's the company ?", "what's the lab ?"
    # "what's it called again", "which one is it , i always forget the name"; not "what's
    # her name", which asks for a person
    thing_called = "called" in words and bool({"it", "that", "place"} & set(words))
    if asking and (thing_called or ("the", "name") in pairwise(words)):
        return True
    if "which" in words and "one" in words and set(words) & _KINDS:
        return True  # "the pizza place you like , which one is it ?"
    for k, w in enumerate(words[:-1]):
        opener = w in ("which", "what", "what's", "whats")
        if opener and (words[k + 1] in _KINDS or words[k + 1] == "name"):
            return True
    return False


# Ordinary words that start or finish a place's name ("lake highlands", "good shepherd",
# "tri-state home medical") though "at lake" or "at good" alone would not be a place.
_GENERIC_PARTS = frozenset(
    split_words("""lake state home good river new old north south east west saint st mount
    little big grand first central valley city""")
)


def _generic_part(lex: Lexicon, tok: Token) -> bool:
    return tok.low in _GENERIC_PARTS and tok.low not in lex.clinical


def _place_run(tokens: list[Token], lex: Lexicon, a: int, end: int) -> tuple[int, int] | None:
    i = a
    if tokens[i].low in SPEAKER_LABELS and i + 1 < end and tokens[i + 1].gap.strip() == "":
        i += 1  # a speaker written as a plain word: "daughter breathe easy medical ..."
    while i < end and i < a + 4 and tokens[i].low in _FILLERS:
        i += 1
    j = i
    named = False  # at least one word passes the "at X" test; the rest may be generic
    while j < min(end, i + 4) and tokens[j].is_word and tokens[j].low not in _ENDERS:
        tok = tokens[j]
        person = tok.low in KINSHIP or tok.low in PERSON_NOUNS
        if person or not (place_word(lex, tok) or _generic_part(lex, tok)):
            return None
        named = named or place_word(lex, tok)
        j += 1
        if tok.name_end != tok.end:
            break  # "tony ray's over by the courthouse": a possessive closes the name
    if j == i or not named:
        return None
    closed = j >= end or not tokens[j].is_word or tokens[j].low in _ENDERS
    if not closed:
        return None
    # One plain word alone ("home", "work", "downtown") is too weak; two words, or one no
    # English list knows, name a place.
    if j - i == 1 and lex.is_plain_word(tokens[i].low):
        return None
    return tokens[i].start, tokens[j - 1].end


def find_answer_places(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    starts = _turn_starts(tokens)
    if not starts:
        return
    bounds = list(zip(starts, [*starts[1:], len(tokens)], strict=True))
    for (qa, qb), (aa, ab) in pairwise(bounds):
        if qb - qa > _LOOKBACK:
            qa = qb - _LOOKBACK
        if not _asks_where(tokens, qa, qb):
            continue
        if tokens[aa].low in ("no", "nope", "nah"):
            continue  # "was this a school team ?" "no , the adult rec league": not a name
        run = _place_run(tokens, lex, aa, ab)
        if run is not None:
            yield run[0], run[1], PhiCategory.LOCATION
