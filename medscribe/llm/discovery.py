"""What is on the other end: the layered model listing and the health status built on it.

Routes are tried richest first (``/api/v1/models``, ``/api/v0/models``, then ``/v1/models``);
``/lmstudio-greeting`` tells LM Studio apart, and llama-server's ``/props`` adds the loaded
context length and slot count that ``/v1/models`` does not give.
"""

from __future__ import annotations

from typing import Any

from medscribe.core.errors import (
    InvalidResponseError,
    LLMError,
    ServerUnreachableError,
    TotalTimeoutError,
)
from medscribe.core.llm_port import HealthState, ModelInfo, ServerKind, ServerStatus
from medscribe.llm import errormap, models
from medscribe.llm.transport import Transport
from medscribe.llm.wire import error_in


async def list_models(t: Transport, *, retry: bool) -> tuple[ServerKind, list[ModelInfo]]:
    root = t.root
    status, body = await t.get_json(f"{root}/lmstudio-greeting", retry=retry)
    is_lmstudio = status == 200 and isinstance(body, dict) and body.get("lmstudio") is True
    if status != 404:  # 404: not LM Studio, which answers 200 even for routes it lacks
        for route, parse in (
            ("/api/v1/models", models.parse_api_v1),
            ("/api/v0/models", models.parse_api_v0),
        ):
            status, body = await t.get_json(f"{root}{route}", retry=retry)
            if status in (401, 403):
                raise errormap.classify(status, error_in(body), root=root)
            if status == 200 and error_in(body) is None:
                found = parse(body)
                if found is not None:
                    return ServerKind.LMSTUDIO, found
    status, body = await t.get_json(f"{t.v1}/models", retry=retry)
    if status != 200 or error_in(body) is not None:
        raise errormap.classify(status, error_in(body), root=root)
    found = models.parse_openai(body)
    if found is None:
        raise InvalidResponseError(
            f"The server at {root} answered but did not list its models - check the server "
            "address in Settings.",
            detail="model list not understood",
        )
    if is_lmstudio:
        return ServerKind.LMSTUDIO, found
    return ServerKind.OPENAI_COMPATIBLE, await _with_props(t, found)


async def props(t: Transport) -> dict[str, Any] | None:
    """llama-server's ``/props`` (slot count, per-slot context); None from other servers."""
    status, body = await t.get_json(f"{t.root}/props", retry=False)
    if status != 200 or not isinstance(body, dict) or error_in(body) is not None:
        return None
    return body


async def _with_props(t: Transport, found: list[ModelInfo]) -> list[ModelInfo]:
    if len(found) != 1:
        return found
    info = await props(t)
    if info is None:
        return found
    defaults = info.get("default_generation_settings")
    n_ctx = defaults.get("n_ctx") if isinstance(defaults, dict) else None
    slots = info.get("total_slots")
    update: dict[str, Any] = {"loaded": True}  # llama-server serves the one model it loaded
    if isinstance(n_ctx, int) and n_ctx > 0:
        update["context_length"] = n_ctx
    if isinstance(slots, int) and slots > 0:
        update["parallel"] = slots
    return [found[0].model_copy(update=update)]


async def health(t: Transport) -> ServerStatus:
    """Never raises for server trouble: the status says what is wrong, in one line."""
    settings = t.settings
    status = ServerStatus(state=HealthState.UNREACHABLE, base_url=settings.base_url)
    try:
        status.kind, status.models = await list_models(t, retry=False)
    except (ServerUnreachableError, TotalTimeoutError) as exc:
        status.message = exc.user_message
        return status
    except LLMError as exc:
        status.state, status.message = HealthState.NO_MODEL, exc.user_message
        return status
    try:
        chosen = models.choose_chat_model(status.models, settings.chat_model)
    except LLMError as exc:
        status.state, status.message = HealthState.NO_MODEL, exc.user_message
        return status
    status.state, status.chat_model = HealthState.READY, chosen
    status.embedding_model = models.choose_embedding_model(status.models, settings.embedding_model)
    ctx = f", context {chosen.context_length} tokens" if chosen.context_length else ""
    lazy = " (not loaded yet: LM Studio loads it on first use)" if chosen.loaded is False else ""
    status.message = f"Ready: {chosen.id}{ctx}{lazy}."
    return status
