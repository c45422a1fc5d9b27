"""Medical entities as the app keeps them: typed, grounded in the transcript, editable.

These are domain models. The JSON schema the model is asked to fill is a separate, bounded
wire schema in the pipeline's entity step; its answers are converted into these.
"""

from __future__ import annotations

import re
import uuid
from enum import StrEnum

from pydantic import BaseModel, Field


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def normalise_code(code: str | None) -> str | None:
    """ICD-10-CM as people type it: ``"e119"``/``"E11.9 "`` -> ``"E11.9"``; None when empty."""
    if code is None:
        return None
    code = re.sub(r"\s", "", code).upper().rstrip(".")
    if not code:
        return None
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


class TextSpan(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class CodeStatus(StrEnum):
    """How an ICD-10-CM code checked against the official table."""

    VERIFIED = "verified"  # exists and its title matches the diagnosis
    TITLE_MISMATCH = "title_mismatch"  # exists, but names something else
    INVALID = "invalid"  # not in the table
    NONE = "none"  # no code given


class GroundedEntity(BaseModel):
    id: str = Field(default_factory=_new_id)
    evidence: list[TextSpan] = Field(default_factory=list)
    # False when nothing in the transcript supports it: shown as unsupported, never as fact.
    supported: bool = True
    source: str = "llm"  # llm or user


class Diagnosis(GroundedEntity):
    name: str
    icd10_code: str | None = None
    icd10_title: str | None = None  # the official title of icd10_code, when it exists
    code_status: CodeStatus = CodeStatus.NONE
    code_candidates: list[tuple[str, str]] = Field(default_factory=list)  # (code, title)


class Medication(GroundedEntity):
    name: str
    dose: str | None = None
    route: str | None = None
    frequency: str | None = None


class Procedure(GroundedEntity):
    name: str


class Symptom(GroundedEntity):
    name: str


class VitalSign(GroundedEntity):
    type: str
    value: str
    unit: str | None = None


class Allergy(GroundedEntity):
    substance: str
    reaction: str | None = None


class EntityCategory(StrEnum):
    DIAGNOSES = "diagnoses"
    MEDICATIONS = "medications"
    PROCEDURES = "procedures"
    SYMPTOMS = "symptoms"
    VITALS = "vitals"
    ALLERGIES = "allergies"


class MedicalEntities(BaseModel):
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)
    symptoms: list[Symptom] = Field(default_factory=list)
    vitals: list[VitalSign] = Field(default_factory=list)
    allergies: list[Allergy] = Field(default_factory=list)

    def of(self, category: EntityCategory) -> list[GroundedEntity]:
        return getattr(self, category.value)

    def is_empty(self) -> bool:
        return not any(self.of(c) for c in EntityCategory)
