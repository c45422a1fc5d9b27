"""The request handler of the scripted server: LM Studio's routes, bodies and faults.

Streams are written with chunked transfer encoding and each SSE event is sent at once (the
socket writer is unbuffered), so delays, stalls and dropped connections are real to the
client. While it waits, the handler watches its socket, which is how ``disconnects`` learns
that a client hung up mid-stream.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import select
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tests.servers.replies import (
    NO_MODELS_LOADED,
    ScriptedReply,
    lmstudio_overflow_message,
    model_not_found_error,
)

if TYPE_CHECKING:
    from tests.servers.scripted import ScriptedServer


class _ClientGone(Exception):
    """The client closed the connection (or the server is stopping)."""


class ScriptedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    @property
    def owner(self) -> ScriptedServer:
        return self.server.owner  # type: ignore[attr-defined]

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, delayed ACKs add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.owner.state.lock:
            self.owner.state.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            with self.owner.state.lock:
                self.owner.state.connections.discard(self.connection)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    # --- routing ---

    def _dispatch(self, method: str) -> None:
        from tests.servers.scripted import RecordedRequest

        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        path = urlsplit(self.path).path
        self.owner.record(RecordedRequest(method, path, dict(self.headers.items()), body))
        try:
            self._route(method, path, body)
        except (_ClientGone, OSError):
            self.close_connection = True

    def _route(self, method: str, path: str, body: Any) -> None:
        owner = self.owner
        if (override := owner.overrides.get(path)) is not None:
            self._sleep(override.first_token_delay)
            self._plain(override)
            return
        if owner.api_token and self.headers.get("Authorization") != f"Bearer {owner.api_token}":
            self._json(401, {"error": {"message": "Invalid or missing API token", "code": 401}})
            return
        lmstudio = owner.lmstudio
        if method == "GET":
            if path == "/lmstudio-greeting" and lmstudio:
                self._json(200, {"lmstudio": True})
                return
            if path == "/api/v1/models" and lmstudio and owner.api_v1:
                self._json(200, {"models": [m.api_v1() for m in owner.models]})
                return
            if path == "/api/v0/models" and lmstudio and owner.api_v0:
                self._json(200, {"object": "list", "data": [m.api_v0() for m in owner.models]})
                return
            if path == "/v1/models":
                data = [
                    {"id": m.id, "object": "model", "owned_by": "organization_owner"}
                    for m in owner.models
                ]
                self._json(200, {"object": "list", "data": data})
                return
        elif method == "POST":
            if path == "/v1/chat/completions":
                self._chat(body)
                return
            if path == "/v1/embeddings":
                self._embeddings(body)
                return
        if lmstudio:  # LM Studio answers unknown routes with 200 and an error
            self._json(200, {"error": f"Unexpected endpoint or method. ({method} {path})"})
        else:
            self._json(
                404,
                {"error": {"code": 404, "message": "File Not Found", "type": "not_found_error"}},
            )

    # --- chat ---

    def _auto_error(self, body: dict[str, Any]) -> str | dict[str, Any] | None:
        """What LM Studio itself would refuse, before any scripted reply is consumed."""
        owner = self.owner
        requested = body.get("model") or ""
        chat_models = [m for m in owner.models if m.type != "embedding"]
        loaded = [m for m in chat_models if m.loaded]
        if requested:
            target = next((m for m in owner.models if m.id == requested), None)
            if target is None or target.type == "embedding":
                return model_not_found_error(requested)
            if not target.loaded and not owner.jit:
                return model_not_found_error(requested) if loaded else NO_MODELS_LOADED
        else:
            if not loaded and not owner.jit:
                return NO_MODELS_LOADED
            target = (loaded or chat_models or [None])[0]
        if owner.enforce_context and target is not None:
            chars = sum(len(str(m.get("content", ""))) for m in body.get("messages") or [])
            if chars // 4 > target.context_length:
                return lmstudio_overflow_message(chars // 4, target.context_length)
        return None

    def _chat(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._json(400, {"error": "'messages' field is required"})
            return
        if (auto := self._auto_error(body)) is not None:
            self._json(400, {"error": auto})
            return
        reply = self.owner.next_chat_reply(body)
        if reply.status != 200 or reply.error_body is not None:
            self._sleep(reply.first_token_delay)
            self._plain(reply)
            return
        model = body.get("model") or next(
            (m.id for m in self.owner.models if m.loaded and m.type != "embedding"), "model"
        )
        usage = _usage(reply, body)
        if body.get("stream") and not reply.ignore_stream:
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            self._stream(reply, model, usage if include_usage else None)
        else:
            self._complete(reply, model, usage)

    def _complete(self, reply: ScriptedReply, model: str, usage: dict[str, int] | None) -> None:
        self._sleep(reply.first_token_delay)
        if reply.drop_after_chunks is not None:
            self._drop()
            return
        if reply.malformed:
            self._raw(200, b'{"id": "chatcmpl-1", "choices": [{"message": {"content": "', "json")
            return
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.reasoning:
            message[reply.reasoning_field] = reply.reasoning
        payload: dict[str, Any] = {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
        }
        if usage is not None:
            payload["usage"] = usage
        if reply.timings is not None:
            payload["timings"] = reply.timings
        self._json(200, payload)

    def _stream(self, reply: ScriptedReply, model: str, usage: dict[str, int] | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        base = {
            "id": "chatcmpl-scripted",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
        }

        def choice(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        try:
            self._sleep(reply.first_token_delay)
            self._event(choice({"role": "assistant", "content": None}))
            reasoning, content = reply.pieces()
            pieces = [(reply.reasoning_field, p) for p in reasoning]
            pieces += [("content", p) for p in content]
            if reply.malformed and not pieces:
                self._chunk(b'data: {"choices": [{"delta": {"content": "cut\n\n')
            for i, (key, text) in enumerate([*pieces, ("", "")]):
                if reply.drop_after_chunks == i:
                    self._drop()
                    return
                if reply.stall_after_chunks == i:
                    self._sleep(self.owner.stall_seconds)
                    self._drop()
                    return
                if i == len(pieces):
                    break
                if i:
                    self._sleep(reply.chunk_delay)
                self._event(choice({key: text}))
                if reply.malformed and i == 0:
                    self._chunk(b'data: {"choices": [{"delta": {"content": "cut\n\n')
            if reply.stream_error is not None:
                self._event({"error": reply.stream_error})
                self._chunk(b"")
                return
            if reply.finish_reason is not None:
                final = choice({}, reply.finish_reason)
                if reply.timings is not None:
                    final["timings"] = reply.timings
                self._event(final)
            if usage is not None:
                self._event({**base, "choices": [], "usage": usage})
            if reply.send_done:
                self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")  # the terminating zero-length chunk
        except _ClientGone:
            if not self.owner.state.stopping.is_set():
                self.owner.count_disconnect()
            self.close_connection = True

    # --- embeddings ---

    def _embeddings(self, body: Any) -> None:
        given = body.get("input") if isinstance(body, dict) else None
        texts = [given] if isinstance(given, str) else given
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            self._json(400, {"error": "'input' field must be a string or an array of strings"})
            return
        model = body.get("model") or ""
        if not any(m.id == model and m.type == "embedding" for m in self.owner.models):
            self._json(400, {"error": model_not_found_error(model)})
            return
        dim = self.owner.embedding_dim
        data = [
            {"object": "embedding", "index": i, "embedding": _vector(text, dim)}
            for i, text in enumerate(texts)
        ]
        tokens = sum(len(t) // 4 + 1 for t in texts)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        self._json(200, {"object": "list", "data": data, "model": model, "usage": usage})

    # --- writing ---

    def _plain(self, reply: ScriptedReply) -> None:
        if reply.drop_after_chunks is not None:
            self._drop()
        elif reply.malformed:
            self._raw(reply.status, b"{not json", "json")
        elif reply.json_body is not None:
            self._json(reply.status, reply.json_body)
        elif reply.error_body is not None:
            self._json(reply.status, {"error": reply.error_body})
        else:
            self._json(reply.status, {})

    def _json(self, status: int, payload: Any) -> None:
        self._raw(status, json.dumps(payload).encode(), "json")

    def _raw(self, status: int, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"application/{kind}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _event(self, payload: dict[str, Any]) -> None:
        self._chunk(f"data: {json.dumps(payload)}\n\n".encode())

    def _chunk(self, data: bytes) -> None:
        try:
            self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        except OSError as exc:
            raise _ClientGone from exc

    def _drop(self) -> None:
        """Cut the connection without finishing the answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _sleep(self, seconds: float) -> None:
        """Wait, but notice at once when the client hangs up or the server stops."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if self.owner.state.stopping.is_set():
                raise _ClientGone
            readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.02))
            if readable:
                try:
                    peek = self.connection.recv(1, socket.MSG_PEEK)
                except OSError as exc:
                    raise _ClientGone from exc
                if not peek:
                    raise _ClientGone
                time.sleep(min(remaining, 0.02))


def _usage(reply: ScriptedReply, body: dict[str, Any]) -> dict[str, int] | None:
    if reply.usage is None:
        return None
    if reply.usage:
        return dict(reply.usage)
    prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages") or []) // 4 + 1
    reasoning, content = reply.pieces()
    completion = len(reasoning) + len(content)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _vector(text: str, dim: int) -> list[float]:
    """Deterministic, distinct per text: enough to check order and batching."""
    digest = hashlib.sha256(text.encode()).digest()
    return [round(digest[i % len(digest)] / 127.5 - 1.0, 6) for i in range(dim)]
