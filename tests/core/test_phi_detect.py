"""Both PHI layers and their merge. The LLM layer talks real HTTP to the scripted server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from medscribe.core.errors import ServerError
from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan, ReviewState
from medscribe.core.phi_detect import (
    CHUNK_WORDS,
    chunk_transcript,
    detect_phi,
    detect_phi_llm,
    detect_phi_rules,
    find_verbatim,
    merge_spans,
)
from medscribe.core.readers import transcript_from_text
from medscribe.llm import LMStudioClient
from tests.servers.replies import ScriptedReply
from tests.servers.scripted import ScriptedServer

C = PhiCategory


def span(start: int, end: int, text: str, cat: PhiCategory = C.NAME, **kw: Any) -> PhiSpan:
    return PhiSpan(start=start, end=end, text=text, category=cat, **kw)


def answer(*items: tuple[str, str]) -> ScriptedReply:
    body = {"identifiers": [{"text": t, "category": c} for t, c in items]}
    return ScriptedReply(content=json.dumps(body))


def run_llm(server: ScriptedServer, text: str) -> list[PhiSpan]:
    async def go() -> list[PhiSpan]:
        client = LMStudioClient(server.settings(max_retries=0))
        async with client:
            return await detect_phi_llm(transcript_from_text(text), client)

    return asyncio.run(go())


# --- merge ---------------------------------------------------------------------------------


def test_merge_unions_and_merges_overlaps_keeping_the_longest_label() -> None:
    text = "call john smith at 555 1234 today"
    rules = [span(5, 9, "john"), span(19, 27, "555 1234", C.PHONE)]
    llm = [span(5, 15, "john smith", source=PhiSource.LLM), span(28, 33, "today", C.DATE)]
    merged = merge_spans(rules, llm)
    assert [(s.start, s.end, s.category, s.source) for s in merged] == [
        (5, 15, C.NAME, PhiSource.LLM),
        (19, 27, C.PHONE, PhiSource.RULES),
        (28, 33, C.DATE, PhiSource.RULES),
    ]
    assert [s.text for s in merged] == [text[s.start : s.end] for s in merged]


def test_merge_chains_overlaps_and_keeps_touching_spans_apart() -> None:
    merged = merge_spans([span(0, 4, "abcd"), span(4, 6, "ef")], [span(3, 8, "defgh", C.ID)])
    assert [(s.start, s.end, s.text, s.category) for s in merged] == [(0, 8, "abcdefgh", C.ID)]
    apart = merge_spans([span(0, 4, "abcd"), span(4, 6, "ef")])
    assert [(s.start, s.end) for s in apart] == [(0, 4), (4, 6)]


def test_merge_tie_prefers_the_earlier_layer_and_keeps_review_state() -> None:
    user = [span(0, 4, "anna", source=PhiSource.USER, state=ReviewState.CONFIRMED)]
    llm = [span(0, 4, "anna", C.LOCATION, source=PhiSource.LLM)]
    (merged,) = merge_spans(user, llm)
    assert (merged.source, merged.state, merged.category) == (
        PhiSource.USER,
        ReviewState.CONFIRMED,
        C.NAME,
    )
    assert merge_spans() == [] and merge_spans([], []) == []


# --- verbatim grounding and chunking -----------------------------------------------------


def test_find_verbatim_is_case_insensitive_whole_word_and_finds_every_occurrence() -> None:
    text = "Anna Lee saw anna  lee; annabel and joanna did not."
    assert find_verbatim(text, "anna lee") == [(0, 8), (13, 22)]
    assert find_verbatim(text, "anna") == [(0, 4), (13, 17)]
    assert find_verbatim(text, "nobody") == []
    assert find_verbatim(text, " ") == [] and find_verbatim(text, "a") == []


def test_chunks_cut_between_turns_and_cover_everything() -> None:
    turns = [f"[{'doctor' if k % 2 else 'patient'}] " + f"word{k} " * 300 for k in range(20)]
    t = transcript_from_text("\n".join(turns))
    chunks = chunk_transcript(t, max_words=1000)
    assert len(chunks) > 1
    assert all(len(c.split()) <= 1000 for c in chunks)
    assert all(c.startswith("[") for c in chunks)  # each chunk starts at a turn
    assert " ".join(chunks).split() == t.text.split()


def test_one_overlong_turn_is_cut_between_words() -> None:
    t = transcript_from_text("word " * 2500)
    chunks = chunk_transcript(t, max_words=1000)
    assert [len(c.split()) for c in chunks] == [1000, 1000, 500]


# --- the LLM layer over HTTP -------------------------------------------------------------


def test_llm_spans_are_grounded_in_the_text(scripted_server: ScriptedServer) -> None:
    text = "[doctor] hi Zyla .\n[patient] my neighbor zyla drove me from Quartzsite .\n"
    scripted_server.script_chat(
        answer(("zyla", "NAME"), ("Quartzsite", "LOCATION"), ("John Invented", "NAME"))
    )
    spans = run_llm(scripted_server, text)
    assert [(s.text, s.category, s.source) for s in spans] == [
        ("Zyla", C.NAME, PhiSource.LLM),
        ("zyla", C.NAME, PhiSource.LLM),
        ("Quartzsite", C.LOCATION, PhiSource.LLM),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    request = scripted_server.chat_requests[-1]
    assert text.strip() in request["messages"][-1]["content"]
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema["required"] == ["identifiers"]
    assert schema["properties"]["identifiers"]["maxItems"] >= 1
    assert request["temperature"] == 0.0


def test_long_transcripts_are_sent_in_chunks(scripted_server: ScriptedServer) -> None:
    turns = [f"[patient] visit part {k} " + "blah " * 400 + f"marker{k}" for k in range(12)]
    text = "\n".join(turns)

    def reply(body: dict[str, Any]) -> ScriptedReply:
        sent = body["messages"][-1]["content"]
        return answer(*[(f"marker{k}", "ID") for k in range(12) if f"marker{k}" in sent])

    scripted_server.responder = reply
    spans = run_llm(scripted_server, text)
    requests = scripted_server.chat_requests
    assert len(requests) >= 3
    assert all(len(r["messages"][-1]["content"].split()) <= CHUNK_WORDS + 5 for r in requests)
    assert sorted(s.text for s in spans) == sorted(f"marker{k}" for k in range(12))


def test_detect_phi_merges_rules_and_llm(scripted_server: ScriptedServer) -> None:
    text = "[patient] i'm from quartzsite , my number is 555-123-4567 .\n"
    scripted_server.script_chat(answer(("quartzsite", "LOCATION"), ("555-123-4567", "PHONE")))

    async def go() -> list[PhiSpan]:
        async with LMStudioClient(scripted_server.settings(max_retries=0)) as client:
            return await detect_phi(transcript_from_text(text), client)

    spans = asyncio.run(go())
    assert [(s.text, s.category) for s in spans] == [
        ("quartzsite", C.LOCATION),
        ("555-123-4567", C.PHONE),
    ]
    assert spans[1].source is PhiSource.RULES  # the rules found it first


def test_rules_only_without_a_backend() -> None:
    t = transcript_from_text("[doctor] hi martha , call 555-123-4567")
    spans = asyncio.run(detect_phi(t, None))
    assert spans == detect_phi_rules(t.text)
    assert [s.category for s in spans] == [C.NAME, C.PHONE]


def test_server_errors_propagate(scripted_server: ScriptedServer) -> None:
    scripted_server.script_chat(ScriptedReply(status=500, error_body="boom"))
    with pytest.raises(ServerError):
        run_llm(scripted_server, "[doctor] hello there")
