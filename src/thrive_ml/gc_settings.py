"""Garbage-collector settings while a process triages many referrals (batch, HTTP service).

Why: triaging one referral allocates a few hundred small containers (results, spans, flags),
and CPython's default young-generation threshold (700 allocations) then starts a collection
every referral or two; each one re-walks the batch's live results and, at full collections,
the loaded model. Freezing what exists once the model is loaded moves it out of the collector's
reach while triage runs, and a higher threshold lets short-lived objects die by reference
counting before the collector looks. Nothing here changes a result; cyclic garbage is still
collected, a little later. bench/triage.py measures triage with and without.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young generation: ~100 referrals' allocations between collections; the older generations
# are collected half as often as by default (10).
THRESHOLDS = (50_000, 20, 20)


@contextmanager
def triage_gc() -> Iterator[None]:
    """Enter once the model is loaded; on exit the collector is as it was (frozen objects are
    handed back to it, so a process that runs many of these, like the test suite, leaks none)."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
