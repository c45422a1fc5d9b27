"""Plain text for the EHR: no markdown, no stray spaces, one blank line between sections."""

from __future__ import annotations

import re

from medscribe.core.notes import SoapNote, StructuredDocument
from medscribe.export import note_plain_text, section_plain_text


def test_section_format():
    body = "## Plan  \r\n**Start** metformin  \r\n\r\n- item one \n*  item two\n1) first\n3) second"
    assert section_plain_text("Plan", body) == (
        "PLAN\nStart metformin\n• item one\n• item two\n1. first\n2. second"
    )


def test_empty_section_says_not_documented():
    assert section_plain_text("Objective", "  \n ") == "OBJECTIVE\nNot documented"


def test_nested_items_are_indented():
    assert section_plain_text("Plan", "- a\n  - b\n  1. c") == "PLAN\n• a\n  • b\n  1. c"


def test_whole_note_is_clean(result):
    text = note_plain_text(result)
    sections = text.split("\n\n")
    assert [s.splitlines()[0] for s in sections] == [
        "SUBJECTIVE",
        "OBJECTIVE",
        "ASSESSMENT",
        "PLAN",
    ]
    assert "\n\n\n" not in text and "\r" not in text
    assert not text.startswith("\n") and not text.endswith("\n")
    for line in text.splitlines():
        assert line == line.rstrip(), repr(line)
        assert not re.match(r"\s*([-*+]|#+)\s", line), repr(line)
    assert "**" not in text and "#" not in text
    assert "Chief complaint: dysuria since March 3rd." in text
    assert "• No flank pain" in text
    assert "OBJECTIVE\nNot documented" in text
    # The Plan restarts numbering after "Follow-up:" just like the DOCX does.
    assert "2. HbA1c and urine culture\nFollow-up:\n1. Call Ms. Smith" in text


def test_structured_sections_used_when_there_is_no_soap_note(result):
    result.soap = SoapNote()
    text = note_plain_text(result)
    assert [s.splitlines()[0] for s in text.split("\n\n")] == [
        "CHIEF COMPLAINT",
        "HISTORY OF PRESENT ILLNESS",
        "ALLERGIES",
        "FOLLOW-UP INSTRUCTIONS",
    ]


def test_nothing_at_all_still_gives_the_soap_skeleton(result):
    result.soap = SoapNote()
    result.structured = StructuredDocument()
    assert note_plain_text(result).count("Not documented") == 4


def test_deidentified_plain_text(result):
    text = note_plain_text(result, deidentify=True)
    for word in ("Martha", "Smith", "Jordan", "March 3rd", "3344"):
        assert word not in text
    assert "Mrs. [NAME] ([NAME]) reports" in text
    assert "Call Ms. [NAME] at [PHONE] with results" in text
    assert "Parkinson disease" in text  # rejected span: kept as written
