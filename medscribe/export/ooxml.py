"""The few WordprocessingML details python-docx has no API for.

Page fields ("Page X of Y"), restarting numbered lists (python-docx's "List Number" style is one
list for the whole document, so a Plan list would start at 4 after a three-item Assessment list),
repeating a table's header row on each page, and metadata with nothing personal in it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

GENERATOR = "medscribe"


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice update on render."""

    def fld_char(kind: str) -> OxmlElement:
        el = OxmlElement("w:fldChar")
        # Not marked dirty: Word would ask "update the fields?" on every open. Page fields in
        # a footer are recomputed at layout anyway.
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld_char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(fld_char("end"))


def restart_numbering(document: DocxDocument, paragraph: Paragraph, style_name: str) -> int:
    """Give ``paragraph`` (the first item of a list) a fresh numbering that starts at 1.

    Returns the new ``numId``; later items of the same list must use it too (see
    :func:`set_num_id`). The new instance shares the style's list definition, so it looks
    exactly like every other numbered list and restyling the list style still applies.
    """
    style = document.styles[style_name]
    numbering = document.part.numbering_part.element
    style_num_id = style.element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    set_num_id(paragraph, num.numId)
    return num.numId


def set_num_id(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def repeat_header_row(table: Table) -> None:
    """The header row prints again at the top of each page the table runs onto."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def keep_table_together(table: Table) -> None:
    """Rows never split, and a short table moves whole to the next page instead of breaking.

    Word keeps a table together through "keep with next" on every row but the last.
    """
    rows = table.rows
    for i, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < len(rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def shade(cell: _Cell, fill_hex: str) -> None:
    """Background colour of a table cell (e.g. the header row)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill_hex)
    cell._tc.get_or_add_tcPr().append(shd)


def keep_with_next(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def set_neutral_metadata(document: DocxDocument, title: str, *, with_dates: bool) -> None:
    """Core properties carry no person: no patient, no clinician, no template author.

    python-docx's template says "python-docx" and a 2013 date; Word shows these in File > Info
    and they travel with the file. When ``keep_dates`` is false (de-identified copies) the
    created/modified dates are removed too, since an export date points at the visit date;
    otherwise they are set to now (the template's own date is from 2013).
    """
    # The template's thumbnail is a picture of an empty page: file browsers would show it as
    # the note's preview.
    rels = document.part.package.rels
    for r_id, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            rels.pop(r_id)
    props = document.core_properties
    props.title = title
    props.author = GENERATOR
    props.last_modified_by = GENERATOR
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    if with_dates:
        now = datetime.now(UTC).replace(microsecond=0)
        props.created = now
        props.modified = now
        return
    element = props._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for child in element.findall(qn(tag)):
            element.remove(child)
