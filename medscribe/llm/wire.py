"""The server's wire format, kept apart from the domain types in ``core.llm_port``.

These models are deliberately tolerant (unknown fields ignored, most fields optional): LM
Studio, llama-server and Ollama each add or omit fields, and a missing ``usage`` must not turn a
good answer into an error. What the app relies on is checked where it is used.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from medscribe.core.llm_port import ChatResult, Timings, Usage


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _text_or_none(value: Any) -> str | None:
    """Servers send null, a string, or (rarely) a structured reasoning object: keep text only."""
    if value is None or isinstance(value, str):
        return value
    return None


class WireMessage(_Wire):
    """``message`` of a completion or ``delta`` of a stream chunk."""

    content: str | None = None
    reasoning_content: str | None = None
    reasoning: str | None = None

    _coerce = field_validator("content", "reasoning_content", "reasoning", mode="before")(
        _text_or_none
    )

    @property
    def reasoning_text(self) -> str:
        return self.reasoning_content or self.reasoning or ""


class WireChoice(_Wire):
    index: int = 0
    message: WireMessage | None = None
    delta: WireMessage | None = None
    finish_reason: str | None = None


class WireCompletion(_Wire):
    """A whole completion, or one chunk of a stream (same envelope)."""

    model: str | None = None
    choices: list[WireChoice] = Field(default_factory=list)
    usage: Usage | None = None
    timings: Timings | None = None


class WireEmbedding(_Wire):
    index: int = 0
    embedding: list[float]


class WireEmbeddings(_Wire):
    data: list[WireEmbedding]


class WireError(_Wire):
    """An ``error`` member, normalised: LM Studio sends a string or an object."""

    message: str = ""
    code: str | None = None
    type: str | None = None
    n_prompt_tokens: int | None = None  # llama-server, exceed_context_size_error
    n_ctx: int | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> str | None:
        return None if value is None else str(value)


def error_in(body: Any) -> WireError | None:
    """The error a JSON body carries, whatever its form; None when it carries none."""
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if err is None or err == "" or err is False:
        return None
    if isinstance(err, str):
        return WireError(message=err)
    if isinstance(err, dict):
        message = err.get("message") or err.get("msg") or err.get("error") or ""
        try:
            return WireError.model_validate({**err, "message": str(message)})
        except ValueError:
            return WireError(message=str(message))
    return WireError(message=str(err))


def to_result(body: Any, model: str) -> ChatResult | None:
    """A whole (non-streamed) completion as a ChatResult; None if it has no choice."""
    try:
        wire = WireCompletion.model_validate(body)
    except ValueError:
        return None
    if not wire.choices:
        return None
    choice = wire.choices[0]
    message = choice.message or choice.delta or WireMessage()
    return ChatResult(
        content=message.content or "",
        reasoning=message.reasoning_text,
        finish_reason=choice.finish_reason,
        model=wire.model or model,
        usage=wire.usage,
        timings=wire.timings,
    )
