"""The settings model. Validation messages are written for a physician, not a developer."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SETTINGS_VERSION = 1
DEFAULT_BASE_URL = "http://127.0.0.1:1234/v1"


class Timeouts(BaseModel):
    """Separate budgets: a model loading on first use is slow, a stalled stream is not."""

    model_config = ConfigDict(extra="ignore")

    connect: float = Field(5.0, gt=0, le=120)
    first_token: float = Field(180.0, gt=0, le=3600)  # covers JIT model loading
    idle: float = Field(30.0, gt=0, le=600)  # longest silence between streamed chunks
    total: float = Field(900.0, gt=0, le=7200)


class StepToggles(BaseModel):
    model_config = ConfigDict(extra="ignore")

    phi_detection: bool = True
    entity_extraction: bool = True
    soap_generation: bool = True
    document_structuring: bool = True


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    version: int = SETTINGS_VERSION
    base_url: str = DEFAULT_BASE_URL
    api_token: str | None = None
    chat_model: str | None = None  # None: use the chat model the server has loaded
    embedding_model: str | None = None
    temperature: float = Field(0.1, ge=0.0, le=2.0)
    max_tokens: int = Field(2048, ge=16, le=32768)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    max_retries: int = Field(3, ge=0, le=10)
    steps: StepToggles = Field(default_factory=StepToggles)
    # Hosts other than this workstation that the user explicitly allowed. Transcripts contain
    # PHI: sending them to another machine must never happen by a typo.
    allowed_hosts: list[str] = Field(default_factory=list)

    @field_validator("base_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https"):
            raise ValueError(
                "The server address must start with http:// or https:// "
                f"(for example {DEFAULT_BASE_URL})."
            )
        if not parts.hostname:
            raise ValueError(
                f"The server address has no host name (for example {DEFAULT_BASE_URL})."
            )
        try:
            parts.port  # noqa: B018 - raises on a malformed port
        except ValueError:
            raise ValueError(
                "The port in the server address is not a number between 1 and 65535."
            ) from None
        return value

    @field_validator("chat_model", "embedding_model", "api_token")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _host_must_be_allowed(self) -> Settings:
        host = self.host
        if not is_loopback_host(host) and host.lower() not in {
            h.lower() for h in self.allowed_hosts
        }:
            raise ValueError(
                f"The server {host} is not this computer. Transcripts contain patient "
                "information, so medscribe only sends them to another computer after you "
                "allow that computer in Settings."
            )
        return self

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @property
    def server_root(self) -> str:
        """The URL without the ``/v1`` suffix: LM Studio's ``/api/v0`` routes hang off it."""
        url = self.base_url
        return url[: -len("/v1")] if url.endswith("/v1") else url


_FIELD_LABELS = {
    "base_url": "Server address",
    "api_token": "API token",
    "chat_model": "Chat model",
    "embedding_model": "Embedding model",
    "temperature": "Temperature",
    "max_tokens": "Maximum answer length (tokens)",
    "max_retries": "Retries",
    "connect": "Connection timeout (seconds)",
    "first_token": "Wait for first word (seconds)",
    "idle": "Longest pause while writing (seconds)",
    "total": "Total time limit (seconds)",
}


def plain_validation_message(exc: Exception) -> str:
    """Turn a pydantic ValidationError into sentences a physician can act on."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    lines = []
    for err in errors():
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        loc = [str(p) for p in err.get("loc", ())]
        label = _FIELD_LABELS.get(loc[-1], loc[-1]) if loc else ""
        if err.get("type") == "value_error" or not label:
            lines.append(msg)  # our own validators already speak plainly
        else:
            lines.append(f"{label}: {msg[:1].lower()}{msg[1:]}.")
    return "\n".join(lines)
