"""Structured output: the ``response_format`` the servers accept, and reading the answer back.

With a GGUF model the server constrains sampling to the schema, but the grammar lets a model
leave out any property that is not ``required`` (the small test model dropped whole lists), so
every property is made required: "none" is then an explicit null or empty list. Small or
reasoning models still answer in code fences, with chatter, or only in the reasoning field, so
reading is tolerant; validation against the pydantic model is not.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)

_NAME_OK = re.compile(r"[^A-Za-z0-9_-]")
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)


def _require_all(node: Any) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict) and props:
            node["required"] = list(props)
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _require_all(value)
    elif isinstance(node, list):
        for value in node:
            _require_all(value)


def json_schema_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with every object property required (see module docstring)."""
    generated = copy.deepcopy(schema.model_json_schema())
    _require_all(generated)
    return generated


def response_format_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The nested ``json_schema`` shape: LM Studio rejects ``{"type": "json_object"}``."""
    name = _NAME_OK.sub("_", schema.__name__)[:64] or "answer"
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "strict": True, "schema": json_schema_for(schema)},
    }


def schema_instruction(schema: type[BaseModel]) -> str:
    """Told to the model on the retry, for servers that ignored ``response_format``."""
    return (
        "Answer with one JSON object only, no other text and no code fences. "
        "It must match this JSON schema:\n" + json.dumps(json_schema_for(schema), indent=None)
    )


def _candidates(text: str) -> list[str]:
    """Whole text, fenced blocks, then every balanced JSON object found in the text."""
    out = [text.strip()]
    out += [m.group(1).strip() for m in _FENCE.finditer(text)]
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            _, end = decoder.raw_decode(text, start)
        except ValueError:
            start = text.find("{", start + 1)
            continue
        out.append(text[start:end])  # a whole object: look for the next one after it
        start = text.find("{", end)
    return [c for c in out if c]


def parse_structured(texts: list[str], schema: type[T]) -> T | None:
    """The first candidate in ``texts`` (content first, then reasoning) that validates."""
    for text in texts:
        if not text or not text.strip():
            continue
        for candidate in _candidates(text):
            try:
                return schema.model_validate_json(candidate)
            except (ValidationError, ValueError):
                continue
    return None
