"""Rules that read the slot a word sits in, not the word: a title before a clinical-sounding
surname, social roles before a name, a greeting opening a turn, a street named with plain
words, a place given as the answer to "where". Each positive case has a near miss that must
stay unflagged."""

from __future__ import annotations

import pytest

from medscribe.core.phi import PhiCategory
from tests.core.phi_spans import anything_in, covered

# These tests pin down the hand-written rules; the word model is tested on its own.
pytestmark = pytest.mark.usefixtures("hand_rules_only")

C = PhiCategory


FOUND = [
    ("[patient] thanks , dr. baker . see you in june", "baker", C.NAME),
    ("we saw mrs. hammer last week about her hip", "hammer", C.NAME),
    ("my teammate joy drove me to urgent care", "joy", C.NAME),
    ("her landlord dale found her on the floor", "dale", C.NAME),
    ("no my husband will was at work all day", "will", C.NAME),
    ("[doctor] hey mason good to see you again", "mason", C.NAME),
    ("[doctor] morning , clay . how's the knee", "clay", C.NAME),
    ("i'll have the home health nurse bea check on you friday", "bea", C.NAME),
    ("and my dad's ninety four and still mows the lawn", "ninety four", C.AGE),
    ("grandma's a hundred and one this spring", "a hundred and one", C.AGE),
    ("is this the house on wren court or the new place", "wren court", C.LOCATION),
    ("turn off cedar hollow road past the church", "cedar hollow road", C.LOCATION),
    ("[patient] no , sunset bowl out in gresham", "sunset bowl", C.LOCATION),
    ("yeah , first cascade credit union , in payroll", "first cascade credit union", C.LOCATION),
    ("[patient] mercy general , on the fourteenth", "mercy general", C.LOCATION),
    ("he parks the bus at the blue lake garage overnight", "blue lake garage", C.LOCATION),
    ("[doctor] where were you hiking ?\n[patient] eagle ridge . it was icy", "eagle ridge",
     C.LOCATION),
    ("[doctor] which er did they take you to\n[patient] saint brendan's , by ambulance",
     "saint brendan's", C.LOCATION),
    ("Caller: Anand, A-N-A-N-D, last name same as mine.", "A-N-A-N-D", C.NAME),
    ("it's al haddad a l space h a d d a d", "a l space h a d d a d", C.NAME),
    ("spelled Q-U-I-S-P-E hyphen M-A-M-A-N-I.", "Q-U-I-S-P-E hyphen M-A-M-A-N-I", C.NAME),
    ("admitted 11/02, discharged 11/05", "11/05", C.DATE),
    ("he lived to be a hundred and three", "a hundred and three", C.AGE),
    ("that's my wife , marigold", "marigold", C.NAME),
    ("her apartment in the pearl district", "pearl district", C.LOCATION),
    ("Story, like a bedtime story. Patient: Lonnie Ray Story.", "Story", C.NAME),
    ("Doctor: Could you all introduce yourselves?\nGranddaughter: Pepper. I found her.",
     "Pepper", C.NAME),
    ("SPEAKER_00: and you go by ?\nSPEAKER_01: gunny , everybody does", "gunny", C.NAME),
    ("not since petey passed / who was petey / my spotter", "petey", C.NAME),
    ("he had three brothers uncle fen uncle basil", "fen", C.NAME),
    ("two boys caspian is twelve and rook is nine", "rook", C.NAME),
    ("the lady there , birdie , keeps them lined up", "birdie", C.NAME),
    ("i was helping my neighbor dusty pull a calf out", "dusty", C.NAME),
    ("she's gon na be a hundred and one come easter", "a hundred and one", C.AGE),
    ("she's ninety something , ninety three i think", "ninety three", C.AGE),
    ("it was the second sunday in may", "second sunday in may", C.DATE),
    ("i think the winter of eighty seven", "winter of eighty seven", C.DATE),
    ("last four six six oh two", "six six oh two", C.ID),
    ("mine's the cell , hers ends in double six one two", "double six one two", C.PHONE),
    ("my address seventy one dot two hundred twelve dot nine dot forty four is", "forty four",
     C.IP),
    ("Her state driver's license, MARCHDM498QJ, was copied", "MARCHDM498QJ", C.LICENSE),
    ("we usually just do the loop around minnow pond", "minnow pond", C.LOCATION),
    ("the gps sent me through miller's ford", "miller's ford", C.LOCATION),
    ("i stepped off the curb outside the bent spoke", "bent spoke", C.LOCATION),
    ("we've looked at magnolia manor and the arbors", "arbors", C.LOCATION),
    ("[patient] cottonwood drug in lamesa .", "cottonwood drug", C.LOCATION),
    ("the coumadin clinic at the va in walla walla", "va", C.LOCATION),
    ("the urgent care at five points was closed", "five points", C.LOCATION),
    ("he works out on the lazy j", "lazy j", C.LOCATION),
    ("my cousin saw tallowby for his thumb", "tallowby", C.NAME),
    ("i got to take the truck to hank's diesel in roundup can we do thursday", "roundup",
     C.LOCATION),
    ("not bad for a fella who'll be ninety-two come spring", "ninety-two", C.AGE),
    ("Doctor: Can you confirm your name and birthday for me?\nPatient: Mo Reyes, oh four, "
     "seventeen, oh six.", "seventeen", C.DATE),
    ("my dad my stepmom lucinda and my half brother pip he's two", "pip", C.NAME),
    ("SPEAKER_00: and her last name\nSPEAKER_01: szczepanik s z c z e p a n i k", "szczepanik",
     C.NAME),
    ("and the social worker amara nwachukwu gave you the number", "nwachukwu", C.NAME),
    ("Interpreter: I'm Hodan, interpreter, ID four four seven one with Lakeshore.",
     "four four seven one", C.ID),
    ("Nurse: I need the last four of your social for the form.\nPatient: 6 6 0 2. Actually",
     "6 6 0 2", C.SSN),
    ("Her mother died of a weak heart at ninety-four; one brother", "ninety-four", C.AGE),
    ("yes, one hundred and one, who lives alone; a one hundred and one year old woman",
     "one hundred and one", C.AGE),
    ("my dispatcher is a gal named tuesday if you need her", "tuesday", C.NAME),
    ("we got back the first week of may", "first week of may", C.DATE),
    ("so i'm going to refer you to prairie digestive for a scope", "prairie digestive",
     C.LOCATION),
    ("Should I call my midwife too? Birdie, the doula?", "Birdie", C.NAME),
    ("[doctor] which daughter\n[patient] honeybee she lives over in west haverstraw",
     "honeybee", C.NAME),
    ("nurse is penny your friend", "penny", C.NAME),
    ("let's get you in with the dietitian mirela she's at our brookfield office", "mirela",
     C.NAME),
    ("or hospice at our lady of peace if he's stable enough", "our lady of peace", C.LOCATION),
    ("Once, on I-24 coming back from Tullahoma.", "I-24", C.LOCATION),
    ("well you look good for ninety one", "ninety one", C.AGE),
    ("i work for a small company called pinwheel data , out in the mill district",
     "pinwheel data", C.LOCATION),
    ("there's a counselor who does home visits her name is honey", "honey", C.NAME),
    ("Marta: Padraic was ninety-eight, though", "ninety-eight", C.AGE),
    ("Hawaii plate, no, Tennessee now, 4N7-KT2.", "4N7-KT2", C.VEHICLE),
    ("with the code ZH-91-PRG.", "ZH-91-PRG", C.ID),
    ("For equipment problems call 1-800-555-0147 (24 hours).", "1-800-555-0147", C.PHONE),
    ("patient a sister temperance she's healthy she's in baton rouge", "temperance", C.NAME),
    ("And your father, Mr. Horák, is ninety-seven.", "ninety-seven", C.AGE),
    ("the lantus ran out el quince de marzo", "marzo", C.DATE),
    ("she says she's fine but she's noventa y tres", "noventa y tres", C.AGE),
    ("and ortho was doctor larkspur , at the kestrel point clinic .", "larkspur", C.NAME),
    ("[doctor] and they're both at daycare ?\n[patient] yeah , sunny patch , the one on main",
     "sunny patch", C.LOCATION),
    ("[doctor] who's your team with\n[patient] the granite falls swim club , we practice",
     "granite falls swim club", C.LOCATION),
    ("scheduled for Thursday 11 March at the surgical pavilion", "11 March", C.DATE),
    ("He's ninety-four, ninety-five in the spring.", "ninety-five", C.AGE),
    ("she lives with my brother rusty in manistee", "rusty", C.NAME),
    ("i'll put the referral in to valley digestive . they call", "valley digestive",
     C.LOCATION),
    ("CEDAR HOLLOW FAMILY MEDICINE\n1190 Larkspur Parkway", "CEDAR HOLLOW FAMILY MEDICINE",
     C.LOCATION),
    ("is it the sunrise crullers place on tamarack", "sunrise crullers", C.LOCATION),
]  # fmt: skip


