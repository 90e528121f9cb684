"""A real service for the HTTP tests: `thrive-ml serve` in a subprocess on a free port.

The champion is a small model trained and registered once per session in a temporary MLflow
store; each server gets its own audit database (SQLite file or a fresh PostgreSQL database)
and one key per role, created through the library before the server starts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from thrive_ml.config import get_settings
from thrive_ml.model.train import TrainParams
from thrive_ml.store import AuditStore
from thrive_ml.store.keys import KeyStore

SMALL = TrainParams(
    lovo=False, non_referrals=300, max_word_features=8000, max_char_features=8000, n_jobs=1
)
READY_LINE = '"message": "service ready"'


@pytest.fixture(scope="session")
def champion_env(tmp_path_factory: pytest.TempPathFactory, small_data: Path) -> dict[str, str]:
    """Environment pointing at a tracking store whose champion is a small trained model."""
    root = tmp_path_factory.mktemp("serve-mlflow")
    env = {
        "MLFLOW_TRACKING_URI": f"sqlite:///{root}/mlflow.db",
        "THRIVE_MODEL_DIR": str(root / "models"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        get_settings.cache_clear()
        from thrive_ml import registry

        outcome = registry.train_and_register(small_data, SMALL)
        assert outcome.promoted, outcome.messages
    get_settings.cache_clear()
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running `thrive-ml serve` and everything it wrote to stdout and stderr."""

    url: str
    database_url: str
    keys: dict[str, str]
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def client(self, role: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kwargs)

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what is committed is all there is."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(database_url: str, env: dict[str, str], roles: tuple[str, ...] = ()) -> Server:
    """Migrate the store, create a key per role, start the server, wait for its ready line."""
    store = AuditStore(database_url)
    store.migrate()
    keys = {role: KeyStore(store).create(f"{role}-test", role) for role in roles}
    store.dispose()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "thrive_ml", "serve", "--port", str(port)],
        env={**os.environ, **env, "THRIVE_DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", database_url, keys, process)
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.output.append(line)
            if READY_LINE in line:
                ready.set()
        ready.set()  # the process ended: stop waiting either way

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=180) or process.poll() is not None:
        server.stop()
        pytest.fail("server did not start:\n" + "".join(server.output[-40:]))
    return server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, champion_env: dict[str, str], tmp_path_factory
) -> Iterator[Server]:
    """A server with triage, reviewer and admin keys, on each audit backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'audit.db'}"
    else:
        url = request.getfixturevalue("postgres_module_database")
    running = start_server(url, champion_env, roles=("triage", "reviewer", "admin"))
    yield running
    running.stop()
