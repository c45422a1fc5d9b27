"""Helpers for the client tests: a client pointed at a server, with quick retries."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from medscribe.llm import LMStudioClient
from medscribe.settings import Settings

USER = [{"role": "user", "content": "Summarise the visit."}]


def client_for(server: Any, **overrides: Any) -> LMStudioClient:
    """A client for ``server`` (scripted or llama) whose retries take milliseconds."""
    settings = Settings(base_url=server.base_url, **{"max_retries": 2, **overrides})
    client = LMStudioClient(settings)
    client.retry_base_delay = 0.01
    return client


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll a condition seen from another thread (the server's); True once it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
