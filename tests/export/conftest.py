"""A filled encounter for the export tests, with PHI spans built by hand from the text."""

from __future__ import annotations

import pytest

from medscribe.core.entities import (
    Allergy,
    CodeStatus,
    Diagnosis,
    MedicalEntities,
    Medication,
)
from medscribe.core.notes import SoapNote, StructuredDocument
from medscribe.core.phi import PhiCategory, PhiSpan, ReviewState
from medscribe.core.session import EncounterInfo, EncounterResult
from medscribe.core.transcript import Segment, Transcript

TRANSCRIPT_LINES = [
    ("doctor", "Good morning, Martha Smith. I'm Dr. Alan Reyes."),
    ("patient", "Morning. My daughter Jordan drove me from Springfield."),
    ("doctor", "Your chart number is 00482913 and we can call you at (555) 201-3344?"),
    ("patient", "Yes. I have had burning when I pee since March 3rd, and my sugars run high."),
    ("doctor", "Any allergies? Parkinson disease in the family?"),
    ("patient", "Penicillin gives me a rash. No Parkinson that I know of."),
]


def build_transcript() -> Transcript:
    text = ""
    segments = []
    for speaker, line in TRANSCRIPT_LINES:
        prefix = f"[{speaker}] "
        start = len(text) + len(prefix)
        text += prefix + line + "\n"
        segments.append(Segment(start=start, end=start + len(line), speaker=speaker))
    return Transcript(text=text, segments=segments, source_name="visit.txt")


def span(text: str, needle: str, category: PhiCategory, state=ReviewState.PENDING, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return PhiSpan(
        start=start, end=start + len(needle), category=category, text=needle, state=state
    )


def build_result() -> EncounterResult:
    tr = build_transcript()
    t = tr.text
    spans = [
        span(t, "Martha Smith", PhiCategory.NAME, ReviewState.CONFIRMED),
        span(t, "Alan Reyes", PhiCategory.NAME),
        span(t, "Jordan", PhiCategory.NAME),
        span(t, "Springfield", PhiCategory.LOCATION),
        span(t, "00482913", PhiCategory.MRN, ReviewState.CONFIRMED),
        span(t, "(555) 201-3344", PhiCategory.PHONE),
        span(t, "March 3rd", PhiCategory.DATE),
        # The detector mistook the disease for a surname; the physician rejected both.
        span(t, "Parkinson", PhiCategory.NAME, ReviewState.REJECTED),
        span(t, "Parkinson", PhiCategory.NAME, ReviewState.REJECTED, nth=1),
    ]
    soap = SoapNote(
        subjective=(
            "**Chief complaint:** dysuria since March 3rd.\n"
            "Mrs. Smith (Martha) reports burning on urination; her daughter Jordan drove her in.\n"
            "- No fever\n- No flank pain\n* Poor glycaemic control at home"
        ),
        objective="",
        assessment=(
            "Subjective:\n"  # not an echo of this section's title: must stay
            "1. Uncomplicated cystitis\n2. Type 2 diabetes mellitus, poorly controlled\n"
            "No family history of Parkinson disease."
        ),
        plan=(
            "Plan:\n"  # echo of the title: dropped
            "1) Nitrofurantoin 100 mg twice daily for 5 days\n"
            "2) HbA1c and urine culture\n\n"
            "Follow-up:\n"
            "1. Call Ms. Smith at 555-201-3344 with results\n"
            "2. Return in 2 weeks"
        ),
    )
    structured = StructuredDocument(
        chief_complaint="Dysuria.",
        history_of_present_illness="Martha Smith, from Springfield, has dysuria since March 3rd.",
        allergies="Penicillin (rash).",
        follow_up_instructions="Call 555 201 3344 if the fever returns.",
    )
    entities = MedicalEntities(
        diagnoses=[
            Diagnosis(
                name="Acute cystitis",
                icd10_code="N30.00",
                icd10_title="Acute cystitis without hematuria",
                code_status=CodeStatus.VERIFIED,
            ),
            Diagnosis(
                name="Type 2 diabetes mellitus",
                icd10_code="E11.99",
                code_status=CodeStatus.INVALID,
            ),
            Diagnosis(name="Hypertension", supported=False),
        ],
        medications=[
            Medication(name="Nitrofurantoin", dose="100 mg", route="oral", frequency="twice daily"),
            Medication(name="Metformin", dose="500 mg", supported=False),
        ],
        allergies=[Allergy(substance="Penicillin", reaction="rash")],
    )
    return EncounterResult(
        transcript=tr,
        encounter=EncounterInfo(
            date="2026-03-05", clinician="Dr. Alan Reyes", patient_name="Martha Smith"
        ),
        phi_spans=spans,
        entities=entities,
        soap=soap,
        structured=structured,
    )


# Every identifier the fixture's spans redact, plus the name tokens and other spellings.
IDENTIFIERS = [
    "Martha",
    "Smith",
    "Alan",
    "Reyes",
    "Jordan",
    "Springfield",
    "00482913",
    "201-3344",
    "201 3344",
    "March 3rd",
    "2026-03-05",
]


@pytest.fixture
def result() -> EncounterResult:
    return build_result()
