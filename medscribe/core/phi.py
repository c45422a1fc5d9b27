"""PHI span model shared by the detector, the review screen and the exporters."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class PhiCategory(StrEnum):
    """HIPAA Safe Harbor identifiers that can occur in a spoken consultation."""

    NAME = "NAME"
    LOCATION = "LOCATION"  # street, city, facility, employer, ZIP: anything below a state
    DATE = "DATE"
    AGE = "AGE"  # ages over 89 only
    PHONE = "PHONE"  # phone and fax
    EMAIL = "EMAIL"
    SSN = "SSN"
    MRN = "MRN"
    HEALTH_PLAN = "HEALTH_PLAN"
    ACCOUNT = "ACCOUNT"
    LICENSE = "LICENSE"  # certificate / licence numbers
    VEHICLE = "VEHICLE"
    DEVICE = "DEVICE"
    URL = "URL"
    IP = "IP"
    ID = "ID"  # any other unique identifying number or code

    @property
    def label(self) -> str:
        """Human wording for legends and menus."""
        return _LABELS[self]

    @property
    def placeholder(self) -> str:
        """What replaces the span in a de-identified export."""
        return f"[{self.value}]"


_LABELS = {
    PhiCategory.NAME: "Name",
    PhiCategory.LOCATION: "Place or address",
    PhiCategory.DATE: "Date",
    PhiCategory.AGE: "Age over 89",
    PhiCategory.PHONE: "Phone or fax",
    PhiCategory.EMAIL: "Email",
    PhiCategory.SSN: "Social Security number",
    PhiCategory.MRN: "Medical record number",
    PhiCategory.HEALTH_PLAN: "Health plan ID",
    PhiCategory.ACCOUNT: "Account number",
    PhiCategory.LICENSE: "Licence or certificate",
    PhiCategory.VEHICLE: "Vehicle or plate",
    PhiCategory.DEVICE: "Device serial",
    PhiCategory.URL: "Web address",
    PhiCategory.IP: "IP address",
    PhiCategory.ID: "Other ID",
}


class PhiSource(StrEnum):
    RULES = "rules"
    LLM = "llm"
    USER = "user"


class ReviewState(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class PhiSpan(BaseModel):
    """``transcript.text[start:end]`` is an identifier of ``category``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    category: PhiCategory
    text: str
    source: PhiSource = PhiSource.RULES
    state: ReviewState = ReviewState.PENDING

    @property
    def redacts(self) -> bool:
        """Confirmed and pending spans are replaced on de-identified export; rejected stay."""
        return self.state is not ReviewState.REJECTED


def carry_over_reviews(previous: list[PhiSpan], fresh: list[PhiSpan]) -> list[PhiSpan]:
    """Re-running detection must not undo the physician's review.

    Decisions on spans at the same offsets carry over; spans the user added (or that were
    confirmed/rejected but are not found again) are kept. Returned sorted by position.
    """
    decided = {(s.start, s.end): s for s in previous if s.state is not ReviewState.PENDING}
    out: dict[tuple[int, int], PhiSpan] = {}
    for span in fresh:
        old = decided.get((span.start, span.end))
        out[(span.start, span.end)] = (
            span.model_copy(update={"state": old.state, "category": old.category}) if old else span
        )
    for span in previous:
        key = (span.start, span.end)
        user_kept = span.source is PhiSource.USER or span.state is not ReviewState.PENDING
        if key not in out and user_kept:
            out[key] = span
    return sorted(out.values(), key=lambda s: (s.start, s.end))
