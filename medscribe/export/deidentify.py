"""De-identification of everything an export contains.

The transcript has offsets, so its PHI spans are replaced exactly where they are. Generated
text (SOAP note, structured sections, entity names) has no offsets: there every occurrence of
a redacted span's text is replaced, case-insensitively and on word boundaries, longest first,
and so are the single tokens of multi-word names ("Martha Smith" -> "Martha", "Smith"), because
a note says "Mrs. Smith" long after the transcript said "Martha Smith".

Rules, in priority order:
1. The text of every confirmed or pending span (and the patient's and clinician's names and
   the encounter date from the encounter line) is replaced by its category placeholder,
   e.g. ``[NAME]``.
2. A rejected span's text stays as written, unless it is also the text of a redacted span.
3. Name tokens are replaced alone, except initials and tokens under three letters ("Li" would
   also hit "Li" for lithium), titles and particles ("Dr", "van"), tokens equal to a rejected
   span's text, and common English words ("Will", "Rose", "Brown"), which are replaced only
   when capitalised so that "will follow up" survives.
4. Spellings vary in generated text: spacing and commas between words, ordinals ("March 3"
   finds "March 3rd,"), separators inside numbers of five digits or more ("555-201-3344" finds
   "(555) 201 3344"), and other common spellings of dates with a month (:mod:`.dates`).
5. Pure numbers of up to three digits (ages over 89) are replaced in free text except where
   they are clearly a reading: "BP 140/92", "SpO2 99%", "HR 92", "92 bpm" stay.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from medscribe.core.phi import PhiCategory, PhiSpan, ReviewState
from medscribe.core.session import EncounterResult
from medscribe.export.dates import date_variants

_MIN_TOKEN_LEN = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TITLES = _words(
    "dr doctor mr mrs ms miss mx prof professor sir madam nurse rev jr sr ii iii iv md rn np pa"
    " phd do"
)
_PARTICLES = _words("de da del della der den di du la le van von bin ibn al el st mc")
# Names that are also everyday (or medical) English words: redacted alone only when capitalised.
_COMMON_WORDS = _words(
    """will may june april august grace hope faith joy rose lily daisy iris ivy holly dawn
    summer autumn winter violet ruby pearl amber crystal sky rain storm bill mark frank pat sue
    art jack rob bob nick drew gene guy ray dean chase hunter mason carter cook baker brown white
    black green gray grey young king long hill wood woods stone banks bush rich price cash hall
    lane little page fox wolf bird swift moody best child hand hart rice love sharp strong bell
    ball field fields ford hardy miles pope story waters walker rivers park bond bishop major law
    march grant house penny sunny just new man day night early west east north south cross heart
    head bone blood chest lung foot arm back rest care cole gay glass gold silver hale hay hunt
    lamb lord lee land lowe mann marsh mills moon moss nash oak page parks patch pike pool power
    reed rose ross rush sage salt sands shaw short small snow spring steel sterling stew sweet
    temple tower trip vance wade ward warren webb wells wise wolfe wren york"""
)
# Private-use characters: no word characters, never typed by anyone, so later passes and the
# word-boundary checks cannot match inside a replacement that is already made.
_SENTINEL_RE = re.compile("\ue000(\\d+)\ue001")
_CATEGORIES = list(PhiCategory)
_DIGIT_SEP = r"[\s\-./()]{0,3}"
_SHORT_NUMBER = 3  # digits: a pure number this short is kept where it reads as a measurement
# A short number (an age over 89) is replaced everywhere except where it is clearly a reading:
# part of "140/92" or "98.6", followed by a unit or "%", or right after a vital sign's name.
# Leaking "she passed at 99" is worse than an odd "[AGE]" for an unlabelled number.
_UNITS = (
    r"%|percent|/|\.\d|mg\b|mcg\b|g\b|kg\b|lbs?\b|pounds\b|mm|cm\b|ml\b|bpm\b|beats\b"
    r"|breaths\b|°|degrees\b|units?\b|times\b|x\b|over\b"
)
_VITAL_WORDS = (
    "hr",
    "pulse",
    "rate",
    "rate of",
    "sat",
    "sats",
    "spo2",
    "o2",
    "bp",
    "over",
    "weight",
    "glucose",
    "sugar",
    "a1c",
    "temp",
    "temperature",
    "rr",
    "score",
)
_NOT_AFTER = "".join(rf"(?<!\b{w} )(?<!\b{w}: )" for w in _VITAL_WORDS)


def _sentinel(category: PhiCategory) -> str:
    return f"\ue000{_CATEGORIES.index(category)}\ue001"


def _term_pattern(term: str, *, capitalised_only: bool = False) -> str:
    """A regex for ``term`` that tolerates other spacing and, for numbers, other separators."""
    digits = re.sub(r"\D", "", term)
    if term.isdigit() and len(term) <= _SHORT_NUMBER:
        return rf"(?<![\w/.,-]){_NOT_AFTER}{term}(?!\w)(?!\s*(?:{_UNITS}))"
    if _is_flexible_number(term):
        # "(555) 123-4567", "555.123.4567" and "555 123 4567" are the same phone number.
        # An opening parenthesis goes too when it is an area code's: "(555) 123-4567".
        body = r"(?:\((?=\d{3}\)))?" + _DIGIT_SEP.join(digits)
    elif capitalised_only:
        first, rest = term[0], term[1:]
        body = f"(?-i:{re.escape(first.upper())})" + re.escape(rest)
    else:
        body = _spelling_pattern(term)
    return rf"(?<!\w)(?:{body})(?!\w)"


def _spelling_pattern(term: str) -> str:
    """Words in order, whatever the spacing and commas between them; a number may carry an
    ordinal ("March 3" also finds "March 3rd, ..."); punctuation may have spaces around it."""
    tokens = re.findall(r"\w+|[^\w\s]", term)
    out: list[str] = []
    for i, token in enumerate(tokens):
        if i:
            both_words = tokens[i - 1][-1].isalnum() and token[0].isalnum()
            out.append(r"[\s,]+" if both_words else r"\s*")
        number = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", token, re.IGNORECASE)
        if number and len(tokens) > 1:
            out.append(re.escape(number.group(1)) + "(?:st|nd|rd|th)?")
        else:
            out.append(re.escape(token))
    return "".join(out)


def _name_tokens(name: str) -> Iterator[str]:
    for raw in name.split():
        for token in {raw, *raw.split("-")}:
            token = token.strip(".,;:()\"'")
            if token.endswith(("'s", "’s")):
                token = token[:-2]
            if len(token) < _MIN_TOKEN_LEN or not any(c.isalpha() for c in token):
                continue
            if token.casefold() in _TITLES or token.casefold() in _PARTICLES:
                continue
            yield token


@dataclass(frozen=True)
class _Term:
    text: str
    category: PhiCategory | None  # None: a rejected phrase kept as written
    capitalised_only: bool = False

    @property
    def pattern(self) -> str:
        return _term_pattern(self.text, capitalised_only=self.capitalised_only)

    def may_occur(self, folded: str, digits: str) -> bool:
        """Cheap test that rules the term out before any regex runs (never a false "no")."""
        if _is_flexible_number(self.text):
            return re.sub(r"\D", "", self.text) in digits
        return all(part.casefold() in folded for part in self.text.split())


def _is_flexible_number(term: str) -> bool:
    return len(re.sub(r"\D", "", term)) >= 5 and re.fullmatch(r"[\d\s\-./()+]+", term) is not None


@functools.lru_cache(maxsize=256)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"({p})" for p in patterns), re.IGNORECASE)


def _sorted(terms: Iterable[_Term]) -> tuple[_Term, ...]:
    """Longest first: at one position the regex takes the first alternative that matches."""
    return tuple(sorted(terms, key=lambda t: (-len(t.text), t.text.casefold())))


class Redactor:
    """Replaces PHI in free text. Built once per export; immutable, so threads may share it."""

    def __init__(
        self, spans: Iterable[PhiSpan], extra: Iterable[tuple[str, PhiCategory]] = ()
    ) -> None:
        # Keyed by casefold so each text appears once; the value keeps the text as written.
        redacted: dict[str, tuple[str, PhiCategory]] = {}
        rejected: dict[str, str] = {}
        names: dict[str, str] = {}
        variants: dict[str, tuple[str, PhiCategory]] = {}  # other spellings of redacted dates
        # Confirmed spans first, so a text flagged twice takes the category the doctor confirmed.
        ordered = sorted(spans, key=lambda s: s.state is not ReviewState.CONFIRMED)
        pairs = [(s.text.strip(), s.category, s.redacts) for s in ordered]
        pairs += [(text.strip(), category, True) for text, category in extra]
        for text, category, redacts in pairs:
            if not text:
                continue
            if not redacts:
                rejected.setdefault(text.casefold(), text)
                continue
            redacted.setdefault(text.casefold(), (text, category))
            if category is PhiCategory.DATE:
                for variant in date_variants(text):
                    variants.setdefault(variant.casefold(), (variant, category))
            if category is PhiCategory.NAME:
                names.update((token.casefold(), token) for token in _name_tokens(text))
        for key, value in variants.items():
            if key not in rejected:
                redacted.setdefault(key, value)
        first = [_Term(text, category) for text, category in redacted.values()]
        second = [_Term(text, None) for key, text in rejected.items() if key not in redacted]
        for key, token in names.items():
            if key in redacted or key in rejected:
                continue  # already replaced whole, or the reviewer said it is not a name
            second.append(_Term(token, PhiCategory.NAME, key in _COMMON_WORDS))
        self._passes = (_sorted(first), _sorted(second))

    def redact(self, text: str) -> str:
        """``text`` with every redacted identifier replaced by its placeholder."""
        if not text:
            return text
        for terms in self._passes:
            # Python's regex tries every alternative at every position: a transcript against
            # hundreds of spans took seconds. Only the terms that can occur here take part.
            folded, digits = text.casefold(), re.sub(r"\D", "", text)
            present = [t for t in terms if t.may_occur(folded, digits)]
            if present:
                regex = _alternation(tuple(t.pattern for t in present))
                text = regex.sub(lambda m, ts=present: _replacement(m, ts), text)
        return _SENTINEL_RE.sub(lambda m: _CATEGORIES[int(m.group(1))].placeholder, text)


def _replacement(match: re.Match[str], terms: list[_Term]) -> str:
    term = terms[(match.lastindex or 1) - 1]
    return match.group(0) if term.category is None else _sentinel(term.category)


def encounter_terms(result: EncounterResult) -> list[tuple[str, PhiCategory]]:
    """Identifiers the encounter line holds even when the detector never saw them."""
    terms: list[tuple[str, PhiCategory]] = []
    if result.encounter.patient_name.strip():
        terms.append((result.encounter.patient_name, PhiCategory.NAME))
    # The clinician too: staff names are identifiers in a transcript (they place the patient
    # at a practice), and a de-identified copy may leave the practice.
    if result.encounter.clinician.strip():
        terms.append((result.encounter.clinician, PhiCategory.NAME))
    if result.encounter.date.strip():
        terms.append((result.encounter.date, PhiCategory.DATE))
    return terms


def build_redactor(result: EncounterResult) -> Redactor:
    """The redactor for one encounter: its spans plus the names and dates of the encounter."""
    spans = list(result.phi_spans)
    text = result.transcript.text
    # The transcript's own characters too, in case a span's ``text`` was edited or trimmed.
    extra = encounter_terms(result)
    for span in spans:
        if span.redacts and span.end <= len(text):
            actual = text[span.start : span.end]
            if actual.strip() and actual.strip().casefold() != span.text.strip().casefold():
                extra.append((actual, span.category))
    return Redactor(spans, extra)


def deidentify_text(text: str, result: EncounterResult) -> str:
    """Free text (note sections, entity names...) with the encounter's PHI replaced."""
    return build_redactor(result).redact(text)


