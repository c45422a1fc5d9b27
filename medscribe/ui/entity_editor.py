"""What each entity category shows in the table, and how an edited cell becomes a new entity.

Qt-free on purpose: the column layout and the edit rules are plain functions over the core
models, so they are easy to test and the item model stays a thin adapter.

A code the physician types is normalised ("e119" -> "E11.9") and, when the window gives a
fast checker (the ICD-10-CM table once it is loaded), checked at once. Without one it is
shown and exported as "not checked", never as verified. Renaming a diagnosis whose code was
judged against its old name downgrades that judgement to "not checked" for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from medscribe.core.entities import (
    Allergy,
    CodeStatus,
    Diagnosis,
    EntityCategory,
    GroundedEntity,
    Medication,
    Procedure,
    Symptom,
    VitalSign,
    normalise_code,
)

# (diagnosis name, code) -> (status, normalised code, official title), or None when the
# table is not available yet. Must be fast: it runs on the GUI thread.
CodeChecker = Callable[[str, str | None], tuple[CodeStatus, str | None, str | None] | None]

NUM_COLUMNS = 5
NOTES_COLUMN = 4


@dataclass(frozen=True)
class Column:
    title: str
    field: str | None = None  # the entity attribute edited in this column; None = shown only


CATEGORY_ORDER = [
    EntityCategory.DIAGNOSES,
    EntityCategory.MEDICATIONS,
    EntityCategory.ALLERGIES,
    EntityCategory.VITALS,
    EntityCategory.PROCEDURES,
    EntityCategory.SYMPTOMS,
]

CATEGORY_TITLES = {
    EntityCategory.DIAGNOSES: "Diagnoses",
    EntityCategory.MEDICATIONS: "Medications",
    EntityCategory.ALLERGIES: "Allergies",
    EntityCategory.VITALS: "Vital signs",
    EntityCategory.PROCEDURES: "Procedures",
    EntityCategory.SYMPTOMS: "Symptoms",
}

SINGULAR = {
    EntityCategory.DIAGNOSES: "diagnosis",
    EntityCategory.MEDICATIONS: "medication",
    EntityCategory.ALLERGIES: "allergy",
    EntityCategory.VITALS: "vital sign",
    EntityCategory.PROCEDURES: "procedure",
    EntityCategory.SYMPTOMS: "symptom",
}

_BLANK = Column("")
COLUMNS: dict[EntityCategory, tuple[Column, Column, Column, Column]] = {
    EntityCategory.DIAGNOSES: (
        Column("Diagnosis", "name"),
        Column("ICD-10-CM code", "icd10_code"),
        Column("Official title"),
        Column("Code check"),
    ),
    EntityCategory.MEDICATIONS: (
        Column("Medication", "name"),
        Column("Dose", "dose"),
        Column("Route", "route"),
        Column("Frequency", "frequency"),
    ),
    EntityCategory.ALLERGIES: (
        Column("Substance", "substance"),
        Column("Reaction", "reaction"),
        _BLANK,
        _BLANK,
    ),
    EntityCategory.VITALS: (
        Column("Vital sign", "type"),
        Column("Value", "value"),
        Column("Unit", "unit"),
        _BLANK,
    ),
    EntityCategory.PROCEDURES: (Column("Procedure", "name"), _BLANK, _BLANK, _BLANK),
    EntityCategory.SYMPTOMS: (Column("Symptom", "name"), _BLANK, _BLANK, _BLANK),
}

_NEW: dict[EntityCategory, Callable[[], GroundedEntity]] = {
    EntityCategory.DIAGNOSES: lambda: Diagnosis(name="", source="user"),
    EntityCategory.MEDICATIONS: lambda: Medication(name="", source="user"),
    EntityCategory.ALLERGIES: lambda: Allergy(substance="", source="user"),
    EntityCategory.VITALS: lambda: VitalSign(type="", value="", source="user"),
    EntityCategory.PROCEDURES: lambda: Procedure(name="", source="user"),
    EntityCategory.SYMPTOMS: lambda: Symptom(name="", source="user"),
}

CODE_CHECK_WORDS = {
    CodeStatus.VERIFIED: "Verified",
    CodeStatus.TITLE_MISMATCH: "Check: names something else",
    CodeStatus.INVALID: "Not a valid code",
}


def new_entity(category: EntityCategory) -> GroundedEntity:
    """An empty entry the physician adds by hand (source "user")."""
    return _NEW[category]()


def column_title(category: EntityCategory, column: int) -> str:
    return "Notes" if column == NOTES_COLUMN else COLUMNS[category][column].title


def is_editable(category: EntityCategory, column: int) -> bool:
    return column < NOTES_COLUMN and COLUMNS[category][column].field is not None


def code_check_text(dx: Diagnosis) -> str:
    if dx.code_status is CodeStatus.NONE:
        return "Not checked" if dx.icd10_code else "No code"
    return CODE_CHECK_WORDS[dx.code_status]


def code_check_tooltip(dx: Diagnosis) -> str:
    status = dx.code_status
    if status is CodeStatus.VERIFIED:
        return "The code exists in ICD-10-CM and its official title matches the diagnosis."
    if status is CodeStatus.TITLE_MISMATCH:
        return (
            f"The code exists, but its official title is “{dx.icd10_title}”, which does not "
            "match the diagnosis. Check the code before using it."
        )
    if status is CodeStatus.INVALID:
        return "This code is not in the ICD-10-CM table. Correct it or remove it."
    if dx.icd10_code:
        return "This code has not been checked against the ICD-10-CM table yet."
    return "No code was given. Suggestions, when there are any, are in the title column."


def _candidates_text(dx: Diagnosis) -> str:
    if not dx.code_candidates:
        return ""
    return "Suggested: " + "; ".join(f"{code} {title}" for code, title in dx.code_candidates[:3])


def display(category: EntityCategory, entity: GroundedEntity, column: int) -> str:
    """The text of one cell."""
    if column == NOTES_COLUMN:
        return notes_text(entity)
    if isinstance(entity, Diagnosis):
        if column == 2:
            return entity.icd10_title or ("" if entity.icd10_code else _candidates_text(entity))
        if column == 3:
            return code_check_text(entity)
    field = COLUMNS[category][column].field
    value = getattr(entity, field) if field else None
    return "" if value is None else str(value)


def notes_text(entity: GroundedEntity) -> str:
    if not entity.supported:
        return "Not found in transcript"
    if entity.source == "user":
        return "Added by you"
    return ""


def notes_tooltip(entity: GroundedEntity) -> str:
    if not entity.supported:
        return (
            "Nothing in the transcript supports this entry. Check it before you rely on it, "
            "or remove it."
        )
    if entity.evidence:
        return "Select the row to see where the transcript says this."
    return ""


def edited(
    category: EntityCategory,
    entity: GroundedEntity,
    column: int,
    text: str,
    checker: CodeChecker | None = None,
) -> GroundedEntity | None:
    """The entity after the physician typed ``text`` into ``column``; None if nothing changed."""
    if not is_editable(category, column):
        return None
    field = COLUMNS[category][column].field
    assert field is not None
    text = " ".join(text.split())
    old = getattr(entity, field)
    if field in ("name", "substance", "type", "value"):
        new_value: str | None = text  # required fields: empty string, never None
    else:
        new_value = text or None
    if field == "icd10_code":
        new_value = normalise_code(text)
    if new_value == old:
        return None
    update: dict[str, object] = {field: new_value}
    if isinstance(entity, Diagnosis) and field in ("name", "icd10_code"):
        update.update(_recheck(entity, update, checker))
    return entity.model_copy(update=update)


def _recheck(
    dx: Diagnosis, update: dict[str, object], checker: CodeChecker | None
) -> dict[str, object]:
    name = str(update.get("name", dx.name))
    code = update.get("icd10_code", dx.icd10_code)
    code = code if isinstance(code, str) else None
    result = checker(name, code) if checker is not None else None
    if result is not None:
        status, norm, title = result
        return {"code_status": status, "icd10_code": norm, "icd10_title": title}
    if "icd10_code" in update:
        return {"code_status": CodeStatus.NONE, "icd10_title": None}
    # Only the name changed: a judgement that compared the old name no longer holds.
    if dx.code_status in (CodeStatus.VERIFIED, CodeStatus.TITLE_MISMATCH):
        return {"code_status": CodeStatus.NONE}
    return {}
