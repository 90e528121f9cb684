"""Service settings from the environment, with defaults that work on a fresh clone."""

from __future__ import annotations

import secrets

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from thrive_ml.config import get_settings


class ServeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = Field(default_factory=lambda: get_settings().database_url)
    log_level: str = Field(default="INFO", alias="THRIVE_LOG_LEVEL")
    max_body_bytes: int = Field(default=6_000_000, alias="THRIVE_MAX_BODY_BYTES")
    # Signs the page session cookie. Unset: a random secret per process, so restarting the
    # service signs everyone out (safe default); set it to keep sessions across restarts.
    session_secret: str = Field(
        default_factory=lambda: secrets.token_urlsafe(32), alias="THRIVE_SESSION_SECRET"
    )
    session_max_age: int = Field(default=8 * 3600, alias="THRIVE_SESSION_MAX_AGE")
    # Off by default so the page works on http://127.0.0.1; turn on behind HTTPS so the
    # browser never sends the session cookie over plain HTTP.
    session_https_only: bool = Field(default=False, alias="THRIVE_SESSION_HTTPS_ONLY")