def redact_slice(result: EncounterResult, redactor: Redactor, start: int, end: int) -> str:
    """``transcript.text[start:end]`` de-identified: spans by offset, the rest by text.

    Redacting spans become placeholders where they are; rejected spans stay exactly as written;
    text outside any span still goes through ``redactor`` so that a mention the reviewer did
    not mark (a second "Martha") does not leak.
    """
    text = result.transcript.text
    end = min(end, len(text))
    marks: list[tuple[int, int, PhiCategory | None]] = []
    for span in result.phi_spans:
        s, e = max(span.start, start), min(span.end, end)
        if s < e:
            marks.append((s, e, span.category if span.redacts else None))
    # Redacting spans first at equal starts, longest first; they win any overlap.
    marks.sort(key=lambda m: (m[0], m[2] is None, -(m[1] - m[0])))
    out: list[str] = []
    cursor = start
    for s, e, category in marks:
        if e <= cursor:
            continue
        if category is None:
            # Kept as written, but only up to where a later redacting span starts.
            cut = min([e, *[m[0] for m in marks if m[2] is not None and s < m[0] < e]])
            if s > cursor:
                out.append(redactor.redact(text[cursor:s]))
            out.append(text[max(s, cursor) : cut])
            cursor = cut
            continue
        if s >= cursor:
            if s > cursor:
                out.append(redactor.redact(text[cursor:s]))
            out.append(category.placeholder)
        cursor = e  # an overlapping redacting span only extends the one already placed
    if cursor < end:
        out.append(redactor.redact(text[cursor:end]))
    return "".join(out)


def redact_transcript(result: EncounterResult) -> str:
    """The whole transcript with every confirmed and pending span replaced by offsets."""
    return redact_slice(result, build_redactor(result), 0, len(result.transcript.text))
