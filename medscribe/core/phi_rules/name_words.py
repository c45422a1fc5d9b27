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

GREETINGS = frozenset(split_words("hi hello hey bye goodbye thanks morning afternoon evening"))
# After a kinship word, an English word that is also a name ("my son will ...") is a name only
# when what follows reads like the end of a noun phrase.
AFTER_NAME = frozenset(
    split_words(
        ". , ? ! ; : and who is was has had said says lives lived came comes brought drove takes "
        "took thinks thought told noticed wants helps helped does did made makes asked keeps "
        "called picked found saw"
    )
)
AFTER_TITLE_NAME = frozenset(
    split_words("""from at is was and who said says told wants called recommended prescribed thinks
    . , ?""")
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
)


# Before these "will", "may", "mark" are verbs, not first names: "i will okafor".
MODALS = frozenset(split_words("i you he she we they it to will would can could may might must"))
# "call me skip", "i go by sunny": any word but these is what the person is called.
CALLED = frozenset([("call", "me"), ("call", "you"), ("go", "by"), ("goes", "by"),
                     ("going", "by"), ("called", "me"), ("calls", "me")])  # fmt: skip
NOT_NICKNAMES = frozenset(
    split_words("""later anytime tomorrow tonight today back soon directly once first next when
    if after before crazy old-fashioned anything something about again instead asap""")
)
ROLES = (
    KINSHIP
    | PERSON_NOUNS
    | frozenset(
        split_words("manager worker aide coordinator navigator advocate sponsor teacher coach")
    )
)
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
