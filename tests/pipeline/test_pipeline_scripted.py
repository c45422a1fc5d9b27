"""The pipeline over real HTTP against the scripted LM Studio: results, faults, cache, skips."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from medscribe.core.entities import CodeStatus
from medscribe.core.notes import SoapSection
from medscribe.core.phi import PhiSource, ReviewState
from medscribe.core.pipeline import Pipeline
from medscribe.core.steps import StepName, StepState
from medscribe.llm import LMStudioClient
from medscribe.settings import Settings
from tests.pipeline.helpers import (
    ENTITIES_JSON,
    SOAP_TEXT,
    Events,
    StepModel,
    fresh_result,
    long_transcript,
    step_of,
)
from tests.servers.scripted import ScriptedModel, ScriptedReply, ScriptedServer

T = TypeVar("T")
LLM_STEPS = [StepName.ENTITIES, StepName.SOAP, StepName.STRUCTURE]


def run_with(
    server: ScriptedServer, body: Callable[[LMStudioClient, Settings], Awaitable[T]], **kw: Any
) -> T:
    settings = server.settings(max_retries=0, **kw)

    async def main() -> T:
        client = LMStudioClient(settings)
        try:
            return await body(client, settings)
        finally:
            await client.aclose()

    return asyncio.run(main())


def one_slot(server: ScriptedServer, context_length: int = 4096) -> None:
    server.models = [ScriptedModel("qwen/qwen3-8b", context_length=context_length, parallel=1)]


def test_run_all_fills_grounded_coded_results(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel()
    events = Events()

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_all(fresh_result(), events, LLM_STEPS)

    result = run_with(scripted_server, body)
    text = result.transcript.text
    for step in LLM_STEPS:
        assert result.steps[step].state is StepState.DONE, result.steps[step].message
        assert result.steps[step].stats.requests == 1
    assert result.soap.assessment == "- Acute bronchitis."
    assert result.structured.chief_complaint == "Cough and fever"

    ents = result.entities
    med = ents.medications[0]
    assert med.supported and [text[s.start : s.end] for s in med.evidence] == ["metformin"]
    assert med.dose == "500 mg" and med.route is None
    by_name = {d.name: d for d in ents.diagnoses}
    assert len(ents.diagnoses) == 3  # the repeated "type 2 diabetes" is merged
    diabetes = by_name["type 2 diabetes"]
    assert diabetes.code_status is CodeStatus.VERIFIED
    assert diabetes.icd10_title == "Type 2 diabetes mellitus without complications"
    bronchitis = by_name["acute bronchitis"]
    assert bronchitis.code_status is CodeStatus.NONE and bronchitis.supported
    assert any(code.startswith("J20") for code, _ in bronchitis.code_candidates)
    gout = by_name["gout"]
    assert gout.code_status is CodeStatus.INVALID and not gout.supported
    symptoms = {s.name: s.supported for s in ents.symptoms}
    assert symptoms == {"cough": True, "fever": True, "chest pain": False}
    vitals = {v.type: v for v in ents.vitals}
    assert vitals["blood pressure"].supported
    bp = vitals["blood pressure"].evidence[0]
    assert text[bp.start : bp.end] == "142/90"
    assert not vitals["heart rate"].supported
    assert ents.allergies[0].supported
    assert any("unsupported" in n for n in result.notices)

    # The structure prompt carries the supported entities, not the unsupported ones.
    structure_body = next(b for b in scripted_server.chat_requests if step_of(b) == "structure")
    instruction = structure_body["messages"][-1]["content"]
    assert "Medications: metformin 500 mg twice a day." in instruction
    assert "chest pain" not in instruction


def test_every_step_shares_the_transcript_prefix(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel()

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_all(fresh_result(), Events())

    result = run_with(scripted_server, body)
    assert all(o.state is StepState.DONE for o in result.steps.values())
    bodies = scripted_server.chat_requests
    assert [step_of(b) for b in bodies] == ["phi", "entities", "soap", "structure"]
    systems = {json.dumps(b["messages"][:-1]) for b in bodies}
    assert len(systems) == 1, "the shared part must be byte-identical across steps"
    first = bodies[0]["messages"]
    assert first[0]["role"] == "system" and first[0]["content"].endswith(result.transcript.text)
    assert all(b["messages"][-1]["role"] == "user" for b in bodies)


def test_soap_streams_text_and_progress(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel()
    events = Events()

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_step(StepName.SOAP, fresh_result(), events)

    run_with(scripted_server, body)
    states = events.states(StepName.SOAP)
    assert states[:2] == [StepState.WAITING, StepState.PROMPT]
    assert states[-1] is StepState.DONE
    generating = [e for e in events.items if e.state is StepState.GENERATING]
    assert len(generating) > 3
    assert "".join(e.text_delta for e in generating) == SOAP_TEXT
    counts = [e.completion_tokens for e in generating]
    assert counts == sorted(counts) and counts[-1] == len(generating)


def test_server_dying_during_soap_keeps_the_other_results(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel(
        {"soap": ScriptedReply(content=SOAP_TEXT, drop_after_chunks=4)}
    )
    events = Events()

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_all(fresh_result(), events, LLM_STEPS)

    result = run_with(scripted_server, body)
    assert result.steps[StepName.ENTITIES].state is StepState.DONE
    assert result.steps[StepName.STRUCTURE].state is StepState.DONE
    soap = result.steps[StepName.SOAP]
    assert soap.state is StepState.FAILED
    assert soap.message and "Traceback" not in soap.message
    assert result.soap.is_empty()  # nothing half-written is kept as the note
    assert result.entities.medications and not result.structured.is_empty()
    assert StepState.GENERATING in events.states(StepName.SOAP)
    assert events.final(StepName.SOAP).message == soap.message


def test_malformed_entity_json_fails_only_entities(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel({"entities": ScriptedReply(content='{"diagnoses": [')})

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_all(fresh_result(), Events(), LLM_STEPS)

    result = run_with(scripted_server, body)
    ent = result.steps[StepName.ENTITIES]
    assert ent.state is StepState.FAILED and "structured" in ent.message
    assert result.entities.is_empty()
    assert result.steps[StepName.SOAP].state is StepState.DONE
    assert result.steps[StepName.STRUCTURE].state is StepState.DONE
    structure_body = next(b for b in scripted_server.chat_requests if step_of(b) == "structure")
    assert "Medications:" not in structure_body["messages"][-1]["content"]


def test_a_cut_off_answer_still_reports_what_it_cost(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    timings = {"prompt_n": 40, "cache_n": 300, "prompt_ms": 50.0, "predicted_n": 64}
    timings["predicted_ms"] = 900.0
    cut = ScriptedReply(content='{"diagnoses": [', finish_reason="length", timings=timings)
    scripted_server.responder = StepModel({"entities": cut})

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_step(
            StepName.ENTITIES, fresh_result(), Events()
        )

    outcome = run_with(scripted_server, body).steps[StepName.ENTITIES]
    assert outcome.state is StepState.FAILED and "cut off" in outcome.message
    stats = outcome.stats
    assert (stats.prompt_tokens, stats.cached_tokens, stats.completion_tokens) == (40, 300, 64)
    assert stats.requests == 1 and stats.server_ms == 950.0


def test_context_overflow_replans_into_parts(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)  # reports 4096, but the server really has far less
    scripted_server.script_chat(ScriptedReply.context_overflow(6000, 1024, llama=True))
    scripted_server.responder = StepModel()
    transcript = long_transcript(40)

    async def body(client: LMStudioClient, settings: Settings):
        pipeline = Pipeline(client, settings)
        return await pipeline.run_step(StepName.ENTITIES, fresh_result(transcript), Events())

    result = run_with(scripted_server, body)
    outcome = result.steps[StepName.ENTITIES]
    assert outcome.state is StepState.DONE, outcome.message
    assert outcome.stats.chunks > 1
    assert "parts" in outcome.message and any("parts" in n for n in result.notices)
    entity_requests = [b for b in scripted_server.chat_requests if step_of(b) == "entities"]
    assert len(entity_requests) == 1 + outcome.stats.chunks
    assert result.entities.medications[0].supported


def test_persistent_context_overflow_is_a_clear_failure(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel({"soap": ScriptedReply.context_overflow(6000, 4096)})

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_all(fresh_result(), Events(), LLM_STEPS)

    result = run_with(scripted_server, body)
    soap = result.steps[StepName.SOAP]
    assert soap.state is StepState.FAILED and "context" in soap.message.lower()
    assert result.steps[StepName.ENTITIES].state is StepState.DONE
    assert result.steps[StepName.STRUCTURE].state is StepState.DONE


def test_long_visit_is_split_to_the_loaded_context(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server, context_length=1024)
    scripted_server.enforce_context = True  # refuses any prompt over the loaded context
    scripted_server.responder = StepModel()
    transcript = long_transcript(60)
    events = Events()

    async def body(client: LMStudioClient, settings: Settings):
        steps = [StepName.ENTITIES, StepName.SOAP]
        return await Pipeline(client, settings).run_all(fresh_result(transcript), events, steps)

    result = run_with(scripted_server, body)
    for step in (StepName.ENTITIES, StepName.SOAP):
        outcome = result.steps[step]
        assert outcome.state is StepState.DONE, outcome.message
        assert outcome.stats.chunks > 2
        assert "overlapping parts" in events.final(step).message
    kinds = [step_of(b) for b in scripted_server.chat_requests]
    assert kinds.count("merge") >= 1  # SOAP sections combined by a final pass
    assert result.soap.plan == "- Rest and fluids; review in one week."
    # Every part of the transcript was sent; consecutive parts overlap.
    parts = [
        b["messages"][0]["content"].split("parts overlap slightly):\n", 1)[1]
        for b in scripted_server.chat_requests
        if step_of(b) == "entities"
    ]
    text = transcript.text
    starts = [text.index(p) for p in parts]
    ends = [s + len(p) for s, p in zip(starts, parts, strict=True)]
    assert starts[0] == 0 and ends[-1] == len(text)
    assert all(s < e for s, e in zip(starts[1:], ends[:-1], strict=True))
    assert any("overlapping parts" in n for n in result.notices)


def test_unchanged_step_comes_from_the_cache(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel()

    async def body(client: LMStudioClient, settings: Settings):
        pipeline = Pipeline(client, settings)
        first = await pipeline.run_step(StepName.ENTITIES, fresh_result(), Events())
        sent = len(scripted_server.chat_requests)
        again = await pipeline.run_step(StepName.ENTITIES, fresh_result(), Events())
        reused = len(scripted_server.chat_requests) - sent
        pipeline.update(client, settings.model_copy(update={"temperature": 0.7}))
        changed = await pipeline.run_step(StepName.ENTITIES, fresh_result(), Events())
        return first, again, reused, changed

    first, again, reused, changed = run_with(scripted_server, body)
    assert not first.steps[StepName.ENTITIES].stats.from_cache
    assert again.steps[StepName.ENTITIES].stats.from_cache and reused == 0
    assert again.entities.model_dump(exclude={"diagnoses"}) == first.entities.model_dump(
        exclude={"diagnoses"}
    )
    assert [d.name for d in again.entities.diagnoses] == [d.name for d in first.entities.diagnoses]
    assert not changed.steps[StepName.ENTITIES].stats.from_cache  # new parameters, new answer


def test_disabled_steps_are_skipped_and_say_so(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel()
    events = Events()

    async def body(client: LMStudioClient, settings: Settings):
        settings = settings.model_copy(
            update={"steps": settings.steps.model_copy(update={"soap_generation": False})}
        )
        return await Pipeline(client, settings).run_all(fresh_result(), events, LLM_STEPS)

    result = run_with(scripted_server, body)
    soap = result.steps[StepName.SOAP]
    assert soap.state is StepState.SKIPPED and "turned off in Settings" in soap.message
    assert events.states(StepName.SOAP) == [StepState.SKIPPED]
    assert "soap" not in [step_of(b) for b in scripted_server.chat_requests]
    assert result.steps[StepName.STRUCTURE].state is StepState.DONE


def test_phi_step_adds_verified_model_spans_and_keeps_review(
    scripted_server: ScriptedServer,
) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel()

    async def body(client: LMStudioClient, settings: Settings):
        pipeline = Pipeline(client, settings)
        first = await pipeline.run_step(StepName.PHI, fresh_result(), Events())
        reviewed = first.model_copy(
            update={
                "phi_spans": [
                    s.model_copy(update={"state": ReviewState.REJECTED}) for s in first.phi_spans
                ]
            }
        )
        return first, await pipeline.run_step(StepName.PHI, reviewed, Events())

    first, again = run_with(scripted_server, body)
    text = first.transcript.text
    assert first.steps[StepName.PHI].state is StepState.DONE
    found = {text[s.start : s.end] for s in first.phi_spans}
    assert "Alvarez" in found and "Nobody" not in " ".join(found)
    assert all(s.text == text[s.start : s.end] for s in first.phi_spans)
    assert again.steps[StepName.PHI].stats.from_cache
    assert again.phi_spans and all(s.state is ReviewState.REJECTED for s in again.phi_spans)


def test_phi_falls_back_to_rules_when_the_model_fails(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel({"phi": ScriptedReply.server_error(500)})

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_step(StepName.PHI, fresh_result(), Events())

    result = run_with(scripted_server, body)
    outcome = result.steps[StepName.PHI]
    assert outcome.state is StepState.DONE
    assert outcome.message.startswith("Checked with the rules only")
    assert all(s.source is PhiSource.RULES for s in result.phi_spans)


def test_unreachable_server_fails_llm_steps_plainly(scripted_server: ScriptedServer) -> None:
    scripted_server.stop()

    async def body(client: LMStudioClient, settings: Settings):
        with_client = await Pipeline(client, settings).run_all(fresh_result(), Events())
        without = await Pipeline(None, settings).run_all(fresh_result(), Events())
        return with_client, without

    for result in run_with(scripted_server, body):
        phi = result.steps[StepName.PHI]
        assert phi.state is StepState.DONE and "rules only" in phi.message
        assert "Alvarez" in {s.text for s in result.phi_spans}
        for step in LLM_STEPS:
            outcome = result.steps[step]
            assert outcome.state is StepState.FAILED
            assert "not reachable" in outcome.message


def test_two_slots_run_entities_and_soap_side_by_side(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", parallel=2)]
    slow = StepModel()
    slow.replies["soap"] = ScriptedReply(content=SOAP_TEXT, first_token_delay=0.5)
    slow.replies["entities"] = ScriptedReply(
        content=json.dumps(ENTITIES_JSON), first_token_delay=0.5
    )
    scripted_server.responder = slow
    events = Events()

    async def body(client: LMStudioClient, settings: Settings):
        return await Pipeline(client, settings).run_all(fresh_result(), events, LLM_STEPS)

    result = run_with(scripted_server, body)
    order = [(e.step, e.state) for e in events.items]
    # Both started before either finished.
    first_done = min(order.index((s, StepState.DONE)) for s in (StepName.ENTITIES, StepName.SOAP))
    assert order.index((StepName.SOAP, StepState.PROMPT)) < first_done
    assert order.index((StepName.ENTITIES, StepState.PROMPT)) < first_done
    assert all(result.steps[s].state is StepState.DONE for s in LLM_STEPS)
    assert result.entities.medications and result.soap.plan


def test_regenerating_one_section_keeps_the_others(scripted_server: ScriptedServer) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel()
    events = Events()

    async def body(client: LMStudioClient, settings: Settings):
        pipeline = Pipeline(client, settings)
        result = await pipeline.run_step(StepName.SOAP, fresh_result(), Events())
        edited = result.model_copy(
            update={"soap": result.soap.model_copy(update={"plan": "- my own plan"})}
        )
        return await pipeline.regenerate_soap_section(edited, SoapSection.ASSESSMENT, events)

    result = run_with(scripted_server, body)
    assert result.soap.assessment == "- Acute bronchitis, likely viral."
    assert result.soap.plan == "- my own plan"
    assert result.soap.subjective == "- Cough and fever for three days."
    section_req = scripted_server.chat_requests[-1]
    assert step_of(section_req) == "section"
    assert "- my own plan" in section_req["messages"][-1]["content"]
    deltas = "".join(e.text_delta for e in events.items)
    assert deltas == "- Acute bronchitis, likely viral."


def test_cancelling_soap_reports_cancelled_and_closes_the_stream(
    scripted_server: ScriptedServer,
) -> None:
    one_slot(scripted_server)
    scripted_server.responder = StepModel(
        {"soap": ScriptedReply(content=SOAP_TEXT * 5, chunk_delay=0.05)}
    )
    events = Events()

    async def body(client: LMStudioClient, settings: Settings) -> None:
        pipeline = Pipeline(client, settings)
        task = asyncio.ensure_future(pipeline.run_step(StepName.SOAP, fresh_result(), events))
        while StepState.GENERATING not in events.states(StepName.SOAP):
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run_with(scripted_server, body)
    assert events.states(StepName.SOAP)[-1] is StepState.CANCELLED
    for _ in range(100):
        if scripted_server.disconnects:
            break
        asyncio.run(asyncio.sleep(0.02))
    assert scripted_server.disconnects == 1


def test_embedding_model_reranks_code_candidates(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [
        ScriptedModel("qwen/qwen3-8b", parallel=1),
        ScriptedModel("text-embedding-nomic-embed-text-v1.5", type="embedding", parallel=1),
    ]
    scripted_server.responder = StepModel()

    async def body(client: LMStudioClient, settings: Settings):
        result = await Pipeline(client, settings).run_step(
            StepName.ENTITIES, fresh_result(), Events()
        )
        bronchitis = next(d for d in result.entities.diagnoses if d.name == "acute bronchitis")
        titles = [title for _, title in bronchitis.code_candidates]
        vectors = await client.embed(["acute bronchitis", *titles])
        return bronchitis, vectors

    bronchitis, vectors = run_with(scripted_server, body)
    assert bronchitis.code_status is CodeStatus.NONE
    assert len(bronchitis.code_candidates) == 5
    embed_requests = [r.body for r in scripted_server.log if r.path.endswith("/embeddings")]
    assert len(embed_requests) == 2  # one batch from the pipeline, one from this test
    assert "acute bronchitis" in embed_requests[0]["input"]
    query, *title_vectors = vectors

    def cosine(a: list[float], b: list[float]) -> float:
        dot = sum(x * y for x, y in zip(a, b, strict=True))
        return dot / (sum(x * x for x in a) ** 0.5 * sum(y * y for y in b) ** 0.5)

    scores = [cosine(query, v) for v in title_vectors]
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True)
