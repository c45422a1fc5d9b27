"""What an export says, decided once for every format.

The DOCX and plain-text writers only lay out an :class:`ExportContent`; which sections appear,
how codes are marked and what de-identification replaced are decided here, so the formats
cannot drift apart and no writer can forget to de-identify a part.

Choices a physician would expect (and the tests hold us to):
- The four SOAP headings always appear; an empty one says "Not documented". When the SOAP
  note is entirely empty but a structured document exists, the SOAP part is left out instead.
- Structured-document sections appear only when they have text.
- The entity table always has its three groups; an empty group says "Not documented".
- Entities the transcript does not support are kept but marked "(not found in transcript -
  verify)", so a model's invention is visible to the signer rather than silently dropped.
- ICD-10-CM codes that are not verified carry "(unverified)" and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medscribe.core.entities import CodeStatus, Diagnosis, GroundedEntity
from medscribe.core.notes import DocSection, SoapSection
from medscribe.core.phi import PhiCategory
from medscribe.core.session import EncounterResult
from medscribe.export.blocks import xml_safe
from medscribe.export.deidentify import Redactor, build_redactor, redact_slice

NOT_DOCUMENTED = "Not documented"
UNSUPPORTED_MARK = "(not found in transcript - verify)"
DOCUMENT_TITLE = "Clinical Note"
DEIDENTIFIED_NOTICE = (
    "De-identified copy: patient identifiers are replaced by placeholders such as [NAME]."
)
FOOTER_TEXT = "Draft generated with medscribe - review before signing"

_CODE_REASON = {
    CodeStatus.TITLE_MISMATCH: "code does not match the diagnosis",
    CodeStatus.INVALID: "not an ICD-10-CM code",
}


@dataclass(frozen=True)
class Section:
    title: str
    body: str  # may be empty (then writers print NOT_DOCUMENTED)


@dataclass(frozen=True)
class TableRow:
    group: str  # "Medication", "Allergy", "Diagnosis"
    entry: str
    details: str


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str


@dataclass(frozen=True)
class ExportContent:
    title: str
    encounter_parts: list[tuple[str, str]]  # (label, value), empty parts already skipped
    deidentified: bool
    soap: list[Section]  # empty list: no SOAP part
    table: list[TableRow]
    structured: list[Section]  # only sections with text
    transcript: list[Turn] | None = None  # None: no appendix
    footer: str = FOOTER_TEXT
    table_header: tuple[str, str, str] = field(default=("Type", "Entry", "Details"))


class _Plain:
    """Text as written, minus characters a DOCX cannot hold; the base of every part."""

    def redact(self, text: str) -> str:
        return xml_safe(text)


class _Deidentified(_Plain):
    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor

    def redact(self, text: str) -> str:
        return self.redactor.redact(super().redact(text))


def _encounter_parts(result: EncounterResult, r: _Plain, deid: bool) -> list[tuple[str, str]]:
    info = result.encounter
    parts: list[tuple[str, str]] = []
    if info.date.strip():
        parts.append(
            ("Date", PhiCategory.DATE.placeholder if deid else r.redact(info.date.strip()))
        )
    if info.clinician.strip():
        name = PhiCategory.NAME.placeholder if deid else r.redact(info.clinician.strip())
        parts.append(("Clinician", name))
    if info.patient_name.strip():
        name = PhiCategory.NAME.placeholder if deid else r.redact(info.patient_name.strip())
        parts.append(("Patient", name))
    return parts


def _mark(entity: GroundedEntity, text: str) -> str:
    return text if entity.supported else f"{text} {UNSUPPORTED_MARK}"


def diagnosis_code_text(dx: Diagnosis) -> str:
    """The table's code cell: "E11.9 - <official title>", or the code marked "(unverified...)".

    Only a verified code is printed as fact; anything else says why it is not, so the signer
    checks it before it reaches a claim.
    """
    code = (dx.icd10_code or "").strip()
    if not code:
        return "No ICD-10-CM code"
    if dx.code_status is CodeStatus.VERIFIED:
        return f"{code} - {dx.icd10_title}" if dx.icd10_title else code
    reason = _CODE_REASON.get(dx.code_status)
    text = f"{code} (unverified: {reason})" if reason else f"{code} (unverified)"
    if dx.icd10_title and dx.code_status is CodeStatus.TITLE_MISMATCH:
        text += f"; official title: {dx.icd10_title}"
    return text


def _join(*parts: str | None) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


def _table(result: EncounterResult, r: _Plain) -> list[TableRow]:
    ents = result.entities
    rows: list[TableRow] = []
    meds = [
        TableRow("Medication", _mark(m, m.name), _join(m.dose, m.route, m.frequency))
        for m in ents.medications
    ]
    allergies = [
        TableRow("Allergy", _mark(a, a.substance), _join(a.reaction and f"reaction: {a.reaction}"))
        for a in ents.allergies
    ]
    dxs = [TableRow("Diagnosis", _mark(d, d.name), diagnosis_code_text(d)) for d in ents.diagnoses]
    for group, items in (("Medication", meds), ("Allergy", allergies), ("Diagnosis", dxs)):
        rows.extend(items or [TableRow(group, NOT_DOCUMENTED, "")])
    return [TableRow(row.group, r.redact(row.entry), r.redact(row.details)) for row in rows]


def _label_length(text: str, speaker: str) -> int:
    """Length of a leading "Doctor:" / "[doctor]" when a segment repeats its own speaker."""
    if not speaker:
        return 0
    stripped = text.lstrip()
    for label in (f"{speaker}:", f"[{speaker}]"):
        if stripped.casefold().startswith(label.casefold()):
            return len(text) - len(stripped) + len(label)
    return 0


def _turns(result: EncounterResult, r: _Plain) -> list[Turn]:
    tr = result.transcript

    def piece(start: int, end: int) -> str:
        # Offsets first (exact), then the free-text pass, when de-identifying.
        if isinstance(r, _Deidentified):
            return xml_safe(redact_slice(result, r.redactor, start, end))
        return r.redact(tr.text[start:end])

    if not tr.segments:
        lines = piece(0, len(tr.text)).split("\n")
        return [Turn("", " ".join(line.split())) for line in lines if line.strip()]
    turns: list[Turn] = []
    for seg in tr.segments:
        speaker = " ".join((seg.speaker or "").split())
        start = seg.start + _label_length(tr.segment_text(seg), speaker)
        body = " ".join(piece(start, seg.end).split())
        if body:
            turns.append(Turn(r.redact(speaker), body))
    return turns


def build_content(
    result: EncounterResult, *, deidentify: bool = False, include_transcript: bool = False
) -> ExportContent:
    """Everything the writers print, de-identified here when asked."""
    r = _Deidentified(build_redactor(result)) if deidentify else _Plain()
    soap: list[Section] = []
    if not result.soap.is_empty() or result.structured.is_empty():
        soap = [Section(s.title, r.redact(result.soap.get(s))) for s in SoapSection]
    structured = [
        Section(s.title, r.redact(result.structured.get(s)))
        for s in DocSection
        if result.structured.get(s).strip()
    ]
    return ExportContent(
        title=DOCUMENT_TITLE,
        encounter_parts=_encounter_parts(result, r, deidentify),
        deidentified=deidentify,
        soap=soap,
        table=_table(result, r),
        structured=structured,
        transcript=_turns(result, r) if include_transcript else None,
    )
