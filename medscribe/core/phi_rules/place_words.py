"""Word lists of the place rules: street suffixes, facility and geographic words, the phrases
that put a place after them ("lives in", "works at") and the words that never start one.

Kept apart from ``lexicon`` (names, function words, calendar words and the loaded lists) so
each file stays readable; the place rules import from here.
"""

from __future__ import annotations

from medscribe.core.phi_rules.tokens import split_words

STREET_SUFFIX_FREE = frozenset(
    split_words(
        "street st avenue ave boulevard blvd road rd lane ln parkway pkwy highway hwy "
        "expressway freeway turnpike"
    )
)
STREET_SUFFIX_NUMBERED = frozenset(
    split_words(
        "drive dr court ct way place pl circle cir terrace ter trail trl pike square sq "
        "row loop crossing run path alley plaza knoll cove crest hollow ridge glen commons"
    )
)
# Where a person works: after these any words but function words name the employer.
EMPLOYER_TRIGGERS = frozenset(
    [("work", "at"), ("work", "for"), ("works", "at"), ("works", "for"), ("worked", "at"),
     ("worked", "for"), ("working", "at"), ("working", "for"), ("employed", "at"),
     ("employed", "by"), ("job", "at"), ("retired", "from"), ("work", "is"),
     ("employer",), ("employer", "is")]
)  # fmt: skip
# Health facilities are often named with plain words ("riverside clinic"): before these any
# word that is not generic or clinical starts the name.
HEALTH_FACILITY = frozenset(
    split_words(
        "hospital clinic pharmacy rehab hospice infirmary healthcare center centre memorial"
    )
)
GEO_PREFIX = frozenset(split_words("mount mt lake fort ft port cape camp saint st san santa"))
GEO_SUFFIX = frozenset(
    split_words("""
    lake lakes mountain mountains park river beach island islands valley canyon creek bay
    county parish township village heights springs falls hills estates bend ridge crossing
    hollow grove prairie bluffs bluff harbor pond ponds trail trails towpath ford gap knob
    marsh slough bayou reservoir dam mesa butte peak summit flats bottoms meadow meadows
    preserve refuge woods forest landing shores ferry corners junction shoals crossroads
    notch""")
)
FACILITY_SUFFIX = frozenset(
    split_words("""
    hospital hospitals clinic clinics medical center centre health healthcare pharmacy
    memorial university college school academy elementary church temple mosque synagogue
    nursing rehab rehabilitation hospice labs laboratory associates group inc corp
    corporation company llc foundation institute infirmary sanitarium county parish
    township village heights springs falls orthopedics orthopaedics cardiology dermatology
    pediatrics urology oncology neurology radiology imaging dentistry dental podiatry
    chiropractic optometry physiotherapy""")
)
# Generic words inside facility names ("... general hospital"): allowed between the
# distinctive first word and the suffix, never the start of a facility name on their own.
FACILITY_GENERIC = frozenset(
    split_words("""
    general regional community memorial medical health university children's childrens
    women's womens family county city state valley saint st mount mt north south east west
    central united orthopedic cardiology heart cancer care urgent primary specialty internal
    veterans va eye eyes pain heart sleep wound wounds dialysis surgery surgical cancer
    diabetes kidney vein spine ortho orthopedics skin dental vision hearing allergy walk
    walk-in imaging radiology infusion lab blood fertility weight wellness physical therapy
    mental behavioral psychiatric cardiac oncology neurology pediatric pediatrics internal
    free student teaching local nearby other new big small same main downtown rehab
    outpatient inpatient emergency trauma birth breast digestive liver lung stroke
    senior nursing home assisted living care different another regular usual mail order
    retail compounding specialty closest nearest preferred previous old own""")
)
LOCATION_TRIGGERS = (
    ("live", "in"),
    ("lives", "in"),
    ("living", "in"),
    ("lived", "in"),
    ("moved", "to"),
    ("moved", "from"),
    ("move", "to"),
    ("grew", "up", "in"),
    ("born", "in"),
    ("raised", "in"),
    ("from",),
    ("drove", "from"),
    ("drove", "to"),
    ("drive", "to"),
    ("visiting",),
    ("trip", "to"),
    ("went", "to"),
    ("flew", "to"),
    ("flying", "to"),
    ("traveled", "to"),
    ("travelled", "to"),
    ("vacation", "in"),
    ("near",),
    ("suburb", "of"),
    ("minutes", "from"),
    ("miles", "from"),
    ("hour", "from"),
    ("hours", "from"),
    ("outside", "of"),
    ("town", "of"),
    ("city", "of"),
    ("work", "is"),
    ("employer",),
    ("employer", "is"),
    ("company", "is"),
    ("been", "at"),
    ("work", "at"),
    ("work", "for"),
    ("works", "at"),
    ("works", "for"),
    ("worked", "at"),
    ("worked", "for"),
    ("working", "at"),
    ("working", "for"),
    ("employed", "at"),
    ("employed", "by"),
    ("job", "at"),
    ("retired", "from"),
    ("over", "at"),
    ("down", "at"),
    ("admitted", "to"),
    ("transferred", "to"),
    ("transferred", "from"),
    ("seen", "at"),
    ("treated", "at"),
)
# Words that never start a place after a trigger ("from the", "went to bed").
PLACE_STOP = frozenset(
    split_words("""
    home work bed church school college hospital clinic er emergency the a an my her his
    their our your this that there here time then now bathroom kitchen sleep sleeping
    lunch dinner breakfast see get be go do have pick take make check physical therapy
    pt rehab surgery gym store office doctor doctors doctor's pharmacy lab labs bathroom
    town country city state abroad overseas outside inside back up down out away top bottom
    side mr mrs ms dr doctor nurse miss mister""")
)
