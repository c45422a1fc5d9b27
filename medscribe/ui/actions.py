"""Every QAction of the window, built in one place with its shortcut and status tip.

Menus, toolbars and buttons only place these actions; controllers connect to ``triggered``.
Object names are part of the testing seam (issue 6), so they never change.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from medscribe.core.steps import StepName


def _shortcut_text(action: QAction) -> str:
    keys = action.shortcuts()
    return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""


class Actions(QObject):
    """The window's actions. Attributes are named after the objectName without 'action'."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._all: list[QAction] = []
        key = QKeySequence
        std = QKeySequence.StandardKey

        # File
        self.open = self._make(
            "actionOpen", "&Open transcript…", [key(std.Open)],
            "Open a transcript (.txt, .docx, .srt, .vtt, WhisperX .json) or a saved session",
        )  # fmt: skip
        self.paste = self._make(
            "actionPasteTranscript", "&Paste transcript", [key("Ctrl+Shift+V")],
            "Replace the transcript with the text on the clipboard",
        )  # fmt: skip
        self.save_session = self._make(
            "actionSaveSession", "&Save session", [key(std.Save)],
            "Save the transcript, PHI review, entities and notes to a session file",
        )  # fmt: skip
        self.save_session_as = self._make(
            "actionSaveSessionAs", "Save session &as…", [key("Ctrl+Shift+S")],
            "Save the session to a new file",
        )  # fmt: skip
        self.export_docx = self._make(
            "actionExportDocx", "&Export Word document…", [key("Ctrl+E")],
            "Write the note as a Word (.docx) document",
        )  # fmt: skip
        self.quit = self._make(
            "actionQuit", "&Quit", [key(std.Quit), key("Ctrl+Q")], "Close medscribe"
        )
        # Edit
        self.undo = self._make("actionUndo", "&Undo", [key(std.Undo)], "Undo the last change")
        self.redo = self._make(
            "actionRedo", "&Redo", [key("Ctrl+Y"), key(std.Redo)], "Redo the change you undid"
        )
        self.mark_phi = self._make(
            "actionMarkPhi", "&Mark selection as PHI", [key("Ctrl+M")],
            "Mark the selected transcript text as a patient identifier",
        )  # fmt: skip
        self.next_phi = self._make(
            "actionNextPhi", "&Next identifier", [key("F8")],
            "Go to the next highlighted patient identifier",
        )  # fmt: skip
        self.previous_phi = self._make(
            "actionPreviousPhi", "&Previous identifier", [key("Shift+F8")],
            "Go to the previous highlighted patient identifier",
        )  # fmt: skip
        # Run
        self.run_all = self._make(
            "actionRunAll", "Run &all steps", [key("Ctrl+Return"), key("Ctrl+Enter")],
            "Find identifiers, extract entities, write the SOAP note and the structured document",
        )  # fmt: skip
        self.run_phi = self._make(
            "actionRunPhi", "Find &PHI", [key("Ctrl+1")],
            "Find patient identifiers in the transcript",
        )  # fmt: skip
        self.run_entities = self._make(
            "actionRunEntities", "Extract &entities", [key("Ctrl+2")],
            "List diagnoses, medications, allergies, vitals, procedures and symptoms",
        )  # fmt: skip
        self.run_soap = self._make(
            "actionRunSoap", "Write &SOAP note", [key("Ctrl+3")],
            "Write the SOAP note from the transcript",
        )  # fmt: skip
        self.run_structure = self._make(
            "actionRunStructure", "Write s&tructured document", [key("Ctrl+4")],
            "Write the nine-section structured document",
        )  # fmt: skip
        self.cancel = self._make(
            "actionCancel", "&Cancel", [key(Qt.Key.Key_Escape)],
            "Stop the running step at once",
        )  # fmt: skip
        self.cancel.setEnabled(False)
        # Tools
        self.settings = self._make(
            "actionSettings", "&Settings…", [key("Ctrl+,")],
            "LM Studio address, models, time limits and which steps run",
        )  # fmt: skip

        self.run_step = {
            StepName.PHI: self.run_phi,
            StepName.ENTITIES: self.run_entities,
            StepName.SOAP: self.run_soap,
            StepName.STRUCTURE: self.run_structure,
        }

    def _make(self, name: str, text: str, keys: list[QKeySequence], tip: str) -> QAction:
        action = QAction(text, self.parent())
        action.setObjectName(name)
        # A key bound twice (Ctrl+Y is also the platform's Redo) would make the shortcut
        # ambiguous and it would never fire; empty sequences are platforms without a binding.
        unique: list[QKeySequence] = []
        for k in keys:
            if not k.isEmpty() and k not in unique:
                unique.append(k)
        action.setShortcuts(unique)
        # Shortcuts must work wherever focus is in the window, not only in menus.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip)
        shortcut = _shortcut_text(action)
        plain = text.replace("&", "").rstrip("…")
        action.setToolTip(f"{plain} ({shortcut})" if shortcut else plain)
        self._all.append(action)
        return action

    def all(self) -> list[QAction]:
        return list(self._all)
