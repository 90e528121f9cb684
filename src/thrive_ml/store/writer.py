"""Group commit for a concurrent server: many requests, one audit transaction per moment.

Why: a durable commit (fsync) costs far more than a triage, and SQLite allows one writer at a
time. One thread owns the writing; each request submits its record and waits on a future. The
thread takes everything queued at that moment (up to `max_batch`), commits it in ONE
transaction with `AuditStore.append_predictions`, then resolves the futures. A future resolves
only after the commit, and if the commit fails every future in that batch gets the exception:
the service answers 503 and sends no unaudited result.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from types import TracebackType

from thrive_ml.errors import StoreUnavailableError
from thrive_ml.store.audit import AuditStore
from thrive_ml.store.records import NewPrediction, StoredPrediction

log = logging.getLogger(__name__)

_Job = tuple[NewPrediction, "Future[StoredPrediction]"]
_STOP = None


class AuditWriter:
    """A daemon thread that commits submitted predictions in batches; see the module docstring."""

    def __init__(self, store: AuditStore, max_batch: int = 256) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.store = store
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="thrive-audit-writer", daemon=True)
        self._thread.start()

    def submit(self, item: NewPrediction) -> Future[StoredPrediction]:
        """Queue one prediction; the future resolves once its record has committed."""
        future: Future[StoredPrediction] = Future()
        with self._lock:
            if self._closed:
                raise StoreUnavailableError(
                    "the audit writer is closed (the service is shutting down); retry shortly"
                )
            self._queue.put((item, future))
        return future

    def close(self, timeout: float | None = None) -> None:
        """Commit everything already submitted, then stop the thread. Safe to call twice."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._queue.put(_STOP)
        self._thread.join(timeout)

    def __enter__(self) -> AuditWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is _STOP:
                    stopping = True
                    break
                batch.append(job)
            self._commit(batch)

    def _commit(self, batch: list[_Job]) -> None:
        # A caller that cancelled before the commit will not send a result: do not record it.
        live = [(item, fut) for item, fut in batch if fut.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            stored = self.store.append_predictions([item for item, _ in live])
        except Exception as exc:  # every waiting request must hear of the failure, whatever it is
            log.warning(
                "audit commit of %d predictions failed (%s); callers get the error",
                len(live),
                type(exc).__name__,
            )
            for _, fut in live:
                fut.set_exception(exc)
            return
        for (_, fut), record in zip(live, stored, strict=True):
            fut.set_result(record)
