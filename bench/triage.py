"""Benchmark: full triage (model + safety rules + explanations) against the bare pipeline.

Prints, on one core: referrals/s for the bare `predict_proba`, for triage without and with
explanations, the ratio to the bare pipeline, and cold start (new process to first prediction,
loading the exported champion from the local model cache). Asserts nothing.

Run after `make model`: `.venv/bin/python bench/triage.py [N]`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from thrive_ml.registry import load_champion_triager
from thrive_ml.synthetic.generate import iter_referrals

COLD_START = """
import time
t0 = time.perf_counter()
from thrive_ml.registry import load_champion_triager
tr = load_champion_triager()
tr.triage("Year 9 girl, low mood for three months, still attending school.")
print(time.perf_counter() - t0)
"""


def rate(fn, texts: list[str], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [r.text for r in iter_referrals(n, seed=12345)]
    triager = load_champion_triager(explain=False)
    explaining = load_champion_triager(explain=True)
    model = triager.model
    from thrive_ml.model.estimator import safety_report

    def uncached(fn):
        """Clear the safety-report cache first: real traffic never repeats a referral."""

        def run(t):
            safety_report.cache_clear()
            return fn(t)

        return run

    bare = rate(uncached(model.predict_proba), texts)
    full = rate(uncached(triager.triage_many), texts)
    full_explained = rate(uncached(explaining.triage_many), texts)
    cold = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True
        )
        cold.append(float(out.stdout.strip().splitlines()[-1]))
    median_len = statistics.median(len(t) for t in texts)
    print(f"texts: {n} synthetic referrals, median length {median_len:.0f} characters, one core")
    print(f"bare pipeline predict_proba: {bare:,.0f} referrals/s")
    print(
        f"full triage, no explanations: {full:,.0f} referrals/s ({bare / full:.2f}x slower than bare)"
    )
    print(
        f"full triage with explanations: {full_explained:,.0f} referrals/s ({bare / full_explained:.2f}x)"
    )
    print(f"cold start to first prediction (median of 3): {statistics.median(cold):.2f} s")


if __name__ == "__main__":
    main()
