"""Benchmark: fitting the referral model on the 20,000 generated referrals.

Times `model.train.fit` on every row of the file with the default TrainParams (the safety rules
read each text inside the timing, as in a real fit, and the risk reader is trained on the
project's snippets as `thrive-ml train` does; `n_jobs` processes, 2 by default), N times,
and prints the median with the machine's load average beside each run, since other work on the
machine slows it. Full `thrive-ml train` (random split, leave-one-voice-out, hand-written sets,
MLflow logging) takes longer: its `train.seconds` metric is in every MLflow run. Asserts
nothing.

Run from the repo root: `.venv/bin/python bench/train.py [N] [--data PATH]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from thrive_ml.config import get_settings
from thrive_ml.datasets import load_generated, load_reader_snippets
from thrive_ml.model.estimator import safety_report
from thrive_ml.model.train import TrainParams, fit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("data/generated/referrals.csv"))
    args = parser.parse_args()
    data = load_generated(args.data)
    params = TrainParams()
    settings = get_settings()
    snippets = load_reader_snippets(settings.risk_blind_dirs, settings.risk_training_dirs)
    seconds = []
    for i in range(args.runs):
        safety_report.cache_clear()
        load = os.getloadavg()[0]
        start = time.perf_counter()
        fit(data, params, snippets=snippets)
        seconds.append(time.perf_counter() - start)
        print(f"run {i + 1}: {seconds[-1]:.1f} s (load average before: {load:.2f})", flush=True)
    print(
        f"fit on {len(data):,} referrals, n_jobs={params.n_jobs}, {os.cpu_count()} cores: "
        f"median {statistics.median(seconds):.1f} s over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