@pytest.mark.parametrize(("text", "needle", "category"), FOUND)
def test_identifier_in_a_slot_is_found(text: str, needle: str, category: PhiCategory) -> None:
    assert covered(text, needle) is category


NOT_FOUND = [
    ("[doctor] good morning hope you had a good weekend", "hope"),
    ("my husband will drive me home after", "will"),
    ("he's ninety two pounds soaking wet", "ninety two"),
    ("my dad's ninety two percent sure", "ninety two"),
    ("she has to go to court on monday", "court"),
    ("we were on the road for six hours", "road"),
    ("in general the pain is better", "general"),
    ("the surgeon general warning on the pack", "general"),
    ("it jumped two lanes over", "lanes"),
    ("i fell in the parking garage", "parking garage"),
    ("okay and you're still at the credit union ?", "still"),
    ("[doctor] where does it hurt ?\n[patient] right here on the side", "right here"),
    ("[doctor] where did you go after\n[patient] just home", "home"),
    ("[doctor] where is the pain worst\n[patient] lower back mostly", "lower back"),
    ("take one b i d with food and one p r n", "b i d"),
    ("grade 2/6 murmur, strength 5/5, pain 8/10", "2/6"),
    ("my son , yeah , he drove", "yeah"),
    ("the school district sent a form", "district"),
    ("count backwards one two three four five", "three"),
    ("his oxygen was at ninety one on room air", "ninety one"),
    ("we started at ninety and went up", "ninety"),
    ("i had my wife call", "call"),
    ("i waited outside the room", "room"),
    ("the street drug in question", "drug"),
    ("at two weeks the swelling", "two weeks"),
    ("last winter was rough", "winter"),
    ("[doctor] how old is your mom\n[patient] oh she's eighty", "old"),
    ("Patient: the kids loved the bedtime story", "story"),
    ("the vitamin d level was at the high end of normal at 94 .", "94"),
    ("we are looking at like a hundred and forty over seventy", "hundred"),
    ("[patient] i had one in 2018 and it was fine", "2018"),
    ("to see if you have an adequate blood supply to heal", "supply"),
    ("continue the lisinopril at twenty milligrams a day", "twenty"),
    ("uh , i i i think so", "i i i"),
    ("somebody who's immunocompromised .", "immunocompromised"),
    ("we'll schedule that cath for you", "cath"),
    ("Doctor: Buenos días, señora. ¿Cómo está?", "señora"),
    ("Pulse was 92 and regular", "92"),
    ("start with the 2000iu daily", "2000iu"),
    ("for his 101st birthday", "birthday"),
    ("my son came from school", "came"),
    ("Doctor: when were you born?\nPatient: nineteen sixty one.", "nineteen"),
    ("i'll send it to the front desk", "front desk"),
    ("i saw the doctor yesterday .", "yesterday"),
    ("the book club meets on fridays", "book club"),
    ("the one behind Merriweather Elementary .", "behind"),
    ("PAST MEDICAL HISTORY\nnone", "PAST MEDICAL HISTORY"),
    ("take 2 may help with the pain", "may"),
    ("my brother in law helps", "law"),
    (
        "congratulations\npatient thank you\nnurse can you spell your last name\npatient sure "
        "it's o y e l a r a n oyelaran",
        "patient thank",
    ),
]


