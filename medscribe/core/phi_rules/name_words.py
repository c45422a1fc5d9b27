"""Word lists of the name rules: triggers, what may follow a name, what never is one.

Kept apart from ``names`` so that the rules read as rules; each list says in a comment (or
its name) which rule consults it.
"""

from __future__ import annotations

from medscribe.core.phi_rules.lexicon import (
    HONORIFICS_STRONG,
    HONORIFICS_WEAK,
    KINSHIP,
    MONTHS,
    NAME_INTRO_STRONG,
    NAME_INTRO_WEAK,
    PERSON_NOUNS,
    STOPWORDS,
    US_STATES,
    WEEKDAYS,
)
from medscribe.core.phi_rules.tokens import DIGIT_WORDS, TEENS, TENS, split_words

# "his mother later had", "my dad then was": adverbs after a kinship word, never its name.
ADVERBS = frozenset(
    split_words("""later then now once twice again too also already recently eventually
    sometimes always never often still soon first herself himself themselves""")
)
# "my sister opal she drove me": a pronoun starting the next clause closes a name.
PRONOUNS = frozenset(split_words("she he they i we she's he's they're it's i'm we're"))
GREETINGS = frozenset(split_words("hi hello hey bye goodbye thanks morning afternoon evening"))
# After a kinship word, an English word that is also a name ("my son will ...") is a name only
# when what follows reads like the end of a noun phrase.
AFTER_NAME = frozenset(
    split_words(
        ". , ? ! ; : and who is was has had said says lives lived came comes brought drove takes "
        "took thinks thought told noticed wants helps helped does did made makes asked keeps "
        "called picked found saw or lent let left kept paid bought"
    )
)
AFTER_TITLE_NAME = frozenset(
    split_words("""from at is was and who said says told wants called recommended prescribed thinks
    . , ?""")
)
# "have nurse deb call you", "let coach ray know": a verb's base form after a title's name.
BASE_VERBS = frozenset(
    split_words("""call come see check give stop talk help bring take get set go reach contact
    follow look drop swing text email know review go explain show walk meet pull move lift
    carry fix build clean cut paint watch feed pack load haul mow shovel""")
)
BEFORE_TITLE = frozenset(
    split_words("""with to see saw seeing seen from called call and per by asked told ask tell email
    message page paged emailed texted""")
)
NOT_NAMES = (
    MONTHS.keys()
    | WEEKDAYS
    | US_STATES
    | STOPWORDS
    | HONORIFICS_STRONG
    | HONORIFICS_WEAK
    | DIGIT_WORDS.keys()
    | TEENS.keys()
    | TENS.keys()
    | KINSHIP
    | {"christmas", "easter", "thanksgiving", "halloween", "hanukkah", "kwanzaa"}
    | {"sí", "si", "bueno", "claro"}  # Spanish yes and okay ("Mi mamá, sí, she's ...")
)


# Capitalised in typed text without being names: the pronoun-like, section words of a note,
# nationalities and languages, programmes and brands that are not identifiers.
CAPITALISED_WORDS = frozenset(
    split_words("""english spanish french german chinese vietnamese korean japanese russian
    arabic somali hmong tagalog portuguese italian polish american mexican african asian
    hispanic latino latina caucasian black white native indian god lord bible christian
    catholic baptist methodist lutheran muslim jewish medicare medicaid tricare social
    security internet covid google facebook youtube zoom mychart epic uber lyft amazon
    history present illness assessment plan exam physical review systems impression
    allergies medications social family surgical past subjective objective diagnosis
    diagnoses followup follow labs imaging vitals chief complaint disposition instructions
    patient doctor nurse provider note addendum signed dictated transcribed tylenol advil
    motrin aleve benadryl lasix coumadin eliquis xarelto""")
)
# Words of time that open a clause before a name: "yesterday okafor called".
TIME_WORDS = frozenset(
    split_words("""yesterday today tomorrow tonight morning afternoon evening night lately
    recently anyway okay yeah yes thanks thank sorry hi hello hey well""")
)
# Before these "will", "may", "mark" are verbs, not first names: "i will okafor".
MODALS = frozenset(split_words("i you he she we they it to will would can could may might must"))
# "call me skip", "i go by sunny": any word but these is what the person is called.
CALLED = frozenset([("call", "me"), ("call", "you"), ("go", "by"), ("goes", "by"),
                     ("going", "by"), ("called", "me"), ("calls", "me"), ("call", "her"),
                     ("call", "him"), ("calls", "her"), ("calls", "him"), ("called", "her"),
                     ("called", "him"), ("call", "them"), ("everybody", "calls"),
                     ("everyone", "calls"), ("people", "call"), ("folks", "call")])  # fmt: skip
NOT_NICKNAMES = frozenset(
    split_words("""later anytime tomorrow tonight today back soon directly once first next when
    if after before crazy old-fashioned anything something about again instead asap""")
)
# People who work with or for someone: "my assistant hope", "my sponsor lucky".
HELPERS = frozenset(
    split_words("""manager worker aide coordinator navigator advocate sponsor teacher coach
    assistant secretary receptionist scheduler supervisor adjuster dispatcher agent lawyer
    attorney principal dietitian pharmacist counselor caseworker""")
)
ROLES = KINSHIP | PERSON_NOUNS | HELPERS
# "my older sister ivy", "his little brother": between the possessive and the kinship word.
KIN_ADJECTIVES = frozenset(
    split_words(
        "older younger oldest youngest eldest little big baby twin late middle old best half step"
    )
)
# Nicknames with an adjective: "my buddy big tony", "my cousin little joe".
NICK_ADJECTIVES = frozenset(split_words("big little lil young old"))
# After "my sponsor lucky", a census name that is also a word is a name before these too.
AFTER_KIN_NAME = frozenset(
    split_words("""wanted gave gives will would can could should there here too also just
    knows knew needs needed gets got went goes works worked handles set sets sent sends
    drives stays stayed tells out over down up back has lent let left kept paid bought ran""")
)
# "call crystal at the front desk", "ask joy about it": a name after these verbs...
CONTACT = frozenset(split_words("call ask tell text email page message"))
# ...when one of these follows it.
CONTACT_AFTER = frozenset(split_words("at from in on about if when and , . ?"))


# Names that are also function or kinship words: only after a title or kinship word, and
# only with a verb or a surname after them ("names._word_name").
STOPWORD_NAMES = frozenset(split_words("honey will buddy bud sunny sissy"))


def verb_after_name(word: str) -> bool:
    """Does ``word`` read like the verb of a sentence whose subject is a name ("my daughter
    in law joy stops by", "my sponsor lucky there")?"""
    if word in AFTER_KIN_NAME:
        return True
    if len(word) > 4 and word.endswith("ed"):  # "coach dale pulled me out"
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "'s", "us", "is"))


ELDEST = frozenset(split_words("oldest youngest eldest middle baby"))
# Surnames that are also the first word of a state: "doctor west", "mrs. north".
COMPASS = frozenset(split_words("west north south"))
NOT_AFTER_COMPASS = US_STATES | frozenset(split_words("of side end shore coast bound"))
ARTICLES = frozenset(split_words("the a an my your his her our their"))
# Surname particles: "van der berg", "de la cruz", "al hassan".
PARTICLES = frozenset(
    split_words("van von der den de la le del della da di du dos das mac mc bin ibn al el")
)
INTRO_LAST = frozenset(p[-1] for p in NAME_INTRO_STRONG + NAME_INTRO_WEAK)
