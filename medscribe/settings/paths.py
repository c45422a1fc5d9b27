"""Where medscribe keeps its files: the platform's config, data and log folders.

``MEDSCRIBE_CONFIG_DIR`` and ``MEDSCRIBE_DATA_DIR`` override them (tests, portable installs).
Nothing is ever written beside the executable.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "medscribe"


def config_dir() -> Path:
    override = os.environ.get("MEDSCRIBE_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, False))


def data_dir() -> Path:
    override = os.environ.get("MEDSCRIBE_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))


def log_dir() -> Path:
    return data_dir() / "logs"


def autosave_dir() -> Path:
    return data_dir() / "autosave"


def temp_dir() -> Path:
    """Scratch files (never the system temp folder: it may be shared or synced)."""
    return data_dir() / "tmp"


def settings_file() -> Path:
    return config_dir() / "settings.json"
