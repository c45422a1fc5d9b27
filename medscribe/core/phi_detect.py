"""PHI detection: rules always, the language model when a server is ready, merged.

Recall comes first: a missed identifier leaks, a false alarm costs one click on the review
screen. So the LLM layer may only *add* spans, and only text it can point to: every
suggestion must occur verbatim (case-insensitively) in the transcript, or it is dropped.
Found suggestions are flagged at every occurrence, since a name said once is said again.
"""

from __future__ import annotations

import logging
import re
import time

from pydantic import BaseModel, Field

from medscribe.core.llm_port import ChatBackend, ChatMessage
from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan
from medscribe.core.phi_rules import find_phi
from medscribe.core.phi_rules.lexicon import load_lexicon
from medscribe.core.phi_rules.word_model import load_word_model
from medscribe.core.transcript import Transcript

log = logging.getLogger(__name__)

__all__ = [
    "CHUNK_WORDS",
    "chunk_transcript",
    "detect_phi",
    "detect_phi_llm",
    "detect_phi_rules",
    "find_verbatim",
    "merge_spans",
    "preload_rules",
]

# Words of transcript per LLM request: small enough for a 4k-context model with the prompt
# and the answer, large enough that a 2-hour visit needs ~17 requests, not hundreds.
CHUNK_WORDS = 1500
MAX_ITEMS = 50
MAX_ITEM_CHARS = 100
_MAX_TOKENS = 1024  # 50 short items fit; a looping model is cut off sooner


class _PhiItem(BaseModel):
    text: str = Field(max_length=MAX_ITEM_CHARS, description="copied exactly from the text")
    category: PhiCategory


class PhiAnswer(BaseModel):
    """The bounded wire schema the model fills (every property required)."""

    identifiers: list[_PhiItem] = Field(max_length=MAX_ITEMS)


_SYSTEM = (
    "You find protected health information (PHI) in a doctor-patient conversation transcript "
    "so that it can be removed. List every identifier: names of people (patient, family, "
    "clinicians, staff), places smaller than a state (street addresses, cities, hospitals, "
    "clinics, employers, ZIP codes), dates (any form, spoken too, not a year alone), ages over "
    "89, phone and fax numbers (also spoken digit by digit), email and web addresses, IP "
    "addresses, social security, medical record, health plan, account, licence, vehicle, "
    "device serial and any other ID numbers. Copy each one exactly as it is written in the "
    "text, including its spelling and spoken digits. Do not list drug names, diseases, "
    "symptoms, body parts, doses, vital signs or a US state on its own. If there is none, "
    "return an empty list."
)


def detect_phi_rules(text: str) -> list[PhiSpan]:
    """Layer 1: rules, dictionaries and speech patterns. Instant, no server."""
    return [
        PhiSpan(start=s, end=e, category=c, text=text[s:e], source=PhiSource.RULES)
        for s, e, c in find_phi(text)
    ]


def preload_rules() -> None:
    """Load the word lists and the word model now (about 0.6 s, once), so that the first
    detection, or the first identifier marked by hand, does not pay for it. Thread-safe to
    call from a worker thread: each loader is a pure function cached after its first call."""
    started = time.perf_counter()
    load_lexicon()
    load_word_model()
    log.debug("PHI word lists and word model loaded in %.2f s", time.perf_counter() - started)


