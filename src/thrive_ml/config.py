"""Settings from the environment, with embedded defaults that work on a fresh clone.

Nothing runs at import: call `get_settings()` where a setting is needed. Paths are relative to
the working directory (the repo root when run through `make`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    mlflow_tracking_uri: str = Field(default="sqlite:///mlflow.db", alias="MLFLOW_TRACKING_URI")
    shared_dir: Path = Field(default=Path("../shared"), alias="THRIVE_SHARED_DIR")
    model_cache_dir: Path = Field(default=Path("models"), alias="THRIVE_MODEL_DIR")
    data_path: Path = Field(default=Path("data/generated/referrals.csv"), alias="THRIVE_DATA")
    validation_dir: Path = Field(default=Path("data/validation"), alias="THRIVE_VALIDATION_DIR")
    # Hand-written training data that is not referral-shaped (the risk reader's snippets).
    training_dir: Path = Field(default=Path("data/training"), alias="THRIVE_TRAINING_DIR")
    # Sets the rules were developed on by reading their misses (young people's words online).
    development_dir: Path = Field(default=Path("data/development"), alias="THRIVE_DEVELOPMENT_DIR")
    # The audit store (predictions, reviews, API keys): any SQLAlchemy URL; SQLite or PostgreSQL.
    database_url: str = Field(default="sqlite:///thrive-audit.db", alias="THRIVE_DATABASE_URL")

    @property
    def dev_set(self) -> Path:
        return self.shared_dir / "eval" / "dev.jsonl"

    @property
    def safety_dev_set(self) -> Path:
        return self.shared_dir / "eval" / "safety_dev.jsonl"

    @property
    def risk_blind_dirs(self) -> list[Path]:
        """Blind snippet sets the rules were developed on: the risk reader trains on them and
        chooses its threshold on them (cross-validated, one set per fold). The held-out
        folders (safety_heldout, safety_final) are never among them."""
        return [self.validation_dir / "safety"]

    @property
    def risk_heldout_dirs(self) -> list[Path]:
        """Blind snippet sets no rule or reader was built from: scored, never read or trained
        on (`final` ones are kept to score a finished rules-and-reader version once)."""
        return [self.validation_dir / "safety_heldout", self.validation_dir / "safety_final"]

    @property
    def risk_training_dirs(self) -> list[Path]:
        """Snippets the risk reader always trains on and never chooses its threshold with:
        those written as its training data, and the rules' development sets. The forum-voice
        development sets lifted the final forum set forum_g 214 -> 226 of 270 and C-SSRS
        suicidal users 0.966 -> 0.976 (docs/safety.md, "Forum voice for the reader")."""
        return [self.training_dir / "risk_reader", self.development_dir]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
