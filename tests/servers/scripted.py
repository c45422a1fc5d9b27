"""A scripted LM Studio on loopback: real HTTP, real streaming, faults on demand.

It runs in a background thread (stdlib ``ThreadingHTTPServer``), so asyncio tests and Qt/qasync
tests can both talk to it. Program it between requests::

    server.models = [ScriptedModel("qwen/qwen3-8b", context_length=8192)]
    server.script_chat(ScriptedReply(content='{"a": 1}'), ScriptedReply.busy())
    server.responder = lambda body: ScriptedReply(content="...")  # choose by request
    server.refuse(); ...; server.accept()  # the server goes down and comes back, same port

Chat replies come from the queue first, then ``responder`` (if it returns one), then
``default_reply``. ``overrides[path]`` replaces any other route's answer.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from medscribe.settings import Settings
from tests.servers.handler import ScriptedHandler
from tests.servers.replies import ScriptedModel, ScriptedReply, default_models

__all__ = ["RecordedRequest", "ScriptedModel", "ScriptedReply", "ScriptedServer"]


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any = None


@dataclass
class _State:
    """Everything the handler threads read or write, behind one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    log: list[RecordedRequest] = field(default_factory=list)
    disconnects: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    connections: set[Any] = field(default_factory=set)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, owner: ScriptedServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", port), ScriptedHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-answer is what the fault tests do on purpose; only report
        # anything else (socketserver would print a traceback into the test output).
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ScriptedServer:
    """See the module docstring. Attributes are plain; set them from the test."""

    def __init__(self) -> None:
        self.models: list[ScriptedModel] = default_models()
        self.default_reply = ScriptedReply()
        self.responder: Callable[[dict[str, Any]], ScriptedReply | None] | None = None
        self.overrides: dict[str, ScriptedReply] = {}
        self.lmstudio = True  # False: a plain OpenAI-compatible server (404 for LM Studio routes)
        self.api_v1 = True  # False: an LM Studio older than 0.4 (no /api/v1/models)
        self.api_v0 = True
        self.jit = False  # True: listed but unloaded models are served (Just-in-Time loading)
        self.enforce_context = False  # True: ~4 chars per token against the loaded context
        self.api_token: str | None = None  # when set, requests need "Authorization: Bearer ..."
        self.stall_seconds = 30.0  # how long a stalled stream stays silent before closing
        self.embedding_dim = 8
        self._queue: deque[ScriptedReply] = deque()
        self._state = _State()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- life cycle ---

    def start(self) -> ScriptedServer:
        """Listen (again) on 127.0.0.1; the port is chosen once and kept across restarts."""
        if self._httpd is not None:
            return self
        self._state.stopping.clear()
        self._httpd = _HTTPServer(self.port, self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"scripted-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and cut open connections: clients now get 'connection refused'."""
        if self._httpd is None:
            return
        self._state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._state.lock:
            open_connections = list(self._state.connections)
        for sock in open_connections:
            with contextlib.suppress(OSError):
                sock.shutdown(2)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    refuse = stop
    accept = start

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- addresses ---

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/v1"

    def settings(self, **overrides: Any) -> Settings:
        """Settings pointing at this server; ``overrides`` are Settings fields.

        Retry *delays* are the client's (``client.retry_base_delay``), not a setting.
        """
        return Settings(base_url=self.base_url, **overrides)

    # --- scripting ---

    def script_chat(self, *replies: ScriptedReply) -> None:
        """Queue replies, consumed one per chat request in order."""
        with self._state.lock:
            self._queue.extend(replies)

    def next_chat_reply(self, body: dict[str, Any]) -> ScriptedReply:
        with self._state.lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None:
            chosen = self.responder(body)
            if chosen is not None:
                return chosen
        return self.default_reply

    @property
    def pending_replies(self) -> int:
        with self._state.lock:
            return len(self._queue)

    # --- what was seen ---

    def record(self, request: RecordedRequest) -> None:
        with self._state.lock:
            self._state.log.append(request)

    @property
    def log(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.log)

    @property
    def requests(self) -> list[Any]:
        """Bodies of the POST requests received, in order (chat, embeddings, ...)."""
        return [r.body for r in self.log if r.method == "POST"]

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r.body for r in self.log if r.path.endswith("/chat/completions")]

    def paths(self) -> list[str]:
        return [r.path for r in self.log]

    @property
    def disconnects(self) -> int:
        """Clients that hung up in the middle of a streamed answer."""
        with self._state.lock:
            return self._state.disconnects

    def count_disconnect(self) -> None:
        with self._state.lock:
            self._state.disconnects += 1

    def clear(self) -> None:
        """Forget recorded requests and queued replies (the settings attributes stay)."""
        with self._state.lock:
            self._state.log.clear()
            self._state.disconnects = 0
            self._queue.clear()

    @property
    def state(self) -> _State:
        return self._state
