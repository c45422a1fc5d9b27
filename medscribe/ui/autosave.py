"""Autosave of the open session, and the offer to restore it after a crash.

Why a timer plus ``save_now``: edits arrive as a stream of small changes, so a timer every few
seconds bounds what a crash can lose without writing on every keystroke; after each finished
step the window calls ``save_now`` because a step's result is minutes of server time.

Writes happen on a worker thread (``asyncio.to_thread``) from a deep-copied snapshot, so the
window never waits for the disk. Only one write runs at a time; changes that arrive meanwhile
are written right after it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from medscribe.core.errors import MedscribeError
from medscribe.core.session import EncounterResult
from medscribe.core.session_files import AutosaveStore, RecoverableSession
from medscribe.ui.document import SessionDocument

log = logging.getLogger(__name__)

AUTOSAVE_INTERVAL_ENV = "MEDSCRIBE_AUTOSAVE_MS"
DEFAULT_INTERVAL_MS = 3000


def autosave_interval_ms(environ: Mapping[str, str] | None = None) -> int:
    """The autosave interval: ``MEDSCRIBE_AUTOSAVE_MS`` (tests use a short one) or 3 s."""
    raw = (os.environ if environ is None else environ).get(AUTOSAVE_INTERVAL_ENV, "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_INTERVAL_MS
    return value if value > 0 else DEFAULT_INTERVAL_MS


class AutosaveController(QObject):
    """Writes the document to the autosave store while there are unsaved changes."""

    saved = Signal(object)  # datetime of the last autosave
    save_failed = Signal(str)  # plain message, e.g. for the status bar

    def __init__(
        self,
        document: SessionDocument,
        store: AutosaveStore,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._store = store
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._dirty = False
        self._pending = False  # a save was asked for while one was running
        self._stopped = False
        self._task: asyncio.Task[None] | None = None
        # Held by the worker thread while writing, so discard() never races a late write.
        self._io_lock = threading.Lock()
        self.last_saved: datetime | None = None
        for signal in (
            document.result_replaced,
            document.phi_changed,
            document.entities_changed,
            document.soap_changed,
            document.structured_changed,
            document.encounter_changed,
            document.steps_changed,
            document.path_changed,
        ):
            signal.connect(self._on_document_changed)

    @property
    def store(self) -> AutosaveStore:
        return self._store

    @property
    def writing(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._stopped = False
        self._dirty = True  # look at the document once, whatever happened before start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def save_now(self) -> None:
        """Write the current state soon (off the GUI thread), whether or not it changed."""
        if self._stopped:
            return
        if self.writing:
            self._pending = True
            return
        if not self._has_unsaved_work():
            # Saved to a session file and unchanged (or empty): nothing a crash could lose.
            self._dirty = False
            self._store.remove_own()
            return
        self._dirty = False
        snapshot = self._document.snapshot()
        path = self._document.path
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            # no event loop (e.g. at shutdown): write directly
            self._after_write(self._write(snapshot, path))
            return
        self._task = asyncio.ensure_future(self._write_async(snapshot, path))

    def discard(self) -> None:
        """Clean close: stop, wait for a write in progress, and delete the autosave."""
        self._stopped = True
        self._timer.stop()
        self._pending = False
        with self._io_lock:
            self._store.clear()

    # --- internals -------------------------------------------------------------------------

    def _has_unsaved_work(self) -> bool:
        """Anything a crash would lose: edits since the last save, or a pasted transcript
        that exists nowhere else. A transcript just opened from a file is not work yet."""
        document = self._document
        if document.is_empty:
            return False
        if not document.undo_stack.isClean():
            return True
        result = document.result
        return document.path is None and result.transcript.source_format == "pasted"

    def _on_document_changed(self, *_: object) -> None:
        self._dirty = True

    def _on_timer_timeout(self) -> None:
        if self._dirty:
            self.save_now()

    def _write(self, snapshot: EncounterResult, path: Path | None) -> str | None:
        """Runs on a worker thread. Returns a plain error message, or None on success."""
        with self._io_lock:
            if self._stopped:
                return None
            try:
                self._store.write(snapshot, session_path=path)
            except MedscribeError as exc:
                log.warning("autosave failed: %s", exc.detail)
                return exc.user_message
        return None

    async def _write_async(self, snapshot: EncounterResult, path: Path | None) -> None:
        error = await asyncio.to_thread(self._write, snapshot, path)
        self._after_write(error)
        if self._pending and not self._stopped:
            self._pending = False
            # Let this task finish first so save_now sees no write in progress.
            asyncio.get_running_loop().call_soon(self.save_now)

    def _after_write(self, error: str | None) -> None:
        if self._stopped:
            return
        if error:
            self._dirty = True  # try again on the next tick
            self.save_failed.emit(error)
            return
        self.last_saved = datetime.now().astimezone()
        self.saved.emit(self.last_saved)


# --- recovery after a crash ---------------------------------------------------------------


def _when(saved_at: datetime) -> str:
    local = saved_at.astimezone()
    today = datetime.now().astimezone().date()
    if local.date() == today:
        return local.strftime("%H:%M")
    return local.strftime("%d %b %Y, %H:%M")


def recovery_text(session: RecoverableSession) -> tuple[str, str]:
    """The question and the detail line of the recovery prompt."""
    question = f"medscribe closed unexpectedly. Restore the work from {_when(session.saved_at)}?"
    transcript = session.result.transcript
    if session.session_path is not None:
        what = f"Session “{session.session_path.name}”, with changes that were not saved."
    elif transcript.source_name:
        what = f"Transcript “{transcript.source_name}”, with work that was not saved."
    else:
        what = f"A transcript of {transcript.word_count:,} words, with work that was not saved."
    return question, (
        f"{what}\n\nRestore opens it again. Discard deletes this backup for good. "
        "Not now keeps it and asks again next time."
    )


def offer_recovery(
    parent: QWidget,
    store: AutosaveStore,
    on_restore: Callable[[RecoverableSession], None],
) -> None:
    """If a crashed window left work behind, ask (without blocking) whether to restore it.

    The autosave is read on a worker thread when an event loop runs. Restore calls
    ``on_restore`` and then keeps the work as this window's autosave; Discard deletes the
    backup (not this window's own); Not now (or Esc) leaves it for the next launch.

    ``on_restore`` must leave the document marked as modified
    (``document.load(...)`` then ``document.undo_stack.resetClean()``): restored work is not
    in any file yet, and the autosave controller only keeps backups of unsaved work.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        session = store.recoverable()
        if session is not None:
            _RecoveryOffer(parent, store, on_restore).ask(session)
        return
    _RecoveryOffer(parent, store, on_restore).start()


class _RecoveryOffer(QObject):
    """Holds the background task and the prompt until the user has answered."""

    def __init__(
        self,
        parent: QWidget,
        store: AutosaveStore,
        on_restore: Callable[[RecoverableSession], None],
    ) -> None:
        super().__init__(parent)
        self._parent, self._store, self._on_restore = parent, store, on_restore
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._find())

    async def _find(self) -> None:
        session = await asyncio.to_thread(self._store.recoverable)
        if session is None:
            self.deleteLater()
            return
        self.ask(session)

    def ask(self, session: RecoverableSession) -> None:
        question, detail = recovery_text(session)
        box = QMessageBox(self._parent)
        box.setObjectName("recoveryPrompt")
        box.setWindowTitle("Restore unsaved work?")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(question)
        box.setInformativeText(detail)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        restore.setObjectName("recoveryRestore")
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("recoveryDiscard")
        later = box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        later.setObjectName("recoveryLater")
        box.setDefaultButton(restore)
        box.setEscapeButton(later)

        def on_finished(_: int) -> None:
            clicked = box.clickedButton()
            if clicked is restore:
                self._on_restore(session)
                self._claim(session)
            elif clicked is discard:
                self._store.discard(session)  # only the crashed window's backup
            else:
                self._store.postpone(session)
            box.deleteLater()
            self.deleteLater()

        box.finished.connect(on_finished)
        box.open()

    def _claim(self, session: RecoverableSession) -> None:
        try:
            self._store.claim(session)
        except MedscribeError as exc:
            log.warning("could not take over the recovered autosave: %s", exc.detail)
