"""Timed formats: SRT and WebVTT subtitles, WhisperX JSON. Each becomes a list of turns."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from medscribe.core.errors import TranscriptError
from medscribe.core.readers.turns import Turn, split_inline_speaker

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(_TIME + r"\s*-->\s*" + _TIME)
_TAGS = re.compile(r"</?(?:[ibuc]|ruby|rt|lang)(?:\.[\w.-]+)?(?:\s[^>]*)?>|<\d[\d:.]*>")
_SRT_SPEAKER = re.compile(r"\s*\[?(SPEAKER[ _]?\d{1,3})\]?\s*:?\s*", re.IGNORECASE)


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000


def _cue_text(lines: list[str]) -> tuple[str | None, str]:
    joined = " ".join(line.strip() for line in lines if line.strip())
    speaker, rest = split_inline_speaker(joined)
    if speaker is None:
        match = _SRT_SPEAKER.match(joined)
        if match:
            speaker, rest = match.group(1), joined[match.end() :]
    return speaker, _TAGS.sub("", rest).strip()


def parse_subtitles(text: str, kind: str, name: str) -> list[Turn]:
    """Cues of an SRT or WebVTT file. Raises TranscriptError when no cue has a valid timing."""
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind == "vtt" and not body.lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError(f"{name} is not a WebVTT subtitle file (it must start with WEBVTT).")
    turns: list[Turn] = []
    for block in re.split(r"\n\s*\n", body):
        lines = block.split("\n")
        timing_at = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing_at is None:
            continue  # header, NOTE, STYLE, or a stray index line
        match = _TIMING.search(lines[timing_at])
        if match is None:
            raise TranscriptError(
                f"{name} has a subtitle timing line medscribe cannot read "
                f"(cue {len(turns) + 1}). Check that the file is a valid .{kind} file."
            )
        g = match.groups()
        start, end = _seconds(*g[:4]), _seconds(*g[4:])
        speaker, words = _cue_text(lines[timing_at + 1 :])
        if words:
            turns.append(Turn(words, speaker, start, end))
    if not turns:
        raise TranscriptError(
            f"{name} has no subtitles in it (no timed lines with text were found)."
        )
    return turns


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def parse_whisperx(text: str, name: str) -> list[Turn]:
    """Segments of WhisperX (or Whisper) JSON: ``{"segments": [{start, end, text, speaker?}]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(
            f"{name} is not valid JSON (line {exc.lineno}). "
            "Expected WhisperX output with a list of segments.",
            detail=exc.msg,
        ) from None
    segments = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(segments, list):
        raise TranscriptError(
            f'{name} is JSON but not WhisperX output: it has no list of "segments".'
        )
    turns: list[Turn] = []
    for i, seg in enumerate(segments, start=1):
        if not isinstance(seg, dict) or not isinstance(seg.get("text"), str):
            raise TranscriptError(f"{name}: segment {i} has no text, so the file cannot be read.")
        speaker = seg.get("speaker")
        turns.append(
            Turn(
                seg["text"],
                str(speaker) if isinstance(speaker, str | int) and str(speaker) else None,
                _number(seg.get("start")),
                _number(seg.get("end")),
            )
        )
    if not any(t.text.strip() for t in turns):
        raise TranscriptError(f"{name} has no transcribed words in it.")
    return turns
