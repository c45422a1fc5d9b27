"""The SOAP note and the structured document, as the physician edits them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class SoapSection(StrEnum):
    SUBJECTIVE = "subjective"
    OBJECTIVE = "objective"
    ASSESSMENT = "assessment"
    PLAN = "plan"

    @property
    def title(self) -> str:
        return self.value.capitalize()


class SoapNote(BaseModel):
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""

    def get(self, section: SoapSection) -> str:
        return getattr(self, section.value)

    def is_empty(self) -> bool:
        return not any(self.get(s).strip() for s in SoapSection)


class DocSection(StrEnum):
    CHIEF_COMPLAINT = "chief_complaint"
    HPI = "history_of_present_illness"
    PMH = "past_medical_history"
    MEDICATIONS = "medications"
    ALLERGIES = "allergies"
    PHYSICAL_EXAM = "physical_examination"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    FOLLOW_UP = "follow_up_instructions"

    @property
    def title(self) -> str:
        return _DOC_TITLES[self]


_DOC_TITLES = {
    DocSection.CHIEF_COMPLAINT: "Chief Complaint",
    DocSection.HPI: "History of Present Illness",
    DocSection.PMH: "Past Medical History",
    DocSection.MEDICATIONS: "Medications",
    DocSection.ALLERGIES: "Allergies",
    DocSection.PHYSICAL_EXAM: "Physical Examination",
    DocSection.ASSESSMENT: "Assessment",
    DocSection.PLAN: "Plan",
    DocSection.FOLLOW_UP: "Follow-up Instructions",
}


class StructuredDocument(BaseModel):
    chief_complaint: str = ""
    history_of_present_illness: str = ""
    past_medical_history: str = ""
    medications: str = ""
    allergies: str = ""
    physical_examination: str = ""
    assessment: str = ""
    plan: str = ""
    follow_up_instructions: str = ""

    def get(self, section: DocSection) -> str:
        return getattr(self, section.value)

    def is_empty(self) -> bool:
        return not any(self.get(s).strip() for s in DocSection)
