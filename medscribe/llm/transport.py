"""Plain requests to the model server: addresses, token, timeouts, retries, error bodies.

Settings are read at every request (the settings pane may replace them at any time), so the
one ``httpx.AsyncClient`` of the app never has to be rebuilt.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

import httpx

from medscribe.core.errors import InvalidResponseError, TotalTimeoutError
from medscribe.llm import errormap
from medscribe.llm.streaming import CONNECT_FAILURES, DROPPED, Budget, total_timeout
from medscribe.llm.wire import error_in
from medscribe.settings import Settings

log = logging.getLogger(__name__)


class Transport:
    """Owns nothing but knows how to reach the server with the current settings."""

    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self.http = http
        self.settings = settings
        self.retry_base_delay = 0.5  # seconds; doubles per retry
        self.retry_max_delay = 8.0

    @property
    def root(self) -> str:
        """The server without ``/v1``: LM Studio's ``/api/*`` and llama-server's routes."""
        return self.settings.server_root

    @property
    def v1(self) -> str:
        """The OpenAI routes' base: the configured URL, or ``<root>/v1`` if it has no path."""
        url = self.settings.base_url
        return url if urlsplit(url).path not in ("", "/") else url.rstrip("/") + "/v1"

    def headers(self) -> dict[str, str]:
        token = self.settings.api_token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def timeout(self, *, long: bool) -> httpx.Timeout:
        """Short requests get ``idle`` to answer; long ones are bounded by a Budget instead."""
        t = self.settings.timeouts
        return httpx.Timeout(
            connect=t.connect, read=None if long else t.idle, write=t.idle, pool=None
        )

    async def backoff(self, attempt: int, budget: Budget | None = None) -> None:
        delay = min(self.retry_base_delay * 2**attempt, self.retry_max_delay)
        if budget is not None and budget.remaining() <= delay:
            raise total_timeout(self.settings.timeouts.total)
        await asyncio.sleep(delay)

    async def send(
        self, method: str, url: str, *, body: Any = None, retry: bool, long: bool = False
    ) -> httpx.Response:
        """One request; connection failures and 503 are retried with backoff if ``retry``.

        4xx answers are returned at once: sending the same request again cannot help.
        """
        attempts = self.settings.max_retries + 1 if retry else 1
        path = urlsplit(url).path
        for attempt in range(attempts):
            last = attempt + 1 >= attempts
            try:
                response = await self.http.request(
                    method, url, json=body, headers=self.headers(), timeout=self.timeout(long=long)
                )
            except CONNECT_FAILURES as exc:
                if last:
                    raise errormap.unreachable(self.root) from exc
            except DROPPED as exc:
                if last:
                    raise errormap.connection_lost(self.root) from exc
            except httpx.TimeoutException as exc:
                raise TotalTimeoutError(
                    f"LM Studio at {self.root} did not answer within "
                    f"{self.settings.timeouts.idle:.0f} s - it may be busy; try again.",
                    detail=f"{method} {path} timed out",
                ) from exc
            else:
                log.debug("%s %s: HTTP %d", method, path, response.status_code)
                if response.status_code != 503 or last:
                    return response
            log.info("%s %s: attempt %d failed, retrying", method, path, attempt + 1)
            await self.backoff(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def body(self, response: httpx.Response, *, model: str | None = None) -> Any:
        """The JSON body of a successful answer; typed errors for everything else."""
        try:
            body = response.json()
        except ValueError:
            body = None
        error = error_in(body)
        if response.status_code >= 400 or error is not None:
            raise errormap.classify(response.status_code, error, root=self.root, model=model)
        if body is None:
            raise InvalidResponseError(
                "LM Studio sent an answer medscribe could not read - try again; if it keeps "
                "happening, restart LM Studio's server.",
                detail=f"HTTP {response.status_code}, body not JSON",
            )
        return body

    async def get_json(self, url: str, *, retry: bool) -> tuple[int, Any]:
        """Status and JSON body (None if not JSON), without judging either."""
        response = await self.send("GET", url, retry=retry)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None
