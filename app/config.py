"""Service settings, read once from `MODERATE_*` environment variables (or a `.env` file).

Every field below is the environment variable `MODERATE_<FIELD NAME IN CAPITALS>`:

| variable | default | meaning |
| --- | --- | --- |
| `MODERATE_MODEL_PATH` | newest folder in `models/` | the model folder to serve |
| `MODERATE_API_KEY` | unset (no auth) | when set, requests need `X-API-Key` (or `?key=`) |
| `MODERATE_MAX_CHARS` | 10000 | characters per comment |
| `MODERATE_MAX_COMMENTS` | 1000 | comments per request |
| `MODERATE_MAX_BODY_BYTES` | 2097152 (2 MB) | bytes per request body |
| `MODERATE_POLICY_FILE` | unset | JSON file of per-community policies |
| `MODERATE_UNKNOWN_COMMUNITY` | reject | a community the policy file lacks: `reject` or `default` |
| `MODERATE_FEEDBACK_URL` | `sqlite:///moderate-feedback.db` | feedback store (SQLAlchemy URL) |
| `MODERATE_WORKERS` | 1 | uvicorn worker processes for `moderate serve` |
| `MODERATE_LOG_TEXT` | false | whether comment text may be written to logs |
| `MODERATE_LOG_LEVEL` | info | log level of the service |
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_API_KEY_CHARS = 16


class Settings(BaseSettings):
    """Settings of the HTTP service (and anything else that reads `MODERATE_*`)."""

    model_config = SettingsConfigDict(
        env_prefix="MODERATE_",
        env_file=".env",
        env_ignore_empty=True,
        extra="ignore",
        protected_namespaces=(),
    )

    model_path: Path | None = Field(
        default=None, description="Model folder; default: the newest folder under models/."
    )
    api_key: SecretStr | None = Field(
        default=None,
        description="Required in `X-API-Key` (or `?key=` on the Perspective route) when set.",
    )
    max_chars: int = Field(default=10_000, ge=1, description="Characters per comment.")
    max_comments: int = Field(default=1_000, ge=1, description="Comments per request.")
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, description="Bytes per request body."
    )
    policy_file: Path | None = Field(
        default=None, description="JSON file: community id -> policy overrides."
    )
    unknown_community: Literal["reject", "default"] = Field(
        default="reject",
        description="A community the policy file does not name: `reject` (HTTP 422, a "
        "rejected batch record) or `default` (the default policy applies).",
    )
    feedback_url: str = Field(
        default="sqlite:///moderate-feedback.db",
        description="SQLAlchemy database URL where moderator feedback is stored.",
    )
    workers: int = Field(default=1, ge=1, le=64, description="uvicorn worker processes.")
    log_text: bool = Field(
        default=False, description="Allow comment text in logs (off: ids, counts, latency only)."
    )
    log_level: str = Field(default="info", description="Log level of the service.")

    @field_validator("api_key")
    @classmethod
    def _strong_key(cls, value: SecretStr | None) -> SecretStr | None:
        # a short key is guessable: refuse to start rather than pretend to be protected
        if value is not None and len(value.get_secret_value()) < MIN_API_KEY_CHARS:
            raise ValueError(f"MODERATE_API_KEY must have at least {MIN_API_KEY_CHARS} characters")
        return value

    @field_validator("policy_file")
    @classmethod
    def _policy_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"MODERATE_POLICY_FILE {value} is not a file")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.lower()
        if value not in ("critical", "error", "warning", "info", "debug"):
            raise ValueError("MODERATE_LOG_LEVEL must be critical, error, warning, info or debug")
        return value


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()
