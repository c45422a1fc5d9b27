"""The de-identified DOCX holds none of the identifiers, in any part of the package."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest

from medscribe.core.notes import SoapNote, StructuredDocument
from medscribe.core.phi import PhiCategory, PhiSpan
from medscribe.core.readers import transcript_from_text
from medscribe.core.session import EncounterInfo, EncounterResult
from medscribe.export import write_docx

from .conftest import IDENTIFIERS
from .docx_parts import leaks, part_texts

ACI_DIR = Path(__file__).resolve().parent.parent / "data" / "aci_bench"


def test_fixture_identifiers_absent_from_every_part(result, tmp_path):
    plain = write_docx(result, tmp_path / "plain.docx", include_transcript=True)
    path = write_docx(result, tmp_path / "deid.docx", deidentify=True, include_transcript=True)
    # The identifiers are really in the normal export, so their absence below means something.
    assert {ident for ident, _ in leaks(plain, IDENTIFIERS)} == set(IDENTIFIERS)
    assert leaks(path, IDENTIFIERS) == []
    body = part_texts(path)["word/document.xml"]
    assert "[NAME]" in body and "[PHONE]" in body and "[MRN]" in body and "[DATE]" in body


def test_deidentified_parts_and_rejected_spans(result, tmp_path):
    path = write_docx(result, tmp_path / "d.docx", deidentify=True, include_transcript=True)
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == "Date: [DATE]    |    Clinician: [NAME]    |    Patient: [NAME]"
    assert texts[2].startswith("De-identified copy")
    assert "Doctor: Good morning, [NAME]. I'm Dr. [NAME]." in texts
    assert "Patient: Penicillin gives me a rash. No Parkinson that I know of." in texts
    assert "No family history of Parkinson disease." in texts
    assert "[NAME], from [LOCATION], has dysuria since [DATE]." in texts
    props = doc.core_properties
    assert props.created is None and props.modified is None  # the export date is a date too
    assert props.author == "medscribe"


def test_table_cells_are_deidentified(result, tmp_path):
    result.entities.medications[0].name = "Nitrofurantoin from Springfield pharmacy"
    path = write_docx(result, tmp_path / "t.docx", deidentify=True)
    cells = [c.text for row in docx.Document(str(path)).tables[0].rows for c in row.cells]
    assert "Nitrofurantoin from [LOCATION] pharmacy" in cells


def _aci_cases() -> list[tuple[str, list[str]]]:
    if not (ACI_DIR / "manifest.json").exists():
        return []
    manifest = json.loads((ACI_DIR / "manifest.json").read_text(encoding="utf-8"))
    cases = []
    for item in manifest:
        names = [item.get(k, "") for k in ("patient_firstname", "patient_familyname")]
        cases.append((item["file"], [n for n in names if n and n.strip()]))
    return cases


def _word_spans(text: str, word: str) -> list[PhiSpan]:
    return [
        PhiSpan(start=m.start(), end=m.end(), category=PhiCategory.NAME, text=m.group(0))
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
    ]


def _note_from(text: str, first: str, family: str) -> tuple[SoapNote, StructuredDocument]:
    """Generated-looking text that mentions the patient in the forms notes use."""
    lines = text.splitlines()
    quoted = "\n".join(lines[:12])
    full = f"{first.title()} {family.title()}".strip()
    soap = SoapNote(
        subjective=f"{full} presents today. Ms. {family.title()} reports:\n- {quoted[:400]}",
        objective=f"{family.upper()} appears well.",
        assessment=f"1. Problem list for {first.lower()}",
        plan=f"1. {first.title()}'s follow-up in two weeks",
    )
    return soap, StructuredDocument(history_of_present_illness=quoted)


@pytest.mark.parametrize(
    ("name", "identifiers"),
    _aci_cases() or [pytest.param("", [], marks=pytest.mark.skip("no ACI-Bench samples"))],
)
def test_annotated_aci_bench_transcripts(name, identifiers, tmp_path):
    """Spans annotated from the data set's patient names: gone from the whole package."""
    text = (ACI_DIR / name).read_text(encoding="utf-8")
    spans = [s for word in identifiers for s in _word_spans(text, word)]
    first, family = [*identifiers, "", ""][:2]
    soap, structured = _note_from(text, first, family)
    result = EncounterResult(
        transcript=transcript_from_text(text, source_name=name),
        encounter=EncounterInfo(date="2026-01-02", patient_name=f"{first} {family}".strip()),
        phi_spans=spans,
        soap=soap,
        structured=structured,
    )
    path = write_docx(result, tmp_path / "d.docx", deidentify=True, include_transcript=True)
    assert leaks(path, [*identifiers, "2026-01-02"]) == []
    if identifiers:
        plain = write_docx(result, tmp_path / "p.docx", include_transcript=True)
        assert leaks(plain, identifiers)  # the names really were there to remove


def test_detector_spans_absent_from_deidentified_docx(tmp_path):
    """With the real rule detector: every identifier string it found is gone."""
    phi_detect = pytest.importorskip("medscribe.core.phi_detect")
    files = sorted(ACI_DIR.glob("*.txt"))
    if not files:
        pytest.skip("no ACI-Bench samples")
    checked = 0
    for file in files:
        text = file.read_text(encoding="utf-8")
        spans = phi_detect.detect_phi_rules(text)
        if not spans:
            continue
        lines = text.splitlines()
        result = EncounterResult(
            transcript=transcript_from_text(text, source_name=file.name),
            phi_spans=spans,
            # Generated text stands in as the transcript's own sentences, identifiers included.
            soap=SoapNote(subjective="\n".join(lines[: len(lines) // 2])),
            structured=StructuredDocument(plan="\n".join(lines[len(lines) // 2 :])),
        )
        path = write_docx(
            result, tmp_path / f"{file.stem}.docx", deidentify=True, include_transcript=True
        )
        identifiers = sorted({s.text.strip() for s in spans if s.text.strip()})
        assert leaks(path, identifiers) == [], file.name
        checked += 1
    assert checked, "the detector found nothing in any sample"
