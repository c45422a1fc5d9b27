"""What the pipeline needs from a model server, without knowing how it is reached.

``medscribe.llm.LMStudioClient`` implements :class:`ChatBackend` over HTTP; ``core`` only sees
these types, which keeps it free of httpx (see HOUSE_STYLE: dependencies point inward).
Errors are the typed ``LLMError`` family in :mod:`medscribe.core.errors`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T", bound=BaseModel)


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class Timings(BaseModel):
    """llama.cpp's per-request timings (``timings`` in its responses)."""

    prompt_n: int | None = None  # prompt tokens evaluated
    cache_n: int | None = None  # prompt tokens reused from the slot's KV cache
    prompt_ms: float | None = None
    predicted_n: int | None = None
    predicted_ms: float | None = None


class ChatResult(BaseModel):
    content: str = ""
    reasoning: str = ""
    finish_reason: str | None = None
    model: str | None = None
    usage: Usage | None = None
    timings: Timings | None = None


class StreamDelta(BaseModel):
    """One piece of a streamed answer. The final item of a stream has ``result`` set."""

    content: str = ""
    reasoning: str = ""
    result: ChatResult | None = None


class StructuredResult(BaseModel, Generic[T]):
    """A validated answer plus the raw result it came from (for stats)."""

    value: T
    result: ChatResult
    attempts: int = 1


class ModelType(StrEnum):
    CHAT = "chat"
    EMBEDDING = "embedding"


class ModelInfo(BaseModel):
    id: str
    type: ModelType = ModelType.CHAT
    loaded: bool | None = None  # None when the server does not say
    context_length: int | None = None  # the *loaded* context length, when known
    max_context_length: int | None = None
    parallel: int | None = None  # concurrent predictions the loaded instance serves


class ServerKind(StrEnum):
    LMSTUDIO = "lmstudio"
    OPENAI_COMPATIBLE = "openai_compatible"  # llama-server, Ollama, ...
    UNKNOWN = "unknown"


class HealthState(StrEnum):
    UNREACHABLE = "unreachable"
    NO_MODEL = "no_model"  # reachable, but no usable chat model
    READY = "ready"


class ServerStatus(BaseModel):
    state: HealthState
    kind: ServerKind = ServerKind.UNKNOWN
    base_url: str = ""
    models: list[ModelInfo] = Field(default_factory=list)
    chat_model: ModelInfo | None = None  # the model requests will use
    embedding_model: ModelInfo | None = None
    message: str = ""  # one line a person can act on

    @property
    def ready(self) -> bool:
        return self.state is HealthState.READY


class ChatBackend(Protocol):
    """The model server as the pipeline uses it."""

    async def health(self) -> ServerStatus: ...

    async def chat(
        self,
        messages: list[ChatMessage],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        response_format: dict[str, Any] | None = None,
    ) -> ChatResult: ...

    def stream_chat(
        self,
        messages: list[ChatMessage],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        response_format: dict[str, Any] | None = None,
    ) -> AsyncIterator[StreamDelta]: ...

    async def structured(
        self,
        messages: list[ChatMessage],
        schema: type[T],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> StructuredResult[T]: ...

    async def embed(self, texts: list[str]) -> list[list[float]]: ...

    async def count_tokens(self, text: str) -> int | None:
        """Exact token count when the server can tokenize (llama-server); else None."""
        ...
