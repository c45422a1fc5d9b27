"""Saving the session to a file, and the "unsaved changes" question before the window closes
or another visit replaces this one.

File writes go to a worker thread. The questions use ``open()`` with callbacks (never
``exec()`` in a coroutine) and are injectable so tests can answer them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from medscribe.core.errors import MedscribeError
from medscribe.core.session_files import SESSION_SUFFIX, save_session
from medscribe.ui.document import SessionDocument

log = logging.getLogger(__name__)


class CloseAnswer(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


AskSavePath = Callable[[Path, Callable[[Path | None], None]], None]
AskClose = Callable[[Callable[[CloseAnswer], None]], None]


class SessionController(QObject):
    saved = Signal(object)  # Path
    failed = Signal(str)

    def __init__(
        self,
        document: SessionDocument,
        parent_widget: QWidget,
        *,
        ask_path: AskSavePath | None = None,
        ask_close: AskClose | None = None,
        ask_replace: AskClose | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._document = document
        self._parent = parent_widget
        self.ask_path: AskSavePath = ask_path or self._dialog_path
        self.ask_close: AskClose = ask_close or self._dialog_close
        self.ask_replace: AskClose = ask_replace or self._dialog_replace
        self._task: asyncio.Task[bool] | None = None

    @property
    def has_unsaved_changes(self) -> bool:
        return not self._document.is_empty and not self._document.undo_stack.isClean()

    # --- save ---------------------------------------------------------------------------

    def save(self, then: Callable[[bool], None] | None = None) -> None:
        """Save to the session's file, or ask for one first."""
        if self._document.is_empty:
            self.failed.emit("There is nothing to save yet: open or paste a transcript first.")
            return
        if self._document.path is None:
            self.save_as(then)
        else:
            self._start(self._document.path, then)

    def save_as(self, then: Callable[[bool], None] | None = None) -> None:
        if self._document.is_empty:
            self.failed.emit("There is nothing to save yet: open or paste a transcript first.")
            return

        def chosen(path: Path | None) -> None:
            if path is None:
                if then:
                    then(False)
                return
            if path.suffix.lower() != SESSION_SUFFIX:
                path = path.with_name(path.name + SESSION_SUFFIX)
            self._start(path, then)

        self.ask_path(self.suggested_path(), chosen)

    def _start(self, path: Path, then: Callable[[bool], None] | None) -> None:
        self._task = asyncio.ensure_future(self.save_to(path))
        if then is not None:
            self._task.add_done_callback(lambda t: then(not t.cancelled() and t.result()))

    async def save_to(self, path: Path) -> bool:
        snapshot = self._document.snapshot()
        index = self._document.undo_stack.index()
        try:
            await asyncio.to_thread(save_session, snapshot, Path(path))
        except MedscribeError as exc:
            self.failed.emit(exc.user_message)
            return False
        # Edits made while the file was written are not in it: only mark what was saved.
        self._document.set_path(Path(path))
        if self._document.undo_stack.index() == index:
            self._document.undo_stack.setClean()
        self.saved.emit(Path(path))
        return True

    def suggested_path(self) -> Path:
        if self._document.path is not None:
            return self._document.path
        stem = Path(self._document.result.transcript.source_name or "").stem or "visit"
        return Path.home() / f"{stem}{SESSION_SUFFIX}"

    # --- close --------------------------------------------------------------------------

    def confirm_close(self, proceed: Callable[[], None]) -> None:
        """Calls ``proceed`` when the window may close: saved, discarded, or nothing to lose."""
        self._confirm(self.ask_close, proceed)

    def confirm_replace(self, proceed: Callable[[], None]) -> None:
        """The same question before another transcript or session replaces this one."""
        self._confirm(self.ask_replace, proceed)

    def _confirm(self, ask: AskClose, proceed: Callable[[], None]) -> None:
        if not self.has_unsaved_changes:
            proceed()
            return

        def answered(answer: CloseAnswer) -> None:
            if answer is CloseAnswer.DISCARD:
                proceed()
            elif answer is CloseAnswer.SAVE:
                self.save(lambda ok: proceed() if ok else None)

        ask(answered)

    # --- default questions --------------------------------------------------------------

    def _dialog_path(self, suggested: Path, done: Callable[[Path | None], None]) -> None:
        dialog = QFileDialog(self._parent, "Save session", str(suggested.parent))
        dialog.setObjectName("saveSessionDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(f"medscribe session (*{SESSION_SUFFIX})")
        dialog.setDefaultSuffix(SESSION_SUFFIX.lstrip("."))
        dialog.selectFile(suggested.name)

        def finished(code: int) -> None:
            files = dialog.selectedFiles()
            done(Path(files[0]) if code == QDialog.DialogCode.Accepted and files else None)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _dialog_close(self, done: Callable[[CloseAnswer], None]) -> None:
        self._ask_unsaved(done, "Save them before closing?", "Close without saving")

    def _dialog_replace(self, done: Callable[[CloseAnswer], None]) -> None:
        self._ask_unsaved(done, "Save them before opening another visit?", "Don't save")

    def _ask_unsaved(self, done: Callable[[CloseAnswer], None], question: str, drop: str) -> None:
        buttons = QMessageBox.StandardButton
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Save changes?",
            "This visit has changes that are not saved in a session file.",
            buttons.Save | buttons.Discard | buttons.Cancel,
            self._parent,
        )
        box.setObjectName("unsavedChangesQuestion")
        box.setInformativeText(question)
        box.button(buttons.Discard).setText(drop)
        box.setDefaultButton(buttons.Save)

        def finished(_code: int) -> None:
            clicked = box.standardButton(box.clickedButton())
            answer = {
                buttons.Save: CloseAnswer.SAVE,
                buttons.Discard: CloseAnswer.DISCARD,
            }.get(clicked, CloseAnswer.CANCEL)
            box.deleteLater()
            done(answer)

        box.finished.connect(finished)
        box.open()
