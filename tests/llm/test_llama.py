"""The client against the real llama-server with Gemma 3 270M: few, short tests.

Gemma 3 270M is a small base model: it rambles until ``max_tokens`` unless a schema bounds it,
so the tests check the mechanics (streaming, validation, cancellation), not the prose.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest
from pydantic import BaseModel, Field

from medscribe.core.llm_port import HealthState, ModelType, ServerKind, StreamDelta
from tests.llm.helpers import client_for, wait_until
from tests.servers.llama import LlamaServer

pytestmark = pytest.mark.llama

PROMPT = [{"role": "user", "content": "Write one sentence about the heart."}]


class Patient(BaseModel):
    """Every string and list bounded, so the base model cannot loop inside the JSON."""

    name: str = Field(max_length=30)
    age: int | None = Field(default=None, ge=0, le=130)
    symptoms: list[str] = Field(default_factory=list, max_length=3)


def _slots_busy(server: LlamaServer) -> bool:
    with urllib.request.urlopen(f"{server.root}/slots", timeout=2) as response:
        return any(slot.get("is_processing") for slot in json.load(response))


def test_health_and_model_list(llama_server: LlamaServer) -> None:
    async def go():
        async with client_for(llama_server) as client:
            return await client.health(), await client.list_models()

    status, (kind, models) = asyncio.run(go())
    assert status.state is HealthState.READY
    assert status.kind is ServerKind.OPENAI_COMPATIBLE
    assert status.chat_model is not None and status.chat_model.id == llama_server.model
    assert status.chat_model.context_length == llama_server.ctx
    assert status.chat_model.parallel == llama_server.parallel
    assert status.chat_model.loaded is True
    assert kind is ServerKind.OPENAI_COMPATIBLE
    assert [(m.id, m.type) for m in models] == [(llama_server.model, ModelType.CHAT)]


def test_streamed_chat(llama_server: LlamaServer) -> None:
    async def go() -> list[StreamDelta]:
        async with client_for(llama_server) as client:
            return [d async for d in client.stream_chat(PROMPT, max_tokens=12, temperature=0)]

    *pieces, last = asyncio.run(go())
    result = last.result
    assert result is not None
    assert len(pieces) > 1
    assert "".join(p.content for p in pieces) == result.content != ""
    assert result.finish_reason in {"length", "stop"}
    assert result.usage is not None and 0 < result.usage.completion_tokens <= 12
    assert (
        result.timings is not None and result.timings.predicted_n == result.usage.completion_tokens
    )


def test_structured_answer_validates(llama_server: LlamaServer) -> None:
    messages = [
        {
            "role": "user",
            "content": "Record as JSON: Maria Lopez, age 54, has cough and fever.",
        }
    ]

    async def go():
        async with client_for(llama_server) as client:
            return await client.structured(messages, Patient, max_tokens=200, temperature=0)

    answer = asyncio.run(go())
    assert isinstance(answer.value, Patient)
    assert len(answer.value.name) <= 30 and len(answer.value.symptoms) <= 3
    assert answer.result.finish_reason == "stop"


def test_cancelling_mid_stream_stops_generation(llama_server: LlamaServer) -> None:
    received: list[str] = []

    async def go() -> bool:
        async with client_for(llama_server) as client:

            async def consume() -> None:
                # ~2000 tokens would take the small model half a minute: it must not run on.
                async for delta in client.stream_chat(PROMPT, max_tokens=2000):
                    received.append(delta.content)

            task = asyncio.create_task(consume())
            while len(received) < 3:
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            stopped = await asyncio.to_thread(wait_until, lambda: not _slots_busy(llama_server), 10)
            after = await client.chat(PROMPT, max_tokens=4)
            return stopped and bool(after.content)

    assert asyncio.run(go())


def test_count_tokens_and_slots(llama_server: LlamaServer) -> None:
    async def go():
        async with client_for(llama_server) as client:
            short = await client.count_tokens("The heart")
            long = await client.count_tokens("The heart pumps blood through the body every day.")
            return short, long, await client.server_slots()

    short, long, slots = asyncio.run(go())
    assert short is not None and long is not None
    assert 0 < short < long
    assert slots == llama_server.parallel
