"""``medscribe check``: is this workstation ready? What a set-up script runs before the app.

Prints the server, whether it answers, what kind it is, its models (loaded state, context
length) and the chat model medscribe will use. Exit status: 0 ready, 1 not ready (the reason
is the last line, on stderr, in words a person can act on), 2 the settings are invalid.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from medscribe.core.errors import SettingsError
from medscribe.core.llm_port import HealthState, ModelInfo, ServerKind, ServerStatus
from medscribe.llm import LMStudioClient
from medscribe.settings import Settings, load_settings
from medscribe.settings.store import with_overrides

EXIT_READY, EXIT_NOT_READY, EXIT_SETTINGS = 0, 1, 2

_KIND = {
    ServerKind.LMSTUDIO: "LM Studio",
    ServerKind.OPENAI_COMPATIBLE: "OpenAI-compatible server (not LM Studio)",
    ServerKind.UNKNOWN: "unknown",
}


def _settings(base_url: str | None) -> Settings:
    return with_overrides(load_settings(), base_url=base_url)


def _describe(model: ModelInfo) -> str:
    if model.loaded is None:
        state = "loaded state not reported"
    elif model.loaded:
        state = "loaded"
    else:
        state = "not loaded"
    parts = [state]
    if model.context_length:
        parts.append(f"context {model.context_length} tokens")
    elif model.max_context_length:
        parts.append(f"max context {model.max_context_length} tokens")
    if model.parallel:
        parts.append(f"{model.parallel} parallel")
    return ", ".join(parts)


def report(status: ServerStatus, settings: Settings) -> list[str]:
    """The lines printed to stdout (the failure reason is printed separately)."""
    reachable = status.state is not HealthState.UNREACHABLE
    lines = [f"Server:     {settings.base_url}", f"Reachable:  {'yes' if reachable else 'no'}"]
    if not reachable:
        return lines
    lines.append(f"Kind:       {_KIND[status.kind]}")
    lines.append(f"Models:     {len(status.models) or 'none'}")
    width = max((len(m.id) for m in status.models), default=0)
    for model in status.models:
        mark = "*" if status.chat_model and model.id == status.chat_model.id else " "
        lines.append(f"  {mark} {model.id:<{width}}  {model.type.value:<9}  {_describe(model)}")
    wanted = settings.chat_model
    if status.chat_model is not None:
        how = "configured" if wanted else "not configured: using the loaded model"
        lines.append(f"Chat model: {status.chat_model.id} ({how}) - available")
    elif wanted:
        lines.append(f"Chat model: {wanted} (configured) - NOT available")
    else:
        lines.append("Chat model: not configured, and no chat model is loaded")
    return lines


async def _health(settings: Settings) -> ServerStatus:
    async with LMStudioClient(settings) as client:
        return await client.health()


def run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(getattr(args, "base_url", None))
    except SettingsError as exc:
        print(exc.user_message, file=sys.stderr)
        return EXIT_SETTINGS
    status = asyncio.run(_health(settings))
    print("\n".join(report(status, settings)), flush=True)
    if status.ready:
        print(status.message)
        return EXIT_READY
    print(status.message or "The model server is not ready.", file=sys.stderr)
    return EXIT_NOT_READY
