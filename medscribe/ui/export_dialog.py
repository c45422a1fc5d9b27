"""The export choices: de-identified or not, transcript appendix or not."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.phi import ReviewState


class ExportDialog(QDialog):
    """Shown with ``open()``; the controller reads the choices on ``accepted``."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        deidentify: bool,
        include_transcript: bool,
        pending_phi: int,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export Word document")
        layout = QVBoxLayout(self)
        self.deidentify = QCheckBox("De-identify (replace patient identifiers)")
        self.deidentify.setObjectName("exportDeidentify")
        self.deidentify.setChecked(deidentify)
        self.deidentify.setToolTip(
            "Names, dates, places and numbers that identify the patient are replaced by their "
            "category, e.g. [NAME]. Identifiers you rejected are left as they are."
        )
        self.include_transcript = QCheckBox("Include transcript")
        self.include_transcript.setObjectName("exportIncludeTranscript")
        self.include_transcript.setChecked(include_transcript)
        self.include_transcript.setToolTip("Append the full transcript after the note")
        layout.addWidget(self.deidentify)
        layout.addWidget(self.include_transcript)
        self.pending_note = QLabel(
            f"{pending_phi} highlighted identifier{'s' if pending_phi != 1 else ''} "
            "not reviewed yet. They are replaced too when you de-identify."
        )
        self.pending_note.setObjectName("exportPendingNote")
        self.pending_note.setWordWrap(True)
        self.pending_note.setVisible(pending_phi > 0)
        layout.addWidget(self.pending_note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def count_pending(states: list[ReviewState]) -> int:
    return sum(1 for s in states if s is ReviewState.PENDING)
