"""Word lists the rules consult: names, places, English words, clinical words, triggers.

The big lists ship as plain text in ``medscribe.resources/names`` (see its README for sources
and licences) and are loaded once into frozensets, so every lookup is a hash probe: the rules
layer must stay instant on a 2-hour visit.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from medscribe.core.phi_rules.tokens import Token, split_words

# Surnames ranked beyond this are too rare (and too often odd words or ASR debris) to flag on
# their own; they still count after an honorific, a first name or "my name is".
STANDALONE_SURNAME_RANK = 30_000


def _lines(name: str) -> list[str]:
    path = resources.files("medscribe.resources").joinpath("names", name)
    if name.endswith(".gz"):
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    else:
        text = path.read_text("utf-8")
    return [w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#")]


# Function words and conversational fillers: never a name or a place on their own.
STOPWORDS = frozenset(
    split_words("""
    a about above after again against ago all almost also although always am an and any
    anybody anyone anything anyway are around as ask asked at away back be because been before
    being below best better between both but by can can't cannot come comes coming could
    couldn't did didn't do does doesn't doing don't done down during each either else enough
    even ever every everybody everyone everything few for from get gets getting give go goes
    going gone good got had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how however i i'd i'll i'm i've if in into is isn't it
    it'd it'll it's its itself just keep know last least less let let's like little long look
    lot lots made make many may maybe me might mine more most much must my myself need never
    new next no nobody none nor not nothing now of off often oh ok okay on once one only or
    other others our ours ourselves out over own past per perhaps please pretty probably put
    quite rather really right said same say says see seem seems several shall she she'd she'll
    she's should shouldn't since so some somebody someone something sometimes soon still such
    sure take tell than thank thanks that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've thing things think this those though
    through till to today together tomorrow too toward try um uh under until up upon us use
    used very via want was wasn't way we we'd we'll we're we've well were weren't what what's
    whatever when where where's whether which while who who's whole whom whose why will with
    within without won't would wouldn't yeah yes yet you you'd you'll you're you've your yours
    yourself yourselves hi hello hey bye goodbye alright mm hmm mhm huh yep nope gonna wanna
    gotta kinda sorta also just kind sort bit great fine sir ma'am maam dear honey sweetie
    good morning afternoon evening night day week month year time times gon na wan ta n't
    'm 're 've 'll 'd""")
)

HONORIFICS_STRONG = frozenset(
    split_words(
        "mr mrs ms mister missus misses mx dr prof professor rev reverend sr sra srta sergeant sgt "
        "lieutenant lt detective deputy rabbi imam doña dona señora senora señor senor"
    )
)
# "doctor"/"nurse" also start ordinary sentences ("the doctor said"), so after them only a
# word from the name lists that is not plain English counts.
HONORIFICS_WEAK = frozenset(
    split_words(
        "doctor nurse miss therapist counselor coach pastor father sister brother aunt uncle "
        "auntie grandma grandpa officer captain judge"
    )
)
KINSHIP = frozenset(
    split_words("""wife husband son daughter mother mom mommy mum father dad daddy brother sister
    grandson granddaughter grandmother grandma granny grandfather grandpa aunt auntie uncle
    niece nephew cousin partner fiance fiancee boyfriend girlfriend friend neighbor neighbour
    boss coworker caregiver stepson stepdaughter stepmother stepfather stepmom stepdad
    sibling child kid baby roommate spouse ex doctor pcp cardiologist surgeon therapist
    oncologist dentist pharmacist nurse kids children sons daughters brothers sisters
    grandkids grandchildren grandsons granddaughters twins parents cousins buddy pal sponsor
    grandnephew grandniece goddaughter godson godmother nana papa gramma grammy grampa gran
    abuela abuelo mama tia tio memaw meemaw pawpaw
    teammate teammates classmate colleague landlord landlady housemate bandmate mentor tutor
    babysitter nanny sitter caseworker foreman bestie stepbrother stepsister godfather
    brother-in-law sister-in-law granddad grandad gramps nephews nieces cousin's exwife
    exhusband fiancé bff chaplain priest trainer instructor neighbors neighbours
    hermana hermano hija hijo esposa esposo mamá papá tía tío prima primo sobrina sobrino
    nieta nieto suegra suegro cuñada cuñado comadre compadre madrina padrino""")
)
# "mi hermana cuca": Spanish possessives count where a relative follows.
POSSESSIVES = frozenset(split_words("my her his your our their mi su mis sus"))
# Speakers written as a plain word at the start of a line, with no colon or brackets, as some
# speech-to-text exports do ("patient thank you", "speaker two door's open"): labels, not names.
SPEAKER_LABELS = frozenset(
    split_words("""doctor patient nurse caller speaker mom dad mother father daughter son wife
    husband parent guardian interpreter child""")
)


