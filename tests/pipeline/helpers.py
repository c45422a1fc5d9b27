"""Shared pieces of the pipeline tests: a visit with known facts, a scripted model that
answers by step, and an event recorder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from medscribe.core.session import EncounterResult
from medscribe.core.steps import StepEvent, StepName, StepState
from medscribe.core.transcript import Segment, Transcript
from tests.servers.scripted import ScriptedReply

TURNS = [
    ("Doctor", "Good morning Mrs. Alvarez, what brings you in today?"),
    ("Patient", "I've had a cough and a fever for three days, and my chest feels tight."),
    ("Doctor", "Any allergies to medicines?"),
    ("Patient", "Yes, I'm allergic to penicillin. It gives me a rash."),
    ("Doctor", "You still take metformin 500 mg twice a day for your type 2 diabetes?"),
    ("Patient", "Yes, every morning and evening."),
    ("Doctor", "Your blood pressure is 142/90 today and your temperature is 38.4."),
    ("Doctor", "Your lungs sound like acute bronchitis. Rest, fluids, and come back in a week."),
]


def visit_transcript(turns: list[tuple[str, str]] | None = None) -> Transcript:
    """A transcript with one segment per speaker turn (offsets into the text)."""
    text = ""
    segments = []
    for speaker, said in turns or TURNS:
        start = len(text)
        text += f"{speaker}: {said}\n"
        segments.append(Segment(start=start, end=len(text) - 1, speaker=speaker))
    return Transcript(text=text, segments=segments, source_name="visit.txt")


def long_transcript(repeats: int) -> Transcript:
    """A visit far longer than a small context: the same kind of turns, numbered."""
    turns = []
    for i in range(repeats):
        turns.append(("Doctor", f"Question {i}: how has the cough been on day {i}?"))
        turns.append(("Patient", f"On day {i} the cough was worse at night and I took honey."))
    turns.extend(TURNS)
    return visit_transcript(turns)


ENTITIES_JSON = {
    "diagnoses": [
        {"name": "type 2 diabetes", "icd10_code": "E11.9"},
        {"name": "acute bronchitis", "icd10_code": None},
        {"name": "type 2 diabetes", "icd10_code": "I10"},  # duplicate, wrong title
        {"name": "gout", "icd10_code": "Q99.999"},  # invalid code, not said
    ],
    "medications": [
        {"name": "metformin", "dose": "500 mg", "route": None, "frequency": "twice a day"}
    ],
    "procedures": [],
    "symptoms": [{"name": "cough"}, {"name": "fever"}, {"name": "chest pain"}],
    "vitals": [
        {"type": "blood pressure", "value": "142/90", "unit": "mmHg"},
        {"type": "heart rate", "value": "71", "unit": "bpm"},
    ],
    "allergies": [{"substance": "penicillin", "reaction": "rash"}],
}

SOAP_TEXT = (
    "Subjective:\n- Cough and fever for three days.\n"
    "Objective:\n- BP 142/90, temperature 38.4.\n"
    "Assessment:\n- Acute bronchitis.\n"
    "Plan:\n- Rest and fluids; review in one week.\n"
)

PHI_JSON = {
    "identifiers": [
        {"text": "Alvarez", "category": "NAME"},
        {"text": "Dr. Nobody Here", "category": "NAME"},  # not in the transcript: dropped
    ]
}

DOCUMENT_JSON = {
    "chief_complaint": "Cough and fever",
    "history_of_present_illness": "Three days of cough and fever.",
    "past_medical_history": "Type 2 diabetes",
    "medications": "Metformin 500 mg twice a day",
    "allergies": "Penicillin (rash)",
    "physical_examination": "BP 142/90",
    "assessment": "Acute bronchitis",
    "plan": "Rest, fluids",
    "follow_up_instructions": "Return in one week",
}


def last_user(body: dict[str, Any]) -> str:
    users = [m["content"] for m in body["messages"] if m["role"] == "user"]
    return users[-1] if users else ""


def step_of(body: dict[str, Any]) -> str:
    """Which pipeline request this is, from its final instruction."""
    text = last_user(body)
    if text.startswith("List every identifier"):
        return "phi"
    if text.startswith("Extract, in the transcript"):
        return "entities"
    if text.startswith("Combine these notes"):
        return "merge"
    if text.startswith("Write a SOAP note"):
        return "soap"
    if text.startswith("This is the current SOAP note"):
        return "section"
    if text.startswith("Write the clinical document"):
        return "structure"
    return "other"


@dataclass
class StepModel:
    """A responder for the scripted server: a good answer per step, unless overridden."""

    replies: dict[str, ScriptedReply] = field(default_factory=dict)

    def __call__(self, body: dict[str, Any]) -> ScriptedReply:
        kind = step_of(body)
        if kind in self.replies:
            return self.replies[kind]
        if kind == "entities":
            return ScriptedReply(content=json.dumps(ENTITIES_JSON))
        if kind in ("soap", "merge"):
            return ScriptedReply(content=SOAP_TEXT)
        if kind == "section":
            return ScriptedReply(content="- Acute bronchitis, likely viral.")
        if kind == "structure":
            return ScriptedReply(content=json.dumps(DOCUMENT_JSON))
        if kind == "phi":
            return ScriptedReply(content=json.dumps(PHI_JSON))
        return ScriptedReply(content="?")


@dataclass
class Events:
    """Collects progress events; the callback the pipeline is given."""

    items: list[StepEvent] = field(default_factory=list)

    def __call__(self, event: StepEvent) -> None:
        self.items.append(event)

    def states(self, step: StepName) -> list[StepState]:
        return [e.state for e in self.items if e.step is step]

    def final(self, step: StepName) -> StepEvent:
        return [e for e in self.items if e.step is step and e.state.is_final][-1]


def fresh_result(transcript: Transcript | None = None) -> EncounterResult:
    return EncounterResult(transcript=transcript or visit_transcript())
