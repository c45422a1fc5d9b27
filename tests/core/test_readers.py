"""Transcript readers: every format, real ACI-Bench conversations, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from medscribe.core.errors import TranscriptError
from medscribe.core.readers import (
    MAX_TRANSCRIPT_BYTES,
    MAX_TRANSCRIPT_CHARS,
    SUPPORTED_SUFFIXES,
    read_transcript,
    transcript_from_text,
)

ACI = Path(__file__).resolve().parents[1] / "data" / "aci_bench"
ACI_FILES = sorted(ACI.glob("*.txt"))
TEXT = "Doctor: Good morning, Mrs. Núñez.\nPatient: Morning. My knee hurts – since Tuesday.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_aci_bench_files_are_there() -> None:
    assert len(ACI_FILES) >= 8


@pytest.mark.parametrize("path", ACI_FILES, ids=lambda p: p.stem)
def test_aci_bench_conversation(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    t = read_transcript(path)
    assert t.text == raw
    assert t.source_format == "text" and t.source_name == path.name
    tagged = [line for line in raw.splitlines() if line.startswith("[")]
    assert len(t.segments) == len(tagged)
    for seg in t.segments:
        line = t.segment_text(seg)
        assert line.startswith(f"[{seg.speaker}]")
        assert "\n" not in line
    speakers = {s.speaker for s in t.segments}
    assert {"doctor", "patient"} <= speakers


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
     ("utf-16-be", b"\xfe\xff")],
)  # fmt: skip
def test_unicode_encodings_decode_to_the_same_text(tmp_path, encoding, prefix) -> None:
    t = read_transcript(write(tmp_path, "v.txt", prefix + TEXT.encode(encoding)))
    assert t.text == TEXT
    assert [s.speaker for s in t.segments] == ["Doctor", "Patient"]
    assert t.segment_text(t.segments[1]) == "Patient: Morning. My knee hurts – since Tuesday."


def test_windows_1252(tmp_path) -> None:
    text = "Patient: It costs 20€ – “too much”, said Mrs. Müller.\r\n"
    t = read_transcript(write(tmp_path, "v.txt", text.encode("cp1252")))
    assert t.text == text  # unchanged, CRLF kept: PHI offsets refer to this text


def test_crlf_segments_exclude_line_ends(tmp_path) -> None:
    t = read_transcript(write(tmp_path, "v.txt", b"[doctor] hi\r\n[patient] hello\r\n"))
    assert [t.segment_text(s) for s in t.segments] == ["[doctor] hi", "[patient] hello"]


def test_speaker_tag_styles_and_continuation_lines() -> None:
    text = (
        "SPEAKER_00: how are you\nstill speaking\n\nSPEAKER_01: fine\n"
        "Dr. Patel: good\nPlan: rest and ice\n[patient_guest] thanks\n"
    )
    t = transcript_from_text(text)
    assert [s.speaker for s in t.segments] == [
        "SPEAKER_00",
        "SPEAKER_01",
        "Dr. Patel",
        "patient_guest",
    ]
    assert t.segment_text(t.segments[0]) == "SPEAKER_00: how are you\nstill speaking"
    # "Plan:" is not a speaker: it continues the turn above.
    assert t.segment_text(t.segments[2]) == "Dr. Patel: good\nPlan: rest and ice"
    assert t.source_format == "pasted"


def test_untagged_text_has_no_segments() -> None:
    t = transcript_from_text("just some dictated words.\nanother line")
    assert t.segments == [] and t.word_count == 6


def test_srt_with_speakers_merges_consecutive_cues(tmp_path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:03,500\n[SPEAKER_00]: Hello there.\n\n"
        "2\n00:00:03,600 --> 00:00:05,000\nSPEAKER_00: How are you?\n\n"
        "3\n00:00:05,200 --> 00:01:02,250\nSPEAKER_01: <i>Not</i> great,\nmy back hurts.\n"
    )
    t = read_transcript(write(tmp_path, "v.srt", srt.encode()))
    assert t.source_format == "srt"
    assert t.text == (
        "SPEAKER_00: Hello there. How are you?\nSPEAKER_01: Not great, my back hurts.\n"
    )
    first, second = t.segments
    assert (first.time_start, first.time_end) == (1.0, 5.0)
    assert (second.speaker, second.time_start, second.time_end) == ("SPEAKER_01", 5.2, 62.25)
    assert t.segment_text(second) == "SPEAKER_01: Not great, my back hurts."


def test_vtt_voice_tags(tmp_path) -> None:
    vtt = (
        "WEBVTT\n\nNOTE made by a recorder\n\n"
        "00:01.000 --> 00:04.000\n<v Doctor>What brings you in?</v>\n\n"
        "intro-2\n00:00:04.500 --> 00:00:07.000 align:start\n<v Patient>A cough.\n"
    )
    t = read_transcript(write(tmp_path, "v.vtt", vtt.encode()))
    assert t.text == "Doctor: What brings you in?\nPatient: A cough.\n"
    assert [(s.speaker, s.time_start) for s in t.segments] == [("Doctor", 1.0), ("Patient", 4.5)]


def test_whisperx_json(tmp_path) -> None:
    data = {
        "segments": [
            {"start": 0.0, "end": 2.1, "text": " Hi, I'm Dr. Lee.", "speaker": "SPEAKER_00"},
            {"start": 2.3, "end": 4.0, "text": " Hello.", "speaker": "SPEAKER_01"},
            {"start": 4.2, "end": 5.0, "text": " No speaker here."},
        ],
        "word_segments": [],
    }
    t = read_transcript(write(tmp_path, "v.json", json.dumps(data).encode()))
    assert t.source_format == "whisperx"
    assert t.text.splitlines() == [
        "SPEAKER_00: Hi, I'm Dr. Lee.",
        "SPEAKER_01: Hello.",
        "No speaker here.",
    ]
    assert [s.time_end for s in t.segments] == [2.1, 4.0, 5.0]
    assert t.segments[2].speaker is None


def test_docx_paragraphs(tmp_path) -> None:
    document = docx.Document()
    document.add_paragraph("Doctor: How is the rash?")
    document.add_paragraph("Patient: Better since Monday.")
    path = tmp_path / "visit.docx"
    document.save(str(path))
    t = read_transcript(path)
    assert t.text == "Doctor: How is the rash?\nPatient: Better since Monday."
    assert t.source_format == "docx"
    assert [s.speaker for s in t.segments] == ["Doctor", "Patient"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\r\n\t", "empty"),
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("visit.txt", b"ID3\x04\x00\x00\x00\x00\x00\x00audio", "audio"),
        ("visit.txt", b"abc\x00\x01\x02def", "binary"),
        ("bad.txt", b"caf\x81 \x8d\x90 text", "encoding"),
        ("bad.json", b'{"segments": [', "not valid JSON"),
        ("bad.json", b'{"text": "hello"}', "segments"),
        ("bad.json", b'{"segments": [{"start": 1}]}', "segment 1"),
        ("bad.srt", b"1\n00:00:01,000 --> oops\nhello\n", "timing"),
        ("bad.srt", b"just words, no cues\n", "no subtitles"),
        ("bad.vtt", b"00:01.000 --> 00:02.000\nhi\n", "WEBVTT"),
        ("bad.docx", b"PK\x03\x04 not really a zip", "Word document"),
    ],
)
def test_bad_input_gets_a_plain_message(tmp_path, name, data, words) -> None:
    with pytest.raises(TranscriptError) as info:
        read_transcript(write(tmp_path, name, data))
    message = info.value.user_message
    assert words.lower() in message.lower()
    assert "Traceback" not in message and "Error" not in message


def test_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(TranscriptError, match="not found"):
        read_transcript(tmp_path / "nope.txt")
    with pytest.raises(TranscriptError, match="folder"):
        read_transcript(tmp_path)


def test_size_limits(tmp_path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_TRANSCRIPT_BYTES + 1)
    with pytest.raises(TranscriptError, match="too large"):
        read_transcript(path)
    with pytest.raises(TranscriptError, match="too long"):
        transcript_from_text("word " * (MAX_TRANSCRIPT_CHARS // 5 + 1))
    # A 2-hour visit (25,000 words) is well inside both limits.
    visit = "[doctor] " + "word " * 25_000
    assert len(visit.encode()) < MAX_TRANSCRIPT_BYTES // 10
    assert transcript_from_text(visit).word_count == 25_001


def test_unknown_suffix_is_read_as_text_and_suffixes_are_listed(tmp_path) -> None:
    t = read_transcript(write(tmp_path, "visit.log", b"[doctor] hi"))
    assert t.text == "[doctor] hi" and len(t.segments) == 1
    assert {".txt", ".docx", ".srt", ".vtt", ".json"} <= set(SUPPORTED_SUFFIXES)
