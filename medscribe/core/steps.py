"""Step identity, per-step statistics and the progress events the pipeline emits."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class StepName(StrEnum):
    PHI = "phi"
    ENTITIES = "entities"
    SOAP = "soap"
    STRUCTURE = "structure"

    @property
    def title(self) -> str:
        return _STEP_TITLES[self]


_STEP_TITLES = {
    StepName.PHI: "PHI detection",
    StepName.ENTITIES: "Medical entities",
    StepName.SOAP: "SOAP note",
    StepName.STRUCTURE: "Structured document",
}


class StepState(StrEnum):
    IDLE = "idle"
    WAITING = "waiting"  # waiting for the server (connecting, model loading, queued)
    PROMPT = "prompt"  # the server is processing the prompt
    GENERATING = "generating"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = {StepState.DONE, StepState.FAILED, StepState.SKIPPED, StepState.CANCELLED}


class StepStats(BaseModel):
    prompt_tokens: int = 0  # evaluated by the server (not taken from its cache)
    cached_tokens: int = 0  # reused from the server's prompt cache
    completion_tokens: int = 0
    seconds: float = 0.0  # wall time seen by the pipeline
    server_ms: float = 0.0  # the server's own prompt_ms + predicted_ms, when reported
    requests: int = 0
    chunks: int = 1  # >1 when a long transcript was split to fit the loaded context
    from_cache: bool = False  # served from the session's step-result cache


class StepEvent(BaseModel):
    """One progress report. ``state`` says which fields mean something."""

    step: StepName
    state: StepState
    completion_tokens: int = 0
    tokens_per_second: float | None = None
    elapsed: float = 0.0
    text_delta: str = ""  # streamed answer text (SOAP), for live display
    message: str = ""  # plain-language reason (failed / skipped) or a notice (split into chunks)
    stats: StepStats | None = None


class StepOutcome(BaseModel):
    state: StepState = StepState.IDLE
    message: str = ""
    stats: StepStats = Field(default_factory=StepStats)
