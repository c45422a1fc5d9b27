"""The rules layer: each category in its written and spoken forms, and what must stay unflagged."""

from __future__ import annotations

from itertools import pairwise

import pytest

from medscribe.core.phi import PhiCategory, PhiSource
from medscribe.core.phi_detect import detect_phi_rules

C = PhiCategory


def flagged(text: str) -> dict[str, PhiCategory]:
    spans = detect_phi_rules(text)
    for s in spans:
        assert text[s.start : s.end] == s.text and s.source is PhiSource.RULES
    return {s.text: s.category for s in spans}


def covered(text: str, needle: str) -> PhiCategory | None:
    """The category of the span covering ``needle`` entirely (None when not covered)."""
    start = text.index(needle)
    end = start + len(needle)
    for s in detect_phi_rules(text):
        if s.start <= start and end <= s.end:
            return s.category
    return None


CASES = [
    # names: lower-case ASR, dictionary, honorifics, kinship, introductions, greetings
    ("[doctor] hi , martha . how are you ?", "martha", C.NAME),
    ("[doctor] good morning carolyn how are you", "carolyn", C.NAME),
    ("i spoke to mrs. brown yesterday", "brown", C.NAME),
    ("Dr. Okonkwo will see you now.", "Okonkwo", C.NAME),
    ("my name is grace o'connor", "grace o'connor", C.NAME),
    ("my wife , hope , drove me here", "hope", C.NAME),
    ("my daughter xiomara takes me to appointments", "xiomara", C.NAME),
    ("i spoke with doctor wafer at the cancer center", "wafer", C.NAME),
    ("i'll send it to Jennifer Alvarez today", "Jennifer Alvarez", C.NAME),
    # places
    ("i live at four twelve elm street", "four twelve elm street", C.LOCATION),
    ("we're at 1600 maple avenue apartment 4 b", "1600 maple avenue apartment 4 b", C.LOCATION),
    ("we just moved to toledo last year", "toledo", C.LOCATION),
    ("she lives in dayton , ohio", "dayton", C.LOCATION),
    ("i was admitted to mercy general hospital", "mercy general hospital", C.LOCATION),
    ("i work at walmart", "walmart", C.LOCATION),
    ("we hiked around mount baker", "mount baker", C.LOCATION),
    ("the zip code is four five five zero two", "four five five zero two", C.LOCATION),
    # dates, every form
    ("seen on 03/14/2025 in clinic", "03/14/2025", C.DATE),
    ("scan done 2025-03-14 .", "2025-03-14", C.DATE),
    ("it started march 3rd", "march 3rd", C.DATE),
    ("born march 3 1961 in ohio", "march 3 1961", C.DATE),
    ("date of birth march third nineteen sixty one", "march third nineteen sixty one", C.DATE),
    ("we'll see you on the fourteenth", "fourteenth", C.DATE),
    ("the 14th of june 2020 was the surgery", "14th of june 2020", C.DATE),
    ("she came in april of 2022", "april of 2022", C.DATE),
    ("it got worse over christmas", "christmas", C.DATE),
    # ages over 89
    ("she is 92 years old", "92 years old", C.AGE),
    ("my father is a ninety-two year old man", "ninety-two year old", C.AGE),
    ("grandma turned a hundred and one", "a hundred and one", C.AGE),
    ("he's what ninety eight now", "ninety eight", C.AGE),
    ("mom is in her nineties", "nineties", C.AGE),
    # phones
    ("call me at (555) 123-4567", "(555) 123-4567", C.PHONE),
    ("my number is 555-123-4567", "555-123-4567", C.PHONE),
    ("my cell is five five five one two three four", "five five five one two three four", C.PHONE),
    (
        "it's five five five , two one two , oh nine nine one",
        "five five five , two one two , oh nine nine one",
        C.PHONE,
    ),
    ("the fax is 5551234567", "5551234567", C.PHONE),
    # e-mail, web, IP
    ("email john.smith@gmail.com please", "john.smith@gmail.com", C.EMAIL),
    ("it's john dot smith at gmail dot com", "john dot smith at gmail dot com", C.EMAIL),
    ("log in at www.mychart-example.org", "www.mychart-example.org", C.URL),
    ("go to w w w dot my chart dot com", "w w w dot my chart dot com", C.URL),
    ("the router is 192.168.1.47", "192.168.1.47", C.IP),
    ("it's ten dot zero dot zero dot fifteen", "ten dot zero dot zero dot fifteen", C.IP),
    # numbers by context
    ("social security number 123-45-6789", "123-45-6789", C.SSN),
    (
        "my social is one two three four five six seven eight nine",
        "one two three four five six seven eight nine",
        C.SSN,
    ),
    ("mrn a b c one two three four five", "a b c one two three four five", C.MRN),
    ("medical record number 00482913", "00482913", C.MRN),
    ("my member id is XJH 482 991 02", "XJH 482 991 02", C.HEALTH_PLAN),
    ("account number 7730021945 for billing", "7730021945", C.ACCOUNT),
    (
        "my driver's license is d one two three four five six seven",
        "d one two three four five six seven",
        C.LICENSE,
    ),
    ("the plate is e j n five eight nine", "e j n five eight nine", C.VEHICLE),
    ("vin 1HGCM82633A004352 on the form", "1HGCM82633A004352", C.VEHICLE),
    (
        "the pacemaker serial number is pjn four four eight two one three",
        "four four eight two one three",
        C.DEVICE,
    ),
    (
        "your confirmation number is eight zero three three one two",
        "eight zero three three one two",
        C.ID,
    ),
]


