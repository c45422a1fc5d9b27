from __future__ import annotations

import json

import pytest

from medscribe.core.errors import SettingsError
from medscribe.settings import Settings, load_settings, save_settings
from medscribe.settings.model import plain_validation_message


def test_defaults_match_the_brief() -> None:
    s = Settings()
    assert s.base_url == "http://127.0.0.1:1234/v1"
    assert s.temperature == 0.1
    assert s.max_tokens == 2048
    assert s.max_retries == 3
    assert s.steps.phi_detection and s.steps.soap_generation
    assert s.server_root == "http://127.0.0.1:1234"


def test_round_trip_through_versioned_json(tmp_path) -> None:
    path = tmp_path / "settings.json"
    s = Settings(chat_model="qwen", temperature=0.3)
    save_settings(s, path)
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert load_settings(path, environ={}) == s


@pytest.mark.parametrize(
    ("name", "value", "attr", "expected"),
    [
        ("LM_STUDIO_BASE_URL", "http://127.0.0.1:9999/v1", "base_url", "http://127.0.0.1:9999/v1"),
        ("LM_STUDIO_TEMPERATURE", "0.7", "temperature", 0.7),
        ("LM_STUDIO_MAX_TOKENS", "512", "max_tokens", 512),
        ("LM_STUDIO_TIMEOUT", "42", "timeouts.total", 42.0),
        ("ENABLE_PHI_DETECTION", "false", "steps.phi_detection", False),
        ("ENABLE_ENTITY_EXTRACTION", "0", "steps.entity_extraction", False),
        ("ENABLE_SOAP_GENERATION", "false", "steps.soap_generation", False),
        ("MEDSCRIBE_CHAT_MODEL", "gemma", "chat_model", "gemma"),
    ],
)
def test_environment_overrides_file(tmp_path, name, value, attr, expected) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(), path)
    s = load_settings(path, environ={name: value})
    obj = s
    for part in attr.split("."):
        obj = getattr(obj, part)
    assert obj == expected


def test_remote_host_refused_unless_allowed() -> None:
    with pytest.raises(ValueError, match="not this computer"):
        Settings(base_url="http://192.168.1.20:1234/v1")
    ok = Settings(base_url="http://192.168.1.20:1234/v1", allowed_hosts=["192.168.1.20"])
    assert ok.host == "192.168.1.20"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/v1", "file:///etc/passwd", "127.0.0.1:1234"])
def test_non_http_schemes_refused(url) -> None:
    with pytest.raises(ValueError, match="http://"):
        Settings(base_url=url)


@pytest.mark.parametrize(
    "url", ["http://localhost:1234/v1", "http://[::1]:1234/v1", "http://127.0.0.2:1/v1"]
)
def test_loopback_forms_accepted(url) -> None:
    assert Settings(base_url=url).base_url == url


def test_invalid_env_gives_plain_message(tmp_path) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path / "none.json", environ={"LM_STUDIO_TEMPERATURE": "9"})
    msg = info.value.user_message
    assert "Temperature" in msg and "Traceback" not in msg and "pydantic" not in msg


def test_remote_env_url_needs_allowed_host(tmp_path) -> None:
    env = {"LM_STUDIO_BASE_URL": "http://10.0.0.5:1234/v1"}
    with pytest.raises(SettingsError, match="not this computer"):
        load_settings(tmp_path / "none.json", environ=env)
    env["MEDSCRIBE_ALLOWED_HOSTS"] = "10.0.0.5"
    assert load_settings(tmp_path / "none.json", environ=env).host == "10.0.0.5"


def test_damaged_file_falls_back_to_defaults(tmp_path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xff\xfe{not json")
    assert load_settings(path, environ={}) == Settings()


def test_plain_message_for_field_error() -> None:
    try:
        Settings(max_tokens=1)
    except Exception as exc:
        msg = plain_validation_message(exc)
    assert msg.startswith("Maximum answer length")


def test_command_line_overrides_are_validated_like_the_file() -> None:
    from medscribe.settings.store import with_overrides

    base = Settings()
    assert with_overrides(base, base_url=None, chat_model="") is base
    moved = with_overrides(base, base_url="http://127.0.0.1:9/v1", chat_model="m")
    assert (moved.base_url, moved.chat_model) == ("http://127.0.0.1:9/v1", "m")
    with pytest.raises(SettingsError, match="not this computer"):
        with_overrides(base, base_url="http://203.0.113.7:1234/v1")