def is_label_word(tok: Token) -> bool:
    """Part of a speaker label: "patient", "SPEAKER" and the "02" of "SPEAKER_02"."""
    return tok.low in SPEAKER_LABELS or tok.low == "speaker" or (tok.gap == "_" and tok.is_number)


_TURN_PUNCTUATION = frozenset("[]:?.,")


def end_of_previous_turn(tokens: list[Token], k: int) -> int:
    """From ``tokens[k]`` back over punctuation and a speaker label ("? [patient]",
    "?\nPatient:"): the index of the last word the other speaker said (0 at the start)."""
    while k > 0 and (tokens[k].text in _TURN_PUNCTUATION or is_label_word(tokens[k])):
        k -= 1
    return k


# After these the next words are a name unless they are function words.
NAME_INTRO_STRONG = tuple(
    [(who, "name", "is") for who in ("my", "her", "his", "your", "their", "whose", "patient")]
    + [(who, "name") for who in ("my", "her", "his", "your", "their")]  # "my name's ..."
    + [
        ("call", "me"),
        ("goes", "by"),
        ("last", "name"),
        ("last", "name", "is"),
        ("first", "name"),
        ("first", "name", "is"),
        ("full", "name"),
        ("full", "name", "is"),
        ("maiden", "name"),
        ("maiden", "name", "is"),
        ("spelled",),
        ("this", "is", "doctor"),
        ("patient",),
    ]
)
# "called"/"named" introduce drugs as often as people ("a medicine called combivent"): only
# a word from the name lists counts after them, or any word after a person noun.
NAME_INTRO_WEAK = (("called",), ("named",), ("name", "was"))
PERSON_NOUNS = frozenset(
    split_words("""
    guy man woman lady doctor nurse friend girl boy person someone somebody son daughter
    surgeon specialist therapist cardiologist neurologist dermatologist physician provider
    pa np gentleman fellow kid child baby dog cat""")
)
# Word endings of drugs, procedures and diagnoses: an unknown word ending so is clinical.
CLINICAL_SUFFIXES = (
    "gram",
    "graphy",
    "itis",
    "osis",
    "ectomy",
    "otomy",
    "ostomy",
    "plasty",
    "scopy",
    "emia",
    "algia",
    "pathy",
    "ology",
    "ologist",
    "oma",
    "omas",
    "pril",
    "olol",
    "sartan",
    "statin",
    "mab",
    "nib",
    "vir",
    "mycin",
    "cillin",
    "cycline",
    "azole",
    "prazole",
    "tidine",
    "afil",
    "dipine",
    "pine",
    "done",
    "pam",
    "zolam",
    "azepam",
    "barbital",
    "caine",
    "cort",
    "sone",
    "olone",
    "lukast",
    "gliptin",
    "gliflozin",
    "glutide",
    "parin",
    "xaban",
    "floxacin",
    "triptan",
    "tropin",
    "sterone",
    "estrol",
    "thiazide",
    "semide",
    "profen",
    "oxacin",
    "amine",
    "idine",
    "opril",
    "ase",
    "ide",
    "ate",
    "ine",
    "ium",
    "ol",
)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # Spanish, for visits held partly in Spanish ("el quince de marzo")
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}  # fmt: skip
WEEKDAYS = frozenset(
    split_words(
        "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays "
        "thursdays fridays saturdays sundays"
    )
)
US_STATES = frozenset(
    split_words("""alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode
    island tennessee texas utah vermont virginia washington wisconsin wyoming new north south
    west""")
)
# Postal codes of the states, as typed before a ZIP ("Rutland, VT 05701").
STATE_CODES = frozenset(
    split_words("""AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO
    MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC""")
)
STATE_NAMES = [
    *split_words(
        "alabama alaska arizona arkansas california colorado connecticut delaware florida "
        "georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland "
        "massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio "
        "oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington "
        "wisconsin wyoming"
    ),
    "new hampshire", "new jersey", "new mexico", "new york", "north carolina",
    "north dakota", "south carolina", "south dakota", "rhode island", "west virginia",
]  # fmt: skip


