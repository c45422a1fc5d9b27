"""Streams that go wrong: slow first token, stalls, drops, the time limit, cancellation."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from medscribe.core.errors import (
    FirstTokenTimeoutError,
    LLMError,
    ServerUnreachableError,
    StreamStalledError,
    TotalTimeoutError,
)
from medscribe.core.llm_port import StreamDelta
from tests.llm.helpers import USER, client_for, wait_until
from tests.servers.replies import ScriptedReply
from tests.servers.scripted import ScriptedServer

WORDS = " ".join(f"word{i}" for i in range(40))


def collect(server: ScriptedServer, **settings: Any) -> tuple[list[StreamDelta], LLMError | None]:
    """Pieces received before the stream ended, and the error that ended it (if any)."""
    got: list[StreamDelta] = []

    async def go() -> None:
        async with client_for(server, **settings) as client:
            async for delta in client.stream_chat(USER, model="qwen/qwen3-8b"):
                got.append(delta)

    try:
        asyncio.run(go())
    except LLMError as exc:
        return got, exc
    return got, None


def test_slow_first_token_times_out_and_hangs_up(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content="late", first_token_delay=5))
    got, err = collect(scripted_server, timeouts={"first_token": 0.3, "idle": 5})
    assert isinstance(err, FirstTokenTimeoutError)
    assert "did not start answering" in err.user_message
    assert got == []
    assert wait_until(lambda: scripted_server.disconnects == 1)


def test_slow_first_token_within_budget_is_fine(scripted_server: ScriptedServer) -> None:
    # The first token may take longer than the idle budget: they are separate budgets.
    scripted_server.script_chat(ScriptedReply(content="worth the wait", first_token_delay=0.5))
    got, err = collect(scripted_server, timeouts={"first_token": 10, "idle": 0.2})
    assert err is None
    assert got[-1].result is not None and got[-1].result.content == "worth the wait"


def test_stall_mid_stream(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content=WORDS, stall_after_chunks=3))
    got, err = collect(scripted_server, timeouts={"first_token": 5, "idle": 0.3})
    assert isinstance(err, StreamStalledError)
    assert "stopped writing" in err.user_message
    assert "".join(d.content for d in got) == "word0 word1 word2 "
    assert len(scripted_server.chat_requests) == 1  # text was delivered: never retried
    assert wait_until(lambda: scripted_server.disconnects == 1)


def test_total_time_limit(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content=WORDS, chunk_delay=0.1))
    got, err = collect(scripted_server, timeouts={"first_token": 5, "idle": 5, "total": 0.6})
    assert isinstance(err, TotalTimeoutError)
    assert 0 < len(got) < len(WORDS.split())


def test_connection_dropped_after_text_is_not_retried(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content=WORDS, drop_after_chunks=2))
    got, err = collect(scripted_server)
    assert isinstance(err, ServerUnreachableError)
    assert "connection" in err.user_message and "lost" in err.user_message
    assert len(got) == 2
    assert len(scripted_server.chat_requests) == 1


def test_connection_dropped_before_text_is_retried(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content="lost", drop_after_chunks=0))
    scripted_server.default_reply = ScriptedReply(content="second try")
    got, err = collect(scripted_server)
    assert err is None
    assert got[-1].result is not None and got[-1].result.content == "second try"
    assert "".join(d.content for d in got[:-1]) == "second try"
    assert len(scripted_server.chat_requests) == 2


def test_stream_ending_without_finish_is_a_lost_connection(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.script_chat(
        ScriptedReply(content="half an", finish_reason=None, send_done=False)
    )
    got, err = collect(scripted_server)
    assert isinstance(err, ServerUnreachableError)
    assert "".join(d.content for d in got) == "half an"


def test_cancelling_the_task_closes_the_stream(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content=WORDS, chunk_delay=0.05))
    received: list[str] = []

    async def go() -> bool:
        async with client_for(scripted_server) as client:

            async def consume() -> None:
                async for delta in client.stream_chat(USER):
                    received.append(delta.content)

            task = asyncio.create_task(consume())
            while len(received) < 3:
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # The server sees the hang-up while the client (and its pool) is still open.
            return await asyncio.to_thread(wait_until, lambda: scripted_server.disconnects == 1)

    assert asyncio.run(go())
    assert len(received) < len(WORDS.split())


def test_leaving_the_loop_early_closes_the_stream(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content=WORDS, chunk_delay=0.05))

    async def go() -> tuple[bool, str]:
        async with client_for(scripted_server) as client:
            stream = client.stream_chat(USER)
            async with contextlib.aclosing(stream):
                async for delta in stream:
                    if delta.content:
                        break
            seen = await asyncio.to_thread(wait_until, lambda: scripted_server.disconnects == 1)
            # The client is usable for the next request at once.
            scripted_server.default_reply = ScriptedReply(content="next")
            return seen, (await client.chat(USER)).content

    assert asyncio.run(go()) == (True, "next")
