"""Structured output and its fallbacks, over real HTTP against the scripted server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from pydantic import BaseModel, Field

from medscribe.core.errors import InvalidResponseError, TruncatedOutputError
from medscribe.core.llm_port import StructuredResult
from tests.llm.helpers import client_for
from tests.servers.replies import ScriptedReply
from tests.servers.scripted import ScriptedServer


class Medication(BaseModel):
    name: str = Field(max_length=80)
    dose: str | None = None


class Findings(BaseModel):
    diagnosis: str
    severity: int = 1
    medications: list[Medication] = Field(default_factory=list, max_length=10)


GOOD = {
    "diagnosis": "Migraine",
    "severity": 2,
    "medications": [{"name": "Ibuprofen", "dose": None}],
}
MESSAGES = [
    {"role": "system", "content": "You extract findings."},
    {"role": "user", "content": "Transcript: headache for two days."},
]


def structured(server: ScriptedServer, **kwargs: Any) -> StructuredResult[Findings]:
    async def go() -> StructuredResult[Findings]:
        async with client_for(server) as client:
            return await client.structured(MESSAGES, Findings, **kwargs)

    return asyncio.run(go())


def test_sends_the_nested_json_schema_with_every_property_required(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.script_chat(ScriptedReply(content=json.dumps(GOOD)))
    result = structured(scripted_server, temperature=0.2, max_tokens=500)
    assert result.value == Findings.model_validate(GOOD)
    assert result.attempts == 1
    sent = scripted_server.chat_requests[-1]
    fmt = sent["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Findings"
    assert fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    assert sorted(schema["required"]) == ["diagnosis", "medications", "severity"]
    nested = schema["$defs"]["Medication"]
    assert sorted(nested["required"]) == ["dose", "name"]
    assert schema["properties"]["medications"]["maxItems"] == 10
    assert sent["temperature"] == 0.2 and sent["max_tokens"] == 500


@pytest.mark.parametrize(
    "content",
    [
        "```json\n" + json.dumps(GOOD) + "\n```",
        "Sure! Here is the JSON you asked for:\n" + json.dumps(GOOD) + "\nHope this helps {:}",
        "```\n" + json.dumps(GOOD, indent=2) + "\n```",
    ],
    ids=["fenced", "chatty", "bare-fence"],
)
def test_fenced_or_chatty_json_is_extracted(scripted_server: ScriptedServer, content: str) -> None:
    scripted_server.script_chat(ScriptedReply(content=content))
    result = structured(scripted_server)
    assert result.value.diagnosis == "Migraine"
    assert result.value.medications[0].name == "Ibuprofen"
    assert result.attempts == 1


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_json_only_in_the_reasoning_field(scripted_server: ScriptedServer, field: str) -> None:
    scripted_server.script_chat(
        ScriptedReply(content="", reasoning=json.dumps(GOOD), reasoning_field=field)
    )
    result = structured(scripted_server)
    assert result.value.severity == 2
    assert result.result.content == ""


@pytest.mark.parametrize(
    "bad",
    ["I cannot help with that.", json.dumps({"diagnosis": ["not", "a", "string"]})],
    ids=["prose", "wrong-type"],
)
def test_invalid_answer_is_retried_once_at_temperature_zero_with_the_schema(
    scripted_server: ScriptedServer, bad: str
) -> None:
    scripted_server.script_chat(ScriptedReply(content=bad), ScriptedReply(content=json.dumps(GOOD)))
    result = structured(scripted_server, temperature=0.7)
    assert result.attempts == 2
    assert result.value.diagnosis == "Migraine"
    first, second = scripted_server.chat_requests
    assert first["temperature"] == 0.7 and second["temperature"] == 0.0
    # Same prefix (prompt cache), the schema added to the last user turn, no extra turn.
    assert second["messages"][0] == first["messages"][0]
    assert len(second["messages"]) == len(first["messages"])
    last = second["messages"][-1]["content"]
    assert last.startswith(MESSAGES[-1]["content"])
    assert '"diagnosis"' in last and "JSON schema" in last


def test_invalid_twice_is_a_typed_error(scripted_server: ScriptedServer) -> None:
    scripted_server.default_reply = ScriptedReply(content="Not JSON at all.")
    with pytest.raises(InvalidResponseError) as caught:
        structured(scripted_server)
    assert not isinstance(caught.value, TruncatedOutputError)
    assert "could not be read" in caught.value.user_message
    assert len(scripted_server.chat_requests) == 2


def test_truncated_json_is_reported_not_parsed(scripted_server: ScriptedServer) -> None:
    # Cut by max_tokens: reported as truncated, not retried (a retry would be cut the same).
    cut = json.dumps(GOOD)[:-1] + ', "extra": [1, 2'
    scripted_server.script_chat(ScriptedReply(content=cut, finish_reason="length"))
    with pytest.raises(TruncatedOutputError) as caught:
        structured(scripted_server, max_tokens=120)
    assert "120 tokens" in caught.value.user_message
    assert len(scripted_server.chat_requests) == 1


def test_truncated_valid_json_is_still_truncated(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(content=json.dumps(GOOD), finish_reason="length"))
    with pytest.raises(TruncatedOutputError):
        structured(scripted_server)
