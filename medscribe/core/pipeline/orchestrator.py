"""The pipeline the app and ``medscribe process`` drive: run one step, or all of them.

Design notes (see also prompts.py and budget.py):
- A step never raises for a failure a person can act on: its outcome says FAILED with a plain
  message and the other results stay as they were. Only cancellation propagates.
- The ICD-10-CM table takes seconds to load; it loads in a worker thread while the model is
  still busy with the transcript.
- With more than one server slot, entities and the SOAP note run side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from medscribe.core.errors import LLMError, MedscribeError, loggable_traceback
from medscribe.core.llm_port import ChatBackend, HealthState, ServerStatus
from medscribe.core.notes import SoapSection
from medscribe.core.pipeline import prompts
from medscribe.core.pipeline.budget import TokenCounter
from medscribe.core.pipeline.cache import StepCache
from medscribe.core.pipeline.context import StepRun
from medscribe.core.pipeline.icd10 import Icd10Table
from medscribe.core.pipeline.metering import Emitter, MeteredBackend
from medscribe.core.pipeline.steps_entities import run_entities
from medscribe.core.pipeline.steps_phi import keep_review, rules_only, run_phi
from medscribe.core.pipeline.steps_soap import run_soap, run_soap_section
from medscribe.core.pipeline.steps_structure import instruction_for, run_structure
from medscribe.core.session import EncounterResult
from medscribe.core.steps import StepEvent, StepName, StepOutcome, StepState, StepStats
from medscribe.settings import Settings

log = logging.getLogger(__name__)

OnEvent = Callable[[StepEvent], None]
Work = Callable[[StepRun], Awaitable[dict[str, Any]]]

_TOGGLES = {
    StepName.PHI: "phi_detection",
    StepName.ENTITIES: "entity_extraction",
    StepName.SOAP: "soap_generation",
    StepName.STRUCTURE: "document_structuring",
}
_UNEXPECTED = (
    "Something unexpected went wrong in this step. The other results are kept; the details "
    "are in medscribe's log file."
)


class ServerUnavailable(MedscribeError):
    """No usable model server for a step that needs one."""


def _with_outcome(
    result: EncounterResult,
    step: StepName,
    outcome: StepOutcome,
    update: dict[str, Any] | None = None,
    notices: list[str] | None = None,
) -> EncounterResult:
    """A new result with the step's output, outcome and (when given) its fresh notices."""
    steps = dict(result.steps)
    steps[step] = outcome
    changes: dict[str, Any] = {**(update or {}), "steps": steps}
    if notices is not None:
        prefix = f"{step.title}:"
        changes["notices"] = [n for n in result.notices if not n.startswith(prefix)] + notices
    return result.model_copy(update=changes)


