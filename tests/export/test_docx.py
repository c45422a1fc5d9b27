"""The DOCX reopened with python-docx: styles, sections, lists, table, footer, metadata."""

from __future__ import annotations

import asyncio
import zipfile
from pathlib import Path

import docx
import pytest

from medscribe.core.notes import SoapNote, StructuredDocument
from medscribe.core.session import EncounterResult
from medscribe.core.transcript import Transcript
from medscribe.export import write_docx

from .docx_parts import xml_parts

FOOTER = "Draft generated with medscribe - review before signing"


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def _num_id(paragraph) -> int | None:
    num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    return num_pr.numId.val if num_pr is not None and num_pr.numId is not None else None


@pytest.fixture
def written(result, tmp_path) -> Path:
    return write_docx(result, tmp_path / "visit.docx")


def test_returns_the_path_and_writes_a_docx(result, tmp_path):
    path = write_docx(result, tmp_path / "visit.docx")
    assert path == tmp_path / "visit.docx"
    assert docx.Document(str(path)).paragraphs


def test_title_encounter_line_and_soap_headings(written):
    paras = _paragraphs(written)
    assert paras[0] == ("Title", "Clinical Note")
    assert (
        paras[1][1]
        == "Date: 2026-03-05    |    Clinician: Dr. Alan Reyes    |    Patient: Martha Smith"
    )
    headings = [text for style, text in paras if style == "Heading 1"]
    assert headings[:4] == ["Subjective", "Objective", "Assessment", "Plan"]
    assert "Medications, Allergies and Diagnoses" in headings
    assert "Structured Document" in headings
    sub = [text for style, text in paras if style == "Heading 2"]
    assert sub == [
        "Chief Complaint",
        "History of Present Illness",
        "Allergies",
        "Follow-up Instructions",
    ]


def test_section_text_bullets_and_markdown(written):
    paras = _paragraphs(written)
    texts = [t for _, t in paras]
    assert "Chief complaint: dysuria since March 3rd." in texts
    assert ("List Bullet", "No fever") in paras
    assert ("List Bullet", "Poor glycaemic control at home") in paras
    assert ("List Number", "Uncomplicated cystitis") in paras
    assert not any(t.lstrip().startswith(("-", "*", "•", "#")) or "**" in t for t in texts)
    # The title echo "Plan:" is dropped; "Subjective:" inside Assessment is not an echo.
    plan_at = texts.index("Plan")
    assert texts[plan_at + 1] == "Nitrofurantoin 100 mg twice daily for 5 days"
    assert "Subjective:" in texts
    bold = docx.Document(str(written)).paragraphs[
        texts.index("Chief complaint: dysuria since March 3rd.")
    ]
    assert bold.runs[0].text == "Chief complaint:" and bold.runs[0].bold


def test_numbered_lists_restart_in_each_list(written):
    doc = docx.Document(str(written))
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    by_text = {p.text: _num_id(p) for p in numbered}
    assessment = {
        by_text["Uncomplicated cystitis"],
        by_text["Type 2 diabetes mellitus, poorly controlled"],
    }
    plan = {
        by_text["Nitrofurantoin 100 mg twice daily for 5 days"],
        by_text["HbA1c and urine culture"],
    }
    follow_up = {
        by_text["Call Ms. Smith at 555-201-3344 with results"],
        by_text["Return in 2 weeks"],
    }
    assert len(assessment) == len(plan) == len(follow_up) == 1
    assert len(assessment | plan | follow_up) == 3
    numbering = xml_parts(written)["word/numbering.xml"]
    for num_id in assessment | plan | follow_up:
        assert f'w:numId="{num_id}"' in numbering
    assert numbering.count('<w:startOverride w:val="1"/>') >= 3


def test_empty_soap_section_says_not_documented(written):
    paras = _paragraphs(written)
    at = paras.index(("Heading 1", "Objective"))
    assert paras[at + 1][1] == "Not documented"


def test_entity_table_rows_codes_and_marks(written):
    doc = docx.Document(str(written))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.style.name == "Table Grid"
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Type", "Entry", "Details"]
    assert rows[1:] == [
        ["Medication", "Nitrofurantoin", "100 mg, oral, twice daily"],
        ["Medication", "Metformin (not found in transcript - verify)", "500 mg"],
        ["Allergy", "Penicillin", "reaction: rash"],
        ["Diagnosis", "Acute cystitis", "N30.00 - Acute cystitis without hematuria"],
        ["Diagnosis", "Type 2 diabetes mellitus", "E11.99 (unverified: not an ICD-10-CM code)"],
        ["Diagnosis", "Hypertension (not found in transcript - verify)", "No ICD-10-CM code"],
    ]


