"""Server fixtures for every test package (registered via ``pytest_plugins`` in conftest).

- ``scripted_server``: a fresh scripted LM Studio per test (function scope).
- ``llama_server``: the real llama-server with Gemma 3 270M, one per session (``-c 4096 -np 1``).
- ``llama_server_factory(ctx=..., parallel=...)``: more llama-servers, one per (ctx, parallel)
  per session. A server that cannot start FAILS the test with the reason: never a skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.servers.llama import LlamaServer, LlamaServerError, start_llama_server
from tests.servers.scripted import ScriptedServer


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def llama_server_factory() -> Iterator[Callable[..., LlamaServer]]:
    started: dict[tuple[int, int], LlamaServer] = {}

    def factory(ctx: int = 4096, parallel: int = 1) -> LlamaServer:
        key = (ctx, parallel)
        server = started.get(key)
        if server is None or server.process.poll() is not None:
            try:
                server = start_llama_server(ctx=ctx, parallel=parallel)
            except LlamaServerError as exc:
                pytest.fail(f"llama-server could not be started: {exc}", pytrace=False)
            started[key] = server
        return server

    try:
        yield factory
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture(scope="session")
def llama_server(llama_server_factory: Callable[..., LlamaServer]) -> LlamaServer:
    return llama_server_factory(ctx=4096, parallel=1)
