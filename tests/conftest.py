"""Shared test set-up. Qt runs offscreen; every test gets its own config and data folders."""

from __future__ import annotations

import os

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest_plugins = ["tests.servers.fixtures"]

# Environment variables that would silently change settings under test.
_SETTINGS_ENV = [
    name for name in os.environ if name.startswith(("MEDSCRIBE_", "LM_STUDIO_", "ENABLE_"))
]


@pytest.fixture(autouse=True)
def _isolated_app_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the real user's settings, autosaves or logs."""
    base = tmp_path_factory.mktemp("appdirs")
    monkeypatch.setenv("MEDSCRIBE_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("MEDSCRIBE_DATA_DIR", str(base / "data"))
    for name in _SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    yield
