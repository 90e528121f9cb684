"""Micro-batching: concurrent single-referral requests share one vectorised triage call.

The model is much cheaper per text in a batch (one sparse matrix product for many rows) than
one text at a time. While a batch is being triaged on the worker thread, new requests queue;
when it finishes, the next batch takes everything that queued. With one client this is a batch
of one (no added wait); under load it batches itself, with no timer to tune.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from thrive_ml.result import TriageResult
from thrive_ml.triage import Triager

_Pending = tuple[str, str | None, "asyncio.Future[TriageResult]"]


class TriageBatcher:
    def __init__(self, current: Callable[[], Triager], max_batch: int = 64) -> None:
        self._current = current
        self._max_batch = max_batch
        self._pending: list[_Pending] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="thrive-triage")

    async def triage(self, text: str, id: str | None = None) -> TriageResult:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[TriageResult] = loop.create_future()
        self._pending.append((text, id, future))
        if not self._draining:
            self._draining = True
            self._drainer = loop.create_task(self._drain())
        return await future

    async def triage_many(self, texts: list[str], ids: list[str | None]) -> list[TriageResult]:
        """A caller's own batch runs as one call on the same worker thread."""
        triager = self._current()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, triager.triage_many, texts, ids)

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                # Read the model once per batch: a reload swaps it between batches, never within.
                triager = self._current()
                texts = [t for t, _, _ in batch]
                ids = [i for _, i, _ in batch]
                try:
                    results = await loop.run_in_executor(
                        self._executor, triager.triage_many, texts, ids
                    )
                except Exception as exc:  # every waiter must hear about the failure
                    for _, _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, _, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._draining = False

    def close(self) -> None:
        self._executor.shutdown(wait=True)
