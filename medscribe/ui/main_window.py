"""The main window: places the views, the actions and the status bar, and wires signals.

It owns no coroutines and no domain logic. Controllers come from the composition root
(``medscribe.app``); the window connects their signals to the views and the user's actions to
the controllers.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.llm_port import ServerStatus
from medscribe.core.phi_detect import preload_rules
from medscribe.core.session_files import RecoverableSession
from medscribe.core.steps import StepName
from medscribe.settings import Settings
from medscribe.ui.actions import Actions
from medscribe.ui.autosave import AutosaveController, offer_recovery
from medscribe.ui.document import SessionDocument
from medscribe.ui.entities_view import EntitiesView
from medscribe.ui.errors import show_message
from medscribe.ui.export_controller import ExportController
from medscribe.ui.first_run import ServerHelpPanel
from medscribe.ui.pipeline_controller import PipelineController
from medscribe.ui.server_status import ServerStatusController, ServerStatusIndicator
from medscribe.ui.session_controller import SessionController
from medscribe.ui.soap_editor import SoapEditor
from medscribe.ui.steps_panel import StepsPanel
from medscribe.ui.structured_view import StructuredView
from medscribe.ui.transcript_loader import TranscriptLoader
from medscribe.ui.transcript_pane import TranscriptPane
from medscribe.ui.window_menus import place_actions
from medscribe.ui.window_support import (
    FirstPaintWatcher,
    restore_window_state,
    save_window_state,
)

log = logging.getLogger(__name__)

SettingsOpener = Callable[[QWidget], None]


class MainWindow(QMainWindow):
    """medscribe's one window. ``shutdown()`` stops its controllers (await it after close).

    ``first_painted`` fires once the physician can see the window: the composition root
    starts background work (status checks, HTTP client, autosave, recovery offer) then, so
    none of it delays the first paint.
    """

    first_painted = Signal()

    def __init__(
        self,
        *,
        document: SessionDocument,
        pipeline_controller: PipelineController,
        status_controller: ServerStatusController,
        autosave: AutosaveController,
        open_settings: SettingsOpener,
        close_resources: Callable[[], Awaitable[None]],
        settings: Settings,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.document = document
        self.pipeline_controller = pipeline_controller
        self.status_controller = status_controller
        self.autosave = autosave
        self.settings = settings
        self._open_settings = open_settings
        self._close_resources = close_resources
        self.discard_changes_on_close = False  # tests and a confirmed "close without saving"
        self._closing_confirmed = False
        self._shut_down = False
        self._tasks: set[asyncio.Task[object]] = set()
        self.services: object | None = None  # the composition root's AppServices (tests)

        self.actions = Actions(self)
        self.loader = TranscriptLoader(document, self)
        self.export = ExportController(document, self)
        self.session = SessionController(document, self)

        # --- views ------------------------------------------------------------------------
        self.help_panel = ServerHelpPanel()
        self.transcript_pane = TranscriptPane(document, self.actions)
        self.transcript_view = self.transcript_pane.view
        self.steps_panel = StepsPanel(self.actions)
        self.soap_editor = SoapEditor(document)
        self.entities_view = EntitiesView(document)
        self.structured_view = StructuredView(document)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.soap_editor, "SOAP note")
        self.tabs.addTab(self.entities_view, "Entities")
        self.tabs.addTab(self.structured_view, "Structured document")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.steps_panel)
        right_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.transcript_pane)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.help_panel)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.server_indicator = ServerStatusIndicator()
        self.autosave_label = QLabel("")
        self.autosave_label.setObjectName("autosaveLabel")
        self.autosave_label.setToolTip(
            "A backup of unsaved work, offered back if medscribe closes unexpectedly"
        )
        self.statusBar().addPermanentWidget(self.autosave_label)
        self.statusBar().addPermanentWidget(self.server_indicator)
        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        place_actions(self, self.actions, self.toolbar)
        self.actions.undo.setEnabled(False)
        self.actions.redo.setEnabled(False)

        self._connect()
        self._update_title()
        restore_window_state(self, self.splitter)
        self._paint_watcher = FirstPaintWatcher(self)
        self._paint_watcher.painted.connect(self.first_painted)

    # --- wiring -------------------------------------------------------------------------

    def _connect(self) -> None:
        a, doc = self.actions, self.document
        a.open.triggered.connect(lambda: self.loader.choose_file(self, self.open_path))
        a.paste.triggered.connect(self._on_paste_triggered)
        a.save_session.triggered.connect(lambda: self.session.save())
        a.save_session_as.triggered.connect(lambda: self.session.save_as())
        a.export_docx.triggered.connect(self.export.start)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(doc.undo_stack.undo)
        a.redo.triggered.connect(doc.undo_stack.redo)
        doc.undo_stack.canUndoChanged.connect(a.undo.setEnabled)
        doc.undo_stack.canRedoChanged.connect(a.redo.setEnabled)
        doc.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        doc.path_changed.connect(lambda _p: self._update_title())
        doc.result_replaced.connect(self._on_document_result_replaced)
        doc.steps_changed.connect(self._on_document_steps_changed)
        a.run_all.triggered.connect(self._on_run_all_triggered)
        for step, action in a.run_step.items():
            action.triggered.connect(lambda _=False, s=step: self._run_step(s))
        a.cancel.triggered.connect(lambda: self.pipeline_controller.cancel())
        a.settings.triggered.connect(self.open_settings)

        self.steps_panel.run_requested.connect(self._run_step)
        self.steps_panel.cancel_requested.connect(self.pipeline_controller.cancel)
        pc = self.pipeline_controller
        pc.step_event.connect(self.steps_panel.show_event)
        pc.step_finished.connect(self._on_pipeline_step_finished)
        pc.soap_preview.connect(self.soap_editor.show_preview)
        pc.running_changed.connect(self._on_pipeline_running_changed)
        self.soap_editor.regenerate_requested.connect(self._on_soap_regenerate_requested)
        self.soap_editor.copied.connect(self.show_status)
        self.structured_view.copied.connect(self.show_status)

        self.transcript_view.marked.connect(self.show_status)
        self.transcript_view.text_pasted.connect(self.paste_text)
        self.transcript_view.file_dropped.connect(self.open_path)
        self.entities_view.evidence_requested.connect(self.transcript_view.highlight_evidence)
        self.loader.loaded.connect(self.show_status)
        self.loader.failed.connect(self.show_message)
        self.export.exported.connect(self._on_export_exported)
        self.export.failed.connect(self.show_message)
        self.session.saved.connect(lambda p: self.show_status(f"Session saved as {p.name}."))
        self.session.failed.connect(self.show_message)

        self.status_controller.status_changed.connect(self._on_status_controller_status_changed)
        self.server_indicator.clicked.connect(self.open_settings)
        self.help_panel.settings_requested.connect(self.open_settings)
        self.autosave.saved.connect(
            lambda when: self.autosave_label.setText(f"Autosaved {when:%H:%M}")
        )
        self.autosave.save_failed.connect(self.show_status)

    # --- user requests ------------------------------------------------------------------

    def _run_step(self, step: StepName) -> None:
        if self._needs_transcript():
            return
        self.pipeline_controller.run_step(step)

    def _on_run_all_triggered(self) -> None:
        if self._needs_transcript():
            return
        self.pipeline_controller.run_all()

    def _on_soap_regenerate_requested(self, section: object) -> None:
        if self._needs_transcript():
            return
        controller = self.pipeline_controller
        if controller.is_running_all() and not controller.is_running(StepName.SOAP):
            # Run all has yet to write the note: a section written now would be replaced.
            self.show_status("Run all will write the whole note next; regenerate after it.")
            return
        controller.regenerate_section(section)  # type: ignore[arg-type]

    def _needs_transcript(self) -> bool:
        if self.document.is_empty:
            self.show_message("Open or paste a transcript first (File > Open, or Ctrl+O).")
            return True
        return False

    def open_path(self, path: Path | str) -> None:
        """Open a transcript or session file (menu, drop, command line), after asking about
        unsaved changes. Steps running on the current visit stop once the new one loads."""
        self.session.confirm_replace(lambda: self._track(self.loader.open_path(Path(path))))

    def paste_text(self, text: str) -> None:
        """Pasted text becomes the new transcript, after asking about unsaved changes."""
        self.session.confirm_replace(lambda: self.loader.load_text(text))

    def _on_paste_triggered(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_message("The clipboard has no text. Copy the transcript first.")
            return
        self.paste_text(text)

    def open_settings(self) -> None:
        self._open_settings(self)

    # --- feedback -----------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_message(self, text: str) -> None:
        show_message(self, text)

    def _on_export_exported(self, path: Path) -> None:
        self.show_status(f"Word document saved: {path}")

    def _on_pipeline_step_finished(self, step: StepName, result: object) -> None:
        outcome = self.document.result.steps.get(step)
        if outcome is not None:
            self.steps_panel.rows[step].show_outcome(outcome)
        self.autosave.save_now()  # a step's result is minutes of server time: back it up now

    def _on_pipeline_running_changed(self, running: bool) -> None:
        self.actions.cancel.setEnabled(running)

    def _on_document_steps_changed(self) -> None:
        self.steps_panel.show_outcomes(self.document.result.steps)

    def _on_document_result_replaced(self, _result: object) -> None:
        self._update_title()
        self.steps_panel.show_outcomes(self.document.result.steps)

    def _on_status_controller_status_changed(self, status: ServerStatus) -> None:
        self.server_indicator.set_status(status)
        self.help_panel.set_status(status)

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _update_title(self) -> None:
        doc = self.document
        if doc.path is not None:
            name = doc.path.name
        elif not doc.is_empty:
            name = doc.result.transcript.source_name or "Pasted transcript"
        else:
            self.setWindowTitle("medscribe[*]")
            return
        self.setWindowTitle(f"medscribe — {name}[*]")

    # --- start, recovery, close ---------------------------------------------------------

    def start(self) -> None:
        """Begin background work once the window is shown on a running loop."""
        self.status_controller.start()
        self.autosave.start()
        offer_recovery(self, self.autosave.store, self._restore)
        # Warm up the exporters (python-docx) off the GUI thread: Copy and Export are then
        # instant, and start-up did not pay for them.
        self._track(asyncio.to_thread(importlib.import_module, "medscribe.export"))
        # Same for the PHI word lists and word model: marking an identifier by hand looks up
        # the lexicon on the GUI thread, and a first load there would freeze it for ~0.6 s.
        self._track(asyncio.to_thread(preload_rules))

    def _restore(self, session: RecoverableSession) -> None:
        self.document.load(session.result, session.session_path)
        self.document.undo_stack.resetClean()  # restored work is in no file yet
        self.show_status("Unsaved work restored.")

    def _track(self, coro: Awaitable[object]) -> asyncio.Task[object]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def closeEvent(self, event: QCloseEvent) -> None:
        may_close = self.discard_changes_on_close or self._closing_confirmed
        if may_close or not self.session.has_unsaved_changes:
            save_window_state(self, self.splitter)
            self.autosave.discard()
            self.pipeline_controller.cancel()
            event.accept()
            return
        event.ignore()
        self.session.confirm_close(self._close_confirmed)

    def _close_confirmed(self) -> None:
        self._closing_confirmed = True
        QTimer.singleShot(0, self.close)

    async def shutdown(self) -> None:
        """Stop every controller and close the HTTP client. Safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        self.status_controller.stop()
        self.autosave.stop()
        await self.pipeline_controller.shutdown()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._close_resources()
