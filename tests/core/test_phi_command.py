"""``medscribe phi`` run as a person or a script would: a subprocess, judged by its output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.servers.llama import free_port
from tests.servers.replies import ScriptedReply
from tests.servers.scripted import ScriptedServer

VISIT = (
    "[doctor] hi , martha . what's your date of birth ?\r\n"
    "[patient] march 3rd 1961 . pine rest was nice . call me at 555-123-4567 .\r\n"
)


def phi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medscribe", "phi", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def write_visit(tmp_path: Path, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "visit.txt"
    path.write_bytes(VISIT.encode(encoding))
    return path


def test_json_offsets_point_into_the_text_as_read(tmp_path: Path) -> None:
    done = phi(str(write_visit(tmp_path)), "--rules-only", "--json")
    assert done.returncode == 0, done.stderr
    spans = json.loads(done.stdout)["spans"]
    assert [(s["text"], s["category"], s["source"]) for s in spans] == [
        ("martha", "NAME", "rules"),
        ("march 3rd 1961", "DATE", "rules"),
        ("555-123-4567", "PHONE", "rules"),
    ]
    for s in spans:
        assert set(s) == {"start", "end", "category", "text", "source"}
        assert VISIT[s["start"] : s["end"]] == s["text"]  # BOM dropped, CRLF kept


def test_utf16_file_gives_the_same_offsets(tmp_path: Path) -> None:
    done = phi(str(write_visit(tmp_path, "utf-16")), "--rules-only", "--json")
    assert done.returncode == 0, done.stderr
    spans = json.loads(done.stdout)["spans"]
    assert all(VISIT[s["start"] : s["end"]] == s["text"] for s in spans) and spans


def test_table_is_the_default(tmp_path: Path) -> None:
    done = phi(str(write_visit(tmp_path)), "--rules-only")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["START", "END", "CATEGORY", "SOURCE", "TEXT"]
    assert any("Phone or fax" in line and "555-123-4567" in line for line in lines)
    assert lines[-1] == "3 identifiers found."


def test_unreadable_file_exits_2_with_a_plain_message(tmp_path: Path) -> None:
    done = phi(str(tmp_path / "missing.txt"), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "missing.txt was not found" in done.stderr and "Traceback" not in done.stderr
    binary = tmp_path / "recording.txt"
    binary.write_bytes(b"ID3\x03\x00\x00\x00" + bytes(range(256)))
    done = phi(str(binary))
    assert done.returncode == 2 and "audio recording" in done.stderr


def test_with_the_model_it_adds_what_the_rules_missed(
    tmp_path: Path, scripted_server: ScriptedServer
) -> None:
    found = [
        {"text": "Pine Rest", "category": "LOCATION"},
        {"text": "not in the text", "category": "NAME"},
    ]
    scripted_server.script_chat(ScriptedReply(content=json.dumps({"identifiers": found})))
    done = phi(str(write_visit(tmp_path)), "--json", "--base-url", scripted_server.base_url)
    assert done.returncode == 0, done.stderr
    spans = json.loads(done.stdout)["spans"]
    assert ("pine rest", "LOCATION", "llm") in [
        (s["text"], s["category"], s["source"]) for s in spans
    ]
    assert len(spans) == 4 and done.stderr == ""


def test_server_down_falls_back_to_rules_with_a_note(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    done = phi(str(write_visit(tmp_path)), "--json", "--base-url", url)
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["spans"]) == 3
    assert done.stderr.startswith("Note: ") and "rules found" in done.stderr
