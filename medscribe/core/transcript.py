"""The transcript a physician sees, with speaker segments mapped to character offsets."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator


class Segment(BaseModel):
    """One speaker turn: ``text[start:end]`` in the owning transcript."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    speaker: str | None = None
    time_start: float | None = None  # seconds from the start of the recording, when known
    time_end: float | None = None


class Transcript(BaseModel):
    text: str
    segments: list[Segment] = Field(default_factory=list)
    source_name: str | None = None  # file name only, never a full path in exports
    source_format: str = "text"  # text, docx, srt, vtt, whisperx, pasted

    @model_validator(mode="after")
    def _segments_inside_text(self) -> Transcript:
        n = len(self.text)
        for seg in self.segments:
            if not (0 <= seg.start <= seg.end <= n):
                raise ValueError(f"segment {seg.start}-{seg.end} outside text of length {n}")
        return self

    def segment_text(self, seg: Segment) -> str:
        return self.text[seg.start : seg.end]

    @property
    def word_count(self) -> int:
        return len(self.text.split())
