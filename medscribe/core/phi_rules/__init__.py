"""Layer 1 of PHI detection: rules, dictionaries and speech-form patterns. No server.

Each family of rules yields ``(start, end, category)``; :func:`find_phi` resolves overlaps so
each character belongs to at most one span. The public entry point is
``medscribe.core.phi_detect.detect_phi_rules``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.age_forms import find_age_forms
from medscribe.core.phi_rules.ages import find_age_echoes, find_ages
from medscribe.core.phi_rules.categories import relabel_places
from medscribe.core.phi_rules.codes import find_codes
from medscribe.core.phi_rules.coordination import find_coordinated
from medscribe.core.phi_rules.date_phrases import find_date_phrases
from medscribe.core.phi_rules.dates import find_dates
from medscribe.core.phi_rules.lexicon import load_lexicon
from medscribe.core.phi_rules.locations import find_locations, find_world_cities
from medscribe.core.phi_rules.names import find_names
from medscribe.core.phi_rules.patterns import Found, find_patterns
from medscribe.core.phi_rules.slots import find_slot_words
from medscribe.core.phi_rules.span_edges import widen
from medscribe.core.phi_rules.spelled import find_spelled
from medscribe.core.phi_rules.tokens import looks_cased, tokenize
from medscribe.core.phi_rules.unknown_words import find_unknown_words
from medscribe.core.phi_rules.vehicle_units import find_vehicle_units
from medscribe.core.phi_rules.word_model import find_model_words

__all__ = ["Found", "find_phi", "looks_cased"]

# When two rules claim overlapping text, the longer span wins; on equal length the more
# specific category (earlier here) wins.
_PRIORITY = {
    cat: rank
    for rank, cat in enumerate(
        [
            PhiCategory.EMAIL,
            PhiCategory.URL,
            PhiCategory.IP,
            PhiCategory.SSN,
            PhiCategory.PHONE,
            PhiCategory.MRN,
            PhiCategory.HEALTH_PLAN,
            PhiCategory.ACCOUNT,
            PhiCategory.LICENSE,
            PhiCategory.VEHICLE,
            PhiCategory.DEVICE,
            PhiCategory.DATE,
            PhiCategory.AGE,
            PhiCategory.LOCATION,
            PhiCategory.NAME,
            PhiCategory.ID,
        ]
    )
}


def resolve(found: list[Found]) -> list[Found]:
    """Merge overlapping spans; the merged span takes the category of its best member."""
    ordered = sorted(found, key=lambda f: (f[0], -(f[1] - f[0])))
    merged: list[list] = []
    for start, end, cat in ordered:
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            cur = merged[-1]
            best = (cur[3], -_PRIORITY[cur[2]])
            if (end - start, -_PRIORITY[cat]) > best:
                cur[2], cur[3] = cat, end - start
            cur[1] = max(cur[1], end)
        else:
            merged.append([start, end, cat, end - start])
    return [(s, e, c) for s, e, c, _ in merged]


def find_phi(text: str, *, word_model: bool = True) -> list[Found]:
    """All rule-based identifier spans in ``text``, sorted and non-overlapping.

    ``word_model=False`` leaves out the word model's last net (to measure the rules alone).
    """
    lex = load_lexicon()
    tokens = tokenize(text)
    cased = looks_cased(text)
    found: list[Found] = list(find_patterns(text))
    found += find_codes(tokens)
    found += find_dates(tokens)
    found += find_date_phrases(tokens)
    found += find_ages(tokens)
    found += find_age_forms(tokens)
    found += find_names(tokens, lex, cased)
    found += find_locations(tokens, lex, cased)
    found += find_slot_words(tokens, lex)
    found += find_spelled(tokens)
    found += find_vehicle_units(tokens)
    first = resolve(found)
    first = resolve(first + _unclaimed(first, find_world_cities(tokens, lex)))
    first = resolve(first + _unclaimed(first, find_unknown_words(tokens, lex)))
    if word_model:
        first = resolve(first + _unclaimed(first, find_model_words(tokens, lex, cased)))
    first = resolve(first + list(find_age_echoes(tokens, first)))
    final = resolve(first + list(find_coordinated(tokens, lex, first)))
    return resolve(widen(tokens, relabel_places(tokens, final)))


def _unclaimed(claimed: list[Found], extra: Iterable[Found]) -> list[Found]:
    """The spans of ``extra`` that overlap none of ``claimed`` (sorted, disjoint)."""
    starts = [s for s, _, _ in claimed]
    out = []
    for start, end, cat in extra:
        k = bisect_right(starts, start)
        before = claimed[k - 1] if k else None
        after = claimed[k] if k < len(claimed) else None
        if (before is None or before[1] <= start) and (after is None or after[0] >= end):
            out.append((start, end, cat))
    return out
