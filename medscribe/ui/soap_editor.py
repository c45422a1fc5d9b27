"""The SOAP note tab: four editable sections, live text while the model writes, Regenerate and
Copy per section, Copy whole note.

Copies are EHR-ready plain text from ``medscribe.export`` so what is pasted into the record
matches the Word document.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.notes import SoapNote, SoapSection
from medscribe.ui.document import SessionDocument
from medscribe.ui.section_edit import SectionEdit

OBJECT_NAMES = {
    SoapSection.SUBJECTIVE: "soapSubjective",
    SoapSection.OBJECTIVE: "soapObjective",
    SoapSection.ASSESSMENT: "soapAssessment",
    SoapSection.PLAN: "soapPlan",
}
_HINTS = {
    SoapSection.SUBJECTIVE: "What the patient reports: complaint, history, symptoms.",
    SoapSection.OBJECTIVE: "Findings: vitals, examination, results.",
    SoapSection.ASSESSMENT: "Diagnoses and clinical reasoning.",
    SoapSection.PLAN: "Tests, treatment, medications, follow-up.",
}


class SoapEditor(QWidget):
    """Shows ``document.result.soap``; edits go through ``document.set_soap_section``."""

    regenerate_requested = Signal(object)  # SoapSection
    copied = Signal(str)  # what was copied, in words, for the status bar

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("soapEditor")
        self._document = document
        self.editors: dict[SoapSection, SectionEdit] = {}
        self.regenerate_buttons: dict[SoapSection, QToolButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for section in SoapSection:
            layout.addLayout(self._header(section))
            editor = SectionEdit(
                OBJECT_NAMES[section],
                f"SOAP {section.title}",
                lambda text, s=section: document.set_soap_section(s, text),
            )
            editor.setPlaceholderText(_HINTS[section])
            self.editors[section] = editor
            layout.addWidget(editor, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.copy_note_button = QPushButton("Copy whole note")
        self.copy_note_button.setObjectName("copySoapNote")
        self.copy_note_button.setAccessibleName("Copy whole SOAP note")
        self.copy_note_button.setToolTip("Copy the whole note as plain text for the EHR")
        self.copy_note_button.clicked.connect(self._on_copy_note_clicked)
        bottom.addWidget(self.copy_note_button)
        layout.addLayout(bottom)

        document.soap_changed.connect(self._on_document_soap_changed)
        document.result_replaced.connect(lambda _r: self._on_document_soap_changed(None))
        self._on_document_soap_changed(None)

    def _header(self, section: SoapSection) -> QHBoxLayout:
        row = QHBoxLayout()
        title = QLabel(f"<b>{section.title}</b>")
        row.addWidget(title)
        row.addStretch(1)
        regen = QToolButton()
        regen.setText("Regenerate")
        regen.setObjectName(f"regenerate{section.title}")
        regen.setAccessibleName(f"Regenerate {section.title}")
        regen.setToolTip(f"Write the {section.title} section again from the transcript")
        regen.clicked.connect(lambda: self.regenerate_requested.emit(section))
        self.regenerate_buttons[section] = regen
        copy = QToolButton()
        copy.setText("Copy")
        copy.setObjectName(f"copy{section.title}")
        copy.setAccessibleName(f"Copy {section.title}")
        copy.setToolTip(f"Copy the {section.title} section as plain text for the EHR")
        copy.clicked.connect(lambda: self._copy_section(section))
        row.addWidget(regen)
        row.addWidget(copy)
        return row

    # --- document -> editors --------------------------------------------------------------

    def _on_document_soap_changed(self, section: SoapSection | None) -> None:
        soap = self._document.result.soap
        for s in [section] if section is not None else list(SoapSection):
            self.editors[s].show_text(soap.get(s))

    # --- live text while the model writes -------------------------------------------------

    def show_preview(self, note: SoapNote | None) -> None:
        """Streamed text (read-only) or, with None, back to the document's note."""
        generating = note is not None
        for section, editor in self.editors.items():
            editor.set_generating(generating)
            self.regenerate_buttons[section].setEnabled(not generating)
            if note is not None:
                editor.show_text(note.get(section))
        if note is None:
            self._on_document_soap_changed(None)

    # --- clipboard ------------------------------------------------------------------------

    def section_text(self, section: SoapSection) -> str:
        from medscribe.export import section_plain_text  # python-docx loads lazily: fast start

        return section_plain_text(section.title, self._document.result.soap.get(section))

    def note_text(self) -> str:
        from medscribe.export import note_plain_text

        return note_plain_text(self._document.result)

    def _copy_section(self, section: SoapSection) -> None:
        QGuiApplication.clipboard().setText(self.section_text(section))
        self.copied.emit(f"{section.title} copied to the clipboard.")

    def _on_copy_note_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.note_text())
        self.copied.emit("SOAP note copied to the clipboard.")
