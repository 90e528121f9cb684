"""What one running service holds: the loaded triager, the audit store and its writer, keys.

Built once in the app's lifespan. The triager can be swapped by an admin reload while requests
are in flight: each request reads `runtime.triager` once and keeps that model to the end, so a
reload never mixes two models in one answer and never makes the service unavailable.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from serve.batcher import TriageBatcher
from serve.observability import Metrics
from thrive_ml.errors import NoChampionError
from thrive_ml.store.audit import AuditStore
from thrive_ml.store.keys import KeyStore
from thrive_ml.store.writer import AuditWriter
from thrive_ml.triage import Triager

TriagerLoader = Callable[[bool], Triager]
"""Loads the champion; the flag asks it to consult the registry rather than a local pointer."""

MetricsLoader = Callable[[str], dict[str, float]]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Runtime:
    store: AuditStore
    keys: KeyStore
    writer: AuditWriter
    load_triager: TriagerLoader
    load_metrics: MetricsLoader
    triager: Triager | None = None
    telemetry: Metrics = field(default_factory=Metrics)
    headline: dict[str, float] = field(default_factory=dict)
    loaded_at: str = ""
    load_error: str | None = None
    _reload_lock: threading.Lock = field(default_factory=threading.Lock)
    batcher: TriageBatcher = field(init=False)

    def __post_init__(self) -> None:
        self.batcher = TriageBatcher(self.current)

    def current(self) -> Triager:
        """The serving triager, or a 503-mapped error saying why there is none."""
        if self.triager is None:
            raise NoChampionError(
                f"no model is loaded ({self.load_error or 'still starting'}); "
                "run `make model`, then POST /v1/admin/reload"
            )
        return self.triager

    def load(self, refresh: bool = False) -> Triager:
        """Load the champion and swap it in; the old one serves until the swap."""
        with self._reload_lock:
            triager = self.load_triager(refresh)
            # Warm up outside the request path: the first triage compiles caches.
            triager.triage("Warm-up referral: Year 8 pupil, worried about exams, sleeping badly.")
            headline = self.load_metrics(triager.model_version)
            self.triager, self.headline, self.loaded_at = triager, headline, _now()
            self.load_error = None
            return triager

    async def reload(self) -> tuple[str, Triager]:
        previous = self.triager.model_version if self.triager else "-"
        triager = await asyncio.to_thread(self.load, True)
        return previous, triager

    def close(self) -> None:
        self.batcher.close()
        self.writer.close()
        self.store.dispose()
