"""Token budgets against the context length the server has actually loaded.

LM Studio loads models with a context (often 4096) far below the model's maximum, and an
over-long prompt is refused, not shortened. So every request is measured before it is sent:
exactly when the server can tokenize (llama-server ``/tokenize``), otherwise with a
conservative characters-per-token estimate. A transcript that does not fit, with room left for
the answer, is split into parts (:mod:`chunking`); nothing is ever cut off silently.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import OrderedDict
from dataclasses import dataclass

from medscribe.core.errors import MedscribeError
from medscribe.core.llm_port import ChatBackend
from medscribe.core.pipeline.chunking import Chunk, split_transcript
from medscribe.core.transcript import Transcript

log = logging.getLogger(__name__)

# English averages ~4 characters per token; clinical words, numbers and names tokenize worse.
# 3 keeps the estimate on the safe side when the server cannot count for us.
CHARS_PER_TOKEN = 3.0
# Chat-template tokens around each message (role markers, turn separators) plus slack.
TEMPLATE_TOKENS = 48
MIN_PART_TOKENS = 96  # a part smaller than this cannot carry a useful piece of a visit


class ContextTooSmallError(MedscribeError):
    """The loaded context cannot hold even one short part of the visit plus an answer."""


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def answer_tokens(max_tokens: int, context_tokens: int | None) -> int:
    """Room kept for the answer: the setting, but never more than a third of the context."""
    if context_tokens is None:
        return max_tokens
    return max(16, min(max_tokens, context_tokens // 3))


class TokenCounter:
    """Counts tokens through the backend when it can, remembering results per text."""

    def __init__(self, backend: ChatBackend | None, *, capacity: int = 256) -> None:
        self._backend = backend
        self._cache: OrderedDict[str, int | None] = OrderedDict()
        self._capacity = capacity
        self.exact_available: bool | None = None  # unknown until the first count

    async def exact(self, text: str) -> int | None:
        """The server's count, or None when it cannot tokenize."""
        if self._backend is None or self.exact_available is False:
            return None
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        try:
            count = await self._backend.count_tokens(text)
        except MedscribeError as exc:
            log.info("token count unavailable (%s); using the estimate", type(exc).__name__)
            count = None
        self.exact_available = count is not None
        self._cache[key] = count
        if len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        return count

    async def count(self, text: str) -> int:
        exact = await self.exact(text)
        return estimate_tokens(text) if exact is None else exact


@dataclass(frozen=True)
class Plan:
    """How one step sends the transcript: whole (one chunk) or in overlapping parts."""

    chunks: list[Chunk]
    context_tokens: int | None
    answer_tokens: int

    @property
    def split(self) -> bool:
        return len(self.chunks) > 1


async def plan_transcript(
    transcript: Transcript,
    *,
    counter: TokenCounter,
    context_tokens: int | None,
    answer: int,
    header_tokens: int,
    instruction_tokens: int,
) -> Plan:
    """Fit the transcript into ``context_tokens`` next to the fixed parts of a request.

    ``header_tokens`` is the shared system text without the transcript, ``instruction_tokens``
    the step's final message. With an unknown context the transcript goes whole; a refusal
    from the server then tells the pipeline the real size (see ``Pipeline``).
    """
    whole = Chunk(0, 1, 0, len(transcript.text), transcript.text)
    if context_tokens is None:
        return Plan([whole], None, answer)
    fixed = header_tokens + instruction_tokens + TEMPLATE_TOKENS + answer
    transcript_tokens = await counter.count(transcript.text)
    if transcript_tokens + fixed <= context_tokens:
        return Plan([whole], context_tokens, answer)
    room = context_tokens - fixed
    if room < MIN_PART_TOKENS:
        raise ContextTooSmallError(
            f"The model is loaded with a context of {context_tokens} tokens, too small to "
            "read this visit even in parts. In LM Studio, load the model with a larger "
            "context length (8192 or more), or lower the maximum answer length in Settings.",
            detail=f"ctx={context_tokens} fixed={fixed}",
        )
    # Pack by a per-character rate calibrated on this transcript, then check each part
    # exactly (when the server counts) and tighten until every part fits.
    rate = transcript_tokens / max(1, len(transcript.text))
    limit = room
    for _attempt in range(5):
        chunks = split_transcript(
            transcript, limit, lambda text, r=rate: math.ceil(len(text) * r * 1.05)
        )
        counts = [await counter.count(c.text) for c in chunks]
        worst = max(counts)
        if worst <= room:
            log.info(
                "transcript split into %d parts (ctx=%d, room=%d)",
                len(chunks),
                context_tokens,
                room,
            )
            return Plan(chunks, context_tokens, answer)
        limit = max(MIN_PART_TOKENS // 2, int(limit * room / worst * 0.95))
    raise ContextTooSmallError(
        "This visit could not be split into parts that fit the model's loaded context. "
        "In LM Studio, load the model with a larger context length.",
        detail=f"ctx={context_tokens} room={room}",
    )
