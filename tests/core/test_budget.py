"""Budgeting against the loaded context, and splitting on speaker turns (pure logic)."""

from __future__ import annotations

import asyncio

import pytest

from medscribe.core.pipeline.budget import (
    CHARS_PER_TOKEN,
    ContextTooSmallError,
    TokenCounter,
    answer_tokens,
    estimate_tokens,
    plan_transcript,
)
from medscribe.core.pipeline.chunking import split_transcript, turn_cuts
from medscribe.core.transcript import Segment, Transcript
from tests.pipeline.helpers import long_transcript, visit_transcript


class WordCounter:
    """A stand-in for the server's tokenizer: one token per word (pure logic only)."""

    def __init__(self) -> None:
        self.calls = 0

    async def count_tokens(self, text: str) -> int | None:
        self.calls += 1
        return len(text.split())


def words(text: str) -> int:
    return len(text.split())


def test_estimate_is_conservative() -> None:
    text = "metformin 500 mg twice daily " * 40
    assert estimate_tokens(text) == -(-len(text) // CHARS_PER_TOKEN)
    assert estimate_tokens(text) > len(text) / 4  # English averages ~4 chars per token


def test_answer_room_never_exceeds_a_third_of_the_context() -> None:
    assert answer_tokens(2048, 4096) == 1365
    assert answer_tokens(256, 4096) == 256
    assert answer_tokens(2048, None) == 2048


def test_whole_transcript_when_it_fits() -> None:
    transcript = visit_transcript()
    plan = asyncio.run(
        plan_transcript(
            transcript,
            counter=TokenCounter(None),
            context_tokens=4096,
            answer=512,
            header_tokens=40,
            instruction_tokens=100,
        )
    )
    assert not plan.split and plan.chunks[0].text == transcript.text


def test_split_parts_fit_overlap_and_cover_everything() -> None:
    transcript = long_transcript(80)
    counter = TokenCounter(WordCounter())  # exact counts from the "server"
    context, answer, header, instruction = 600, 150, 40, 100
    plan = asyncio.run(
        plan_transcript(
            transcript,
            counter=counter,
            context_tokens=context,
            answer=answer,
            header_tokens=header,
            instruction_tokens=instruction,
        )
    )
    assert plan.split and counter.exact_available
    room = context - answer - header - instruction - 48
    text = transcript.text
    cuts = set(turn_cuts(transcript))
    for chunk in plan.chunks:
        assert words(chunk.text) <= room
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.start in cuts and chunk.end in cuts  # cut on speaker turns
    assert plan.chunks[0].start == 0 and plan.chunks[-1].end == len(text)
    for before, after in zip(plan.chunks, plan.chunks[1:], strict=False):
        assert before.start < after.start < before.end  # overlap, and progress


def test_unknown_context_sends_the_whole_transcript() -> None:
    plan = asyncio.run(
        plan_transcript(
            long_transcript(200),
            counter=TokenCounter(None),
            context_tokens=None,
            answer=512,
            header_tokens=40,
            instruction_tokens=100,
        )
    )
    assert not plan.split


def test_context_too_small_is_a_plain_error() -> None:
    with pytest.raises(ContextTooSmallError) as info:
        asyncio.run(
            plan_transcript(
                long_transcript(10),
                counter=TokenCounter(None),
                context_tokens=300,
                answer=100,
                header_tokens=40,
                instruction_tokens=100,
            )
        )
    assert "300 tokens" in info.value.user_message
    assert "larger context" in info.value.user_message


def test_one_huge_turn_is_cut_at_sentences_then_words() -> None:
    said = " ".join(f"Sentence number {i} about the knee." for i in range(200))
    transcript = Transcript(
        text=f"Patient: {said}\n", segments=[Segment(start=0, end=len(said) + 9)]
    )
    chunks = split_transcript(transcript, 60, words)
    assert len(chunks) > 10
    assert all(words(c.text) <= 60 for c in chunks)
    assert all(c.text.endswith(("knee. ", "knee.\n")) for c in chunks[:-1])
    no_spaces = Transcript(text="x" * 5000)
    hard = split_transcript(no_spaces, 100, lambda t: len(t) // 10)
    assert "".join(c.text for c in hard[:1]) and all(len(c.text) <= 1000 for c in hard)
    assert hard[-1].end == 5000


def test_lines_are_turns_without_segments() -> None:
    text = "".join(f"line {i} of a pasted note\n" for i in range(100))
    chunks = split_transcript(Transcript(text=text), 50, words)
    assert all(c.text.endswith("\n") or c.end == len(text) for c in chunks)
    assert all(text[c.start - 1] == "\n" for c in chunks if c.start)
