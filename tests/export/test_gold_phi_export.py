"""Gold-annotated transcripts (the PHI evaluation set): no annotated identifier survives a
de-identified export, in the note, the tables, the transcript appendix or the metadata."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medscribe.core.notes import SoapNote, StructuredDocument
from medscribe.core.phi import PhiCategory, PhiSpan, ReviewState
from medscribe.core.readers import transcript_from_text
from medscribe.core.session import EncounterResult
from medscribe.export import note_plain_text, write_docx

from .docx_parts import leaks

EVAL_DIR = Path(__file__).resolve().parent.parent / "data" / "phi_eval"
_INLINE = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]")


def _from_inline(marked: str) -> tuple[str, list[PhiSpan]]:
    """'[[NAME|Eleanor]] said' -> ('Eleanor said', [span 0-7])."""
    text, spans, pos = "", [], 0
    for m in _INLINE.finditer(marked):
        text += marked[pos : m.start()]
        start = len(text)
        text += m.group(2)
        spans.append(
            PhiSpan(start=start, end=len(text), category=PhiCategory(m.group(1)), text=m.group(2))
        )
        pos = m.end()
    return text + marked[pos:], spans


def _cases() -> list[Path]:
    return sorted(EVAL_DIR.glob("*/*.json")) + sorted(EVAL_DIR.glob("handwritten/*/*.txt"))


def _load(path: Path) -> tuple[str, list[PhiSpan]]:
    if path.suffix == ".txt":
        return _from_inline(path.read_text(encoding="utf-8"))
    data = json.loads(path.read_text(encoding="utf-8"))
    text = data["text"]
    spans = [
        PhiSpan(
            start=s["start"],
            end=s["end"],
            category=PhiCategory(s["category"]),
            text=text[s["start"] : s["end"]],
        )
        for s in data["spans"]
    ]
    return text, spans


def _also_outside(text: str, needle: str, covered: list[tuple[int, int]]) -> bool:
    for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text, re.I):
        if not any(a <= m.start() and m.end() <= b for a, b in covered):
            return True
    return False


@pytest.mark.skipif(not _cases(), reason="no PHI evaluation set")
def test_gold_identifiers_absent_from_deidentified_exports(tmp_path):
    checked = 0
    for path in _cases():
        text, spans = _load(path)
        # Half confirmed, half left pending: both must be redacted.
        spans = [
            s.model_copy(update={"state": ReviewState.CONFIRMED}) if i % 2 else s
            for i, s in enumerate(spans)
        ]
        lines = text.splitlines()
        half = len(lines) // 2
        result = EncounterResult(
            transcript=transcript_from_text(text, source_name=path.name),
            phi_spans=spans,
            # The transcript's own sentences stand in for generated text: every identifier
            # appears in free text with no offsets, as it would in a model's note.
            soap=SoapNote(subjective="\n".join(lines[:half]), plan="\n".join(lines[half:])),
            structured=StructuredDocument(history_of_present_illness=text),
        )
        # An identifier that also stands in the text as an ordinary word or reading ("98" as
        # an age and as "SpO2 98%") cannot be checked by searching for it: left out.
        covered = [(s.start, s.end) for s in spans]
        identifiers = sorted(
            {
                s.text.strip()
                for s in spans
                if s.text.strip() and not _also_outside(text, s.text.strip(), covered)
            }
        )
        out = write_docx(
            result, tmp_path / f"{path.stem}.docx", deidentify=True, include_transcript=True
        )
        assert leaks(out, identifiers) == [], path.name
        plain = note_plain_text(result, deidentify=True)
        assert [
            i for i in identifiers if re.search(rf"(?<!\w){re.escape(i)}(?!\w)", plain, re.I)
        ] == [], path.name
        checked += 1
    assert checked >= 5
