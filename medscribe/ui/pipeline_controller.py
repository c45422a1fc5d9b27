"""Runs the pipeline's steps as named asyncio tasks and applies their results to the document.

Why a controller: widgets must not own coroutines (HOUSE_STYLE 2, 3). Each step runs in a
task named after it; starting it again cancels the previous run, and Run all is one task that
runs the steps in order, applying each result as soon as it is done so the physician can start
reviewing PHI while the note is still being written. Cancel is ``task.cancel()``: the client
closes the HTTP stream, which makes the server stop generating.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from medscribe.core.notes import SoapSection
from medscribe.core.session import EncounterResult
from medscribe.core.steps import StepEvent, StepName, StepOutcome, StepState, StepStats
from medscribe.ui.document import SessionDocument

if TYPE_CHECKING:
    from medscribe.core.pipeline import Pipeline

log = logging.getLogger(__name__)

RUN_ALL = "all"
_PREVIEW_INTERVAL_MS = 40  # live SOAP text is redrawn at most ~25 times a second


class PipelineController(QObject):
    """Owns the step tasks. Signals carry domain objects; see the module docstring."""

    step_event = Signal(object)  # StepEvent, as the pipeline reported it
    step_finished = Signal(object, object)  # StepName, EncounterResult (the document's result)
    soap_preview = Signal(object)  # SoapNote while SOAP text streams in; None when it stops
    running_changed = Signal(bool)  # any task running

    def __init__(
        self,
        document: SessionDocument,
        pipeline: Callable[[], Pipeline],
        parent: QObject | None = None,
    ) -> None:
        """``pipeline`` is asked for the pipeline when a step starts: the composition root
        builds it (and the HTTP client) only after the window has painted."""
        super().__init__(parent)
        self._document = document
        self._pipeline_provider = pipeline
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._active: dict[StepName, float] = {}  # step -> monotonic start, while it runs
        self._soap_text = ""
        self._soap_section: SoapSection | None = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(_PREVIEW_INTERVAL_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)
        self._generation = 0  # bumped when the document is replaced (see _sink)
        document.result_replaced.connect(self._on_document_result_replaced)

    @property
    def pipeline(self) -> Pipeline:
        return self._pipeline_provider()

    # --- what the window asks for ---------------------------------------------------------

    def run_step(self, step: StepName) -> asyncio.Task[Any]:
        if step in self._active and RUN_ALL in self._tasks:
            self._cancel_key(RUN_ALL)  # Run all is on this very step: the new run replaces it
        return self._start(step.value, self._run_one(step))

    def run_all(self, steps: list[StepName] | None = None) -> asyncio.Task[Any]:
        self.cancel()
        return self._start(RUN_ALL, self._run_all(steps or list(StepName)))

    def regenerate_section(self, section: SoapSection) -> asyncio.Task[Any]:
        if StepName.SOAP in self._active and RUN_ALL in self._tasks:
            self._cancel_key(RUN_ALL)
        return self._start(StepName.SOAP.value, self._regenerate(section))

    def cancel(self, step: StepName | None = None) -> None:
        """Stop one step (and Run all if it is running that step), or everything."""
        if step is None:
            for key in list(self._tasks):
                self._cancel_key(key)
            return
        self._cancel_key(step.value)
        if step in self._active and RUN_ALL in self._tasks:
            self._cancel_key(RUN_ALL)

    def is_running_all(self) -> bool:
        return RUN_ALL in self._tasks

    def is_running(self, step: StepName | None = None) -> bool:
        if step is None:
            return bool(self._tasks)
        return step in self._active

    async def shutdown(self) -> None:
        """Cancel and await every task (window closing)."""
        tasks = list(self._tasks.values())
        self.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    # --- task bookkeeping -----------------------------------------------------------------

    def _start(self, key: str, coro: Coroutine[Any, Any, None]) -> asyncio.Task[Any]:
        self._cancel_key(key)
        was_running = bool(self._tasks)
        task = asyncio.ensure_future(coro)
        task.set_name(f"step:{key}")
        self._tasks[key] = task
        task.add_done_callback(lambda t, k=key: self._on_task_done(k, t))
        if not was_running:
            self.running_changed.emit(True)
        return task

    def _cancel_key(self, key: str) -> None:
        task = self._tasks.get(key)
        if task is not None and not task.done():
            task.cancel()

    def _on_task_done(self, key: str, task: asyncio.Task[Any]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]
        if not task.cancelled() and task.exception() is not None:
            # A bug, not an LLM error (the pipeline never raises those): to the excepthook.
            exc = task.exception()
            log.error("step task %s crashed", key, exc_info=exc)
            task.get_loop().call_exception_handler(
                {"message": "step task crashed", "exception": exc}
            )
        if not self._tasks:
            self.running_changed.emit(False)

    # --- the work -------------------------------------------------------------------------

    async def _run_all(self, steps: list[StepName]) -> None:
        log.info("run all: %s", ",".join(s.value for s in steps))
        for step in steps:
            # Each step starts from the document as it is now: PHI found a moment ago and
            # the physician's edits go into the next step.
            await self._run_one(step)

    async def _run_one(self, step: StepName) -> None:
        generation, snapshot = self._generation, self._document.snapshot()
        self._begin(step)
        try:
            new = await self.pipeline.run_step(step, snapshot, self._sink(generation))
        except asyncio.CancelledError:
            self._cancelled(step, generation)
            raise
        finally:
            self._end(step)
        self._apply(step, new)

    async def _regenerate(self, section: SoapSection) -> None:
        step = StepName.SOAP
        generation, snapshot = self._generation, self._document.snapshot()
        self._begin(step, section)
        try:
            new = await self.pipeline.regenerate_soap_section(
                snapshot, section, self._sink(generation)
            )
        except asyncio.CancelledError:
            self._cancelled(step, generation)
            raise
        finally:
            self._end(step)
        outcome = new.steps.get(step, StepOutcome())
        if outcome.state is StepState.DONE:
            # Take only the regenerated section: edits made meanwhile to the others stay.
            merged = self._document.snapshot()
            setattr(merged.soap, section.value, new.soap.get(section))
            merged.steps[step] = outcome
            self._document.apply_step_result(step, merged)
        else:
            self._document.record_step_outcome(step, outcome)
        self.step_finished.emit(step, self._document.result)

    def _on_document_result_replaced(self, _result: object) -> None:
        """Another transcript or session was opened: work on the old one must not land in
        it. Running steps are cancelled and their outcome is not recorded."""
        self._generation += 1
        self.cancel()

    def _sink(self, generation: int) -> Callable[[StepEvent], None]:
        def on_event(event: StepEvent) -> None:
            if generation == self._generation:
                self._on_pipeline_event(event)

        return on_event

    def _begin(self, step: StepName, section: SoapSection | None = None) -> None:
        self._active[step] = time.monotonic()
        if step is StepName.SOAP:
            self._soap_text = ""
            self._soap_section = section
        self.step_event.emit(StepEvent(step=step, state=StepState.WAITING))

    def _end(self, step: StepName) -> None:
        self._active.pop(step, None)
        if step is StepName.SOAP:
            self._preview_timer.stop()
            self._soap_text = ""
            self.soap_preview.emit(None)

    def _cancelled(self, step: StepName, generation: int) -> None:
        elapsed = time.monotonic() - self._active.get(step, time.monotonic())
        log.info("step %s cancelled after %.1fs", step.value, elapsed)
        if generation != self._generation:
            # The document was replaced: its steps never ran; show the row at rest.
            self.step_event.emit(StepEvent(step=step, state=StepState.IDLE))
            return
        outcome = StepOutcome(
            state=StepState.CANCELLED,
            message="Cancelled.",
            stats=StepStats(seconds=elapsed),
        )
        self._document.record_step_outcome(step, outcome)
        self.step_event.emit(
            StepEvent(step=step, state=StepState.CANCELLED, elapsed=elapsed, message="Cancelled.")
        )

    def _apply(self, step: StepName, new: EncounterResult) -> None:
        outcome = new.steps.get(step, StepOutcome())
        if outcome.state is StepState.DONE:
            self._document.apply_step_result(step, new)
        else:
            self._document.record_step_outcome(step, outcome)
        log.info("step %s finished: %s", step.value, outcome.state.value)
        self.step_finished.emit(step, self._document.result)

    def _on_pipeline_event(self, event: StepEvent) -> None:
        if event.text_delta and event.step is StepName.SOAP:
            self._soap_text += event.text_delta
            if not self._preview_timer.isActive():
                self._preview_timer.start()
        self.step_event.emit(event)

    def _on_preview_timer_timeout(self) -> None:
        from medscribe.core.pipeline import split_soap_sections  # loaded by the running step

        if StepName.SOAP not in self._active:
            return
        section = self._soap_section
        if section is None:
            self.soap_preview.emit(split_soap_sections(self._soap_text))
            return
        note = self._document.result.soap.model_copy()
        parsed = split_soap_sections(self._soap_text).get(section)
        setattr(note, section.value, parsed or self._soap_text.strip())
        self.soap_preview.emit(note)
