"""Benchmark: how long the generator takes for N referrals on one core (target: 20,000 <= 20 s).

Prints figures; asserts nothing. Run: `.venv/bin/python bench/generate.py [N]`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from thrive_ml.synthetic.generate import iter_referrals, write_csv


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    list(iter_referrals(50, seed=99))  # warm the phrase-bank cache, as a long run would
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "referrals.csv"
        start = time.perf_counter()
        write_csv(out, n, seed=7)
        elapsed = time.perf_counter() - start
        size_mb = out.stat().st_size / 1e6
    lengths = [len(r.text) for r in iter_referrals(min(n, 2000), seed=7)]
    print(
        f"generated {n} referrals in {elapsed:.2f} s on one core ({n / elapsed:,.0f} referrals/s)"
    )
    print(
        f"CSV size {size_mb:.1f} MB; median text length {statistics.median(lengths):.0f} characters"
    )
    print(f"target: 20,000 in <= 20 s -> {'met' if n / elapsed >= 1000 else 'NOT met'}")


if __name__ == "__main__":
    main()