def test_empty_entity_groups_say_not_documented(result, tmp_path):
    result.entities.allergies = []
    result.entities.medications = []
    path = write_docx(result, tmp_path / "v.docx")
    rows = [[c.text for c in r.cells] for r in docx.Document(str(path)).tables[0].rows]
    assert ["Medication", "Not documented", ""] in rows
    assert ["Allergy", "Not documented", ""] in rows


def test_footer_on_every_page_with_page_fields(written):
    doc = docx.Document(str(written))
    for section in doc.sections:
        text = section.footer.paragraphs[0].text
        assert text.startswith(FOOTER) and "Page" in text and " of " in text
    footers = [xml for name, xml in xml_parts(written).items() if name.startswith("word/footer")]
    assert footers
    assert any("PAGE " in xml and "NUMPAGES" in xml for xml in footers)


def test_metadata_names_no_person(written):
    props = docx.Document(str(written)).core_properties
    assert props.title == "Clinical Note"
    assert props.author == "medscribe" and props.last_modified_by == "medscribe"
    assert props.comments == ""
    assert props.created is not None and props.created.year >= 2025
    with zipfile.ZipFile(written) as zf:  # the template's blank-page preview is gone
        assert not any("thumbnail" in name for name in zf.namelist())


def test_transcript_appendix_has_speaker_turns(result, tmp_path):
    path = write_docx(result, tmp_path / "t.docx", include_transcript=True)
    paras = _paragraphs(path)
    at = paras.index(("Heading 1", "Appendix: Transcript"))
    turns = [t for _, t in paras[at + 1 :]]
    assert turns[0] == "Doctor: Good morning, Martha Smith. I'm Dr. Alan Reyes."
    assert turns[1].startswith("Patient: Morning.")
    assert len(turns) == 6
    assert ("Heading 1", "Appendix: Transcript") not in _paragraphs(
        write_docx(result, tmp_path / "n.docx")
    )


def test_transcript_without_segments_is_one_paragraph_per_line(tmp_path):
    r = EncounterResult(transcript=Transcript(text="first line\r\n\r\nsecond line\n"))
    paras = _paragraphs(write_docx(r, tmp_path / "x.docx", include_transcript=True))
    at = paras.index(("Heading 1", "Appendix: Transcript"))
    assert [t for _, t in paras[at + 1 :]] == ["first line", "second line"]


def test_structured_only_result_leaves_soap_out(result, tmp_path):
    result.soap = SoapNote()
    paras = _paragraphs(write_docx(result, tmp_path / "s.docx"))
    assert ("Heading 1", "Subjective") not in paras
    assert ("Heading 2", "Chief Complaint") in paras


def test_empty_result_still_writes_a_document(tmp_path):
    r = EncounterResult(transcript=Transcript(text="x"))
    r.structured = StructuredDocument()
    paras = _paragraphs(write_docx(r, tmp_path / "e.docx"))
    assert [t for s, t in paras if s == "Heading 1"][:4] == [
        "Subjective",
        "Objective",
        "Assessment",
        "Plan",
    ]
    assert paras[1][1] == "Subjective"  # no encounter line when every part is empty


def test_control_characters_in_text_do_not_break_the_file(result, tmp_path):
    result.soap.subjective = "Pasted\x0bfrom a form\x0cwith\x00 odd\x07 characters"
    result.entities.medications[0].name = "Nitro\x1bfurantoin"
    path = write_docx(result, tmp_path / "c.docx")
    texts = [t for _, t in _paragraphs(path)]
    assert "Pasted" in texts and "from a form" in texts and "with odd characters" in texts


def test_write_from_worker_threads(result, tmp_path):
    async def both():
        return await asyncio.gather(
            asyncio.to_thread(write_docx, result, tmp_path / "a.docx"),
            asyncio.to_thread(write_docx, result, tmp_path / "b.docx", deidentify=True),
        )

    a, b = asyncio.run(both())
    assert "Martha Smith" in docx.Document(str(a)).paragraphs[1].text
    assert "Martha" not in docx.Document(str(b)).paragraphs[1].text
