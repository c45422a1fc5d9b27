"""Embeddings (one text or a batch), token counting and slots against the scripted server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from medscribe.core.errors import ModelNotFoundError, NoModelLoadedError
from tests.llm.helpers import client_for
from tests.servers.scripted import ScriptedModel, ScriptedServer


def embed(server: ScriptedServer, texts: Any, **kwargs: Any) -> list[list[float]]:
    settings = kwargs.pop("settings", {})

    async def go() -> list[list[float]]:
        async with client_for(server, **settings) as client:
            return await client.embed(texts, **kwargs)

    return asyncio.run(go())


def test_batch_keeps_order_and_uses_the_loaded_embedding_model(
    scripted_server: ScriptedServer,
) -> None:
    texts = ["chest pain", "shortness of breath", "chest pain again"]
    vectors = embed(scripted_server, texts)
    assert len(vectors) == 3
    assert all(len(v) == scripted_server.embedding_dim for v in vectors)
    assert len({tuple(v) for v in vectors}) == 3
    sent = scripted_server.requests[-1]
    assert sent == {"model": "text-embedding-nomic-embed-text-v1.5", "input": texts}
    # Same text, same vector: the order of the answer follows the order of the texts.
    assert embed(scripted_server, ["shortness of breath"])[0] == vectors[1]


def test_single_text(scripted_server: ScriptedServer) -> None:
    vectors = embed(scripted_server, "fever")
    assert len(vectors) == 1
    assert scripted_server.requests[-1]["input"] == ["fever"]


def test_empty_batch_sends_nothing(scripted_server: ScriptedServer) -> None:
    assert embed(scripted_server, []) == []
    assert scripted_server.requests == []


def test_configured_and_explicit_embedding_model(scripted_server: ScriptedServer) -> None:
    scripted_server.models.append(ScriptedModel("bge-small", type="embedding"))
    embed(scripted_server, ["a"], settings={"embedding_model": "bge-small"})
    assert scripted_server.requests[-1]["model"] == "bge-small"
    embed(scripted_server, ["a"], model="text-embedding-nomic-embed-text-v1.5")
    assert scripted_server.requests[-1]["model"] == "text-embedding-nomic-embed-text-v1.5"


def test_no_embedding_model(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b")]
    with pytest.raises(NoModelLoadedError) as caught:
        embed(scripted_server, ["a"])
    assert "embedding model" in caught.value.user_message
    assert scripted_server.requests == []


def test_unknown_embedding_model(scripted_server: ScriptedServer) -> None:
    with pytest.raises(ModelNotFoundError):
        embed(scripted_server, ["a"], model="no-such-embedder")


def test_lmstudio_cannot_count_tokens_and_is_asked_once(scripted_server: ScriptedServer) -> None:
    async def go() -> list[int | None]:
        async with client_for(scripted_server) as client:
            return [await client.count_tokens("a b c"), await client.count_tokens("d e f")]

    assert asyncio.run(go()) == [None, None]
    assert scripted_server.paths().count("/tokenize") == 1


def test_server_slots_from_the_loaded_instance(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", parallel=3)]

    async def go() -> int | None:
        async with client_for(scripted_server) as client:
            return await client.server_slots()

    assert asyncio.run(go()) == 3
    scripted_server.api_v1 = False  # /api/v0 does not report slots

    assert asyncio.run(go()) is None
