"""Server-sent events, as OpenAI-compatible servers stream chat completions.

Only the parts those servers use: ``data:`` lines (several join with newlines), comment lines
starting with ``:``, and a blank line ending each event. ``event:``/``id:`` lines are ignored.
The parser is fed line by line so that the caller can put a timeout around every read.
"""

from __future__ import annotations

DONE = "[DONE]"


class SSEParser:
    """Collects ``data`` lines; :meth:`feed` returns an event's data when a blank line ends it."""

    def __init__(self) -> None:
        self._data: list[str] = []

    def feed(self, line: str) -> str | None:
        line = line.rstrip("\r\n")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        if field == "data":
            self._data.append(value[1:] if value.startswith(" ") else value)
        return None

    def flush(self) -> str | None:
        """The last event when the stream ended without its blank line."""
        return self._dispatch()

    def _dispatch(self) -> str | None:
        if not self._data:
            return None
        data = "\n".join(self._data)
        self._data = []
        return data
