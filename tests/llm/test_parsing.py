"""Pure parsing: error bodies in all their forms, SSE framing, tolerant JSON extraction."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from medscribe.core.errors import (
    ContextOverflowError,
    ModelNotFoundError,
    NoModelLoadedError,
    ServerError,
)
from medscribe.llm import errormap
from medscribe.llm.models import choose_chat_model, parse_api_v0, parse_api_v1, parse_openai
from medscribe.llm.sse import SSEParser
from medscribe.llm.structured import parse_structured
from medscribe.llm.wire import error_in

ROOT = "http://127.0.0.1:1234"
OPENAI_OVERFLOW = (
    "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens"
)


@pytest.mark.parametrize(
    ("body", "message", "code"),
    [
        ({"error": "No models loaded."}, "No models loaded.", None),
        (
            {"error": {"message": "Invalid model", "code": "model_not_found"}},
            "Invalid model",
            "model_not_found",
        ),
        ({"error": {"code": 503, "message": "Loading model"}}, "Loading model", "503"),
        ({"error": {"msg": "odd server"}}, "odd server", None),
    ],
)
def test_error_bodies_are_normalised(body: dict, message: str, code: str | None) -> None:
    err = error_in(body)
    assert err is not None and err.message == message and err.code == code


@pytest.mark.parametrize("body", [None, [], "text", {"data": []}, {"error": None}, {"error": ""}])
def test_bodies_without_error(body: object) -> None:
    assert error_in(body) is None


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"error": "No models loaded. Please load a model."}, NoModelLoadedError),
        (404, {"error": "No models loaded."}, NoModelLoadedError),
        (
            400,
            {"error": {"message": 'Invalid model identifier "x"', "code": "model_not_found"}},
            ModelNotFoundError,
        ),
        (400, {"error": {"message": "Model does not exist"}}, ModelNotFoundError),
        (
            400,
            {"error": {"type": "exceed_context_size_error", "n_prompt_tokens": 9, "n_ctx": 8}},
            ContextOverflowError,
        ),
        (
            400,
            {"error": OPENAI_OVERFLOW},
            ContextOverflowError,
        ),
        (503, None, ServerError),
        (500, {"error": {"message": "boom"}}, ServerError),
        (401, {"error": "Unauthorized"}, ServerError),
        (422, {"error": "bad field"}, ServerError),
    ],
)
def test_classify(status: int, body: object, expected: type) -> None:
    err = errormap.classify(status, error_in(body), root=ROOT, model="x")
    assert type(err) is expected
    assert err.user_message and "Traceback" not in err.user_message


def test_openai_style_overflow_sizes() -> None:
    err = errormap.classify(
        400,
        error_in({"error": OPENAI_OVERFLOW}),
        root=ROOT,
    )
    assert isinstance(err, ContextOverflowError)
    assert (err.prompt_tokens, err.context_tokens) == (5000, 4096)


def test_503_is_retryable_500_is_not() -> None:
    assert errormap.classify(503, None, root=ROOT).retryable
    assert not errormap.classify(500, None, root=ROOT).retryable


def test_sse_framing() -> None:
    parser = SSEParser()
    lines = [": keep-alive", "event: message", 'data: {"a":', "data: 1}", "", "data:[DONE]", ""]
    events = [e for e in (parser.feed(line) for line in lines) if e is not None]
    assert events == ['{"a":\n1}', "[DONE]"]
    parser.feed("data: last")
    assert parser.flush() == "last"
    assert parser.flush() is None


class Small(BaseModel):
    a: int
    b: str | None = None


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (['{"a": 1, "b": null}'], Small(a=1)),
        (['prefix {not json} then {"a": 2, "b": "x"} suffix'], Small(a=2, b="x")),
        (["", '```json\n{"a": 3, "b": null}\n```'], Small(a=3)),
        (['{"a": "many"}', '{"a": 4, "b": null}'], Small(a=4)),
        (["no json here", ""], None),
    ],
)
def test_parse_structured(texts: list[str], expected: Small | None) -> None:
    assert parse_structured(texts, Small) == expected


def test_model_list_shapes_are_told_apart() -> None:
    llama_v1 = {"models": [{"name": "gemma", "model": "gemma"}], "data": [{"id": "gemma"}]}
    assert parse_api_v1(llama_v1) is None  # llama-server's Ollama-style list is not LM Studio's
    assert parse_api_v0({"data": [{"id": "gemma", "object": "model"}]}) is None
    openai = parse_openai({"data": [{"id": "nomic-embed-text"}, {"id": "gemma"}]})
    assert openai is not None
    assert choose_chat_model(openai, None).id == "gemma"  # embedding models are never chosen
