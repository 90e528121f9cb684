"""Real databases for the store tests: a SQLite file and a throwaway PostgreSQL server.

The PostgreSQL server is tests/conftest.py's `postgres_url`; each test gets its own database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from thrive_ml.result import RiskFlag, TriageResult
from thrive_ml.store import AuditStore
from thrive_ml.taxonomy import ContextStatus, ExclusionFactor, RiskIndicator, ThriveGroup


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, then a new PostgreSQL database (every test runs on both)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.db'}"
        return
    yield request.getfixturevalue("postgres_database")


@pytest.fixture
def store(store_url: str) -> Iterator[AuditStore]:
    """A migrated store on the parametrized backend."""
    audit = AuditStore(store_url)
    audit.migrate()
    yield audit
    audit.dispose()


@pytest.fixture
def make_result() -> Callable[..., dict[str, Any]]:
    """A contract-shaped triage result dict, as the service would store it."""

    def build(
        group: ThriveGroup = ThriveGroup.GETTING_HELP,
        factors: tuple[ExclusionFactor, ...] = (ExclusionFactor.COMPLEXITY,),
        reasons: tuple[str, ...] = (),
        model_version: str = "3",
        rules_version: str = "2026.11.1",
        flags: tuple[RiskFlag, ...] = (),
        needs_review: bool | None = None,
    ) -> dict[str, Any]:
        if needs_review is None:
            needs_review = any(r.startswith(("risk:", "model:")) for r in reasons)
        return TriageResult(
            thrive_group=group,
            thrive_probabilities={g: (0.6 if g == group else 0.1) for g in ThriveGroup},
            exclusion_factors=list(factors),
            exclusion_probabilities={f: (0.8 if f in factors else 0.05) for f in ExclusionFactor},
            risk_flags=list(flags),
            needs_human_review=needs_review,
            review_reasons=list(reasons),
            model_version=model_version,
            rules_version=rules_version,
        ).model_dump(mode="json")

    return build


@pytest.fixture
def self_harm_flag() -> RiskFlag:
    return RiskFlag(
        indicator=RiskIndicator.SELF_HARM,
        status=ContextStatus.AFFIRMED,
        start=4,
        end=11,
        text="cutting",
    )
