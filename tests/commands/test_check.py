"""``medscribe check`` as a set-up script runs it: a subprocess, judged by output and status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.servers.llama import free_port
from tests.servers.scripted import ScriptedModel, ScriptedServer


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medscribe", "check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_ready_server(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [
        ScriptedModel("qwen/qwen3-8b", context_length=8192),
        ScriptedModel("google/gemma-3-12b", loaded=False, max_context_length=131072),
    ]
    done = check("--base-url", scripted_server.base_url)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Reachable:  yes" in out
    assert "LM Studio" in out
    assert "qwen/qwen3-8b" in out and "loaded, context 8192 tokens" in out
    assert "google/gemma-3-12b" in out and "not loaded" in out
    assert "Chat model: qwen/qwen3-8b" in out and "available" in out
    assert done.stderr == ""


def test_closed_port_says_what_to_do() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    done = check("--base-url", url)
    assert done.returncode == 1
    assert "Reachable:  no" in done.stdout
    reason = done.stderr.strip().splitlines()
    assert len(reason) == 1
    assert f"LM Studio is not reachable at {url.removesuffix('/v1')}" in reason[0]
    assert "start its local server" in reason[0]


def test_no_model_loaded(scripted_server: ScriptedServer) -> None:
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", loaded=False)]
    done = check("--base-url", scripted_server.base_url)
    assert done.returncode == 1
    assert "Reachable:  yes" in done.stdout
    assert "no chat model loaded" in done.stderr


def test_configured_model_not_available(scripted_server: ScriptedServer) -> None:
    done = check("--base-url", scripted_server.base_url, env={"LM_STUDIO_MODEL": "llama-3-70b"})
    assert done.returncode == 1
    assert "llama-3-70b (configured) - NOT available" in done.stdout
    assert "'llama-3-70b'" in done.stderr


def test_settings_file_is_used_and_base_url_overrides_it(scripted_server: ScriptedServer) -> None:
    config = Path(os.environ["MEDSCRIBE_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(
        json.dumps({"version": 1, "base_url": scripted_server.base_url}), encoding="utf-8"
    )
    assert check().returncode == 0
    closed = f"http://127.0.0.1:{free_port()}/v1"
    assert check("--base-url", closed).returncode == 1


def test_invalid_or_remote_address_is_a_settings_error() -> None:
    bad = check("--base-url", "ftp://127.0.0.1:1234")
    assert bad.returncode == 2
    assert "http://" in bad.stderr and "Traceback" not in bad.stderr
    remote = check("--base-url", "http://10.1.2.3:1234/v1")
    assert remote.returncode == 2
    assert "not this computer" in remote.stderr