@pytest.mark.parametrize(("text", "needle", "category"), CASES, ids=[c[1] for c in CASES])
def test_detects(text: str, needle: str, category: PhiCategory) -> None:
    assert covered(text, needle) is category


CLINICAL = [
    "start lisinopril 20 mg daily and continue the metformin 500 milligrams twice a day",
    "blood pressure is 120 over 80 , heart rate 72 , oxygen 98 percent , temperature 98.6",
    "bp 138/86 , pain is 8/10 , a1c was 7.2 , ldl 98 , platelets 150,000",
    "she has parkinson's disease and a baker's cyst , and we'll do an ekg and an mri",
    "i will take the pills . may i ask , will it hurt ? we hope so , grace period",
    "we'll check a cbc , tsh and bmp . take tylenol , advil or aleve for the pain",
    "walk ten thousand steps , about 10000 steps a day , and lose 15 pounds",
    "the first time , the second floor , the third dose , a 92 percent saturation",
    "hey dragon , show me the x-ray . okay . um , uh , yeah . gon na wan na",
    "i was born in 1961 and moved here in 2019",
]


@pytest.mark.parametrize("text", CLINICAL, ids=range(len(CLINICAL)))
def test_clinical_words_are_not_flagged(text: str) -> None:
    assert flagged(text) == {}


def test_names_found_once_are_found_everywhere() -> None:
    text = "[doctor] hi , joy . how are you ?\n[doctor] so joy is a 55-year-old male . so , joy ,"
    spans = [s for s in detect_phi_rules(text) if s.category is C.NAME]
    assert [s.start for s in spans] == [m for m in range(len(text)) if text.startswith("joy", m)]


def test_spans_are_sorted_disjoint_and_exact() -> None:
    text = "my name is sarah okonkwo , email sarah dot okonkwo at gmail dot com , call 555-123-4567"
    spans = detect_phi_rules(text)
    assert [s.category for s in spans] == [C.NAME, C.EMAIL, C.PHONE]
    assert all(a.end <= b.start for a, b in pairwise(spans))


def test_possessive_is_left_out_of_a_name() -> None:
    assert flagged("martha's knee is better") == {"martha": C.NAME}


def test_empty_and_punctuation_only() -> None:
    assert detect_phi_rules("") == []
    assert detect_phi_rules(" . , ? \n") == []
