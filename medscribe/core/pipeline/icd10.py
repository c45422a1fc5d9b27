"""ICD-10-CM checks and suggestions against the official code table.

The table comes from the ``simple_icd_10_cm`` package (the CMS release it ships). Importing it
parses a large XML file (about 3 s here), so :class:`Icd10Table` loads lazily, once, and is
meant to be loaded in a worker thread while the model is busy (``Pipeline`` does that).

A code the model gives is checked twice: does it exist, and does its official title (or one
of its inclusion terms, or its category's title) name the diagnosis? For a diagnosis without
a usable code, candidates come from a word index over all titles.
"""

from __future__ import annotations

import gc
import logging
import math
import re
import threading
import warnings
from bisect import bisect_left
from collections import defaultdict
from typing import Any

from medscribe.core.entities import CodeStatus, normalise_code
from medscribe.core.pipeline.textmatch import content_words, coverage, stem

log = logging.getLogger(__name__)

TITLE_MATCH_COVERAGE = 0.5  # share of the diagnosis's words found in the code's titles
SUGGEST_MIN_COVERAGE = 0.5

# Clinician shorthand and lay words that the table's formal titles never use.
SYNONYMS: dict[str, str] = {
    "htn": "hypertension",
    "high blood pressure": "hypertension",
    "t2dm": "type 2 diabetes mellitus",
    "t1dm": "type 1 diabetes mellitus",
    "dm": "diabetes mellitus",
    "type ii": "type 2",
    "type i": "type 1",
    "copd": "chronic obstructive pulmonary disease",
    "chf": "heart failure",
    "cad": "coronary artery disease atherosclerotic heart",
    "gerd": "gastro-esophageal reflux disease",
    "acid reflux": "gastro-esophageal reflux",
    "heartburn": "gastro-esophageal reflux",
    "uti": "urinary tract infection",
    "afib": "atrial fibrillation",
    "a fib": "atrial fibrillation",
    "heart attack": "myocardial infarction",
    "mi": "myocardial infarction",
    "high cholesterol": "hyperlipidemia",
    "hld": "hyperlipidemia",
    "ckd": "chronic kidney disease",
    "osa": "obstructive sleep apnea",
    "uri": "upper respiratory infection",
    "bph": "benign prostatic hyperplasia",
    "dvt": "deep vein thrombosis",
    "pe": "pulmonary embolism",
    "ra": "rheumatoid arthritis",
    "oa": "osteoarthritis",
    "ibs": "irritable bowel syndrome",
    "sob": "shortness of breath",
    "stroke": "cerebral infarction",
    "flu": "influenza",
}
_SYNONYM_RE = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(k) for k in sorted(SYNONYMS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)


def expand(name: str) -> str:
    """The diagnosis with clinician shorthand and lay words replaced by the table's words."""
    return _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(1)], name.lower())