# What follows the apostrophe of a contraction ("y'all", "ma'am", "they'll", "didn't").
_CONTRACTION_TAILS = frozenset(["all", "am", "ll", "ve", "re", "em", "nt"])


@dataclass(frozen=True)
class CityList:
    """City names (one or more words, lower case) indexed for a left-to-right scan."""

    names: frozenset[str]
    first_words: frozenset[str]
    multi_first: frozenset[str]  # first words of multi-word names
    max_words: int
    # Every leading run of two or more words of a name ("ho chi", "ho chi minh"), so a scan
    # stops growing a phrase as soon as no name starts that way.
    prefixes: frozenset[str]

    @classmethod
    def of(cls, names: list[str]) -> CityList:
        return cls(
            names=frozenset(names),
            first_words=frozenset(c.split()[0] for c in names),
            multi_first=frozenset(c.split()[0] for c in names if " " in c),
            max_words=max(len(c.split()) for c in names),
            prefixes=frozenset(
                " ".join(words[:k])
                for words in (c.split() for c in names)
                for k in range(2, len(words) + 1)
            ),
        )


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]
    common_surnames: frozenset[str]  # rank <= STANDALONE_SURNAME_RANK
    english: frozenset[str]  # lower-case English words (SCOWL)
    clinical: frozenset[str]
    cities: CityList  # US places
    # Rare English words beyond ``english`` (a 430,000-word dictionary): used only to tell a
    # word no dictionary knows ("funmi", "dragan"), which is most likely a name.
    dictionary: frozenset[str]
    # Larger places abroad. Weaker evidence than the US list ("ngozi" is a town and a first
    # name), so they only fill text no other rule claimed.
    world_cities: CityList

    def is_name_word(self, word: str) -> bool:
        return word in self.first_names or word in self.surnames

    def is_plain_word(self, word: str) -> bool:
        """English or clinical vocabulary: a name only with context."""
        return word in self.english or word in self.clinical or word in STOPWORDS

    def is_unknown(self, word: str) -> bool:
        """In no list at all: after a name trigger, most likely a rare name."""
        if self.is_plain_word(word):
            return False  # "doesn't", "i'll" are listed whole
        if "'" in word:
            head, _, tail = word.partition("'")
            if len(head) == 1 and head != "i":  # o'connor, d'angelo are names; o'clock, i'll not
                return tail.isalpha() and not self.is_plain_word(tail)
            if len(tail) > 2 and tail.isalpha() and tail not in _CONTRACTION_TAILS:
                return not self.is_plain_word(tail)  # "tu'ipulotu", "ka'ahumanu"
            word = head  # "how're", "doctor'll": a contraction of a plain word
        if len(word) > 5 and word.endswith(CLINICAL_SUFFIXES):
            return False
        return not (
            self.is_plain_word(word) or word in MONTHS or word in WEEKDAYS or not word.isalpha()
        )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    surnames = _lines("surnames.txt")
    return Lexicon(
        first_names=frozenset(_lines("first_names.txt")),
        surnames=frozenset(surnames),
        common_surnames=frozenset(surnames[:STANDALONE_SURNAME_RANK]),
        # Common Spanish words count as ordinary words: in a visit held partly in Spanish
        # they are not identifiers ("buenos días, señora").
        # First names and towns that are rarer as English words than as names ("prudence",
        # "flagstaff") count as names on their own, like "martha".
        english=frozenset(_lines("english_words.txt") + _lines("spanish_words.txt"))
        - frozenset(_lines("name_like_words.txt")),
        clinical=frozenset(_lines("clinical_words.txt") + _lines("medical_words.txt")),
        dictionary=frozenset(_lines("dictionary_words.txt.gz") + _lines("brand_words.txt")),
        cities=CityList.of(_lines("us_cities.txt")),
        world_cities=CityList.of(_lines("world_cities.txt")),
    )
