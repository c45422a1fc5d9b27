"""Prompt texts and the message layout that lets the server reuse its prompt cache.

Every request of every step starts with the SAME bytes: one system message holding the shared
instructions and then the transcript. Only the final user message (the step's instruction)
differs. llama.cpp (inside LM Studio) keeps the processed tokens of the previous request in
its slot and reuses the longest common prefix, so the transcript is processed once per visit,
not once per step. Anything step-specific (entity lists, the current note) therefore goes in
the final message, never before the transcript.
"""

from __future__ import annotations

from medscribe.core.entities import MedicalEntities
from medscribe.core.llm_port import ChatMessage
from medscribe.core.notes import SoapNote, SoapSection
from medscribe.core.pipeline.chunking import Chunk

SHARED_SYSTEM = (
    "You write clinical documentation from a consultation transcript, for the clinician to "
    "review. Use only what the transcript says; never invent findings, doses or diagnoses."
)

PROMPT_VERSION = "1"  # part of every cache key: change it when a prompt text changes


def transcript_header(chunk: Chunk | None = None) -> str:
    if chunk is None or chunk.total == 1:
        return "\n\nTRANSCRIPT:\n"
    return (
        f"\n\nTRANSCRIPT, PART {chunk.index + 1} OF {chunk.total} (the visit was too long "
        "to read at once; parts overlap slightly):\n"
    )


def system_text(chunk: Chunk | None = None) -> str:
    """The shared prefix of every request; byte-identical for all steps of one visit/part."""
    body = chunk.text if chunk is not None else ""
    return SHARED_SYSTEM + transcript_header(chunk) + body


def messages(chunk: Chunk, instruction: str) -> list[ChatMessage]:
    return [
        ChatMessage(role="system", content=system_text(chunk)),
        ChatMessage(role="user", content=instruction),
    ]


PHI_INSTRUCTION = (
    "List every identifier in the transcript, copied exactly: people's names, places smaller "
    "than a state, dates, ages over 89, phone or fax numbers (spoken digits too), email, web "
    "or IP addresses, and any ID number (SSN, record, health plan, account, licence, vehicle, "
    "device). Not drugs, diseases or vital signs."
)

ENTITIES_INSTRUCTION = (
    "Extract, in the transcript's words: diagnoses (ICD-10-CM code if sure, else null), "
    "medications (dose, route, frequency or null), procedures, symptoms, vitals (type, value, "
    "unit), allergies (substance, reaction)."
)

SOAP_INSTRUCTION = (
    "Write a SOAP note: the headings Subjective:, Objective:, Assessment:, Plan: each on its "
    'own line, each followed by short lines starting with "- ". No other text.'
)


def soap_section_instruction(note: SoapNote, section: SoapSection) -> str:
    current = "\n".join(f"{s.title}:\n{note.get(s).strip()}\n" for s in SoapSection)
    return (
        f"This is the current SOAP note of the visit above:\n\n{current}\n"
        f"Write the {section.title} section again, more complete and accurate, using only "
        "the transcript. Reply with the text of that section only, as short lines starting "
        f'with "- ", without the heading "{section.title}:".'
    )


def _note_text(note: SoapNote) -> str:
    return "\n".join(f"{s.title}:\n{note.get(s).strip()}" for s in SoapSection)


def soap_merge_messages(partials: list[SoapNote]) -> list[ChatMessage]:
    """The final pass of a long visit: one SOAP note from the notes of its parts."""
    parts = "\n\n".join(
        f"NOTE OF PART {i + 1}:\n"
        + "\n".join(f"{s.title}:\n{p.get(s).strip()}" for s in SoapSection)
        for i, p in enumerate(partials)
    )
    return [
        ChatMessage(
            role="system",
            content=SHARED_SYSTEM
            + "\n\nThe visit was too long to read at once, so a SOAP note was written for each "
            "consecutive part of it (parts overlap slightly):\n\n" + parts,
        ),
        ChatMessage(
            role="user",
            content="Combine these notes into one SOAP note of the whole visit. Keep every "
            "distinct finding once. " + SOAP_INSTRUCTION.removeprefix("Write a SOAP note: "),
        ),
    ]


STRUCTURE_INSTRUCTION = (
    'Write the clinical document of this visit, each section in short sentences; "" when '
    "the transcript does not cover it."
)


def entity_lines(entities: MedicalEntities, *, limit: int = 40) -> list[str]:
    """Supported entities, compactly, for the structure prompt (unsupported are left out)."""

    def join(*parts: str | None) -> str:
        return " ".join(p for p in parts if p)

    groups = {
        "Diagnoses": [
            join(d.name, f"({d.icd10_code})" if d.icd10_code else None)
            for d in entities.diagnoses
            if d.supported
        ],
        "Medications": [
            join(m.name, m.dose, m.route, m.frequency) for m in entities.medications if m.supported
        ],
        "Allergies": [
            join(a.substance, f"({a.reaction})" if a.reaction else None)
            for a in entities.allergies
            if a.supported
        ],
        "Vitals": [join(v.type, v.value, v.unit) for v in entities.vitals if v.supported],
        "Procedures": [p.name for p in entities.procedures if p.supported],
        "Symptoms": [s.name for s in entities.symptoms if s.supported],
    }
    lines = [f"{title}: {'; '.join(items[:limit])}." for title, items in groups.items() if items]
    return lines


def structure_instruction(entity_list: list[str]) -> str:
    if not entity_list:
        return STRUCTURE_INSTRUCTION
    return STRUCTURE_INSTRUCTION + " Confirmed by the clinician:\n" + "\n".join(entity_list)
