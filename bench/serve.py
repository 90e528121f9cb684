"""HTTP throughput and latency: thrive-ml's service vs `mlflow models serve`, same champion.

Both servers run on this machine with one worker process, on the same referral texts; ours
writes every suggestion to its audit store (SQLite file, durable commit) before answering.
Load comes from `wrk` (C, from Debian's `wrk` package) so the client costs little CPU.
For each concurrency (1, 8, 32 open connections): requests/s, p50 and p99 latency.

    .venv/bin/python bench/serve.py [--seconds 15] [--texts 400]

Needs a champion (`make model`) and `wrk` (`apt-get install wrk`). Prints a table; figures
go in the closing note, not in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CONCURRENCY = (1, 8, 32)
WRK = shutil.which("wrk")

LUA = """
local bodies = {}
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
local headers = {["Content-Type"] = "application/json"%(auth)s}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "%(path)s", headers, bodies[i])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def texts(n: int) -> list[str]:
    generated = REPO / "data" / "generated" / "referrals.csv"
    source = generated if generated.is_file() else REPO / "data" / "synthetic" / "sample.csv"
    df = pd.read_csv(source, dtype=str, keep_default_na=False)
    return df["text"].sample(n=min(n, len(df)), random_state=3).tolist()


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early ({process.returncode}): {url}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"server not ready after {timeout}s: {url}")


@contextmanager
def running(cmd: list[str], env: dict[str, str], ready_url: str):
    # mlflow starts `uvicorn` by name: the venv's bin must be on PATH.
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    process = subprocess.Popen(
        cmd,
        env={**os.environ, **env, "PATH": path},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(ready_url, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


def wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    threads = min(connections, 2)
    out = subprocess.run(
        [
            WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, flags=re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50_ms": to_ms(lat["50"]),
        "p99_ms": to_ms(lat["99"]),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def write_script(folder: Path, name: str, bodies: list[str], path: str, key: str | None) -> Path:
    body_file = folder / f"{name}.bodies"
    body_file.write_text("\n".join(bodies) + "\n", encoding="utf-8")
    auth = f', ["Authorization"] = "Bearer {key}"' if key else ""
    script = folder / f"{name}.lua"
    script.write_text(LUA % {"bodies": body_file, "auth": auth, "path": path})
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if WRK is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    sample = texts(args.texts)
    work = Path(tempfile.mkdtemp(prefix="thrive-bench-serve-"))
    db = f"sqlite:///{work / 'audit.db'}"
    key = (
        subprocess.run(
            [str(BIN / "thrive-ml"), "keys", "create", "--role", "triage", "--name", "bench"],
            env={**os.environ, "THRIVE_DATABASE_URL": db},
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    ours = write_script(work, "ours", [json.dumps({"text": t}) for t in sample], "/v1/triage", key)
    theirs = write_script(
        work,
        "mlflow",
        # Same texts with an id each, as the CLI and API benchmarks send.
        [
            json.dumps({"dataframe_records": [{"id": str(i), "text": t}]})
            for i, t in enumerate(sample)
        ],
        "/invocations",
        None,
    )
    results: dict[str, dict[int, dict[str, float]]] = {}
    port = free_port()
    with running(
        [str(BIN / "thrive-ml"), "serve", "--port", str(port)],
        {"THRIVE_DATABASE_URL": db},
        f"http://127.0.0.1:{port}/readyz",
    ):
        results["thrive-ml serve"] = {
            c: wrk(f"http://127.0.0.1:{port}", ours, c, args.seconds) for c in CONCURRENCY
        }
    port = free_port()
    with running(
        [
            str(BIN / "mlflow"),
            "models",
            "serve",
            "-m",
            "models:/thrive-referral-classifier@champion",
            "--env-manager",
            "local",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        {},
        f"http://127.0.0.1:{port}/ping",
    ):
        results["mlflow models serve"] = {
            c: wrk(f"http://127.0.0.1:{port}", theirs, c, args.seconds) for c in CONCURRENCY
        }

    print(f"{len(sample)} referral texts, {args.seconds} s per cell, one worker process each")
    print(f"{'server':22} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, cells in results.items():
        for c, r in cells.items():
            print(
                f"{name:22} {c:>7} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>8}"
            )
    for c in CONCURRENCY:
        ratio = results["thrive-ml serve"][c]["rps"] / results["mlflow models serve"][c]["rps"]
        print(f"throughput ratio at {c:>2} clients: {ratio:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
