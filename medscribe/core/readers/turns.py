"""Speaker turns: found in tagged plain text, or laid out as text from timed cues.

Two directions, one model. For plain text the physician's file is the truth, so segments are
only *parsed over* it (offsets into the unchanged text). For subtitle and WhisperX input there
is no readable text yet, so it is *built*: one turn per line, ``Speaker: words``, with each
segment covering its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medscribe.core.transcript import Segment

# Role words that start a line as "Doctor: ..." in transcripts. A free-form "Label:" is only
# taken as a speaker when it is one of these, a SPEAKER_00-style id, or a "Dr. Name"; this keeps
# "Plan: ..." or "Note: ..." in a dictated letter from being read as speakers.
_ROLES = (
    "doctor|dr|physician|provider|clinician|md|np|pa|nurse|rn|ma|patient|pt|client|parent|"
    "mother|mom|father|dad|wife|husband|son|daughter|caregiver|carer|guardian|family|"
    "family member|partner|spouse|sister|brother|friend|interpreter|translator|assistant|"
    "scribe|resident|student|attending|speaker|unknown|other"
)
_BRACKET_TAG = re.compile(r"[ \t]*\[([^\]\n]{1,40})\][ \t]*:?")
_COLON_TAG = re.compile(
    r"[ \t]*((?:" + _ROLES + r")(?:[ _-]?\d{1,3}|[ _-][a-z])?"
    r"|speaker[ _-]?\d{1,3}|spk[ _-]?\d{1,3}|dr\.?[ \t]+[a-z][a-z'-]{1,30})[ \t]*:[ \t]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Turn:
    """One cue or segment from a timed format, before it is laid out as text."""

    text: str
    speaker: str | None = None
    time_start: float | None = None
    time_end: float | None = None


def _speaker_of_line(line: str) -> str | None:
    match = _BRACKET_TAG.match(line) or _COLON_TAG.match(line)
    if match is None:
        return None
    return match.group(1).strip()


def parse_tagged_segments(text: str) -> list[Segment]:
    """Segments over text whose lines start with speaker tags; [] when none are tagged.

    A line without a tag continues the turn above it (wrapped paragraphs), so a turn's segment
    runs to the end of its last line. Blank lines end a turn.
    """
    segments: list[Segment] = []
    current: Segment | None = None
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start, end = pos, pos + len(line)
        pos += len(raw)
        speaker = _speaker_of_line(line)
        if speaker is not None:
            current = Segment(start=start, end=end, speaker=speaker)
            segments.append(current)
        elif not line.strip():
            current = None
        elif current is not None:
            current.end = end
    return segments


def layout_turns(turns: list[Turn]) -> tuple[str, list[Segment]]:
    """Readable text, one turn per line (``Speaker: words``), and a segment per line.

    Consecutive cues of the same known speaker are joined into one turn: subtitles cut speech
    every few seconds, and a physician reads turns, not cues.
    """
    merged: list[Turn] = []
    for turn in turns:
        words = " ".join(turn.text.split())
        if not words:
            continue
        prev = merged[-1] if merged else None
        if prev is not None and turn.speaker is not None and prev.speaker == turn.speaker:
            merged[-1] = Turn(
                text=f"{prev.text} {words}",
                speaker=prev.speaker,
                time_start=prev.time_start,
                time_end=turn.time_end if turn.time_end is not None else prev.time_end,
            )
        else:
            merged.append(Turn(words, turn.speaker, turn.time_start, turn.time_end))
    lines: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for turn in merged:
        line = f"{turn.speaker}: {turn.text}" if turn.speaker else turn.text
        segments.append(
            Segment(
                start=pos,
                end=pos + len(line),
                speaker=turn.speaker,
                time_start=turn.time_start,
                time_end=turn.time_end,
            )
        )
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines) + ("\n" if lines else ""), segments


def split_inline_speaker(text: str) -> tuple[str | None, str]:
    """Split ``"SPEAKER_00: hi"``, ``"[doctor] hi"`` or ``"<v Doctor>hi"`` into (speaker, rest)."""
    voice = re.match(r"\s*<v(?:\.[\w.-]+)?\s+([^>]{1,40})>(.*)", text, re.DOTALL)
    if voice:
        rest = re.sub(r"</v>", "", voice.group(2))
        return voice.group(1).strip(), rest
    match = _BRACKET_TAG.match(text) or _COLON_TAG.match(text)
    if match:
        return match.group(1).strip(), text[match.end() :]
    return None, text
