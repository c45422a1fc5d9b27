"""Safety net: words in no list, standing where a name or a place stands (Philter-style).

The dictionaries cannot know every name: rare first names ("tamsin"), small towns
("glenhaven"), spellings a speech recogniser invents. A word that is not English, not
clinical, not a number and not in the name lists is suspicious. In a slot where people or
places are mentioned ("at", "from", "my buddy", "hi", before "said" or a possessive) it is
flagged. Elsewhere it is flagged only when it is shaped like a name: long enough, with
vowels, not medical Latin ("paraspinal", "rhonchi"), not an abbreviation, not the plural of a
known word. On the 87 ACI-Bench conversations (111k words) that costs about one false alarm
per 1,000 words, mostly misspellings, a price worth paying for a missed identifier.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
    HONORIFICS_WEAK,
    KINSHIP,
    MONTHS,
    POSSESSIVES,
    STOPWORDS,
    US_STATES,
    WEEKDAYS,
    Lexicon,
)
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import Token, split_words

# After these a place is named: "moved out to glenhaven", "a clinic in ferndale".
_PLACE_BEFORE = frozenset(split_words("at from in to near into outside toward towards"))
# After these a person is named.
_PERSON_BEFORE = frozenset(
    split_words("""named called hi hello hey thanks bye dear morning afternoon evening buddy pal
    friend friends neighbor neighbour coworker colleague boss roommate sponsor ask tell asked
    told assistant aide secretary receptionist scheduler coordinator manager supervisor
    teacher trainer tech technician counselor caseworker landlord student resident intern
    brothers sisters sons daughters kids children grandkids grandchildren cousins
    parents""")
)
# "with" introduces treatments ("pain with pronation") as often as people: only after these.
_WITH_PERSON = frozenset(
    split_words("""talk talked talking spoke speak speaking met meet meeting agree agreed
    married stay stays staying live lives living appointment visit checked check work works
    worked""")
)
# Before these a person is named: "tamsin from scheduling", "dontrell drove me".
_PERSON_AFTER = frozenset(
    split_words("""said says told tells thinks thought wants wanted called calls came comes
    drove drives brought brings took takes picked helps helped from who texted emailed
    mentioned recommended noticed something""")
)
# Word shapes of clinical and ordinary vocabulary the lists miss ("auscultation",
# "weightbearing", "nondistended", "neurologically"): not taken for names.
_NOT_NAME_ENDINGS = (
    "tion", "sion", "ness", "ment", "ing", "ed", "ly", "ous", "ive", "ism", "ist", "ical",
    "ary", "able", "ible", "ize", "ise", "ular", "eal", "ial", "ers", "ics", "ies", "oid",
)  # fmt: skip
_NOT_NAME_STARTS = (
    "non", "hyper", "hypo", "neuro", "cardio", "pre", "post", "sub", "supra", "intra",
    "inter", "anti", "peri", "trans", "retro", "radio", "re", "un", "micro", "macro",
)  # fmt: skip
# Shapes of medical Latin and abbreviations, checked before flagging a word with no slot:
# "paraspinal", "bitemporal", "rhonchi", "digitorum", "cardura", "fds".
_MEDICAL_ENDINGS = ("al", "ic", "ory", "um", "ae", "ix", "ii", "osa", "oma", "ase")
_MEDICAL_STARTS = (
    "cardi", "neur", "hem", "hepat", "gastr", "derm", "oste", "arthr", "pulm", "nephr",
    "lymph", "brachi", "fibr", "myo", "cyt", "angi", "chol", "encephal", "epi", "endo", "exo",
    "dys", "poly", "para", "ortho", "pneum", "thromb", "vaso", "cerv", "lumb", "thorac",
    "abdom", "crani", "ocul", "ophth", "rhin", "laryng", "trache", "bronch", "cyst", "uro",
    "gyn", "hyster", "mamm", "onc", "path", "psych", "dors", "flex", "exten", "diverti",
    "chemo", "metast", "immun", "ferr", "lith", "spin", "fluct", "crepit", "diaph",
)  # fmt: skip
_VOWELS = frozenset("aeiouy")
# Contraction tails that tokenise as "i've", "doesn't": never names.
_CONTRACTIONS = frozenset(split_words("ve ll re d m t s"))
_NEVER = (
    STOPWORDS
    | HONORIFICS_STRONG
    | HONORIFICS_WEAK
    | KINSHIP
    | US_STATES
    | WEEKDAYS
    | MONTHS.keys()
    | frozenset(split_words("dr mr mrs ms hmm hmmm uhm umm haha ish meds wifi ok"))
)


def suspicious(lex: Lexicon, tok: Token) -> bool:
    """A word no list knows: not English, not clinical, not a number or a known filler."""
    low = tok.low
    if not tok.is_word or len(low) < 3 or low in _NEVER or not low.replace("'", "").isalpha():
        return False
    if "'" in low and low.rpartition("'")[2] in _CONTRACTIONS:
        return False
    if len(low) > 5 and (low.endswith(_NOT_NAME_ENDINGS) or low.startswith(_NOT_NAME_STARTS)):
        return False
    return lex.is_unknown(low)


_SURNAME_ENDINGS = ("ovic", "evic", "vich", "wicz", "czyk", "escu", "opoulos", "idis", "shvili")


def name_shaped(lex: Lexicon, tok: Token) -> bool:
    """A suspicious word that could be a rare name or place even with no slot around it:
    long enough, with vowels, not shaped like medical Latin, an abbreviation or the plural
    of a known word ("cuboids", "exudates")."""
    low = tok.low
    if len(low) < 4 or not _VOWELS & set(low) or "'" in low:
        return False
    if len(low) > 5 and low.endswith(_SURNAME_ENDINGS):
        return True  # "vukovic", "kowalczyk": endings of surnames, not of medical words
    if low.endswith(_MEDICAL_ENDINGS) or low.startswith(_MEDICAL_STARTS):
        return False
    if low.endswith("s") and (lex.is_plain_word(low[:-1]) or lex.is_plain_word(low[:-2])):
        return False
    # A known word with a letter or two more: a misspelling or inflection ("cath", "taxol").
    # Long words only when the ending is an inflection: "tallowby" is a name, not "tallow".
    if len(low) <= 6:
        return not (low[:-1] in lex.english or low[:-2] in lex.english)
    one = low[-1] in "sdry" and low[:-1] in lex.english
    two = low[-2:] in ("es", "ed", "er", "ly") and low[:-2] in lex.english
    return not (one or two)


def _slot(tokens: list[Token], i: int) -> PhiCategory | None:
    """The category a suspicious word at ``i`` gets from its neighbours, or None."""
    tok = tokens[i]
    p = i - 1
    if p > 0 and tokens[p].text == ",":  # "two brothers , caspian and theo"
        p -= 1
    prev = tokens[p].low if p >= 0 and tokens[p + 1].gap.strip() == "" else ""
    nxt = tokens[i + 1].low if i + 1 < len(tokens) and tokens[i + 1].gap.strip() == "" else ""
    if tok.name_end != tok.end:  # "tamsin's mom"
        return PhiCategory.NAME
    if prev in _PLACE_BEFORE:
        return PhiCategory.LOCATION
    if prev == "with" and i > 1 and tokens[i - 2].low in _WITH_PERSON:
        return PhiCategory.NAME
    if prev in _PERSON_BEFORE or prev in KINSHIP or prev in HONORIFICS_STRONG:
        return PhiCategory.NAME
    if prev in POSSESSIVES and nxt in ("", ",", "."):
        return PhiCategory.NAME
    if nxt in _PERSON_AFTER:
        return PhiCategory.NAME
    return None


def find_slot_words(tokens: list[Token], lex: Lexicon) -> Iterator[Found]:
    for i, tok in enumerate(tokens):
        if tok.gap.startswith("-") or (i + 1 < len(tokens) and tokens[i + 1].gap.startswith("-")):
            continue  # a hyphenated compound ("accu-cheks") or a word cut off mid-speech
        if suspicious(lex, tok):
            category = _slot(tokens, i)
            if category is None and name_shaped(lex, tok):
                category = PhiCategory.NAME  # the safety net: a word in no list at all
            if category is not None:
                yield tok.start, tok.name_end, category
        elif _closing_place(tokens, lex, i):
            yield tok.start, tok.end, PhiCategory.LOCATION


# "the rexall in glendive": an unknown word shaped like English ("-ive", "-ary") still names
# a place when a place preposition leads to it and nothing follows it in the clause.
_PLACE_LEAD = frozenset(split_words("in at from near"))
_CLAUSE_END = frozenset(split_words(". , ? ! and on"))


def _closing_place(tokens: list[Token], lex: Lexicon, i: int) -> bool:
    tok = tokens[i]
    if not tok.is_word or i == 0 or tokens[i - 1].low not in _PLACE_LEAD:
        return False
    if len(tok.low) < 5 or not tok.low.isalpha() or not lex.is_unknown(tok.low):
        return False
    if tok.low.endswith(("tion", "sion", "ing", "ed", "ly", "ness", "ment")):
        return False
    last = i + 1 >= len(tokens) or "\n" in tokens[i + 1].gap
    return last or tokens[i + 1].low in _CLAUSE_END