class Icd10Table:
    """The code table plus a word index over its titles. Thread-safe lazy loading.

    The table is read-only reference data, so one instance per process
    (:meth:`shared`) serves every pipeline; loading it twice would only cost seconds.
    """

    _shared: Icd10Table | None = None
    _shared_lock = threading.Lock()

    @classmethod
    def shared(cls) -> Icd10Table:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cm: Any = None
        self._codes: list[str] = []
        self._titles: list[str] = []
        self._title_len: list[int] = []
        self._postings: dict[str, list[int]] = {}
        self._vocab: list[str] = []
        self._idf: dict[str, float] = {}

    @property
    def loaded(self) -> bool:
        return self._cm is not None

    def load(self) -> None:
        """Import the table and build the index (seconds; call from a worker thread)."""
        with self._lock:
            if self._cm is not None:
                return
            with warnings.catch_warnings():
                # The package reads its data with a deprecated importlib.resources call.
                warnings.simplefilter("ignore", DeprecationWarning)
                import simple_icd_10_cm as cm  # deferred: a 3 s import

            postings: dict[str, list[int]] = defaultdict(list)
            codes: list[str] = []
            titles: list[str] = []
            lengths: list[int] = []
            for code in cm.get_all_codes(True):
                if cm.is_chapter_or_block(code):
                    continue
                title = cm.get_description(code)
                idx = len(codes)
                codes.append(code)
                titles.append(title)
                stems = {stem(w) for w in content_words(title)}
                lengths.append(len(stems))
                for s in stems:
                    postings[s].append(idx)
            total = len(codes)
            self._idf = {s: math.log(total / len(p)) + 1.0 for s, p in postings.items()}
            self._codes, self._titles, self._title_len = codes, titles, lengths
            self._postings = dict(postings)
            self._vocab = sorted(postings)
            self._cm = cm
            # The table (~600k objects with the package's own) stays for the process lifetime;
            # left in the collector, every full collection walks it: 150 ms measured here, a
            # visible freeze of the window. Frozen objects are never scanned or collected.
            gc.freeze()
            log.info("ICD-10-CM table loaded: %d codes, %d index words", total, len(postings))

    def _ensure(self) -> Any:
        if self._cm is None:
            self.load()
        return self._cm

    def title(self, code: str) -> str | None:
        """Official title of ``code`` (any format), or None when it is not a code."""
        cm = self._ensure()
        norm = normalise_code(code)
        if not norm or not cm.is_valid_item(norm) or cm.is_chapter_or_block(norm):
            return None
        return cm.get_description(norm)

    def _titles_for(self, code: str) -> list[str]:
        """The code's title, inclusion terms, and the titles of its category ancestors."""
        cm = self._cm
        texts = [cm.get_description(code), *cm.get_inclusion_term(code)]
        for anc in cm.get_ancestors(code):
            if cm.is_chapter_or_block(anc):
                break
            texts.append(cm.get_description(anc))
            texts.extend(cm.get_inclusion_term(anc))
        return texts

    def check(self, name: str, code: str | None) -> tuple[CodeStatus, str | None, str | None]:
        """(status, normalised code, official title) for a diagnosis and its proposed code."""
        norm = normalise_code(code)
        if norm is None:
            return CodeStatus.NONE, None, None
        official = self.title(norm)
        if official is None:
            return CodeStatus.INVALID, norm, None
        target = [w for t in self._titles_for(norm) for w in content_words(t)]
        # Judge on the best of the words as said and the shorthand spelled out.
        score = max(
            coverage(content_words(name), target), coverage(content_words(expand(name)), target)
        )
        status = CodeStatus.VERIFIED if score >= TITLE_MATCH_COVERAGE else CodeStatus.TITLE_MISMATCH
        return status, norm, official

    def _index_words(self, token: str) -> list[tuple[str, float]]:
        """Index words matching ``token`` with a weight: its stem (1.0), or words sharing a
        long beginning ("hypertens-ion/-ive", 0.8)."""
        s = stem(token)
        found = [(s, 1.0)] if s in self._postings else []
        if len(s) >= 5 and not s.isdigit():
            prefix = s[: max(5, len(s) - 2)]
            i = bisect_left(self._vocab, prefix)
            while i < len(self._vocab) and self._vocab[i].startswith(prefix) and len(found) < 8:
                if self._vocab[i] != s:
                    found.append((self._vocab[i], 0.8))
                i += 1
        return found

    def search(self, name: str, limit: int = 5) -> list[tuple[str, str]]:
        """Codes whose titles best cover the diagnosis's words, best first.

        Ties go to titles with fewer extra words, then to specific titles over residual
        "Other ..." categories.
        """
        self._ensure()
        query = list(dict.fromkeys(content_words(expand(name))))
        if not query:
            return []
        matches = {q: self._index_words(q) for q in query}
        # A word no title contains weighs like the rarest word: it must count against a match.
        rarest = math.log(len(self._codes)) + 1.0
        weights = {q: max((self._idf[w] for w, _ in matches[q]), default=rarest) for q in query}
        total = sum(weights.values()) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for q in query:
            best: dict[int, float] = {}
            for w, factor in matches[q]:
                for idx in self._postings[w]:
                    if factor > best.get(idx, 0.0):
                        best[idx] = factor
            for idx, factor in best.items():
                scores[idx] += weights[q] * factor
        ranked = sorted(
            (
                -round(score / total, 3),
                self._titles[idx].lower().startswith("other"),
                self._title_len[idx],
                self._codes[idx],
                idx,
            )
            for idx, score in scores.items()
            if score / total >= SUGGEST_MIN_COVERAGE
        )[:limit]
        return [(self._codes[row[-1]], self._titles[row[-1]]) for row in ranked]


def rerank_by_similarity(
    query_vector: list[float], candidates: list[tuple[str, str]], vectors: list[list[float]]
) -> list[tuple[str, str]]:
    """Candidates sorted by cosine similarity of their title vectors to the diagnosis."""

    def cosine(a: list[float], b: list[float]) -> float:
        dot = sum(x * y for x, y in zip(a, b, strict=False))
        na = math.sqrt(sum(x * x for x in a))
        nb = math.sqrt(sum(y * y for y in b))
        return dot / (na * nb) if na and nb else 0.0

    order = sorted(range(len(candidates)), key=lambda i: (-cosine(query_vector, vectors[i]), i))
    return [candidates[i] for i in order]
