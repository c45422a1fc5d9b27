"""The bounded JSON schema the model fills for entities, and its conversion to domain models.

Bounds matter with grammar-constrained sampling: a small model that loops fills a list up to
``maxItems`` and a string up to ``maxLength`` and then must stop, instead of running until
``max_tokens`` cuts the JSON. Every property is required (nullable for "not said"), because a
grammar lets the model leave out optional properties, and small models do.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from medscribe.core.entities import (
    Allergy,
    Diagnosis,
    GroundedEntity,
    MedicalEntities,
    Medication,
    Procedure,
    Symptom,
    VitalSign,
)
from medscribe.core.notes import StructuredDocument
from medscribe.core.pipeline.textmatch import content_words

NAME = 80  # characters for a name; a diagnosis title rarely needs more
SHORT = 40  # dose, route, frequency, value, unit
ITEMS = 10  # entries per category


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"additionalProperties": False})


class WireDiagnosis(_Wire):
    name: str = Field(max_length=NAME)
    icd10_code: str | None = Field(max_length=10)


class WireMedication(_Wire):
    name: str = Field(max_length=NAME)
    dose: str | None = Field(max_length=SHORT)
    route: str | None = Field(max_length=SHORT)
    frequency: str | None = Field(max_length=SHORT)


class WireNamed(_Wire):
    name: str = Field(max_length=NAME)


class WireVital(_Wire):
    type: str = Field(max_length=SHORT)
    value: str = Field(max_length=SHORT)
    unit: str | None = Field(max_length=SHORT)


class WireAllergy(_Wire):
    substance: str = Field(max_length=NAME)
    reaction: str | None = Field(max_length=SHORT)


class WireEntities(_Wire):
    diagnoses: list[WireDiagnosis] = Field(max_length=ITEMS)
    medications: list[WireMedication] = Field(max_length=ITEMS)
    procedures: list[WireNamed] = Field(max_length=ITEMS)
    symptoms: list[WireNamed] = Field(max_length=ITEMS)
    vitals: list[WireVital] = Field(max_length=ITEMS)
    allergies: list[WireAllergy] = Field(max_length=ITEMS)


SECTION_CHARS = 1200


class WireDocument(_Wire):
    chief_complaint: str = Field(max_length=300)
    history_of_present_illness: str = Field(max_length=SECTION_CHARS)
    past_medical_history: str = Field(max_length=SECTION_CHARS)
    medications: str = Field(max_length=SECTION_CHARS)
    allergies: str = Field(max_length=400)
    physical_examination: str = Field(max_length=SECTION_CHARS)
    assessment: str = Field(max_length=SECTION_CHARS)
    plan: str = Field(max_length=SECTION_CHARS)
    follow_up_instructions: str = Field(max_length=600)

    def to_domain(self) -> StructuredDocument:
        return StructuredDocument(**{k: v.strip() for k, v in self.model_dump().items()})


def _text(value: str | None) -> str | None:
    """Blank or placeholder answers ("", "null", "n/a") become None."""
    if value is None:
        return None
    value = value.strip()
    return None if value.lower() in {"", "null", "none", "n/a", "na", "unknown"} else value


def to_domain(wire: WireEntities) -> MedicalEntities:
    """Domain entities from the model's answer; entries without a name are dropped."""
    return MedicalEntities(
        diagnoses=[
            Diagnosis(name=n, icd10_code=_text(d.icd10_code))
            for d in wire.diagnoses
            if (n := _text(d.name))
        ],
        medications=[
            Medication(
                name=n, dose=_text(m.dose), route=_text(m.route), frequency=_text(m.frequency)
            )
            for m in wire.medications
            if (n := _text(m.name))
        ],
        procedures=[Procedure(name=n) for p in wire.procedures if (n := _text(p.name))],
        symptoms=[Symptom(name=n) for s in wire.symptoms if (n := _text(s.name))],
        vitals=[
            VitalSign(type=t, value=v, unit=_text(x.unit))
            for x in wire.vitals
            if (t := _text(x.type)) and (v := _text(x.value))
        ],
        allergies=[
            Allergy(substance=n, reaction=_text(a.reaction))
            for a in wire.allergies
            if (n := _text(a.substance))
        ],
    )


def _key(entity: GroundedEntity) -> tuple[str, ...]:
    if isinstance(entity, VitalSign):
        return (*content_words(entity.type), "=", *content_words(entity.value))
    if isinstance(entity, Allergy):
        return tuple(sorted(content_words(entity.substance)))
    return tuple(sorted(content_words(getattr(entity, "name", ""))))


def _filled(entity: GroundedEntity) -> int:
    data = entity.model_dump(exclude={"id", "evidence", "supported", "source"})
    return sum(1 for v in data.values() if v not in (None, "", []))


def dedupe(items: list[GroundedEntity]) -> list[GroundedEntity]:
    """One entry per entity (same words, any order or case), keeping the most complete."""
    best: dict[tuple[str, ...], GroundedEntity] = {}
    for item in items:
        key = _key(item)
        if key not in best or _filled(item) > _filled(best[key]):
            best[key] = item
    order = list(dict.fromkeys(_key(i) for i in items))
    return [best[k] for k in order]


def merge_entities(parts: list[MedicalEntities]) -> MedicalEntities:
    """The entities of a visit read in parts: concatenated, then de-duplicated."""
    merged: dict[str, list[GroundedEntity]] = {}
    for field in MedicalEntities.model_fields:
        merged[field] = dedupe([e for p in parts for e in getattr(p, field)])
    return MedicalEntities(**merged)
