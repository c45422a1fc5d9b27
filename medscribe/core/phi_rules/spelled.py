"""Names spelled out letter by letter: "A-N-A-N-D", "s m i t h", "a l space h a d d a d".

Patients spell their names for the record, and a speech recogniser writes each letter as a
word of its own. A run of three or more single letters (joined by spaces, hyphens or the
spoken "hyphen", "dash", "space", "apostrophe") spells a word; it is an identifier unless the
letters spell a dosing or clinical abbreviation said letter by letter ("b i d", "p r n",
"e k g"). Runs that hold digits are codes and are left to ``codes``.
"""

from __future__ import annotations

from collections.abc import Iterator

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import Token, split_words

_JOINERS = frozenset(split_words("hyphen dash space apostrophe"))
_GAPS = frozenset(["", "-", "'", "’"])
# Abbreviations a clinician or patient says letter by letter.
SPELLED_ABBREVIATIONS = frozenset(
    split_words("""bid tid qid qhs qam qpm prn npo qod ekg ecg eeg emg mri cbc bmp cmp tsh
    hiv hpv std sti uti copd chf cad gerd ibs adhd ptsd ocd icu ccu nicu picu ent obgyn
    ppe ivf nsaid ssri snri ace arb dvt mrsa rsv ivs usa atm pdf tv ok iud ems cpr aed ama
    dna rna pcp ncp lpn rns cna dnr dni poa hipaa ada osha dmv irs fbi cia vip ceo hr abc
    abcs ssn dob mrn ppd bmi bph bpm mph mg mcg aka fyi asap rsvp diy gps ems pft ldl hdl
    tbi cva tia ckd esrd aki sob doe pnd gi gu cns pns csf cxr kub ivp pet spect""")
)


def _letter(tok: Token) -> bool:
    return len(tok.text) == 1 and tok.text.isalpha()


def find_spelled(tokens: list[Token]) -> Iterator[Found]:
    n = len(tokens)
    i = 0
    while i < n:
        if not _letter(tokens[i]):
            i += 1
            continue
        j, letters = i, []
        while j < n:
            tok = tokens[j]
            if j > i and tok.gap.strip() not in _GAPS:
                break
            if _letter(tok):
                letters.append(tok.low)
            elif not (tok.low in _JOINERS and letters and j + 1 < n and _letter(tokens[j + 1])):
                break
            j += 1
        spelled = "".join(letters)
        stutter = set(letters) <= {"i", "a"}  # "i i i think", "a a a"
        # Starting with the article or pronoun, four letters at least: "a s- a stable ecg".
        stutter = stutter or (letters[0] in ("a", "i") and len(letters) < 4)
        if len(letters) >= 3 and spelled not in SPELLED_ABBREVIATIONS and not stutter:
            yield tokens[i].start, tokens[j - 1].end, PhiCategory.NAME
        i = max(j, i + 1)
