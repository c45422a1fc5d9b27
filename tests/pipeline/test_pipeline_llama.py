"""The pipeline against the real llama-server with Gemma 3 270M (a small base model).

The model answers badly; what must hold is that answers arrive, validate or fail with a typed
(plain-language) error, that entities are grounded in the transcript, that the shared prompt
prefix is taken from the server's cache, and that a visit longer than the loaded context is
read in parts instead of being refused or cut.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from medscribe.core.entities import EntityCategory
from medscribe.core.pipeline import Pipeline
from medscribe.core.pipeline.orchestrator import _UNEXPECTED
from medscribe.core.readers import read_transcript
from medscribe.core.session import EncounterResult
from medscribe.core.steps import StepName, StepState
from medscribe.llm import LMStudioClient
from medscribe.settings import Settings
from tests.pipeline.helpers import Events
from tests.servers.llama import LlamaServer

pytestmark = pytest.mark.llama

DATA = Path(__file__).resolve().parents[1] / "data" / "aci_bench"


def shortest_visit() -> Path:
    return min(DATA.glob("*.txt"), key=lambda p: p.stat().st_size)


def run_pipeline(
    server: LlamaServer, result: EncounterResult, max_tokens: int, steps: list[StepName] | None
) -> tuple[EncounterResult, Events, int]:
    settings = Settings(base_url=server.base_url, max_tokens=max_tokens, temperature=0.0)
    events = Events()

    async def main() -> tuple[EncounterResult, int]:
        async with LMStudioClient(settings) as client:
            tokens = await client.count_tokens(result.transcript.text)
            out = await Pipeline(client, settings).run_all(result, events, steps)
            return out, tokens or 0

    out, tokens = asyncio.run(main())
    return out, events, tokens


def assert_typed_outcome(result: EncounterResult, step: StepName) -> None:
    outcome = result.steps[step]
    assert outcome.state in (StepState.DONE, StepState.FAILED)
    if outcome.state is StepState.FAILED:
        assert outcome.message and outcome.message != _UNEXPECTED, outcome.message


def test_every_step_against_llama_server(llama_server: LlamaServer) -> None:
    transcript = read_transcript(shortest_visit())
    result, events, transcript_tokens = run_pipeline(
        llama_server, EncounterResult(transcript=transcript), max_tokens=128, steps=None
    )
    text = transcript.text
    assert transcript_tokens > 500
    for step in StepName:
        assert_typed_outcome(result, step)
        assert events.states(step)[0] is StepState.WAITING
        assert events.states(step)[-1] is result.steps[step].state
    # PHI: the rules' spans at least; every span is exactly the transcript text it covers.
    assert result.phi_spans
    assert all(text[s.start : s.end] == s.text for s in result.phi_spans)
    # The answers arrived: the server reported generating tokens for every model request.
    soap = result.steps[StepName.SOAP].stats
    assert soap.requests == 1 and soap.completion_tokens > 0 and soap.server_ms > 0
    # The transcript was processed once: later steps found the shared prefix in the cache.
    for step in (StepName.ENTITIES, StepName.SOAP, StepName.STRUCTURE):
        stats = result.steps[step].stats
        if stats.requests:
            assert stats.cached_tokens >= transcript_tokens, (step, stats)
            assert stats.prompt_tokens < transcript_tokens // 2, (step, stats)
    # Entities (when the small model's JSON validated) are grounded in the transcript.
    if result.steps[StepName.ENTITIES].state is StepState.DONE:
        for category in EntityCategory:
            for entity in result.entities.of(category):
                assert entity.supported == bool(entity.evidence)
                assert all(0 <= s.start < s.end <= len(text) for s in entity.evidence)
    generating = [e for e in events.items if e.step is StepName.SOAP and e.text_delta]
    assert generating, "the SOAP note must stream"


def test_long_visit_is_read_in_parts(llama_server_factory: Callable[..., LlamaServer]) -> None:
    server = llama_server_factory(ctx=1024)
    transcript = read_transcript(shortest_visit())  # ~1,200 tokens: longer than the context
    result, events, transcript_tokens = run_pipeline(
        server,
        EncounterResult(transcript=transcript),
        max_tokens=48,
        steps=[StepName.ENTITIES, StepName.SOAP],
    )
    assert transcript_tokens > 1024  # longer than the whole loaded context
    for step in (StepName.ENTITIES, StepName.SOAP):
        assert_typed_outcome(result, step)
        outcome = result.steps[step]
        assert outcome.stats.chunks >= 2, outcome
        assert "context" not in outcome.message.lower() or outcome.state is StepState.DONE
        assert outcome.stats.requests >= outcome.stats.chunks or outcome.state is StepState.FAILED
        if outcome.state is StepState.DONE:
            assert "overlapping parts" in events.final(step).message
            assert any(n.startswith(step.title) and "parts" in n for n in result.notices)
