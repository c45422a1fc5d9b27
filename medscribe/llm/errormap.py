"""Turn what the server said into one typed error with a message a physician can act on.

LM Studio reports the same problem in several shapes (a string or an object under ``error``,
400 or 404, even 200 for an unknown route) and llama-server has its own; this module is the one
place that knows them. Server messages are kept in ``detail`` for the log, never echoed whole.
"""

from __future__ import annotations

import re

from medscribe.core.errors import (
    ContextOverflowError,
    LLMError,
    ModelNotFoundError,
    NoModelLoadedError,
    ServerError,
    ServerUnreachableError,
)
from medscribe.llm.wire import WireError

_START_SERVER = "start its local server (Developer tab > Start Server)"


def unreachable(root: str) -> ServerUnreachableError:
    return ServerUnreachableError(
        f"LM Studio is not reachable at {root} - {_START_SERVER}.", detail=f"connect {root}"
    )


def connection_lost(root: str) -> ServerUnreachableError:
    return ServerUnreachableError(
        f"The connection to LM Studio at {root} was lost while the answer was being written "
        "- check that LM Studio is still running, then try again.",
        detail=f"dropped mid-stream {root}",
    )


def no_model_loaded(detail: str | None = None) -> NoModelLoadedError:
    return NoModelLoadedError(
        "LM Studio has no chat model loaded - load one in LM Studio (Developer tab > "
        "Select a model to load), or turn on Just-in-Time model loading.",
        detail=detail,
    )


def no_embedding_model() -> NoModelLoadedError:
    return NoModelLoadedError(
        "LM Studio has no embedding model loaded - load one (for example "
        "nomic-embed-text) or choose one in Settings.",
        detail="no embedding model",
    )


def model_not_found(model: str | None, detail: str | None = None) -> ModelNotFoundError:
    name = f"'{model}'" if model else "the requested model"
    return ModelNotFoundError(
        f"LM Studio does not have the model {name} - download it in LM Studio, or choose "
        "another chat model in Settings (leave it empty to use the loaded model).",
        detail=detail,
    )


def context_overflow(
    prompt_tokens: int | None, context_tokens: int | None, detail: str | None = None
) -> ContextOverflowError:
    if prompt_tokens and context_tokens:
        size = (
            f"it needs about {prompt_tokens} tokens but the model is loaded with room for "
            f"{context_tokens}"
        )
    elif context_tokens:
        size = f"the model is loaded with room for only {context_tokens} tokens"
    else:
        size = "it does not fit in the context length the model was loaded with"
    return ContextOverflowError(
        f"The text is too long for the loaded model: {size}. Load the model with a longer "
        "context length in LM Studio, or shorten the transcript.",
        prompt_tokens=prompt_tokens,
        context_tokens=context_tokens,
        detail=detail,
    )


_NO_MODEL = re.compile(r"no models? (?:is |are )?loaded|no model is currently loaded", re.I)
_NOT_FOUND = re.compile(
    r"invalid model identifier|model[^.]{0,80}not (?:found|exist)|unknown model|"
    r"model_not_found",
    re.I,
)
_LOAD_FAILED = re.compile(r"failed to load model|error loading model", re.I)
_OVERFLOW = re.compile(
    r"context (?:length|size|window)|n_ctx|maximum context|context overflow|"
    r"too many tokens|exceeds? the (?:available )?context",
    re.I,
)
_CTX_NUMBER = re.compile(
    r"(?:context (?:length|size|window)(?: of| is)?|maximum context length is|n_ctx\s*[=:]?)"
    r"\s*(\d+)",
    re.I,
)
_PROMPT_NUMBER = re.compile(
    r"(?:keep the first|requested|prompt (?:has|is|of)|n_prompt_tokens\s*[=:]?)\s*(\d+)", re.I
)
_UNKNOWN_ROUTE = re.compile(r"unexpected endpoint|unknown (?:endpoint|route)", re.I)


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    return int(match.group(1)) if match else None


def is_unknown_route(err: WireError | None) -> bool:
    return err is not None and bool(_UNKNOWN_ROUTE.search(err.message))


def classify(
    status: int, err: WireError | None, *, root: str, model: str | None = None
) -> LLMError:
    """The typed error for an HTTP status plus the (normalised) ``error`` body, if any."""
    message = err.message if err else ""
    detail = f"HTTP {status}" + (f" code={err.code} type={err.type}" if err else "")
    if err is not None:
        if _NO_MODEL.search(message):
            return no_model_loaded(detail)
        if err.code == "model_not_found" or _NOT_FOUND.search(message):
            return model_not_found(model, detail)
        if _LOAD_FAILED.search(message):
            return NoModelLoadedError(
                f"LM Studio could not load the model{f' {model!r}' if model else ''} - load it "
                "by hand in LM Studio to see why (often: not enough memory), or choose a "
                "smaller model.",
                detail=detail,
            )
        if err.type == "exceed_context_size_error" or _OVERFLOW.search(message):
            return context_overflow(
                err.n_prompt_tokens or _number(_PROMPT_NUMBER, message),
                err.n_ctx or _number(_CTX_NUMBER, message),
                detail,
            )
    if is_unknown_route(err) or status == 404:
        return ServerError(
            f"The server at {root} does not understand medscribe's requests - check the "
            "server address in Settings (for LM Studio it ends in /v1).",
            status_code=status,
            detail=detail,
        )
    if status in (401, 403):
        return ServerError(
            f"LM Studio at {root} refused medscribe's API token - check the API token in "
            "Settings against LM Studio's server settings.",
            status_code=status,
            detail=detail,
        )
    if status == 503:
        return ServerError(
            "LM Studio is busy or still loading the model - try again in a moment.",
            status_code=status,
            detail=detail,
        )
    if status >= 500:
        return ServerError(
            f"LM Studio reported an internal error (HTTP {status}) - check LM Studio's log, "
            "then try again.",
            status_code=status,
            detail=detail,
        )
    said = f": {message[:200]}" if message else ""
    return ServerError(
        f"LM Studio rejected the request (HTTP {status}){said}.", status_code=status, detail=detail
    )
