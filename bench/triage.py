"""Benchmark: full triage (model + safety rules + explanations) against the bare pipeline.

Prints, on one core, medians over R repeats of N synthetic referrals:
- batch: `triage_many` over chunks of 512 (what `thrive-ml predict` and the API's batches do),
  without and with explanations, and the bare pipeline's `predict_proba` over the same chunks
  (which includes the safety rules' reading, since the model's features use it);
- single: `triage(text)` one call per referral, with explanations;
- cold start, new process to first prediction (see bench/cold_start.py for the breakdown).

The timed runs use the collector settings `thrive-ml predict` and the HTTP service use
(thrive_ml.gc_settings: model frozen, higher thresholds); batch triage with explanations is
also timed with CPython's defaults, for comparison.

Real traffic never repeats a referral, so each repeat reads N referrals the process has not seen
(a new generator seed), after a warm-up of WARM others: the per-word caches of the vectorizers
and the safety rules' lazily built RE2 DFA (safety/prefilter.py) are then as warm as in a
running service, but no timed text has been read before. Asserts nothing. Run after
`make model`, from the repo root: `.venv/bin/python bench/triage.py [N] [REPEATS] [WARM]`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

from thrive_ml.gc_settings import triage_gc
from thrive_ml.model.estimator import safety_report
from thrive_ml.registry import load_champion_triager
from thrive_ml.synthetic.generate import iter_referrals

CHUNK = 512
COLD_START = """
from thrive_ml.registry import load_champion_triager
load_champion_triager().triage("Year 9 girl, low mood for three months, still attending school.")
import time
print(time.time())
"""


def batch_rate(fn: Callable[[list[str]], object], texts: list[str]) -> float:
    safety_report.cache_clear()
    start = time.perf_counter()
    for i in range(0, len(texts), CHUNK):
        fn(texts[i : i + CHUNK])
    return len(texts) / (time.perf_counter() - start)


def single_rate(fn: Callable[[str], object], texts: Sequence[str]) -> float:
    safety_report.cache_clear()
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return len(texts) / (time.perf_counter() - start)


def median_of(runs: list[float]) -> str:
    return f"{statistics.median(runs):,.0f}/s (min {min(runs):,.0f}, max {max(runs):,.0f})"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    warm = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    plain = load_champion_triager(explain=False)
    explaining = load_champion_triager(explain=True)
    model = plain.model
    pool = [r.text for r in iter_referrals(warm, seed=999)]
    for i in range(0, len(pool), CHUNK):  # warm-up: first-use costs are cold start's
        explaining.triage_many(pool[i : i + CHUNK])
        plain.triage_many(pool[i : i + CHUNK])

    bare, full, full_explained, single, default_gc = [], [], [], [], []
    texts: list[str] = []
    for r in range(repeats):
        # Five fresh sets per repeat: no timed referral has been read before.
        sets = [[x.text for x in iter_referrals(n, seed=12345 + 5 * r + k)] for k in range(5)]
        texts = sets[0]
        # The collector as `thrive-ml predict` and the service set it (thrive_ml.gc_settings).
        with triage_gc():
            bare.append(batch_rate(model.predict_proba, sets[0]))
            full.append(batch_rate(plain.triage_many, sets[1]))
            full_explained.append(batch_rate(explaining.triage_many, sets[2]))
            single.append(single_rate(explaining.triage, sets[3][: min(n, 500)]))
        default_gc.append(batch_rate(explaining.triage_many, sets[4]))
    cold = []
    for _ in range(3):
        start = time.time()
        out = subprocess.run(
            [sys.executable, "-c", COLD_START], check=True, capture_output=True, text=True
        )
        cold.append(float(out.stdout.split()[-1]) - start)

    median_len = statistics.median(len(t) for t in texts)
    bare_m = statistics.median(bare)
    print(
        f"texts: {n} unseen synthetic referrals per measure and repeat (after {warm:,} others), "
        f"median length {median_len:.0f} characters, one core, medians of {repeats} repeats, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"bare pipeline predict_proba, chunks of {CHUNK}: {median_of(bare)}")
    print(
        f"batch triage, no explanations:   {median_of(full)}, "
        f"{bare_m / statistics.median(full):.2f}x the bare pipeline's time"
    )
    print(
        f"batch triage with explanations: {median_of(full_explained)}, "
        f"{bare_m / statistics.median(full_explained):.2f}x the bare pipeline's time"
    )
    print(
        f"batch triage with explanations, CPython's default collector settings: "
        f"{median_of(default_gc)}"
    )
    print(f"single-text triage with explanations, one call each: {median_of(single)}")
    print(
        f"cold start, new process to first prediction (median of 3): "
        f"{statistics.median(cold):.2f} s (bench/cold_start.py has the breakdown)"
    )


if __name__ == "__main__":
    main()