def find_verbatim(text: str, needle: str) -> list[tuple[int, int]]:
    """Every case-insensitive occurrence of ``needle`` as whole words (any run of blanks
    between its words), as (start, end) offsets into ``text``."""
    words = needle.split()
    if not words or len("".join(words)) < 2:
        return []
    body = r"\s+".join(re.escape(w) for w in words)
    head = r"(?<!\w)" if words[0][0].isalnum() else ""
    tail = r"(?!\w)" if words[-1][-1].isalnum() else ""
    pattern = re.compile(head + body + tail, re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def chunk_transcript(transcript: Transcript, max_words: int = CHUNK_WORDS) -> list[str]:
    """Pieces of at most ~max_words words, cut between speaker turns (or lines), so that a
    name is never split across two requests. A single over-long turn is cut between words."""
    text = transcript.text
    if transcript.segments:
        bounds = [seg.end for seg in transcript.segments[:-1]] + [len(text)]
    else:
        bounds = [m.end() for m in re.finditer(r"\n", text)] + [len(text)]
    pieces: list[str] = []
    current, count = [], 0
    pos = 0
    for end in bounds:
        unit = text[pos:end]
        pos = end
        n = len(unit.split())
        if n == 0:
            continue
        if count and count + n > max_words:
            pieces.append("".join(current))
            current, count = [], 0
        if n > max_words:
            words = unit.split()
            for k in range(0, n, max_words):
                pieces.append(" ".join(words[k : k + max_words]))
            continue
        current.append(unit)
        count += n
    if current:
        pieces.append("".join(current))
    return [p.strip() for p in pieces if p.strip()]


async def detect_phi_llm(transcript: Transcript, backend: ChatBackend) -> list[PhiSpan]:
    """Layer 2: the model's suggestions, kept only where found verbatim in the transcript.

    Raises the ``LLMError`` family when the server fails; cancellation propagates.
    """
    text = transcript.text
    spans: list[PhiSpan] = []
    kept = dropped = 0
    started = time.monotonic()
    chunks = chunk_transcript(transcript)
    for number, chunk in enumerate(chunks, start=1):
        messages = [
            ChatMessage(role="system", content=_SYSTEM),
            ChatMessage(role="user", content=f"Transcript:\n{chunk}"),
        ]
        answer = await backend.structured(
            messages, PhiAnswer, temperature=0.0, max_tokens=_MAX_TOKENS
        )
        for item in answer.value.identifiers:
            hits = find_verbatim(text, item.text.strip())
            if not hits:
                dropped += 1
                continue
            kept += 1
            spans.extend(
                PhiSpan(
                    start=s, end=e, category=item.category, text=text[s:e], source=PhiSource.LLM
                )
                for s, e in hits
            )
        log.debug("phi llm chunk %d/%d done", number, len(chunks))
    log.info(
        "phi llm: %d chunks, %d suggestions kept, %d dropped (not in transcript), %.2fs",
        len(chunks),
        kept,
        dropped,
        time.monotonic() - started,
    )
    return merge_spans(spans)


def merge_spans(*layers: list[PhiSpan]) -> list[PhiSpan]:
    """Union of the layers, overlapping spans merged into one, sorted by position.

    A merged span takes the category, source and review state of its longest member (on a
    tie, the one from the earlier layer), so rules keep their label where the model agrees.
    """
    tagged = [(span, layer) for layer, spans in enumerate(layers) for span in spans]
    tagged.sort(key=lambda t: (t[0].start, t[1], -(t[0].end - t[0].start)))
    out: list[PhiSpan] = []
    best_len: list[tuple[int, int]] = []
    for span, layer in tagged:
        if span.end <= span.start:
            continue
        if out and span.start < out[-1].end:
            cur = out[-1]
            text = cur.text
            if span.end > cur.end:
                text = cur.text + span.text[cur.end - span.start :]
            rank = (span.end - span.start, -layer)
            winner = span if rank > best_len[-1] else cur
            if rank > best_len[-1]:
                best_len[-1] = rank
            out[-1] = PhiSpan(
                start=cur.start,
                end=max(cur.end, span.end),
                category=winner.category,
                text=text,
                source=winner.source,
                state=winner.state,
            )
        else:
            out.append(span.model_copy())
            best_len.append((span.end - span.start, -layer))
    return out


async def detect_phi(transcript: Transcript, backend: ChatBackend | None) -> list[PhiSpan]:
    """Both layers merged; rules only when ``backend`` is None. LLM errors propagate so the
    caller can say the model step failed (the rules result is cheap to recompute)."""
    rules = detect_phi_rules(transcript.text)
    if backend is None:
        return rules
    return merge_spans(rules, await detect_phi_llm(transcript, backend))
