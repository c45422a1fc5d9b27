"""Bytes to text: the encodings transcripts really arrive in, and a clear refusal otherwise.

Order matters: a UTF-16 file has a BOM (Windows Notepad writes one); UTF-8 is tried strictly
before Windows-1252 because any byte string "decodes" as cp1252, so cp1252 is the last resort.
Binary files (PDF, audio, images, archives) are refused with a message that names what they
look like, so that a physician who picked the recording instead of the transcript knows why.
"""

from __future__ import annotations

import codecs

from medscribe.core.errors import TranscriptError

# Leading bytes of files people pick by mistake, with the words to tell them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a Word document or a zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Word or Excel document"),
    (b"{\\rtf", "a rich-text (RTF) document"),
    (b"ID3", "an audio recording"),
    (b"RIFF", "an audio or video recording"),
    (b"fLaC", "an audio recording"),
    (b"OggS", "an audio recording"),
    (b"\xff\xfb", "an audio recording"),
    (b"\xff\xf3", "an audio recording"),
    (b"\x1aE\xdf\xa3", "a video recording"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
)

# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def _looks_like(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data[4:8] == b"ftyp":
        return "an audio or video recording"
    return None


def _check_not_binary(text: str, name: str) -> None:
    if "\x00" in text:
        raise TranscriptError(f"{name} is not a text file (it contains binary data).")
    sample = text[:200_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise TranscriptError(f"{name} is not a text file (it contains binary data).")


def decode_text(data: bytes, name: str = "The file") -> str:
    """Decode transcript bytes: UTF-8 (BOM optional), UTF-16 with BOM, then Windows-1252.

    Raises TranscriptError for binary data or bytes no supported encoding accepts.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TranscriptError(
                f"{name} says it is UTF-16 text but cannot be read as such. "
                "Save it again as UTF-8 text and retry.",
                detail=f"utf-16 error at byte {exc.start}",
            ) from None
        _check_not_binary(text, name)
        return text
    what = _looks_like(data)
    if what is not None:
        raise TranscriptError(
            f"{name} looks like {what}, not a text transcript. "
            "Choose the transcript file (.txt, .docx, .srt, .vtt or WhisperX .json)."
        )
    if b"\x00" in data:
        raise TranscriptError(f"{name} is not a text file (it contains binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise TranscriptError(
                f"{name} uses a text encoding medscribe cannot read. "
                "Save it as UTF-8 text (in Notepad: Save As, Encoding: UTF-8) and retry.",
                detail=f"cp1252 error at byte {exc.start}",
            ) from None
    _check_not_binary(text, name)
    return text
