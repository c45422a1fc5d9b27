"""Plain text that pastes cleanly into an EHR text box.

Format (tested): each section is its title in capitals on one line, then its lines; list items
start with "• " (numbered items with "1. "), nested items are indented by two spaces; no
markdown symbols, no trailing spaces, ``\\n`` line endings, no blank line inside a section and
exactly one blank line between sections, so the EHR shows the same structure as the DOCX.
"""

from __future__ import annotations

from medscribe.core.session import EncounterResult
from medscribe.export.blocks import BlockKind, parse_blocks, strip_inline_markdown
from medscribe.export.content import NOT_DOCUMENTED, build_content

BULLET = "•"


def _line(kind: BlockKind, text: str, level: int, number: int) -> str:
    indent = "  " * (level - 1)
    if kind is BlockKind.BULLET:
        return f"{indent}{BULLET} {text}"
    if kind is BlockKind.NUMBER:
        return f"{indent}{number}. {text}"
    return text


def section_plain_text(title: str, body: str) -> str:
    """One section: its title in capitals, then its lines ("Not documented" when empty)."""
    heading = " ".join(strip_inline_markdown(title).split()).upper()
    lines = [heading]
    for block in parse_blocks(body, title):
        text = " ".join(strip_inline_markdown(block.text).split())
        if text:
            lines.append(_line(block.kind, text, block.level, block.number))
    if len(lines) == 1:
        lines.append(NOT_DOCUMENTED)
    return "\n".join(line.rstrip() for line in lines)


def note_plain_text(result: EncounterResult, *, deidentify: bool = False) -> str:
    """The whole note for the EHR: the SOAP sections, or, when there is no SOAP note, the
    structured document's sections that have text.

    Not both: their Assessment and Plan would appear twice in the EHR. The encounter line,
    entity table and transcript are left out too: the EHR already knows the patient and the
    visit, and the table repeats what the note says. ``section_plain_text`` copies any one
    section on its own.
    """
    content = build_content(result, deidentify=deidentify)
    sections = content.soap or content.structured
    return "\n\n".join(section_plain_text(s.title, s.body) for s in sections)
