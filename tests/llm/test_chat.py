"""Chat, streamed and not, with every error form LM Studio sends, over real HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from medscribe.core.errors import (
    ContextOverflowError,
    InvalidResponseError,
    LLMError,
    ModelNotFoundError,
    NoModelLoadedError,
    ServerError,
    ServerUnreachableError,
)
from medscribe.core.llm_port import ChatMessage, ChatResult, StreamDelta
from tests.llm.helpers import USER, client_for
from tests.servers.replies import ScriptedReply
from tests.servers.scripted import ScriptedModel, ScriptedServer


def chat(server: ScriptedServer, **kwargs: Any) -> ChatResult:
    settings = kwargs.pop("settings", {})

    async def go() -> ChatResult:
        async with client_for(server, **settings) as client:
            return await client.chat(USER, **kwargs)

    return asyncio.run(go())


def stream(server: ScriptedServer, **kwargs: Any) -> list[StreamDelta]:
    settings = kwargs.pop("settings", {})

    async def go() -> list[StreamDelta]:
        async with client_for(server, **settings) as client:
            return [d async for d in client.stream_chat(USER, **kwargs)]

    return asyncio.run(go())


def error_of(fn: Any, server: ScriptedServer, **kwargs: Any) -> LLMError:
    with pytest.raises(LLMError) as caught:
        fn(server, **kwargs)
    return caught.value


# --- success ----------------------------------------------------------------------------


def test_chat_returns_content_reasoning_usage_and_timings(scripted_server: ScriptedServer) -> None:
    timings = {"prompt_n": 12, "cache_n": 30, "prompt_ms": 40.5, "predicted_n": 7}
    scripted_server.script_chat(
        ScriptedReply(
            content="Patient is well.",
            reasoning="Checked vitals.",
            usage={"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49},
            timings=timings,
        )
    )
    result = chat(scripted_server, settings={"temperature": 0.3, "max_tokens": 333})
    assert result.content == "Patient is well."
    assert result.reasoning == "Checked vitals."
    assert result.finish_reason == "stop"
    assert result.usage is not None and result.usage.prompt_tokens == 42
    assert result.timings is not None and result.timings.cache_n == 30
    sent = scripted_server.chat_requests[-1]
    assert sent["model"] == "qwen/qwen3-8b"  # the loaded model, as none is configured
    assert sent["temperature"] == 0.3 and sent["max_tokens"] == 333
    assert sent["stream"] is False
    assert sent["messages"] == USER


def test_chat_accepts_chat_message_models_and_overrides(scripted_server: ScriptedServer) -> None:
    async def go() -> None:
        async with client_for(scripted_server) as client:
            await client.chat(
                [
                    ChatMessage(role="system", content="Be brief."),
                    ChatMessage(role="user", content="Hi"),
                ],
                temperature=0.0,
                max_tokens=64,
                response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
            )

    asyncio.run(go())
    sent = scripted_server.chat_requests[-1]
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["temperature"] == 0.0 and sent["max_tokens"] == 64
    assert sent["response_format"]["type"] == "json_schema"


def test_stream_yields_pieces_then_the_result(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(
        ScriptedReply(
            content="",
            chunks=["The ", "patient ", "reports ", "", "pain."],
            reasoning="Let me think",
            timings={"prompt_n": 5, "predicted_n": 4},
        )
    )
    deltas = stream(scripted_server)
    *pieces, last = deltas
    assert last.result is not None and all(d.result is None for d in pieces)
    assert "".join(d.content for d in pieces) == "The patient reports pain."
    assert "".join(d.reasoning for d in pieces) == "Let me think"
    assert all(d.content or d.reasoning for d in pieces)  # null/empty deltas are skipped
    assert last.result.content == "The patient reports pain."
    assert last.result.reasoning == "Let me think"
    assert last.result.finish_reason == "stop"
    assert last.result.usage is not None  # from the chunk with empty choices
    assert last.result.usage.completion_tokens == 8
    assert last.result.timings is not None and last.result.timings.prompt_n == 5
    sent = scripted_server.chat_requests[-1]
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}


def test_stream_reads_the_reasoning_field_variant(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(
        ScriptedReply(content="Done.", reasoning="Step one", reasoning_field="reasoning")
    )
    result = stream(scripted_server)[-1].result
    assert result is not None
    assert (result.reasoning, result.content) == ("Step one", "Done.")


def test_stream_without_usage_still_finishes(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content="Fine.", usage=None))
    result = stream(scripted_server)[-1].result
    assert result is not None and result.content == "Fine." and result.usage is None


def test_stream_cut_by_max_tokens_reports_length(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content="A long", finish_reason="length"))
    result = stream(scripted_server)[-1].result
    assert result is not None and result.finish_reason == "length"


def test_server_ignoring_stream_true_still_works(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content="All at once.", ignore_stream=True))
    *pieces, last = stream(scripted_server)
    assert [p.content for p in pieces] == ["All at once."]
    assert last.result is not None and last.result.content == "All at once."


def test_explicit_model_skips_model_listing(scripted_server: ScriptedServer) -> None:
    scripted_server.models.append(ScriptedModel("google/gemma-3-12b"))
    chat(scripted_server, model="google/gemma-3-12b")
    assert scripted_server.chat_requests[-1]["model"] == "google/gemma-3-12b"
    assert "/api/v1/models" not in scripted_server.paths()


def test_configured_model_is_used(scripted_server: ScriptedServer) -> None:
    scripted_server.models.append(ScriptedModel("google/gemma-3-12b"))
    stream(scripted_server, settings={"chat_model": "google/gemma-3-12b"})
    assert scripted_server.chat_requests[-1]["model"] == "google/gemma-3-12b"


def test_model_is_chosen_again_after_the_user_loads_another(
    scripted_server: ScriptedServer,
) -> None:
    async def go() -> list[str | None]:
        async with client_for(scripted_server) as client:
            first = await client.chat(USER)
            scripted_server.models = [ScriptedModel("google/gemma-3-12b")]  # qwen unloaded
            with pytest.raises(ModelNotFoundError):
                await client.chat(USER)
            third = await client.chat(USER)
            return [first.model, third.model]

    assert asyncio.run(go()) == ["qwen/qwen3-8b", "google/gemma-3-12b"]


# --- errors as LM Studio sends them -------------------------------------------------------


@pytest.mark.parametrize("fn", [chat, stream])
def test_no_model_loaded_string_error(scripted_server: ScriptedServer, fn: Any) -> None:
    scripted_server.script_chat(ScriptedReply.no_model_loaded())
    err = error_of(fn, scripted_server)
    assert isinstance(err, NoModelLoadedError)
    assert "load one in LM Studio" in err.user_message
    assert len(scripted_server.chat_requests) == 1  # a 400 is never retried


def test_nothing_loaded_is_found_before_any_chat(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", loaded=False)]
    err = error_of(chat, scripted_server)
    assert isinstance(err, NoModelLoadedError)
    assert scripted_server.chat_requests == []


@pytest.mark.parametrize("fn", [chat, stream])
def test_unknown_model_object_error(scripted_server: ScriptedServer, fn: Any) -> None:
    err = error_of(fn, scripted_server, model="no-such-model")  # the server refuses it
    assert isinstance(err, ModelNotFoundError)
    assert "'no-such-model'" in err.user_message
    assert len(scripted_server.chat_requests) == 1


def test_configured_model_missing_fails_before_chat(scripted_server: ScriptedServer) -> None:
    err = error_of(stream, scripted_server, settings={"chat_model": "llama-3-70b"})
    assert isinstance(err, ModelNotFoundError)
    assert scripted_server.chat_requests == []


@pytest.mark.parametrize(
    ("reply", "prompt", "context"),
    [
        (ScriptedReply.context_overflow(6509, 4096), 6509, 4096),
        (ScriptedReply.context_overflow(5000, 2048, llama=True), 5000, 2048),
    ],
    ids=["lmstudio-string", "llama-object"],
)
@pytest.mark.parametrize("fn", [chat, stream])
def test_context_overflow_carries_sizes(
    scripted_server: ScriptedServer, fn: Any, reply: ScriptedReply, prompt: int, context: int
) -> None:
    scripted_server.script_chat(reply)
    err = error_of(fn, scripted_server)
    assert isinstance(err, ContextOverflowError)
    assert (err.prompt_tokens, err.context_tokens) == (prompt, context)
    assert str(context) in err.user_message


def test_context_overflow_detected_from_estimated_prompt(scripted_server: ScriptedServer) -> None:
    scripted_server.enforce_context = True
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", context_length=100)]

    async def go() -> None:
        async with client_for(scripted_server) as client:
            await client.chat([{"role": "user", "content": "word " * 200}])

    with pytest.raises(ContextOverflowError) as caught:
        asyncio.run(go())
    assert caught.value.context_tokens == 100
    assert caught.value.prompt_tokens == 250


@pytest.mark.parametrize("fn", [chat, stream])
def test_500_is_a_server_error_and_not_retried(scripted_server: ScriptedServer, fn: Any) -> None:
    scripted_server.script_chat(ScriptedReply.server_error(500))
    err = error_of(fn, scripted_server)
    assert isinstance(err, ServerError) and err.status_code == 500
    assert "HTTP 500" in err.user_message
    assert len(scripted_server.chat_requests) == 1


@pytest.mark.parametrize("fn", [chat, stream])
def test_503_is_retried_then_succeeds(scripted_server: ScriptedServer, fn: Any) -> None:
    scripted_server.script_chat(ScriptedReply.busy(), ScriptedReply.busy())
    scripted_server.default_reply = ScriptedReply(content="Back.")
    result = fn(scripted_server)
    content = result.content if isinstance(result, ChatResult) else result[-1].result.content
    assert content == "Back."
    assert len(scripted_server.chat_requests) == 3


@pytest.mark.parametrize("fn", [chat, stream])
def test_503_gives_up_after_max_retries(scripted_server: ScriptedServer, fn: Any) -> None:
    scripted_server.default_reply = ScriptedReply.busy()
    err = error_of(fn, scripted_server, settings={"max_retries": 1})
    assert isinstance(err, ServerError) and err.status_code == 503
    assert len(scripted_server.chat_requests) == 2


@pytest.mark.parametrize("fn", [chat, stream])
def test_malformed_json(scripted_server: ScriptedServer, fn: Any) -> None:
    scripted_server.script_chat(ScriptedReply(content="Some words here", malformed=True))
    err = error_of(fn, scripted_server)
    assert isinstance(err, InvalidResponseError)
    assert len(scripted_server.chat_requests) == 1


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("No models loaded. Please load a model.", NoModelLoadedError),
        ({"message": "Failed to load model 'x'. Error: out of memory"}, NoModelLoadedError),
        ({"message": "Something broke", "type": "server_error"}, ServerError),
    ],
)
def test_error_object_inside_the_stream(
    scripted_server: ScriptedServer, error: Any, expected: type[LLMError]
) -> None:
    scripted_server.script_chat(ScriptedReply(content="Partial answer", stream_error=error))
    err = error_of(stream, scripted_server)
    assert type(err) is expected


def test_unknown_route_answer_names_the_address(scripted_server: ScriptedServer) -> None:
    scripted_server.overrides["/v1/chat/completions"] = ScriptedReply(
        error_body="Unexpected endpoint or method. (POST /v1/chat/completions)"
    )
    err = error_of(chat, scripted_server)
    assert isinstance(err, ServerError)
    assert "server address" in err.user_message


def test_refused_connection_is_retried_then_reported(scripted_server: ScriptedServer) -> None:
    scripted_server.stop()
    err = error_of(chat, scripted_server, model="qwen/qwen3-8b", settings={"max_retries": 2})
    assert isinstance(err, ServerUnreachableError)
    assert f"not reachable at {scripted_server.root}" in err.user_message


def test_stream_recovers_when_the_server_comes_back(scripted_server: ScriptedServer) -> None:
    scripted_server.stop()

    async def go() -> list[StreamDelta]:
        async with client_for(scripted_server, max_retries=6) as client:
            client.retry_base_delay = 0.1
            asyncio.get_running_loop().call_later(0.2, scripted_server.start)
            return [d async for d in client.stream_chat(USER, model="qwen/qwen3-8b")]

    deltas = asyncio.run(go())
    assert deltas[-1].result is not None and deltas[-1].result.content == "OK"


def test_bearer_token_is_sent_with_chat(scripted_server: ScriptedServer) -> None:
    scripted_server.api_token = "tok-123"
    stream(scripted_server, settings={"api_token": "tok-123"})
    chat_log = [r for r in scripted_server.log if r.path == "/v1/chat/completions"]
    assert chat_log and chat_log[-1].headers["Authorization"] == "Bearer tok-123"


def test_update_settings_points_the_same_client_elsewhere(scripted_server: ScriptedServer) -> None:
    other = ScriptedServer().start()
    try:
        other.models = [ScriptedModel("other-model")]

        async def go() -> list[str | None]:
            async with client_for(scripted_server) as client:
                first = await client.chat(USER)
                client.update_settings(
                    client.settings.model_copy(update={"base_url": other.base_url})
                )
                second = await client.chat(USER)
                return [first.model, second.model]

        assert asyncio.run(go()) == ["qwen/qwen3-8b", "other-model"]
    finally:
        other.stop()
