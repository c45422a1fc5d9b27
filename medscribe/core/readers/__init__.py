"""Transcript readers: every format a visit transcript arrives in, to one Transcript model.

Plain text (and .docx paragraphs) is kept exactly as written, with speaker segments parsed over
it, because PHI offsets and the physician's view must refer to the text they gave. Timed formats
(SRT, WebVTT, WhisperX JSON) have no readable text of their own, so one is laid out for them:
one turn per line, ``Speaker: words``, with the times kept on the segments.

Size limit: a 2-hour visit is about 25,000 words, roughly 150 KB as UTF-8 text and 3-5 MB as
WhisperX JSON with word timings. ``MAX_TRANSCRIPT_BYTES`` (16 MiB) leaves room for that JSON
and for .docx files with a logo, while refusing recordings picked by mistake (a 2-hour MP3 is
~100 MB). ``MAX_TRANSCRIPT_CHARS`` bounds the text itself (about 6 two-hour visits), so that
pasted text cannot make every later step unusably slow.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from medscribe.core.errors import TranscriptError
from medscribe.core.readers.decode import decode_text
from medscribe.core.readers.timed import parse_subtitles, parse_whisperx
from medscribe.core.readers.turns import Turn, layout_turns, parse_tagged_segments
from medscribe.core.transcript import Transcript

__all__ = [
    "MAX_TRANSCRIPT_BYTES",
    "MAX_TRANSCRIPT_CHARS",
    "SUPPORTED_SUFFIXES",
    "read_transcript",
    "transcript_from_text",
]

MAX_TRANSCRIPT_BYTES: int = 16 * 1024 * 1024
MAX_TRANSCRIPT_CHARS: int = 1_000_000
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".srt", ".vtt", ".json")


def _check_text(text: str, name: str) -> None:
    if not text.strip():
        raise TranscriptError(f"{name} is empty: there is no transcript text in it.")
    if len(text) > MAX_TRANSCRIPT_CHARS:
        raise TranscriptError(
            f"{name} is too long ({len(text):,} characters; the limit is "
            f"{MAX_TRANSCRIPT_CHARS:,}, about six 2-hour visits). Split it into separate visits."
        )


def transcript_from_text(
    text: str, *, source_name: str | None = None, source_format: str = "pasted"
) -> Transcript:
    """A transcript of text as given (pasted or read), with speaker segments parsed over it."""
    _check_text(text, "The transcript" if source_name is None else source_name)
    return Transcript(
        text=text,
        segments=parse_tagged_segments(text),
        source_name=source_name,
        source_format=source_format,
    )


def _from_turns(turns: list[Turn], name: str, fmt: str) -> Transcript:
    text, segments = layout_turns(turns)
    _check_text(text, name)
    return Transcript(text=text, segments=segments, source_name=name, source_format=fmt)


def _read_docx(path: Path, name: str) -> str:
    import docx  # python-docx: imported here so text-only use does not pay for lxml

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TranscriptError(
            f"{name} could not be opened as a Word document. It may be damaged, or be an "
            "old .doc file: open it in Word and save it as .docx.",
            detail=type(exc).__name__,
        ) from None
    except Exception as exc:  # lxml and python-docx raise many types on damaged files
        raise TranscriptError(
            f"{name} could not be opened as a Word document; it may be damaged.",
            detail=type(exc).__name__,
        ) from None
    return "\n".join(p.text for p in document.paragraphs)


def read_transcript(path: Path) -> Transcript:
    """Read a transcript file by its suffix; unknown suffixes are read as plain text.

    Raises TranscriptError with a plain message for anything that cannot be read.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_TRANSCRIPT_BYTES:
            raise TranscriptError(
                f"{name} is too large for a transcript ({size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_TRANSCRIPT_BYTES // 1_048_576} MB). Is it a recording rather than its "
                "transcript?"
            )
        if path.is_dir():
            raise TranscriptError(f"{name} is a folder, not a transcript file.")
        suffix = path.suffix.lower()
        if suffix == ".docx":
            text = _read_docx(path, name)
            _check_text(text, name)
            return transcript_from_text(text, source_name=name, source_format="docx")
        data = path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError(f"{name} was not found. It may have been moved or deleted.") from None
    except PermissionError:
        raise TranscriptError(f"medscribe is not allowed to read {name}.") from None
    except OSError as exc:
        raise TranscriptError(f"{name} could not be read.", detail=type(exc).__name__) from None
    if not data.strip():
        raise TranscriptError(f"{name} is empty: there is no transcript text in it.")
    text = decode_text(data, name)
    sniff = text.lstrip("\ufeff \t\r\n")[:10]
    if suffix == ".srt":
        return _from_turns(parse_subtitles(text, "srt", name), name, "srt")
    if suffix == ".vtt" or (suffix not in SUPPORTED_SUFFIXES and sniff.startswith("WEBVTT")):
        return _from_turns(parse_subtitles(text, "vtt", name), name, "vtt")
    if suffix == ".json":
        return _from_turns(parse_whisperx(text, name), name, "whisperx")
    return transcript_from_text(text, source_name=name, source_format="text")
