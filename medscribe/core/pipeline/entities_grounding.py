"""Find where in the transcript each extracted entity comes from.

An entity the model names must be backed by words the patient or clinician said. We look for
the phrase itself first (case-insensitive), then for its words close together (loose word
matching, see :mod:`textmatch`). Nothing found means ``supported=False``: the UI shows such an
entity as unsupported instead of as a fact.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left

from medscribe.core.entities import (
    Allergy,
    GroundedEntity,
    MedicalEntities,
    TextSpan,
    VitalSign,
)
from medscribe.core.pipeline.textmatch import WORD_RE, content_words, tokens_match

MAX_EVIDENCE = 5  # spans kept per entity: enough to show where, not every mention
MIN_COVERAGE = 0.6  # share of an entity's words that must appear together


class TranscriptIndex:
    """Word positions of one transcript, built once and queried per entity."""

    def __init__(self, text: str) -> None:
        self.text = text
        lower = text.lower()
        self._lower: str | None = lower if len(lower) == len(text) else None
        self._tokens: list[tuple[str, int, int]] = [
            (m.group(0).lower(), m.start(), m.end()) for m in WORD_RE.finditer(text)
        ]
        self._positions: dict[str, list[int]] = {}
        for i, (tok, _, _) in enumerate(self._tokens):
            self._positions.setdefault(tok, []).append(i)
        # Candidates for loose matching share the first character (typos rarely hit it), so
        # each query word is compared with a few dozen transcript words, not all of them.
        self._by_first: dict[str, list[str]] = {}
        for tok in self._positions:
            self._by_first.setdefault(tok[0], []).append(tok)
        self._match_cache: dict[str, list[int]] = {}

    def _hits(self, query_token: str) -> list[int]:
        """Token positions in the transcript that match ``query_token`` loosely."""
        cached = self._match_cache.get(query_token)
        if cached is None:
            size = len(query_token)
            cached = sorted(
                pos
                for tok in self._by_first.get(query_token[0], ())
                if abs(len(tok) - size) <= 4 or tok.startswith(query_token[:4])
                if tokens_match(query_token, tok)
                for pos in self._positions[tok]
            )
            self._match_cache[query_token] = cached
        return cached

    def find_exact(self, phrase: str) -> list[TextSpan]:
        """Case-insensitive whole-word occurrences of ``phrase`` (at most MAX_EVIDENCE)."""
        phrase = phrase.strip().lower()
        if not phrase:
            return []
        if self._lower is None:  # lower-casing changed offsets (rare Unicode): use a regex
            pattern = re.compile(
                r"(?<![A-Za-z0-9])" + re.escape(phrase) + r"(?![A-Za-z0-9])", re.IGNORECASE
            )
            hits = [(m.start(), m.end()) for m in pattern.finditer(self.text)]
            return [TextSpan(start=a, end=b) for a, b in hits[:MAX_EVIDENCE]]
        spans: list[TextSpan] = []
        text, n = self._lower, len(phrase)
        at = text.find(phrase)
        while at != -1 and len(spans) < MAX_EVIDENCE:
            before = text[at - 1] if at else " "
            after = text[at + n] if at + n < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                spans.append(TextSpan(start=at, end=at + n))
            at = text.find(phrase, at + 1)
        return spans

    def ground(self, phrase: str) -> list[TextSpan]:
        """Evidence spans for ``phrase``; empty when the transcript does not support it."""
        exact = self.find_exact(phrase)
        if exact:
            return exact
        query = content_words(phrase)
        if not query:
            return []
        hits = sorted((pos, qi) for qi, q in enumerate(query) for pos in self._hits(q))
        if not hits:
            return []
        needed = max(1, math.ceil(MIN_COVERAGE * len(query)))
        window = max(8, 3 * len(query))  # words may be a few apart in speech
        spans: list[TextSpan] = []
        i = 0
        while i < len(hits) and len(spans) < MAX_EVIDENCE:
            start_pos = hits[i][0]
            j = bisect_left(hits, (start_pos + window, -1))
            group = hits[i:j]
            if len({qi for _, qi in group}) >= needed:
                # Trim to the matched words so the highlight is tight.
                first, last = group[0][0], group[-1][0]
                spans.append(TextSpan(start=self._tokens[first][1], end=self._tokens[last][2]))
                i = j
            else:
                i += 1
        return spans


def _phrase_of(entity: GroundedEntity) -> str:
    if isinstance(entity, Allergy):
        return entity.substance
    if isinstance(entity, VitalSign):
        return entity.value
    return getattr(entity, "name", "")


def _ground_vital(index: TranscriptIndex, vital: VitalSign) -> list[TextSpan]:
    # A number alone ("120") is weak evidence; a number that is not in the transcript is none.
    spans = index.ground(vital.value)
    if spans and not any(c.isdigit() for c in vital.value):
        spans = index.ground(f"{vital.type} {vital.value}")
    return spans


def ground_entity(index: TranscriptIndex, entity: GroundedEntity) -> GroundedEntity:
    """A copy of ``entity`` with evidence spans and ``supported`` set from the transcript."""
    if entity.source == "user":
        return entity  # the physician typed it: their word is the evidence
    if isinstance(entity, VitalSign):
        spans = _ground_vital(index, entity)
    else:
        spans = index.ground(_phrase_of(entity))
    return entity.model_copy(update={"evidence": spans, "supported": bool(spans)})


def ground_entities(text: str, entities: MedicalEntities) -> MedicalEntities:
    """Ground every entity of every category against ``text``."""
    index = TranscriptIndex(text)
    return MedicalEntities(
        diagnoses=[ground_entity(index, e) for e in entities.diagnoses],
        medications=[ground_entity(index, e) for e in entities.medications],
        procedures=[ground_entity(index, e) for e in entities.procedures],
        symptoms=[ground_entity(index, e) for e in entities.symptoms],
        vitals=[ground_entity(index, e) for e in entities.vitals],
        allergies=[ground_entity(index, e) for e in entities.allergies],
    )
