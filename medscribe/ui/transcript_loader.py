"""Opening, pasting and dropping transcripts (and session files) into the document.

Reading a file goes to a worker thread (a .docx or a WhisperX JSON can take a moment), so the
window never freezes. A new transcript starts a fresh result; a session file restores one.
What went wrong is reported through ``failed`` in plain words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from medscribe.core.errors import MedscribeError
from medscribe.core.readers import SUPPORTED_SUFFIXES, read_transcript, transcript_from_text
from medscribe.core.session import EncounterResult
from medscribe.core.session_files import SESSION_SUFFIX, open_session
from medscribe.ui.document import SessionDocument

log = logging.getLogger(__name__)

OPEN_FILTER = (
    f"Transcripts and sessions (*{SESSION_SUFFIX} "
    + " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
    + f");;Sessions (*{SESSION_SUFFIX});;All files (*)"
)


def is_session_file(path: Path) -> bool:
    return path.suffix.lower() == SESSION_SUFFIX


def read_any(path: Path) -> tuple[EncounterResult, Path | None]:
    """A session file restores everything (and is where Save writes); a transcript starts new.

    Runs in a worker thread. Raises MedscribeError with a plain message.
    """
    if is_session_file(path):
        return open_session(path), path
    return EncounterResult(transcript=read_transcript(path)), None


class TranscriptLoader(QObject):
    """Loads into ``document``; emits ``loaded(str)`` with a status-bar line, or ``failed``."""

    loaded = Signal(str)  # what was opened, in words
    failed = Signal(str)  # plain-language reason

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document

    async def open_path(self, path: Path | str) -> bool:
        path = Path(path)
        try:
            result, session_path = await asyncio.to_thread(read_any, path)
        except MedscribeError as exc:
            log.info("could not open a file: %s", type(exc).__name__)
            self.failed.emit(exc.user_message)
            return False
        self._document.load(result, session_path)
        words = result.transcript.word_count
        kind = "session" if session_path else "transcript"
        log.info("opened a %s: %d words", kind, words)
        self.loaded.emit(f"Opened {path.name} ({words:,} words).")
        return True

    def choose_file(self, parent: QWidget, open_path: Callable[[str], object]) -> None:
        """The Open dialog, shown without blocking; ``open_path`` gets the chosen file."""
        dialog = QFileDialog(parent, "Open transcript or session")
        dialog.setObjectName("openDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(OPEN_FILTER)
        dialog.fileSelected.connect(open_path)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        dialog.open()

    def load_text(self, text: str) -> bool:
        """Pasted text becomes a new transcript."""
        try:
            transcript = transcript_from_text(text, source_format="pasted")
        except MedscribeError as exc:
            self.failed.emit(exc.user_message)
            return False
        self._document.load(EncounterResult(transcript=transcript))
        log.info("pasted a transcript: %d words", transcript.word_count)
        self.loaded.emit(f"Pasted transcript ({transcript.word_count:,} words).")
        return True
