"""The LM Studio client: one object per app, talking async HTTP to the local model server.

It works with LM Studio and with any OpenAI-compatible server (llama-server, Ollama): LM
Studio-only routes are tried first and their absence is not an error. Every failure becomes one
of the typed ``LLMError`` subclasses of :mod:`medscribe.core.errors` with a plain message.
Settings are read at each request, so the settings pane can swap them without a new client
(building an ``httpx.AsyncClient`` blocks the loop for ~100 ms: it is built once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from medscribe.core.errors import (
    InvalidResponseError,
    LLMError,
    ModelNotFoundError,
    NoModelLoadedError,
    TruncatedOutputError,
)
from medscribe.core.llm_port import (
    ChatMessage,
    ChatResult,
    ModelInfo,
    ServerKind,
    ServerStatus,
    StreamDelta,
    StructuredResult,
)
from medscribe.llm import discovery, errormap, models, structured
from medscribe.llm.streaming import (
    Budget,
    RetryableFailure,
    read_stream,
    total_timeout,
)
from medscribe.llm.transport import Transport
from medscribe.llm.wire import WireEmbeddings, error_in, to_result
from medscribe.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
Messages = Sequence[ChatMessage | dict[str, Any]]


class LMStudioClient:
    """Implements :class:`medscribe.core.llm_port.ChatBackend` over HTTP.

    Consume :meth:`stream_chat` inside ``contextlib.aclosing`` (or to its end) so that leaving
    early closes the HTTP stream at once; cancelling the consuming task closes it as well.
    """

    def __init__(self, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        self._owns_http = http is None
        # trust_env=False: proxy variables must never route patient text via another machine.
        self._http = http or httpx.AsyncClient(trust_env=False, follow_redirects=False)
        self._t = Transport(self._http, settings)
        self._chat_model: ModelInfo | None = None
        self._embedding_model: str | None = None
        self._tokenize_ok: bool | None = None

    # --- life cycle and settings -----------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._t.settings

    def update_settings(self, settings: Settings) -> None:
        """Use new settings from the next request on; forget what was learned of the server."""
        self._t.settings = settings
        self._chat_model = None
        self._embedding_model = None
        self._tokenize_ok = None

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> LMStudioClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def retry_base_delay(self) -> float:
        """First backoff delay in seconds (doubles per retry); tests make it short."""
        return self._t.retry_base_delay

    @retry_base_delay.setter
    def retry_base_delay(self, seconds: float) -> None:
        self._t.retry_base_delay = seconds

    # --- models and health -----------------------------------------------------------------

    async def health(self) -> ServerStatus:
        """Never raises for server trouble: the status says what is wrong, in one line."""
        return await discovery.health(self._t)

    async def list_models(self) -> tuple[ServerKind, list[ModelInfo]]:
        return await discovery.list_models(self._t, retry=True)

    async def resolve_chat_model(self) -> ModelInfo:
        if self._chat_model is None:
            _, found = await self.list_models()
            self._chat_model = models.choose_chat_model(found, self._t.settings.chat_model)
            log.info("chat model: %s", self._chat_model.id)
        return self._chat_model

    async def server_slots(self) -> int | None:
        return (await self.resolve_chat_model()).parallel

    async def count_tokens(self, text: str) -> int | None:
        if self._tokenize_ok is False:
            return None
        response = await self._t.send(
            "POST", f"{self._t.root}/tokenize", body={"content": text}, retry=True
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        tokens = body.get("tokens") if isinstance(body, dict) else None
        if (
            response.status_code != 200
            or error_in(body) is not None
            or not isinstance(tokens, list)
        ):
            self._tokenize_ok = False  # LM Studio has no tokenize route: don't ask again
            return None
        self._tokenize_ok = True
        return len(tokens)

    # --- chat ------------------------------------------------------------------------------

    def _chat_body(
        self,
        messages: Messages,
        model: str,
        *,
        temperature: float | None,
        max_tokens: int | None,
        response_format: dict[str, Any] | None,
        stream: bool,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": model,
            "messages": [m.model_dump() if isinstance(m, BaseModel) else dict(m) for m in messages],
            "temperature": self._t.settings.temperature if temperature is None else temperature,
            "max_tokens": self._t.settings.max_tokens if max_tokens is None else max_tokens,
            "stream": stream,
        }
        if stream:
            body["stream_options"] = {"include_usage": True}
        if response_format is not None:
            body["response_format"] = response_format
        return body

    def _forget_model_on(self, exc: LLMError) -> None:
        """The user may have loaded another model: choose again on the next request."""
        if isinstance(exc, NoModelLoadedError | ModelNotFoundError):
            self._chat_model = None

    async def chat(
        self,
        messages: Messages,
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        response_format: dict[str, Any] | None = None,
        model: str | None = None,
    ) -> ChatResult:
        try:
            async with asyncio.timeout(self._t.settings.timeouts.total):
                model_id = model or (await self.resolve_chat_model()).id
                body = self._chat_body(
                    messages,
                    model_id,
                    temperature=temperature,
                    max_tokens=max_tokens,
                    response_format=response_format,
                    stream=False,
                )
                url = f"{self._t.v1}/chat/completions"
                response = await self._t.send("POST", url, body=body, retry=True, long=True)
                data = self._t.body(response, model=model_id)
        except TimeoutError:
            raise total_timeout(self._t.settings.timeouts.total) from None
        except LLMError as exc:
            self._forget_model_on(exc)
            raise
        result = to_result(data, model_id)
        if result is None:
            raise InvalidResponseError(
                "LM Studio's answer contained no text - try again.", detail="no choices"
            )
        return result

    async def stream_chat(
        self,
        messages: Messages,
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        response_format: dict[str, Any] | None = None,
        model: str | None = None,
    ) -> AsyncIterator[StreamDelta]:
        """Text pieces as they come, then a last StreamDelta whose ``result`` is set."""
        budget = Budget(self._t.settings.timeouts)
        try:
            model_id = model or (await budget.wait(self.resolve_chat_model(), first=True)).id
        except LLMError as exc:
            self._forget_model_on(exc)
            raise
        body = self._chat_body(
            messages,
            model_id,
            temperature=temperature,
            max_tokens=max_tokens,
            response_format=response_format,
            stream=True,
        )
        attempts = self._t.settings.max_retries + 1
        for attempt in range(attempts):
            request = self._http.build_request(
                "POST",
                f"{self._t.v1}/chat/completions",
                json=body,
                headers=self._t.headers(),
                timeout=self._t.timeout(long=True),
            )
            stream = read_stream(
                self._http, request, budget=budget, root=self._t.root, model=model_id
            )
            try:
                async with contextlib.aclosing(stream):
                    async for delta in stream:
                        yield delta
                return
            except RetryableFailure as failure:
                if attempt + 1 >= attempts:
                    raise failure.error from None
                log.info("chat stream: attempt %d failed, retrying", attempt + 1)
            except LLMError as exc:
                self._forget_model_on(exc)
                raise
            await self._t.backoff(attempt, budget)

    async def _collect(self, messages: Messages, **kwargs: Any) -> ChatResult:
        stream = self.stream_chat(messages, **kwargs)
        async with contextlib.aclosing(stream):
            async for delta in stream:
                if delta.result is not None:
                    return delta.result
        raise InvalidResponseError("LM Studio's answer ended early - try again.")

    # --- structured output -----------------------------------------------------------------

    async def structured(
        self,
        messages: Messages,
        schema: type[T],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        model: str | None = None,
    ) -> StructuredResult[T]:
        """A validated ``schema`` instance; one retry at temperature 0 with the schema spelled
        out in the prompt if the first answer does not validate."""
        response_format = structured.response_format_for(schema)
        attempt_messages: Messages = messages
        answered: list[ChatResult] = []
        for attempt in (1, 2):
            result = await self._collect(
                attempt_messages,
                temperature=temperature if attempt == 1 else 0.0,
                max_tokens=max_tokens,
                response_format=response_format,
                model=model,
            )
            answered.append(result)
            if result.finish_reason == "length":
                limit = self._t.settings.max_tokens if max_tokens is None else max_tokens
                truncated = TruncatedOutputError(
                    f"The model's answer was cut off at the length limit ({limit} tokens) before "
                    "it was complete - raise 'Maximum answer length' in Settings, or shorten "
                    "the text.",
                    detail=f"finish_reason=length attempt={attempt}",
                )
                truncated.responses = tuple(answered)
                raise truncated
            value = structured.parse_structured([result.content, result.reasoning], schema)
            if value is not None:
                return StructuredResult[schema](value=value, result=result, attempts=attempt)  # type: ignore[valid-type]
            log.info(
                "structured answer did not validate (attempt %d, %d chars)",
                attempt,
                len(result.content) + len(result.reasoning),
            )
            attempt_messages = _with_instruction(messages, structured.schema_instruction(schema))
        invalid = InvalidResponseError(
            "The model's answer could not be read as the expected structured data, even on a "
            "second try - try again, or choose a larger model in LM Studio.",
            detail=f"schema {schema.__name__} failed twice",
        )
        invalid.responses = tuple(answered)
        raise invalid

    # --- embeddings ------------------------------------------------------------------------

    async def embed(self, texts: list[str] | str, *, model: str | None = None) -> list[list[float]]:
        """One vector per text, in order. A single string is treated as a batch of one."""
        batch = [texts] if isinstance(texts, str) else list(texts)
        if not batch:
            return []
        model_id = model or self._t.settings.embedding_model or await self._embedding_model_id()
        try:
            async with asyncio.timeout(self._t.settings.timeouts.total):
                response = await self._t.send(
                    "POST",
                    f"{self._t.v1}/embeddings",
                    body={"model": model_id, "input": batch},
                    retry=True,
                    long=True,
                )
        except TimeoutError:
            raise total_timeout(self._t.settings.timeouts.total) from None
        data = self._t.body(response, model=model_id)
        try:
            vectors = sorted(WireEmbeddings.model_validate(data).data, key=lambda d: d.index)
        except ValidationError:
            vectors = []
        if len(vectors) != len(batch):
            raise InvalidResponseError(
                "LM Studio's embedding answer did not match the texts sent - try again.",
                detail=f"{len(vectors)} vectors for {len(batch)} texts",
            )
        return [v.embedding for v in vectors]

    async def _embedding_model_id(self) -> str:
        if self._embedding_model is None:
            _, found = await self.list_models()
            chosen = models.choose_embedding_model(found, None)
            if chosen is None:
                raise errormap.no_embedding_model()
            self._embedding_model = chosen.id
        return self._embedding_model


def _with_instruction(messages: Messages, instruction: str) -> list[dict[str, Any]]:
    """Add the instruction to the last user turn (chat templates such as Gemma's reject two
    user turns in a row); the earlier turns stay byte-identical for the prompt cache."""
    plain = [m.model_dump() if isinstance(m, BaseModel) else dict(m) for m in messages]
    if plain and plain[-1].get("role") == "user":
        plain[-1] = {**plain[-1], "content": f"{plain[-1]['content']}\n\n{instruction}"}
    else:
        plain.append({"role": "user", "content": instruction})
    return plain


def create_client(settings: Settings) -> LMStudioClient:
    """The app's one client (see the module docstring for why only one)."""
    return LMStudioClient(settings)
