"""Benchmark: resident memory of `thrive-ml predict` over a long file, sampled as it streams.

Writes N generated referrals to a temporary JSONL file (~0.8 KB a line, so 200,000 lines is
~160 MB; a 1 GB file is ~1.3 million), then runs the same streaming `predict_file` the CLI runs,
printing resident memory (VmRSS) every --every referrals and the peak at the end. Run it twice,
with and without `--no-prefilter`, to see what the safety rules' RE2 prefilter costs: its DFA
cache grows with unseen text up to a fixed cap (safety/prefilter.py), then is emptied.
Asserts nothing. Run after `make model`, from the repo root:
`.venv/bin/python bench/batch_memory.py [--n 200000] [--every 20000] [--no-prefilter]`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import tempfile
import time
from pathlib import Path

import thrive_ml.safety as safety
from thrive_ml.batch import predict_file
from thrive_ml.gc_settings import triage_gc
from thrive_ml.registry import load_champion_triager
from thrive_ml.safety.rules import default_rules
from thrive_ml.synthetic.generate import iter_referrals


def rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    with Path("/proc/self/status").open(encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--every", type=int, default=20_000)
    parser.add_argument("--no-prefilter", action="store_true")
    args = parser.parse_args()
    if args.no_prefilter:
        plain = dataclasses.replace(default_rules(), risk_prefilter=None, lookalike_prefilter=None)
        safety.default_rules = lambda: plain  # what assess() reads the rules from
    triager = load_champion_triager(explain=True)
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for i, r in enumerate(iter_referrals(args.n, seed=4242)):
                fh.write(json.dumps({"id": str(i), "text": r.text}) + "\n")
        size = source.stat().st_size / 1e6
        print(f"{args.n:,} referrals, {size:,.0f} MB of JSONL; prefilter {not args.no_prefilter}")
        print(f"before triage: {rss_mb():.0f} MB resident")
        done, next_report, start = 0, args.every, time.perf_counter()

        def on_rows(k: int) -> None:
            nonlocal done, next_report
            done += k
            if done >= next_report:
                rate = done / (time.perf_counter() - start)
                print(f"{done:>9,} triaged  {rss_mb():6.0f} MB resident  {rate:,.0f}/s")
                next_report += args.every

        with triage_gc():  # as `thrive-ml predict` runs it
            predict_file(triager, source, out, on_rows=on_rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