@pytest.mark.parametrize(("text", "needle"), NOT_FOUND)
def test_ordinary_words_in_a_near_slot_stay_unflagged(text: str, needle: str) -> None:
    assert not anything_in(text, needle)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("she got forgetful toward the end , she went at a hundred and four", "a hundred and four"),
        ("so you just had a birthday , you're ninety-two . happy birthday", "ninety-two"),
        ("mister marchbanks is ninety seven and still rides", "ninety seven"),
        ("he says he is quote ninety seven going on a hundred", "ninety seven"),
        ("his brother ambrose who lives in the bunkhouse is ninety nine", "ninety nine"),
        ("i don't look a day over ninety one", "ninety one"),
        ("Doctor: How old is he?\nSon: On the papers it says ninety. He says older.", "ninety"),
        ("nurse so you are\npatient ninety two and still driving", "ninety two"),
    ],
)
def test_ages_over_89_in_more_wordings(text: str, needle: str) -> None:
    assert covered(text, needle) == PhiCategory.AGE


@pytest.mark.parametrize(
    "text",
    [
        "his sugar went at ninety nine this morning",
        "my brother says his heart rate is ninety nine",
        "Doctor: How old is he?\nSon: eighty. His oxygen was ninety four percent.",
        "you're ninety percent of the way there",
    ],
)
def test_readings_near_the_new_age_wordings_stay_unflagged(text: str) -> None:
    assert not anything_in(text, "ninety")


