"""Reading one streamed chat completion: chunk by chunk, each read under its own budget.

The first chunk with text may take minutes (LM Studio loads the model on first use), later
chunks must keep coming (a stalled stream is noticed after ``idle`` seconds), and the whole
request has a ``total`` budget. The budgets are enforced around each read, never across a
``yield``, so a consumer that is slow to ask for the next piece is never cancelled by them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from medscribe.core.errors import (
    FirstTokenTimeoutError,
    InvalidResponseError,
    LLMError,
    StreamStalledError,
    TotalTimeoutError,
)
from medscribe.core.llm_port import ChatResult, StreamDelta
from medscribe.llm import errormap
from medscribe.llm.sse import DONE, SSEParser
from medscribe.llm.wire import WireCompletion, error_in, to_result
from medscribe.settings import Timeouts

log = logging.getLogger(__name__)

R = TypeVar("R")

# Failures of the connection itself, as opposed to an answer the server chose to send.
CONNECT_FAILURES = (httpx.ConnectError, httpx.ConnectTimeout)
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


class RetryableFailure(Exception):
    """Internal: the request may be sent again (nothing was delivered to the caller yet)."""

    def __init__(self, error: LLMError) -> None:
        super().__init__(error.user_message)
        self.error = error


def total_timeout(seconds: float) -> TotalTimeoutError:
    return TotalTimeoutError(
        f"LM Studio did not finish within the time limit ({seconds:.0f} s) - try a shorter "
        "text, or raise 'Total time limit' in Settings.",
        detail=f"total budget {seconds:.0f}s",
    )


class Budget:
    """The deadlines of one call: first text, silence between chunks, and the whole call."""

    def __init__(self, timeouts: Timeouts) -> None:
        self.timeouts = timeouts
        self.deadline = asyncio.get_running_loop().time() + timeouts.total

    def remaining(self) -> float:
        return self.deadline - asyncio.get_running_loop().time()

    async def wait(self, awaitable: Awaitable[R], *, first: bool) -> R:
        """Await one read under the first-token (or idle) budget, capped by the total."""
        budget = self.timeouts.first_token if first else self.timeouts.idle
        remaining = self.remaining()
        if remaining <= 0:
            if asyncio.iscoroutine(awaitable):
                awaitable.close()
            raise total_timeout(self.timeouts.total)
        limit = min(budget, remaining)
        try:
            async with asyncio.timeout(limit):
                return await awaitable
        except TimeoutError:
            if remaining <= budget:
                raise total_timeout(self.timeouts.total) from None
            if first:
                raise FirstTokenTimeoutError(
                    f"LM Studio did not start answering within {budget:.0f} s - it may still be "
                    "loading the model; wait and try again, or raise 'Wait for first word' in "
                    "Settings.",
                    detail=f"first_token budget {budget:.0f}s",
                ) from None
            raise StreamStalledError(
                f"LM Studio stopped writing for more than {budget:.0f} s in the middle of the "
                "answer - check that LM Studio is still running, then try again.",
                detail=f"idle budget {budget:.0f}s",
            ) from None


def _json(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        raise InvalidResponseError(
            "LM Studio sent a part of the answer that medscribe could not read - try again; "
            "if it keeps happening, restart LM Studio's server.",
            detail="malformed JSON in stream",
        ) from None


async def read_stream(
    http: httpx.AsyncClient,
    request: httpx.Request,
    *,
    budget: Budget,
    root: str,
    model: str,
) -> AsyncIterator[StreamDelta]:
    """Send ``request`` and yield its text pieces, then one StreamDelta carrying the result.

    Raises RetryableFailure only while nothing has been yielded; typed LLMErrors otherwise.
    """
    started = time.monotonic()
    try:
        response = await budget.wait(http.send(request, stream=True), first=True)
    except CONNECT_FAILURES as exc:
        raise RetryableFailure(errormap.unreachable(root)) from exc
    except DROPPED as exc:
        raise RetryableFailure(errormap.connection_lost(root)) from exc
    got_text = False
    try:
        if response.status_code != 200:
            raw = await budget.wait(response.aread(), first=False)
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            error = errormap.classify(response.status_code, error_in(body), root=root, model=model)
            log.info("chat stream refused: HTTP %d (%s)", response.status_code, error.detail)
            if response.status_code == 503:
                raise RetryableFailure(error)
            raise error
        if "json" in response.headers.get("content-type", ""):
            # The server ignored "stream": true and sent the whole answer at once.
            body = _json((await budget.wait(response.aread(), first=True)).decode())
            if (error_body := error_in(body)) is not None:
                raise errormap.classify(200, error_body, root=root, model=model)
            whole = to_result(body, model)
            if whole is None:
                raise InvalidResponseError(
                    "LM Studio's answer contained no text - try again.", detail="no choices"
                )
            if whole.content or whole.reasoning:
                yield StreamDelta(content=whole.content, reasoning=whole.reasoning)
            yield StreamDelta(result=whole)
            return
        parser = SSEParser()
        lines = response.aiter_lines().__aiter__()
        content: list[str] = []
        reasoning: list[str] = []
        final = WireCompletion()
        finish: str | None = None
        done = False
        chunks = 0
        while not done:
            try:
                line = await budget.wait(lines.__anext__(), first=not got_text)
            except StopAsyncIteration:
                data, done = parser.flush(), True  # body ended: handle a last unterminated event
                if data is None:
                    break
            else:
                data = parser.feed(line)
                if data is None:
                    continue
            if data.strip() == DONE:
                finish = finish or "stop"
                break
            chunk = _json(data)
            if (error_body := error_in(chunk)) is not None:
                raise errormap.classify(200, error_body, root=root, model=model)
            try:
                wire = WireCompletion.model_validate(chunk)
            except ValidationError:
                raise InvalidResponseError(
                    "LM Studio sent a part of the answer in an unexpected form - try again.",
                    detail="chunk failed validation",
                ) from None
            chunks += 1
            final.model = wire.model or final.model
            final.usage = wire.usage or final.usage
            final.timings = wire.timings or final.timings
            for choice in wire.choices:
                if choice.index != 0:
                    continue
                finish = choice.finish_reason or finish
                delta = choice.delta or choice.message
                if delta is None:
                    continue
                piece, thought = delta.content or "", delta.reasoning_text
                if piece or thought:
                    got_text = True
                    content.append(piece)
                    reasoning.append(thought)
                    yield StreamDelta(content=piece, reasoning=thought)
        if finish is None:
            # The body ended without [DONE] or a finish reason: the connection was dropped.
            lost = errormap.connection_lost(root)
            if got_text:
                raise lost
            raise RetryableFailure(lost)
    except DROPPED as exc:
        if got_text:
            raise errormap.connection_lost(root) from exc
        raise RetryableFailure(errormap.connection_lost(root)) from exc
    finally:
        await response.aclose()
    result = ChatResult(
        content="".join(content),
        reasoning="".join(reasoning),
        finish_reason=finish,
        model=final.model or model,
        usage=final.usage,
        timings=final.timings,
    )
    log.info(
        "chat stream done: chunks=%d chars=%d reasoning_chars=%d finish=%s in %.0f ms",
        chunks,
        len(result.content),
        len(result.reasoning),
        finish,
        (time.monotonic() - started) * 1000,
    )
    yield StreamDelta(result=result)
