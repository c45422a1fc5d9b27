"""Export to Word: choices, file name, overwrite question, then the write in a worker thread.

Every question is asked with ``open()`` and a callback, never ``exec()`` inside a coroutine,
so the window keeps painting. The three questions are injectable (``ask_options``,
``ask_path``, ``ask_overwrite``) so tests drive the real flow without native dialogs, and
``export_to`` is the seam that skips them entirely.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from medscribe.core.errors import ExportError, MedscribeError
from medscribe.core.phi import ReviewState
from medscribe.core.session import EncounterResult
from medscribe.ui.document import SessionDocument
from medscribe.ui.export_dialog import ExportDialog

log = logging.getLogger(__name__)

OptionsCallback = Callable[[bool, bool], None]  # deidentify, include_transcript
AskOptions = Callable[[bool, bool, int, OptionsCallback], None]
AskPath = Callable[[Path, Callable[[Path | None], None]], None]
AskOverwrite = Callable[[Path, Callable[[bool], None]], None]


def _write_docx(result: EncounterResult, path: Path, **options: bool) -> Path:
    """In the worker thread, python-docx included: imported on first use, so the app starts
    faster and the import never blocks the window."""
    from medscribe.export import write_docx

    return write_docx(result, path, **options)


class ExportController(QObject):
    """Runs the export flow for the window (Ctrl+E)."""

    exported = Signal(object)  # Path written
    failed = Signal(str)  # plain-language reason

    def __init__(
        self,
        document: SessionDocument,
        parent_widget: QWidget,
        *,
        ask_options: AskOptions | None = None,
        ask_path: AskPath | None = None,
        ask_overwrite: AskOverwrite | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._document = document
        self._parent = parent_widget
        self.ask_options: AskOptions = ask_options or self._dialog_options
        self.ask_path: AskPath = ask_path or self._dialog_path
        self.ask_overwrite: AskOverwrite = ask_overwrite or self._dialog_overwrite
        self.deidentify = False
        self.include_transcript = False
        self.last_folder: Path | None = None
        self._task: asyncio.Task[Path | None] | None = None

    # --- the flow -----------------------------------------------------------------------

    def start(self) -> None:
        if self._document.is_empty:
            self.failed.emit("There is nothing to export yet: open or paste a transcript first.")
            return
        pending = sum(1 for s in self._document.result.phi_spans if s.state is ReviewState.PENDING)
        self.ask_options(self.deidentify, self.include_transcript, pending, self._on_options)

    def _on_options(self, deidentify: bool, include_transcript: bool) -> None:
        self.deidentify, self.include_transcript = deidentify, include_transcript
        self.ask_path(self.suggested_path(), self._on_path)

    def _on_path(self, path: Path | None) -> None:
        if path is None:
            return
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        self.last_folder = path.parent
        if path.exists():

            def answered(replace: bool) -> None:
                if replace:
                    self._start_write(path, overwrite=True)

            self.ask_overwrite(path, answered)
        else:
            self._start_write(path, overwrite=False)

    def _start_write(self, path: Path, *, overwrite: bool) -> None:
        self._task = asyncio.ensure_future(
            self.export_to(path, self.deidentify, self.include_transcript, overwrite=overwrite)
        )

    @property
    def task(self) -> asyncio.Task[Path | None] | None:
        return self._task

    async def export_to(
        self,
        path: Path,
        deidentify: bool,
        include_transcript: bool,
        *,
        overwrite: bool = False,
    ) -> Path | None:
        """Write the DOCX from a snapshot in a worker thread; ``exported`` or ``failed``."""
        snapshot = self._document.snapshot()
        try:
            written = await asyncio.to_thread(
                _write_docx,
                snapshot,
                Path(path),
                deidentify=deidentify,
                include_transcript=include_transcript,
                overwrite=overwrite,
            )
        except MedscribeError as exc:
            log.info("export failed: %s", type(exc).__name__)
            self.failed.emit(exc.user_message)
            return None
        except OSError as exc:  # write_docx should map these; never show a traceback anyway
            log.warning("export failed with %s", type(exc).__name__)
            err = ExportError(f"The document could not be written to {Path(path).name}.")
            self.failed.emit(err.user_message)
            return None
        self.exported.emit(written)
        return written

    def suggested_path(self) -> Path:
        result = self._document.result
        stem = Path(result.transcript.source_name or "").stem or "visit"
        folder = self.last_folder or (
            self._document.path.parent if self._document.path else Path.home()
        )
        return folder / f"{stem} note.docx"

    # --- default questions (real dialogs, opened without blocking) ----------------------

    def _dialog_options(
        self, deidentify: bool, include_transcript: bool, pending: int, done: OptionsCallback
    ) -> None:
        dialog = ExportDialog(
            self._parent,
            deidentify=deidentify,
            include_transcript=include_transcript,
            pending_phi=pending,
        )

        def finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                done(dialog.deidentify.isChecked(), dialog.include_transcript.isChecked())
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _dialog_path(self, suggested: Path, done: Callable[[Path | None], None]) -> None:
        dialog = QFileDialog(self._parent, "Export Word document", str(suggested))
        dialog.setObjectName("exportFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("Word document (*.docx)")
        dialog.setDefaultSuffix("docx")
        # We ask about overwriting ourselves, once, and then pass overwrite=True.
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
        dialog.selectFile(suggested.name)

        def finished(code: int) -> None:
            files = dialog.selectedFiles()
            accepted = code == QDialog.DialogCode.Accepted and files
            done(Path(files[0]) if accepted else None)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _dialog_overwrite(self, path: Path, done: Callable[[bool], None]) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace file?",
            f"{path.name} already exists in {path.parent}.\nDo you want to replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._parent,
        )
        box.setObjectName("exportOverwriteQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("Replace")
        box.button(QMessageBox.StandardButton.No).setText("Keep the old file")

        def finished(_code: int) -> None:
            done(box.clickedButton() is box.button(QMessageBox.StandardButton.Yes))
            box.deleteLater()

        box.finished.connect(finished)
        box.open()
