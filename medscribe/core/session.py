"""Everything one consultation produces: what the app saves, exports and restores."""

from __future__ import annotations

from pydantic import BaseModel, Field

from medscribe.core.entities import MedicalEntities
from medscribe.core.notes import SoapNote, StructuredDocument
from medscribe.core.phi import PhiSpan
from medscribe.core.steps import StepName, StepOutcome
from medscribe.core.transcript import Transcript

SESSION_FORMAT_VERSION = 1


class EncounterInfo(BaseModel):
    date: str = ""  # as the physician wrote it; free text on purpose
    clinician: str = ""
    patient_name: str = ""


class EncounterResult(BaseModel):
    format_version: int = SESSION_FORMAT_VERSION
    transcript: Transcript
    encounter: EncounterInfo = Field(default_factory=EncounterInfo)
    phi_spans: list[PhiSpan] = Field(default_factory=list)
    entities: MedicalEntities = Field(default_factory=MedicalEntities)
    soap: SoapNote = Field(default_factory=SoapNote)
    structured: StructuredDocument = Field(default_factory=StructuredDocument)
    steps: dict[StepName, StepOutcome] = Field(default_factory=dict)
    notices: list[str] = Field(default_factory=list)  # e.g. "split into 3 parts to fit"
