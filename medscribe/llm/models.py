"""Model lists from the three routes a server may offer, and the model-choice rule.

LM Studio 0.4 answers ``/api/v1/models`` (loaded instances with context length and parallel
slots), 0.3.6+ answers ``/api/v0/models`` (loaded state and context length), and every
OpenAI-compatible server answers ``/v1/models`` (ids only). Each parser returns None when the
body is not the shape it expects, so the caller can fall back to the next route.
"""

from __future__ import annotations

from typing import Any

from medscribe.core.errors import LLMError
from medscribe.core.llm_port import ModelInfo, ModelType
from medscribe.llm import errormap


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _type(value: Any, model_id: str) -> ModelType:
    if isinstance(value, str):
        return ModelType.EMBEDDING if value.lower().startswith("embed") else ModelType.CHAT
    # /v1/models says nothing about the type: embedding models are named as such.
    return ModelType.EMBEDDING if "embed" in model_id.lower() else ModelType.CHAT


def parse_api_v1(body: Any) -> list[ModelInfo] | None:
    """LM Studio 0.4+: ``{"models": [{key, type, max_context_length, loaded_instances}]}``."""
    if not isinstance(body, dict) or not isinstance(body.get("models"), list):
        return None
    out = []
    for item in body["models"]:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            continue
        instances = [i for i in item.get("loaded_instances") or [] if isinstance(i, dict)]
        config = instances[0].get("config") or {} if instances else {}
        out.append(
            ModelInfo(
                id=item["key"],
                type=_type(item.get("type"), item["key"]),
                loaded=bool(instances),
                context_length=_int(config.get("context_length")),
                max_context_length=_int(item.get("max_context_length")),
                parallel=_int(config.get("parallel")),
            )
        )
    if body["models"] and not out:
        return None  # a list of something else (llama-server puts Ollama-style items here)
    return out


def parse_api_v0(body: Any) -> list[ModelInfo] | None:
    """LM Studio 0.3.6+: ``{"data": [{id, type, state, loaded_context_length, ...}]}``."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return None
    out = []
    for item in body["data"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        if "state" not in item:
            return None  # an OpenAI-style list: not this route's shape
        loaded = item.get("state") == "loaded"
        out.append(
            ModelInfo(
                id=item["id"],
                type=_type(item.get("type"), item["id"]),
                loaded=loaded,
                context_length=_int(item.get("loaded_context_length")) if loaded else None,
                max_context_length=_int(item.get("max_context_length")),
            )
        )
    return out


def parse_openai(body: Any) -> list[ModelInfo] | None:
    """Any OpenAI-compatible server: ``{"data": [{"id": ...}]}``; loaded state unknown."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return None
    out = []
    for item in body["data"]:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
            out.append(
                ModelInfo(
                    id=item["id"],
                    type=_type(None, item["id"]),
                    max_context_length=_int(meta.get("n_ctx_train")),
                )
            )
    return out


def find_model(models: list[ModelInfo], wanted: str) -> ModelInfo | None:
    """Exact id, then case-insensitive, then the name without LM Studio's ``publisher/``."""
    for model in models:
        if model.id == wanted:
            return model
    folded = wanted.casefold()
    for model in models:
        if model.id.casefold() == folded:
            return model
    tail = [m for m in models if m.id.casefold().rsplit("/", 1)[-1] == folded.rsplit("/", 1)[-1]]
    return tail[0] if len(tail) == 1 else None


def choose_chat_model(models: list[ModelInfo], configured: str | None) -> ModelInfo:
    """The configured model, or the first loaded chat model (servers that don't say which
    models are loaded: the first chat model they list). Raises a typed LLMError otherwise."""
    if configured:
        found = find_model(models, configured)
        if found is None:
            raise errormap.model_not_found(configured, detail="not in the server's model list")
        if found.type is ModelType.EMBEDDING:
            raise LLMError(
                f"'{configured}' is an embedding model and cannot write text - choose a chat "
                "model in Settings.",
                detail="configured chat model is an embedding model",
            )
        return found
    chat = [m for m in models if m.type is ModelType.CHAT]
    loaded = [m for m in chat if m.loaded]
    if loaded:
        return loaded[0]
    unknown = [m for m in chat if m.loaded is None]
    if unknown:
        return unknown[0]
    raise errormap.no_model_loaded(detail=f"{len(models)} models listed, no chat model loaded")


def choose_embedding_model(models: list[ModelInfo], configured: str | None) -> ModelInfo | None:
    if configured:
        return find_model(models, configured)
    embeddings = [m for m in models if m.type is ModelType.EMBEDDING]
    loaded = [m for m in embeddings if m.loaded]
    unknown = [m for m in embeddings if m.loaded is None]
    return (loaded or unknown or [None])[0]
