"""Schemathesis over the live OpenAPI schema: whatever it sends, no route answers 5xx.

Runs schemathesis's own command line (its pytest plugin does not load under this pytest)
against a real server, with an admin key so every route is reachable, a fixed seed and a
bounded number of examples per operation. Model reload is left out: test_api covers it, and
reloading on every generated example would only measure MLflow.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def test_no_generated_request_gets_a_server_error(server, tmp_path: Path):
    schemathesis = Path(sys.executable).parent / "schemathesis"
    done = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "25",
            "--seed",
            "7",
            "--phases",
            "examples,coverage,fuzzing",
            "--exclude-path",
            "/v1/admin/reload",
            "--header",
            f"Authorization: Bearer {server.keys['admin']}",
            "--workers",
            "1",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    summary = done.stdout[-4000:]
    assert done.returncode == 0, summary
    generated = re.search(r"(\d+) generated", summary)
    assert generated, summary
    assert int(generated.group(1)) >= 100, "schemathesis actually exercised the API"
