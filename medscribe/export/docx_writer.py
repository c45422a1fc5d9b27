"""The DOCX a physician reviews and signs.

Only real Word styles are used (Title, Heading 1-3, List Bullet, List Number, Table Grid), so
the physician can restyle the whole note from Word's Styles pane; direct formatting is limited
to bold/italic inside a line and the muted "Not documented". Everything printed comes from
:func:`medscribe.export.content.build_content`, which already de-identified it when asked.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Inches, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph

from medscribe.core.session import EncounterResult
from medscribe.export import ooxml
from medscribe.export.atomic import check_target, save_atomically
from medscribe.export.blocks import (
    Block,
    BlockKind,
    inline_runs,
    parse_blocks,
    strip_inline_markdown,
)
from medscribe.export.content import (
    DEIDENTIFIED_NOTICE,
    NOT_DOCUMENTED,
    ExportContent,
    Section,
    build_content,
)

log = logging.getLogger(__name__)

_MUTED = RGBColor(0x59, 0x59, 0x59)
_INK = RGBColor(0x1F, 0x1F, 0x1F)
_ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
# Tab stops of python-docx's built-in Footer style (twips): centre at 3.25", right at 6.5".
_FOOTER_CENTRE_TAB = Twips(4680)
_FOOTER_RIGHT_TAB = Twips(9360)
_KEEP_TOGETHER_ROWS = 25  # longer tables may break across pages (header row repeats)
_LIST_STYLES = {
    (BlockKind.BULLET, 1): "List Bullet",
    (BlockKind.BULLET, 2): "List Bullet 2",
    (BlockKind.NUMBER, 1): "List Number",
    (BlockKind.NUMBER, 2): "List Number 2",
}


def _set_up_styles(document: DocxDocument) -> None:
    """Sober defaults for a clinical document; still the named styles Word users know."""
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    title = styles["Title"]
    title.font.size = Pt(22)
    title.font.color.rgb = _ACCENT
    for name, size, before in (("Heading 1", 14, 14), ("Heading 2", 12, 10), ("Heading 3", 11, 6)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = _ACCENT if name != "Heading 3" else _INK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(3)
    footer = styles["Footer"]
    footer.font.size = Pt(9)
    footer.font.color.rgb = _MUTED
    for section in document.sections:
        section.left_margin = section.right_margin = Inches(1)
        section.top_margin = section.bottom_margin = Inches(1)


def _add_runs(paragraph: Paragraph, text: str) -> None:
    for run in inline_runs(text):
        r = paragraph.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None


def _not_documented(document: DocxDocument) -> None:
    run = document.add_paragraph().add_run(NOT_DOCUMENTED)
    run.italic = True
    run.font.color.rgb = _MUTED


def _add_blocks(document: DocxDocument, blocks: list[Block], heading_level: int) -> None:
    num_ids: dict[int, int] = {}  # Block.list_id -> the numId that list uses
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            heading = document.add_heading(strip_inline_markdown(block.text), level=heading_level)
            ooxml.keep_with_next(heading)
            continue
        style = _LIST_STYLES.get((block.kind, block.level))
        paragraph = document.add_paragraph(style=style)
        _add_runs(paragraph, block.text)
        if block.kind is BlockKind.NUMBER:
            if block.list_id in num_ids:
                ooxml.set_num_id(paragraph, num_ids[block.list_id])
            else:
                num_ids[block.list_id] = ooxml.restart_numbering(document, paragraph, style or "")


def _add_section(document: DocxDocument, section: Section, level: int) -> None:
    ooxml.keep_with_next(document.add_heading(section.title, level=level))
    blocks = parse_blocks(section.body, section.title)
    if blocks:
        _add_blocks(document, blocks, heading_level=min(level + 1, 3))
    else:
        _not_documented(document)


def _add_encounter(document: DocxDocument, content: ExportContent) -> None:
    if content.encounter_parts:
        paragraph = document.add_paragraph()
        for i, (label, value) in enumerate(content.encounter_parts):
            if i:
                paragraph.add_run("    |    ").font.color.rgb = _MUTED
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    if content.deidentified:
        run = document.add_paragraph().add_run(DEIDENTIFIED_NOTICE)
        run.italic = True
        run.font.color.rgb = _MUTED


def _add_table(document: DocxDocument, content: ExportContent) -> None:
    ooxml.keep_with_next(document.add_heading("Medications, Allergies and Diagnoses", level=1))
    table = document.add_table(rows=1, cols=3)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, content.table_header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        ooxml.shade(cell, "E7ECF2")
    ooxml.repeat_header_row(table)
    for row in content.table:
        cells = table.add_row().cells
        cells[0].text = row.group
        cells[1].text = row.entry
        cells[2].text = row.details
    # Widths on the grid and on every cell: Word reads the cells, LibreOffice the grid.
    table.autofit = False
    widths = (Inches(1.1), Inches(2.3), Inches(3.1))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
    if len(table.rows) <= _KEEP_TOGETHER_ROWS:
        ooxml.keep_table_together(table)


def _add_transcript(document: DocxDocument, content: ExportContent) -> None:
    document.add_page_break()
    document.add_heading("Appendix: Transcript", level=1)
    if not content.transcript:
        _not_documented(document)
        return
    for turn in content.transcript:
        paragraph = document.add_paragraph()
        if turn.speaker:
            speaker = turn.speaker[:1].upper() + turn.speaker[1:]  # "doctor" -> "Doctor"
            paragraph.add_run(f"{speaker}: ").bold = True
        paragraph.add_run(turn.text)


def _add_footer(document: DocxDocument, text: str) -> None:
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.text = ""
        # One right-aligned stop at the text edge; the style's centre stop is cleared, else a
        # short footer text sends "Page X of Y" to the middle of the line.
        tabs = paragraph.paragraph_format.tab_stops
        tabs.add_tab_stop(_FOOTER_CENTRE_TAB, WD_TAB_ALIGNMENT.CLEAR)
        width = section.page_width - section.left_margin - section.right_margin
        if width != _FOOTER_RIGHT_TAB:
            tabs.add_tab_stop(_FOOTER_RIGHT_TAB, WD_TAB_ALIGNMENT.CLEAR)
            tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(text)
        paragraph.add_run("\tPage ")
        ooxml.add_field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        ooxml.add_field(paragraph, "NUMPAGES")


def build_document(content: ExportContent) -> DocxDocument:
    """A python-docx Document for ``content`` (nothing is written to disk)."""
    document = docx.Document()
    _set_up_styles(document)
    ooxml.set_neutral_metadata(document, content.title, with_dates=not content.deidentified)
    document.add_heading(content.title, level=0)
    _add_encounter(document, content)
    for section in content.soap:
        _add_section(document, section, level=1)
    _add_table(document, content)
    if content.structured:
        ooxml.keep_with_next(document.add_heading("Structured Document", level=1))
        for section in content.structured:
            _add_section(document, section, level=2)
    if content.transcript is not None:
        _add_transcript(document, content)
    _add_footer(document, content.footer)
    return document


def write_docx(
    result: EncounterResult,
    path: Path,
    *,
    deidentify: bool = False,
    include_transcript: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the note as DOCX at ``path``, atomically; returns the path written.

    Pure and thread-safe (the app calls it through ``asyncio.to_thread``). Raises ExportError
    with a plain message when the file exists and ``overwrite`` is false, or when the disk or
    the folder refuses the write; the chosen name then holds its previous content (or nothing).
    """
    path = Path(path)
    started = time.perf_counter()
    check_target(path, overwrite=overwrite)
    content = build_content(result, deidentify=deidentify, include_transcript=include_transcript)
    document = build_document(content)
    size = save_atomically(document, path, overwrite=overwrite)
    log.info(
        "docx written: %d bytes, %.0f ms, deidentified=%s, transcript=%s",
        size,
        (time.perf_counter() - started) * 1000,
        deidentify,
        include_transcript,
    )
    return path
