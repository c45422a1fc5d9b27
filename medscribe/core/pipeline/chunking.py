"""Split a transcript that does not fit the loaded context into overlapping parts.

Cuts fall on speaker turns (``Transcript.segments``) or, without segments, on line breaks;
a single turn too long for a part is cut at sentence ends, then between words. Each part
repeats the last turn(s) of the previous one so that nothing said across a cut is lost.
Parts are contiguous slices of the transcript text, so offsets stay valid.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from medscribe.core.transcript import Transcript

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Chunk:
    """``text == transcript.text[start:end]``; ``index`` counts from 0."""

    index: int
    total: int
    start: int
    end: int
    text: str


def turn_cuts(transcript: Transcript) -> list[int]:
    """Offsets where a speaker turn (or a line) begins, always including 0 and len(text)."""
    text = transcript.text
    if transcript.segments:
        starts = {seg.start for seg in transcript.segments}
    else:
        starts = {m.end() for m in re.finditer(r"\n+", text)}
    return sorted({0, len(text)} | {s for s in starts if 0 < s < len(text)})


def _finer_cuts(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[int]:
    return [start + m.end() for m in pattern.finditer(text[start:end]) if start + m.end() < end]


def refine_cuts(
    text: str, cuts: list[int], max_tokens: int, measure: Callable[[str], int]
) -> list[int]:
    """Add cuts inside any piece longer than ``max_tokens``: sentences, words, then characters."""
    out = [cuts[0]]
    for a, b in itertools.pairwise(cuts):
        if measure(text[a:b]) > max_tokens:
            inner = _finer_cuts(text, a, b, _SENTENCE_END)
            pieces = [a, *inner, b]
            finer: list[int] = []
            for pa, pb in itertools.pairwise(pieces):
                if measure(text[pa:pb]) > max_tokens:
                    finer.extend(_word_cuts(text, pa, pb, max_tokens, measure))
                finer.append(pb)
            out.extend(finer)
        else:
            out.append(b)
    return sorted(set(out))


def _word_cuts(
    text: str, start: int, end: int, max_tokens: int, measure: Callable[[str], int]
) -> list[int]:
    """Cuts between words so that each piece stays within ``max_tokens`` (hard cuts last)."""
    cuts: list[int] = []
    piece_start = start
    last_ok = start
    for pos in [*_finer_cuts(text, start, end, _SPACE), end]:
        if measure(text[piece_start:pos]) > max_tokens:
            if last_ok > piece_start:
                cuts.append(last_ok)
                piece_start = last_ok
            while measure(text[piece_start:pos]) > max_tokens:
                # One "word" longer than a whole part (a pasted table, a URL): cut it by size.
                step = max(1, (pos - piece_start) * max_tokens // measure(text[piece_start:pos]))
                piece_start += step
                cuts.append(piece_start)
        last_ok = pos
    return [c for c in cuts if start < c < end]


def split_transcript(
    transcript: Transcript,
    max_tokens: int,
    measure: Callable[[str], int],
    *,
    overlap_tokens: int | None = None,
) -> list[Chunk]:
    """Overlapping parts of at most ``max_tokens`` each (as ``measure`` counts them).

    ``overlap_tokens`` bounds how much of the previous part is repeated (default: an eighth
    of a part). Every part adds at least one new piece, so the loop always ends.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    text = transcript.text
    if measure(text) <= max_tokens:
        return [Chunk(0, 1, 0, len(text), text)]
    overlap = max_tokens // 8 if overlap_tokens is None else overlap_tokens
    cuts = refine_cuts(text, turn_cuts(transcript), max_tokens, measure)
    spans: list[tuple[int, int]] = []
    first = 0  # index into cuts where the current part starts
    while first < len(cuts) - 1:
        last = first + 1
        while last + 1 < len(cuts) and measure(text[cuts[first] : cuts[last + 1]]) <= max_tokens:
            last += 1
        spans.append((cuts[first], cuts[last]))
        if last == len(cuts) - 1:
            break
        # Start the next part a few pieces back, within the overlap budget.
        nxt = last
        while nxt - 1 > first and measure(text[cuts[nxt - 1] : cuts[last]]) <= overlap:
            nxt -= 1
        first = nxt
    total = len(spans)
    return [Chunk(i, total, a, b, text[a:b]) for i, (a, b) in enumerate(spans)]
