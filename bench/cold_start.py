"""Benchmark: cold start, from a new Python process to the first triage result.

Each run is a fresh `python -c` that imports the loader, loads the champion (checksum verified),
triages one referral and prints the wall-clock time at that moment. The figure is that moment
minus the moment just before the parent started the process, so interpreter start-up and every
import count, and the child's exit does not; the whole process's life (with exit) is printed
beside it. Prints medians of N runs for each way of loading, and a breakdown of the parts
measured inside the child. Asserts nothing.

- `registry`: `thrive_ml.registry.load_champion_triager()`, what `thrive-ml predict` and the
  HTTP service call; it uses the local champion pointer (no MLflow) when there is one.
- `pointer`: `thrive_ml.champion.load_local_champion()`, the MLflow-free loader alone.
- `mlflow`: `load_champion_triager(refresh=True)`, asking MLflow as every load did before.

The safety rules' compiled regexes are cached on disk (thrive_ml.safety.regexcache), so each
loader is timed twice: with the cache warm (every start after the first) and with it off
(`THRIVE_CACHE_DIR=""`, what the very first start after an install or a rules change costs).

Run after `make model`, from the repo root: `.venv/bin/python bench/cold_start.py [N]`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

TEXT = "Year 9 girl, low mood for three months, still attending school."

LOADERS = {
    "registry": "from thrive_ml.registry import load_champion_triager as load\ntr = load()",
    "pointer": "from thrive_ml.champion import load_local_champion as load\ntr = load()",
    "mlflow": "from thrive_ml.registry import load_champion_triager as load\ntr = load(refresh=True)",
}

BREAKDOWN = f"""
import time
t0 = time.perf_counter()
from thrive_ml.champion import load_local_champion
import thrive_ml.triage, joblib
t1 = time.perf_counter()
tr = load_local_champion()
t2 = time.perf_counter()
from thrive_ml.safety.rules import default_rules
default_rules()
t3 = time.perf_counter()
tr.triage({TEXT!r})
t4 = time.perf_counter()
print(f"{{t1 - t0:.3f}} {{t2 - t1:.3f}} {{t3 - t2:.3f}} {{t4 - t3:.3f}}")
"""


def cold(code: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds from spawn to the first result, seconds the whole process lived)."""
    start_wall, start = time.time(), time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport time\nprint(time.time())"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    lived = time.perf_counter() - start
    return float(out.stdout.split()[-1]) - start_wall, lived


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    baseline = statistics.median(cold("pass")[0] for _ in range(n))
    print(f"python start-up alone: {baseline:.2f} s (median of {n})")
    no_cache = {**os.environ, "THRIVE_CACHE_DIR": ""}
    cold(f"{LOADERS['registry']}\ntr.triage({TEXT!r})")  # fills the regex cache
    for cache, env in (("warm", None), ("off", no_cache)):
        for name, load in LOADERS.items():
            runs = [cold(f"{load}\ntr.triage({TEXT!r})", env) for _ in range(n)]
            ready = [r[0] for r in runs]
            print(
                f"cold start to first triage, {name:8s} (regex cache {cache:4s}): median "
                f"{statistics.median(ready):.2f} s (min {min(ready):.2f}, max {max(ready):.2f}; "
                f"whole process with exit {statistics.median(r[1] for r in runs):.2f} s; {n} runs)"
            )
        parts = []
        for _ in range(n):
            out = subprocess.run(
                [sys.executable, "-c", BREAKDOWN],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            parts.append([float(x) for x in out.stdout.split()])
        imports, load, rules, first = (statistics.median(p[i] for p in parts) for i in range(4))
        print(
            f"breakdown (regex cache {cache}, medians, in-process): imports {imports:.2f} s, "
            f"model load + checksum {load:.2f} s, safety rules compile {rules:.2f} s, "
            f"first triage {first:.3f} s"
        )


if __name__ == "__main__":
    main()
