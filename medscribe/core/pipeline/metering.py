"""Per-step accounting and progress reporting around a ChatBackend.

:class:`MeteredBackend` passes every call through and adds the server's own figures (tokens
evaluated vs taken from the prompt cache, completion tokens, server milliseconds) to one
:class:`StepStats`. Wrapping the backend, rather than reading results step by step, also
counts requests made by code the pipeline calls but does not own (the PHI detector's).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from medscribe.core.errors import LLMError
from medscribe.core.llm_port import (
    ChatBackend,
    ChatMessage,
    ChatResult,
    ServerStatus,
    StreamDelta,
    StructuredResult,
)
from medscribe.core.steps import StepEvent, StepName, StepState, StepStats

T = TypeVar("T", bound=BaseModel)


def add_result(stats: StepStats, result: ChatResult) -> None:
    """Add one response's figures. llama.cpp ``timings`` first; OpenAI ``usage`` otherwise."""
    stats.requests += 1
    t = result.timings
    usage = result.usage
    if t is not None and t.prompt_n is not None:
        stats.prompt_tokens += t.prompt_n
        stats.cached_tokens += t.cache_n or 0
        stats.completion_tokens += (
            t.predicted_n
            if t.predicted_n is not None
            else (usage.completion_tokens if usage else 0)
        )
        stats.server_ms += (t.prompt_ms or 0.0) + (t.predicted_ms or 0.0)
    elif usage is not None:
        # Without timings the server does not say what came from its cache.
        stats.prompt_tokens += usage.prompt_tokens
        stats.completion_tokens += usage.completion_tokens


class MeteredBackend:
    """A ChatBackend that records every response into ``stats``."""

    def __init__(self, inner: ChatBackend, stats: StepStats) -> None:
        self.inner = inner
        self.stats = stats

    async def health(self) -> ServerStatus:
        return await self.inner.health()

    async def chat(self, messages: list[ChatMessage], **kwargs: Any) -> ChatResult:
        result = await self.inner.chat(messages, **kwargs)
        add_result(self.stats, result)
        return result

    async def stream_chat(
        self, messages: list[ChatMessage], **kwargs: Any
    ) -> AsyncIterator[StreamDelta]:
        async for delta in self.inner.stream_chat(messages, **kwargs):
            if delta.result is not None:
                add_result(self.stats, delta.result)
            yield delta

    async def structured(
        self, messages: list[ChatMessage], schema: type[T], **kwargs: Any
    ) -> StructuredResult[T]:
        try:
            out = await self.inner.structured(messages, schema, **kwargs)
        except LLMError as exc:
            # Unusable answers still cost the server time: count them before failing.
            for response in exc.responses:
                add_result(self.stats, response)
            raise
        add_result(self.stats, out.result)
        # A retry inside the client is one more request the server answered.
        self.stats.requests += max(0, out.attempts - 1)
        return out

    async def embed(self, texts: list[str]) -> list[list[float]]:
        return await self.inner.embed(texts)

    async def count_tokens(self, text: str) -> int | None:
        return await self.inner.count_tokens(text)


class Emitter:
    """Sends a step's progress events with the elapsed time filled in."""

    def __init__(self, step: StepName, on_event: Callable[[StepEvent], None]) -> None:
        self.step = step
        self._on_event = on_event
        self.started = time.perf_counter()
        self.state = StepState.IDLE

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, state: StepState, **fields: Any) -> None:
        self.state = state
        self._on_event(StepEvent(step=self.step, state=state, elapsed=self.elapsed, **fields))


class TokenRate:
    """Counts streamed pieces (about one token each) and the rate since the first one."""

    def __init__(self) -> None:
        self.tokens = 0
        self._first: float | None = None

    def tick(self, pieces: int = 1) -> None:
        if self._first is None:
            self._first = time.perf_counter()
        self.tokens += pieces

    @property
    def per_second(self) -> float | None:
        if self._first is None or self.tokens < 2:
            return None
        span = time.perf_counter() - self._first
        return (self.tokens - 1) / span if span > 0 else None
