"""Results of earlier step runs, so that re-running an unchanged step is instant.

The key covers everything that shapes an answer: server address, model, step, prompt text
(which contains the transcript), prompt version and sampling parameters. The cache lives in
the ``Pipeline`` object (one per app session); it is never written to disk, because its values
contain patient information.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

from pydantic import BaseModel

from medscribe.core.pipeline.prompts import PROMPT_VERSION


def cache_key(
    *,
    server: str,
    model: str | None,
    step: str,
    prompts: list[Any],
    params: dict[str, Any],
) -> str:
    """A digest of the request(s) a step would send; equal inputs give equal keys."""
    payload = {
        "v": PROMPT_VERSION,
        "server": server,
        "model": model,
        "step": step,
        "prompts": [p.model_dump(mode="json") if isinstance(p, BaseModel) else p for p in prompts],
        "params": params,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class StepCache:
    """A small LRU map from cache key to a step's output (pydantic models, deep-copied)."""

    def __init__(self, capacity: int = 64) -> None:
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._capacity = capacity

    def get(self, key: str) -> dict[str, Any] | None:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return {k: _copy(v) for k, v in item.items()}

    def put(self, key: str, value: dict[str, Any]) -> None:
        self._items[key] = {k: _copy(v) for k, v in value.items()}
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def _copy(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_copy(deep=True)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
