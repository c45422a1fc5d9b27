"""Layered health check and model listing, over real HTTP against the scripted server."""

from __future__ import annotations

import asyncio

from medscribe.core.llm_port import HealthState, ModelType, ServerKind, ServerStatus
from medscribe.llm import LMStudioClient
from medscribe.settings import Settings
from tests.llm.helpers import client_for
from tests.servers.replies import ScriptedReply
from tests.servers.scripted import ScriptedModel, ScriptedServer


def health(server: ScriptedServer, **settings: object) -> ServerStatus:
    async def go() -> ServerStatus:
        async with client_for(server, **settings) as client:
            return await client.health()

    return asyncio.run(go())


def test_lmstudio_04_reports_loaded_context_and_parallel(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [
        ScriptedModel("google/gemma-3-12b", loaded=False, max_context_length=131072),
        ScriptedModel("qwen/qwen3-8b", context_length=8192, parallel=2),
        ScriptedModel("text-embedding-nomic", type="embedding"),
    ]
    status = health(scripted_server)
    assert status.state is HealthState.READY and status.ready
    assert status.kind is ServerKind.LMSTUDIO
    by_id = {m.id: m for m in status.models}
    assert by_id["google/gemma-3-12b"].loaded is False
    assert by_id["google/gemma-3-12b"].max_context_length == 131072
    assert by_id["qwen/qwen3-8b"].context_length == 8192
    assert by_id["qwen/qwen3-8b"].parallel == 2
    assert by_id["text-embedding-nomic"].type is ModelType.EMBEDDING
    # The first *loaded* chat model, not the first listed.
    assert status.chat_model is not None and status.chat_model.id == "qwen/qwen3-8b"
    assert status.embedding_model is not None
    assert status.embedding_model.id == "text-embedding-nomic"
    assert "/api/v1/models" in scripted_server.paths()


def test_older_lmstudio_falls_back_to_api_v0(scripted_server: ScriptedServer) -> None:
    scripted_server.api_v1 = False  # answers 200 + "Unexpected endpoint", as LM Studio does
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", context_length=16384)]
    status = health(scripted_server)
    assert status.ready and status.kind is ServerKind.LMSTUDIO
    assert status.models[0].context_length == 16384
    assert status.models[0].loaded is True
    assert status.models[0].parallel is None  # /api/v0 does not say
    assert scripted_server.paths().index("/api/v0/models") > scripted_server.paths().index(
        "/api/v1/models"
    )


def test_lmstudio_without_rich_routes_uses_v1_models(scripted_server: ScriptedServer) -> None:
    scripted_server.api_v1 = scripted_server.api_v0 = False
    status = health(scripted_server)
    assert status.ready
    assert status.kind is ServerKind.LMSTUDIO  # told by /lmstudio-greeting
    assert all(m.loaded is None for m in status.models)
    assert {m.type for m in status.models} == {ModelType.CHAT, ModelType.EMBEDDING}


def test_other_openai_server_skips_lmstudio_routes(scripted_server: ScriptedServer) -> None:
    scripted_server.lmstudio = False
    status = health(scripted_server)
    assert status.ready
    assert status.kind is ServerKind.OPENAI_COMPATIBLE
    assert "/api/v1/models" not in scripted_server.paths()
    assert status.chat_model is not None and status.chat_model.id == "qwen/qwen3-8b"


def test_200_with_error_body_is_not_healthy(scripted_server: ScriptedServer) -> None:
    # Something at that address answers every route with 200 and an error (LM Studio's
    # answer to an unknown route): it must not be taken for a working server.
    error = ScriptedReply(error_body="Unexpected endpoint or method. (GET /v1/models)")
    for path in ("/api/v1/models", "/api/v0/models", "/v1/models"):
        scripted_server.overrides[path] = error
    status = health(scripted_server)
    assert status.state is HealthState.NO_MODEL
    assert not status.ready
    assert "server address" in status.message


def test_unreachable_server(scripted_server: ScriptedServer) -> None:
    scripted_server.stop()
    status = health(scripted_server)
    assert status.state is HealthState.UNREACHABLE
    assert f"not reachable at {scripted_server.root}" in status.message
    assert "start its local server" in status.message


def test_server_goes_down_and_comes_back_on_the_same_port(
    scripted_server: ScriptedServer,
) -> None:
    async def go() -> list[HealthState]:
        async with client_for(scripted_server) as client:
            states = [(await client.health()).state]
            scripted_server.refuse()
            states.append((await client.health()).state)
            scripted_server.accept()
            states.append((await client.health()).state)
            return states

    assert asyncio.run(go()) == [HealthState.READY, HealthState.UNREACHABLE, HealthState.READY]


def test_no_chat_model_loaded(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [
        ScriptedModel("qwen/qwen3-8b", loaded=False),
        ScriptedModel("text-embedding-nomic", type="embedding"),
    ]
    status = health(scripted_server)
    assert status.state is HealthState.NO_MODEL
    assert "no chat model loaded" in status.message
    assert len(status.models) == 2  # still listed, for the user to see


def test_configured_model_missing_is_a_clear_error(scripted_server: ScriptedServer) -> None:
    status = health(scripted_server, chat_model="mistral-7b-instruct")
    assert status.state is HealthState.NO_MODEL
    assert "'mistral-7b-instruct'" in status.message


def test_configured_model_found_without_publisher_prefix(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [
        ScriptedModel("qwen/qwen3-8b"),
        ScriptedModel("google/gemma-3-12b", loaded=False),
    ]
    status = health(scripted_server, chat_model="Gemma-3-12B")
    assert status.ready
    assert status.chat_model is not None and status.chat_model.id == "google/gemma-3-12b"
    assert "loads it on first use" in status.message


def test_configured_embedding_model_as_chat_model_is_refused(
    scripted_server: ScriptedServer,
) -> None:
    status = health(scripted_server, chat_model="text-embedding-nomic-embed-text-v1.5")
    assert status.state is HealthState.NO_MODEL
    assert "embedding model" in status.message


def test_api_token_is_sent_and_refusal_explained(scripted_server: ScriptedServer) -> None:
    scripted_server.api_token = "s3cret"
    assert health(scripted_server, api_token="s3cret").ready
    assert scripted_server.log[-1].headers.get("Authorization") == "Bearer s3cret"
    refused = health(scripted_server)
    assert not refused.ready
    assert "API token" in refused.message


def test_list_models_returns_kind_and_models(scripted_server: ScriptedServer) -> None:
    async def go() -> tuple[ServerKind, list[str]]:
        async with client_for(scripted_server) as client:
            kind, found = await client.list_models()
            return kind, [m.id for m in found]

    kind, ids = asyncio.run(go())
    assert kind is ServerKind.LMSTUDIO
    assert ids == [m.id for m in scripted_server.models]


def test_wrong_path_on_a_plain_server_points_at_the_address(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.lmstudio = False  # 404 for unknown routes, like llama-server

    async def go() -> ServerStatus:
        settings = Settings(base_url=f"{scripted_server.root}/openai/v2")
        async with LMStudioClient(settings) as client:
            return await client.health()

    status = asyncio.run(go())
    assert status.state is HealthState.NO_MODEL
    assert "server address" in status.message
    assert "/openai/v2/models" in scripted_server.paths()