@pytest.mark.parametrize(
    ("text", "needle", "category"),
    [
        (
            "nurse whats your name hon\npatient\nmarigold\nnurse marigold what",
            "marigold",
            PhiCategory.NAME,
        ),
        (
            "SPEAKER_00: and you are\nSPEAKER_02: prudence i'm the aide from home care",
            "prudence",
            PhiCategory.NAME,
        ),
        ("nephrology triage line this is ros speaking", "ros", PhiCategory.NAME),
        ("the cook there everybody calls biscuit and he makes pie", "biscuit", PhiCategory.NAME),
        ("y abuela y mi hermana cuca también", "cuca", PhiCategory.NAME),
        ("but Reverend Tu'ipulotu should be here first", "Tu'ipulotu", PhiCategory.NAME),
        ("Discharge nurse: Hale, RN\nReason for your stay: pneumonia", "Hale", PhiCategory.NAME),
        (
            "and on the phone that's dorcas my dad's sister she's in ohio",
            "dorcas",
            PhiCategory.NAME,
        ),
        (
            "[doctor] whereabouts ?\n[patient] lake highlands . near the school",
            "lake highlands",
            PhiCategory.LOCATION,
        ),
        (
            "[doctor] which hospital was that again\n[patient] good shepherd , they sent me home",
            "good shepherd",
            PhiCategory.LOCATION,
        ),
        (
            "[doctor] the pizza place you like , which one is it\n"
            "[patient] tony ray's over by the square",
            "tony ray's",
            PhiCategory.LOCATION,
        ),
        (
            "[doctor] who's the supplier\n[patient] tri-state home medical , they gave me a ticket",
            "tri-state home medical",
            PhiCategory.LOCATION,
        ),
    ],
)
def test_round_sixteen_wording(text: str, needle: str, category: PhiCategory) -> None:
    assert covered(text, needle) == category


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Patient: Call my daughter at home if anything changes.", "Call"),
        ("doctor who's been coming by\npatient my neighbor\ndoctor which one", "patient"),
        ("Grandmother: Mi mamá, sí, she lives with us.", "sí"),
        ("Okay, do you need anything else from the pharmacy?", "do"),
        (
            "patient oh yeah the county needs my license renewed , do you need a note for work",
            "county",
        ),
        ("[doctor] what's your name again\n[patient] i'm sorry , what", "sorry"),
    ],
)
def test_round_sixteen_near_misses_stay_unflagged(text: str, needle: str) -> None:
    assert not anything_in(text, needle)


@pytest.mark.parametrize(
    ("text", "needle", "category"),
    [
        ("We saw Ms. Quartermaine at the clinic.", "Quartermaine", PhiCategory.NAME),
        ("my partner quill hes a chef downtown", "quill", PhiCategory.NAME),
        (
            "she lived to ciento dos , one hundred and two , in sabinas",
            "one hundred and two",
            PhiCategory.AGE,
        ),
        ("he passed at noventa y dos , like ninety-two .", "ninety-two", PhiCategory.AGE),
        ("uncle desmond is still ninety on the fourth of july", "ninety", PhiCategory.AGE),
        ("i run the night shift with dub and tiny okafor", "dub", PhiCategory.NAME),
        ("yes , nineteen twelve orchard bluff drive , portage .", "portage", PhiCategory.LOCATION),
    ],
)
def test_round_seventeen_wording(text: str, needle: str, category: PhiCategory) -> None:
    assert covered(text, needle) == category


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("next radiographs , mr arthrogram of the right hip", "arthrogram"),
        ("pressure since 0500 with diaphoresis and emesis x1", "diaphoresis"),
        ("i live at 2218 osprey ridge boulevard , suite 140 .", "suite"),
        ("she's parked in the fire lane , white subaru , plate six k", "white"),
        ("the address on kamehameha avenue , correct ?", "correct"),
        ("the cien por ciento guarantee", "cien"),
    ],
)
def test_round_seventeen_near_misses_stay_unflagged(text: str, needle: str) -> None:
    assert not anything_in(text, needle)
