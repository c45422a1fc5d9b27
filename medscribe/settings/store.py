"""Settings on disk (versioned JSON) and from the environment.

Order: defaults, then the JSON file, then environment variables. The environment accepts
``MEDSCRIBE_*`` names and the names an earlier design of this integration used
(``LM_STUDIO_BASE_URL`` ...), so existing deployment scripts keep working.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from medscribe.core.errors import SettingsError
from medscribe.settings import paths
from medscribe.settings.model import SETTINGS_VERSION, Settings, plain_validation_message

log = logging.getLogger(__name__)

# env name -> path into the settings dict
ENV_OVERRIDES: dict[str, tuple[str, ...]] = {
    "MEDSCRIBE_BASE_URL": ("base_url",),
    "LM_STUDIO_BASE_URL": ("base_url",),
    "MEDSCRIBE_API_TOKEN": ("api_token",),
    "LM_STUDIO_API_TOKEN": ("api_token",),
    "MEDSCRIBE_CHAT_MODEL": ("chat_model",),
    "LM_STUDIO_MODEL": ("chat_model",),
    "MEDSCRIBE_EMBEDDING_MODEL": ("embedding_model",),
    "MEDSCRIBE_TEMPERATURE": ("temperature",),
    "LM_STUDIO_TEMPERATURE": ("temperature",),
    "MEDSCRIBE_MAX_TOKENS": ("max_tokens",),
    "LM_STUDIO_MAX_TOKENS": ("max_tokens",),
    "MEDSCRIBE_MAX_RETRIES": ("max_retries",),
    # The earlier design had a single timeout: it bounded the whole request.
    "LM_STUDIO_TIMEOUT": ("timeouts", "total"),
    "MEDSCRIBE_TIMEOUT_TOTAL": ("timeouts", "total"),
    "MEDSCRIBE_TIMEOUT_CONNECT": ("timeouts", "connect"),
    "MEDSCRIBE_TIMEOUT_FIRST_TOKEN": ("timeouts", "first_token"),
    "MEDSCRIBE_TIMEOUT_IDLE": ("timeouts", "idle"),
    "ENABLE_PHI_DETECTION": ("steps", "phi_detection"),
    "ENABLE_ENTITY_EXTRACTION": ("steps", "entity_extraction"),
    "ENABLE_SOAP_GENERATION": ("steps", "soap_generation"),
    "ENABLE_DOCUMENT_STRUCTURING": ("steps", "document_structuring"),
}
ALLOWED_HOSTS_ENV = "MEDSCRIBE_ALLOWED_HOSTS"  # comma-separated


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings file up to SETTINGS_VERSION. Version 1 is the first."""
    version = data.get("version", 1)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        # A newer medscribe wrote it: keep what we understand, ignore the rest.
        log.warning("settings file version %r is newer than %d", version, SETTINGS_VERSION)
    data["version"] = SETTINGS_VERSION
    return data


def apply_env(data: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    for name, path in ENV_OVERRIDES.items():
        if name in environ:
            target = data
            for key in path[:-1]:
                target = target.setdefault(key, {})
            target[path[-1]] = environ[name]
    if hosts := environ.get(ALLOWED_HOSTS_ENV):
        data["allowed_hosts"] = [h.strip() for h in hosts.split(",") if h.strip()]
    return data


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Load settings as the app does. Raises SettingsError with a plain message if invalid."""
    path = path or paths.settings_file()
    environ = os.environ if environ is None else environ
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                data = _migrate(loaded)
            else:
                log.warning("settings file is not a JSON object; using defaults")
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            # A damaged settings file must not stop the app from starting.
            log.warning("settings file unreadable (%s); using defaults", type(exc).__name__)
    data = apply_env(data, environ)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(
            "medscribe's settings could not be used:\n" + plain_validation_message(exc),
            detail=f"settings file {path}",
        ) from exc


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically so a crash never leaves a half-written settings file."""
    path = path or paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(settings.model_dump_json(indent=2), encoding="utf-8")
    os.replace(tmp, path)


def with_overrides(settings: Settings, **overrides: object) -> Settings:
    """Command-line options (``--base-url``, ``--model``) on top of the loaded settings.

    Validated exactly like the settings file, so a remote address given on the command line
    is refused in the same plain words. Options that were not given (None or "") are ignored.
    """
    given = {k: v for k, v in overrides.items() if v not in (None, "")}
    if not given:
        return settings
    try:
        return Settings.model_validate({**settings.model_dump(), **given})
    except ValidationError as exc:
        raise SettingsError(
            "The options given on the command line cannot be used:\n"
            + plain_validation_message(exc)
        ) from exc
