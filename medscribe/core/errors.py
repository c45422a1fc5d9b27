"""Errors a person can act on.

Every error the user may see derives from :class:`MedscribeError` and carries a message in
plain words (no class names, no tracebacks). Anything else is a bug and goes to the excepthook.
The LLM errors live here, not in ``medscribe.llm``, so that the pipeline in ``core`` can tell
them apart without importing the HTTP client.
"""

from __future__ import annotations

import traceback


class MedscribeError(Exception):
    """Base for errors with a message meant for a physician."""

    def __init__(self, user_message: str, *, detail: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        # ``detail`` is for logs: status codes, routes, sizes. Never transcript text.
        self.detail = detail


def loggable_traceback(exc: BaseException) -> str:
    """An exception for the log file: its type and stack frames, never its message.

    Messages can quote what they failed on (pydantic's quote the input), and the input is
    often transcript or model text; the log must never hold patient text.
    """
    parts = []
    current: BaseException | None = exc
    while current is not None and len(parts) < 5:
        # File, line and function only: no source lines, so nothing from the failing
        # expression's values (or a test's literals) can come along.
        frames = "".join(
            f"  {f.filename}:{f.lineno} in {f.name}\n"
            for f in traceback.extract_tb(current.__traceback__)
        )
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n{frames}")
        current = current.__cause__ or current.__context__
    return "caused by: ".join(parts).rstrip()


class SettingsError(MedscribeError):
    """A setting has a value that cannot be used."""


class TranscriptError(MedscribeError):
    """A transcript could not be read."""


class ExportError(MedscribeError):
    """A document could not be written."""


# --- LM Studio / OpenAI-compatible server -------------------------------------------------


class LLMError(MedscribeError):
    """Base for everything that goes wrong talking to the model server."""

    retryable: bool = False
    # Answers the server did give before the failure (ChatResult objects; e.g. a structured
    # answer cut at max_tokens). They carry token counts and timings, so a failed step still
    # reports what it cost.
    responses: tuple = ()


class ServerUnreachableError(LLMError):
    retryable = True


class NoModelLoadedError(LLMError):
    pass


class ModelNotFoundError(LLMError):
    pass


class ContextOverflowError(LLMError):
    def __init__(
        self,
        user_message: str,
        *,
        prompt_tokens: int | None = None,
        context_tokens: int | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(user_message, detail=detail)
        self.prompt_tokens = prompt_tokens
        self.context_tokens = context_tokens


class FirstTokenTimeoutError(LLMError):
    pass


class StreamStalledError(LLMError):
    pass


class TotalTimeoutError(LLMError):
    pass


class ServerError(LLMError):
    def __init__(
        self, user_message: str, *, status_code: int | None = None, detail: str | None = None
    ) -> None:
        super().__init__(user_message, detail=detail)
        self.status_code = status_code

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return self.status_code == 503


class InvalidResponseError(LLMError):
    pass


class TruncatedOutputError(InvalidResponseError):
    """The answer was cut by ``max_tokens`` (``finish_reason == "length"``)."""
