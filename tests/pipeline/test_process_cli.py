"""``medscribe process`` as a user runs it: a subprocess talking HTTP to a loopback server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx

from tests.pipeline.helpers import StepModel, visit_transcript
from tests.servers.scripted import ScriptedModel, ScriptedServer


def medscribe(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medscribe", "process", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def visit_file(tmp_path: Path) -> Path:
    path = tmp_path / "visit.txt"
    path.write_text(visit_transcript().text, encoding="utf-8")
    return path


def test_process_writes_json_and_docx(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", parallel=1)]
    scripted_server.responder = StepModel()
    out_json, out_docx = tmp_path / "visit.json", tmp_path / "visit.docx"
    proc = medscribe(
        str(visit_file(tmp_path)),
        "--json", str(out_json),
        "--out", str(out_docx),
        "--deidentify",
        "--base-url", scripted_server.base_url,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(data["steps"]) == {"phi", "entities", "soap", "structure"}
    assert all(step["state"] == "done" for step in data["steps"].values())
    assert data["soap"]["assessment"] == "- Acute bronchitis."
    assert data["entities"]["medications"][0]["name"] == "metformin"
    assert data["structured"]["chief_complaint"] == "Cough and fever"
    assert any(s["text"] == "Alvarez" for s in data["phi_spans"])
    assert data["steps"]["soap"]["stats"]["requests"] == 1
    assert "[SOAP note] done" in proc.stderr
    text = "\n".join(p.text for p in docx.Document(str(out_docx)).paragraphs)
    assert "Acute bronchitis" in text and "Alvarez" not in text


def test_process_without_server_keeps_phi_and_exits_nonzero(tmp_path: Path) -> None:
    out_json = tmp_path / "visit.json"
    proc = medscribe(
        str(visit_file(tmp_path)), "--json", str(out_json), "--base-url", "http://127.0.0.1:9/v1"
    )
    assert proc.returncode == 1
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert any(s["text"] == "Alvarez" for s in data["phi_spans"])
    assert data["steps"]["phi"]["state"] == "done"
    for step in ("entities", "soap", "structure"):
        assert data["steps"][step]["state"] == "failed"
        assert "not reachable" in data["steps"][step]["message"]
    assert "Not done - SOAP note" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_process_only_requested_steps_to_stdout(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    scripted_server.responder = StepModel()
    proc = medscribe(
        str(visit_file(tmp_path)), "--steps", "soap", "--base-url", scripted_server.base_url
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data["steps"]) == ["soap"]
    assert data["entities"]["medications"] == []


def test_process_refuses_bad_input_before_starting(tmp_path: Path) -> None:
    visit = visit_file(tmp_path)
    existing = tmp_path / "old.json"
    existing.write_text("{}", encoding="utf-8")
    refused = medscribe(str(visit), "--json", str(existing), "--base-url", "http://127.0.0.1:9")
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "{}"
    bad_step = medscribe(str(visit), "--steps", "soap,billing")
    assert bad_step.returncode == 2 and "billing" in bad_step.stderr
    missing = medscribe(str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
