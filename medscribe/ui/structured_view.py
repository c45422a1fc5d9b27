"""The structured document tab: the nine sections, each editable, in one scrolling column.

Same pattern as the SOAP editors: edits go through ``document.set_structured_section`` (one
undo history for everything), document changes redraw the editor in place.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.notes import DocSection
from medscribe.ui.document import SessionDocument
from medscribe.ui.section_edit import SectionEdit


def object_name(section: DocSection) -> str:
    """structured_chief_complaint -> 'structuredChiefComplaint'."""
    return "structured" + "".join(p.capitalize() for p in section.value.split("_"))


class StructuredView(QWidget):
    """Shows ``document.result.structured``; edits become undoable document changes."""

    copied = Signal(str)

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("structuredView")
        self._document = document
        self.editors: dict[DocSection, SectionEdit] = {}

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(6, 6, 6, 6)
        for section in DocSection:
            row = QHBoxLayout()
            row.addWidget(QLabel(f"<b>{section.title}</b>"))
            row.addStretch(1)
            copy = QToolButton()
            copy.setText("Copy")
            copy.setAccessibleName(f"Copy {section.title}")
            copy.setToolTip(f"Copy {section.title} as plain text for the EHR")
            copy.clicked.connect(lambda _=False, s=section: self._copy_section(s))
            row.addWidget(copy)
            column.addLayout(row)
            editor = SectionEdit(
                object_name(section),
                section.title,
                lambda text, s=section: document.set_structured_section(s, text),
            )
            editor.setMinimumHeight(80)
            self.editors[section] = editor
            column.addWidget(editor)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 0, 6, 6)
        bottom.addStretch(1)
        copy_all = QPushButton("Copy whole document")
        copy_all.setObjectName("copyStructured")
        copy_all.setAccessibleName("Copy whole structured document")
        copy_all.setToolTip("Copy every section that has text, as plain text for the EHR")
        copy_all.clicked.connect(self._on_copy_all_clicked)
        bottom.addWidget(copy_all)
        layout.addLayout(bottom)

        document.structured_changed.connect(self._on_document_structured_changed)
        document.result_replaced.connect(lambda _r: self._on_document_structured_changed(None))
        self._on_document_structured_changed(None)

    def _on_document_structured_changed(self, section: DocSection | None) -> None:
        doc = self._document.result.structured
        for s in [section] if section is not None else list(DocSection):
            self.editors[s].show_text(doc.get(s))

    def document_text(self) -> str:
        from medscribe.export import section_plain_text  # python-docx loads lazily: fast start

        doc = self._document.result.structured
        parts = [section_plain_text(s.title, doc.get(s)) for s in DocSection if doc.get(s).strip()]
        return "\n\n".join(parts)

    def _copy_section(self, section: DocSection) -> None:
        from medscribe.export import section_plain_text

        body = self._document.result.structured.get(section)
        QGuiApplication.clipboard().setText(section_plain_text(section.title, body))
        self.copied.emit(f"{section.title} copied to the clipboard.")

    def _on_copy_all_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.document_text())
        self.copied.emit("Structured document copied to the clipboard.")
