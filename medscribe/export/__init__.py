"""DOCX and plain-text writers, with optional de-identification. No Qt.

``write_docx`` is pure and thread-safe: the app calls it through ``asyncio.to_thread``.
"""

from medscribe.export.deidentify import deidentify_text, redact_transcript
from medscribe.export.docx_writer import write_docx
from medscribe.export.plaintext import note_plain_text, section_plain_text

__all__ = [
    "deidentify_text",
    "note_plain_text",
    "redact_transcript",
    "section_plain_text",
    "write_docx",
]