class Pipeline:
    """Runs the medical steps against one backend, with a result cache for the session."""

    def __init__(self, backend: ChatBackend | None, settings: Settings) -> None:
        self._backend = backend
        self._settings = settings
        self._counter = TokenCounter(backend)
        self._cache = StepCache()
        self._icd = Icd10Table.shared()
        self._icd_future: asyncio.Future[None] | None = None

    def update(self, backend: ChatBackend | None, settings: Settings) -> None:
        """New settings or a new client (the cache stays: its keys name server and model)."""
        if backend is not self._backend:
            self._counter = TokenCounter(backend)
        self._backend = backend
        self._settings = settings

    @property
    def cache(self) -> StepCache:
        return self._cache

    def is_enabled(self, step: StepName) -> bool:
        return bool(getattr(self._settings.steps, _TOGGLES[step]))

    # --- server -----------------------------------------------------------------------

    def _unreachable(self) -> str:
        return (
            f"LM Studio is not reachable at {self._settings.server_root}. Start its local "
            "server (Developer tab > Start Server) and check the server address in Settings."
        )

    async def _probe(self) -> ServerStatus:
        if self._backend is None:
            return ServerStatus(state=HealthState.UNREACHABLE, message=self._unreachable())
        try:
            status = await self._backend.health()
        except LLMError as exc:
            return ServerStatus(state=HealthState.UNREACHABLE, message=exc.user_message)
        if not status.ready and not status.message:
            status = status.model_copy(update={"message": self._unreachable()})
        return status

    async def _slots(self, status: ServerStatus) -> int:
        probe = getattr(self._backend, "server_slots", None)
        slots = None
        if callable(probe):
            try:
                slots = await probe()
            except LLMError:
                slots = None
        if slots is None and status.chat_model is not None:
            slots = status.chat_model.parallel
        return slots or 1

    def preload_codes(self) -> None:
        """Start loading the ICD-10-CM table in a worker thread (needs a running loop)."""
        if self._icd.loaded or (self._icd_future is not None and not self._icd_future.done()):
            return

        def _done(fut: asyncio.Future[None]) -> None:
            if not fut.cancelled() and fut.exception() is not None:
                log.warning("ICD-10-CM table failed to load: %r", fut.exception())

        self._icd_future = asyncio.ensure_future(asyncio.to_thread(self._icd.load))
        self._icd_future.add_done_callback(_done)

    # --- one step ---------------------------------------------------------------------

    async def _run(
        self,
        step: StepName,
        result: EncounterResult,
        on_event: OnEvent,
        status: ServerStatus | None,
        work: Work | None = None,
    ) -> EncounterResult:
        emit = Emitter(step, on_event)
        if not self.is_enabled(step):
            message = f"{step.title} is turned off in Settings."
            emit(StepState.SKIPPED, message=message)
            return _with_outcome(
                result, step, StepOutcome(state=StepState.SKIPPED, message=message)
            )
        emit(StepState.WAITING)
        stats = StepStats()
        try:
            status = status or await self._probe()
            if step is StepName.PHI and not (status.ready and self._backend is not None):
                spans = await rules_only(result.transcript)
                update: dict[str, Any] = {"phi_spans": keep_review(result.phi_spans, spans)}
                message = f"Checked with the rules only: {status.message or self._unreachable()}"
                notices: list[str] = []
            else:
                if not status.ready or self._backend is None:
                    raise ServerUnavailable(status.message or self._unreachable())
                run = StepRun(
                    emit=emit,
                    backend=MeteredBackend(self._backend, stats),
                    settings=self._settings,
                    status=status,
                    counter=self._counter,
                    cache=self._cache,
                    stats=stats,
                    transcript=result.transcript,
                )
                update = await (work or self._cached_work(step, result))(run)
                if step is StepName.PHI:
                    update["phi_spans"] = keep_review(result.phi_spans, update["phi_spans"])
                notices = list(run.notices)
                message = " ".join([*run.remarks, *notices])
                if stats.from_cache:
                    message = (
                        "Nothing changed since the last run: the earlier result is reused. "
                        + message
                    ).strip()
        except asyncio.CancelledError:
            stats.seconds = emit.elapsed
            emit(StepState.CANCELLED, stats=stats)
            raise
        except MedscribeError as exc:
            stats.seconds = emit.elapsed
            log.info("step %s failed: %s", step.value, type(exc).__name__)
            emit(StepState.FAILED, message=exc.user_message, stats=stats)
            outcome = StepOutcome(state=StepState.FAILED, message=exc.user_message, stats=stats)
            return _with_outcome(result, step, outcome)
        except Exception as exc:
            stats.seconds = emit.elapsed
            log.error("step %s failed unexpectedly: %s", step.value, loggable_traceback(exc))
            emit(StepState.FAILED, message=_UNEXPECTED, stats=stats)
            outcome = StepOutcome(state=StepState.FAILED, message=_UNEXPECTED, stats=stats)
            return _with_outcome(result, step, outcome)
        stats.seconds = emit.elapsed
        emit(StepState.DONE, message=message, stats=stats)
        outcome = StepOutcome(state=StepState.DONE, message=message, stats=stats)
        return _with_outcome(result, step, outcome, update, notices)

    def _cached_work(self, step: StepName, result: EncounterResult) -> Work:
        """The step's work, answered from the session cache when nothing changed."""

        async def work(run: StepRun) -> dict[str, Any]:
            extra: dict[str, Any] = {}
            if step is StepName.PHI:
                instruction = prompts.PHI_INSTRUCTION
            elif step is StepName.ENTITIES:
                instruction = prompts.ENTITIES_INSTRUCTION
                emb = run.status.embedding_model
                extra["embedding_model"] = emb.id if emb is not None else None
            elif step is StepName.SOAP:
                instruction = prompts.SOAP_INSTRUCTION
            else:
                instruction = instruction_for(result.entities)
            plan = await run.plan(instruction)
            material = [prompts.system_text(c) for c in plan.chunks] + [instruction]
            key = run.key(step.value, material, extra)
            hit = self._cache.get(key)
            if hit is not None:
                run.stats.from_cache = True
                run.stats.chunks = hit.pop("_chunks")
                run.notices[:] = hit.pop("_notices")
                return hit
            if step is StepName.PHI:
                spans, remark = await run_phi(run)
                update: dict[str, Any] = {"phi_spans": spans}
                if remark:
                    run.remarks.append(remark)
                    run.degraded = True
            elif step is StepName.ENTITIES:
                self.preload_codes()
                update = await run_entities(run, self._icd)
            elif step is StepName.SOAP:
                update = await run_soap(run)
            else:
                update = await run_structure(run, result.entities)
            if not run.degraded:
                self._cache.put(
                    key, {**update, "_chunks": run.stats.chunks, "_notices": run.notices}
                )
            return update

        return work

    async def run_step(
        self, step: StepName, result: EncounterResult, on_event: OnEvent
    ) -> EncounterResult:
        """Run one step; returns a new result. Failures end up in ``result.steps[step]``."""
        return await self._run(step, result, on_event, None)

    async def regenerate_soap_section(
        self, result: EncounterResult, section: SoapSection, on_event: OnEvent
    ) -> EncounterResult:
        """Write one SOAP section again (never from the cache: the user asked for a new one).

        While it streams, ``text_delta`` carries only that section's text.
        """

        async def work(run: StepRun) -> dict[str, Any]:
            return await run_soap_section(run, result.soap, section)

        return await self._run(StepName.SOAP, result, on_event, None, work)

    # --- all steps --------------------------------------------------------------------

    async def run_all(
        self,
        result: EncounterResult,
        on_event: OnEvent,
        steps: Sequence[StepName] | None = None,
    ) -> EncounterResult:
        """Run the chosen steps (default all) in order; a failed step doesn't stop the rest.

        The structured document uses the entities as they stand after the entity step.
        """
        wanted = [s for s in StepName if steps is None or s in steps]
        active = [s for s in wanted if self.is_enabled(s)]
        status = await self._probe() if active else None
        if StepName.ENTITIES in active:
            self.preload_codes()
        current = result
        if StepName.PHI in wanted:
            current = await self._run(StepName.PHI, current, on_event, status)
        pair = [s for s in (StepName.ENTITIES, StepName.SOAP) if s in wanted]
        if (
            len(pair) == 2
            and all(s in active for s in pair)
            and status is not None
            and status.ready
            and await self._slots(status) > 1
        ):
            base = current
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(self._run(s, base, on_event, status)) for s in pair]
            for step, task in zip(pair, tasks, strict=True):
                current = _take_step(current, task.result(), step)
        else:
            for step in pair:
                current = await self._run(step, current, on_event, status)
        if StepName.STRUCTURE in wanted:
            current = await self._run(StepName.STRUCTURE, current, on_event, status)
        return current


_STEP_FIELDS = {
    StepName.PHI: "phi_spans",
    StepName.ENTITIES: "entities",
    StepName.SOAP: "soap",
    StepName.STRUCTURE: "structured",
}


def _take_step(into: EncounterResult, source: EncounterResult, step: StepName) -> EncounterResult:
    """``into`` with ``step``'s output, outcome and notices copied from ``source``."""
    prefix = f"{step.title}:"
    notices = [n for n in into.notices if not n.startswith(prefix)]
    notices += [n for n in source.notices if n.startswith(prefix)]
    steps = dict(into.steps)
    if step in source.steps:
        steps[step] = source.steps[step]
    field = _STEP_FIELDS[step]
    return into.model_copy(
        update={field: getattr(source, field), "steps": steps, "notices": notices}
    )
