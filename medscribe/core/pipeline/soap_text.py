"""Turn the model's SOAP text (complete or still streaming) into the four sections.

The UI calls :func:`split_soap_sections` on the text received so far, many times per second,
to fill the four boxes while the note is written. Headings are recognised leniently
(markdown ``#``/``**``, any case, a colon or not) but only when they stand at the start of a
line and end there or with a colon, so "Plan to follow up in two weeks" stays text.
"""

from __future__ import annotations

import re

from medscribe.core.notes import SoapNote, SoapSection

_NAMES = {s.value: s for s in SoapSection}
_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:[-*•][ \t]+)?(?:\*\*|__)?[ \t]*"
    r"(subjective|objective|assessment|plan)\b[ \t]*(?:\*\*|__)?[ \t]*"
    r"(?:(?::|-|–)[ \t]*(?:\*\*|__)?[ \t]*(?P<rest>.*)|$)",
    re.IGNORECASE | re.MULTILINE,
)
_PARTIAL_HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*([A-Za-z]*)$")


def _clean(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return "\n".join(lines).strip()


def _drop_unfinished_heading(text: str) -> str:
    """While streaming, hide a last line that may be the start of the next heading."""
    if text.endswith("\n"):
        return text
    head, _, last = text.rpartition("\n")
    m = _PARTIAL_HEADING.match(last)
    if m and any(name.startswith(m.group(1).lower()) for name in _NAMES) and last.strip():
        return head
    return text


def split_soap_sections(text: str) -> SoapNote:
    """The sections found in ``text`` so far; missing ones are empty.

    Text before the first heading is ignored (a model's "Here is the note:" preamble). A
    repeated heading appends to its section.
    """
    text = _drop_unfinished_heading(text.replace("\r\n", "\n"))
    matches = list(_HEADING.finditer(text))
    parts: dict[SoapSection, list[str]] = {s: [] for s in SoapSection}
    for i, m in enumerate(matches):
        section = _NAMES[m.group(1).lower()]
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[m.end() : end].lstrip("\n")
        rest = (m.group("rest") or "").strip().strip("*_").strip()
        parts[section].append(_clean((rest + "\n" if rest else "") + body))
    return SoapNote(**{s.value: "\n".join(p for p in parts[s] if p) for s in SoapSection})


def section_body(text: str, section: SoapSection) -> str:
    """The reply to a one-section request, without a heading the model may have added."""
    note = split_soap_sections(text)
    if not note.is_empty():
        found = note.get(section)
        if found:
            return found
    return _clean(text)


def soap_to_text(note: SoapNote) -> str:
    """The inverse of :func:`split_soap_sections` (used to combine notes deterministically)."""
    return "\n\n".join(f"{s.title}:\n{note.get(s).strip()}" for s in SoapSection)
