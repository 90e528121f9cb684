"""Shared fixtures. Paths to the team's shared folder are resolved relative to the repo.

A real service (`start_service`) for the HTTP tests in tests/serve and the browser tests in
tests/web: `thrive-ml serve` in a subprocess on a free port, against a small champion trained
and registered once per session in a temporary MLflow store.

PostgreSQL comes from `THRIVE_TEST_POSTGRES_URL` if set, else from the Debian `postgresql`
package's binaries: one server per test session, in a temporary directory, listening only on
127.0.0.1 and a socket in that directory, stopped at the end. Without the binaries its tests
skip, unless `THRIVE_REQUIRE_POSTGRES=1` (as in CI), when they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from thrive_ml.config import get_settings
from thrive_ml.store import AuditStore
from thrive_ml.store.db import parse_url
from thrive_ml.store.keys import KeyStore

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def small_data(tmp_path_factory) -> Path:
    """A small generated training set, shared by model, triage and registry tests."""
    from thrive_ml.synthetic.generate import write_csv

    path = tmp_path_factory.mktemp("data") / "referrals.csv"
    write_csv(path, 1500, seed=11)
    return path


@pytest.fixture(scope="session")
def small_model(small_data: Path):
    """A real model trained once per session on small data (features kept small for speed)."""
    from thrive_ml.datasets import load_generated
    from thrive_ml.model.estimator import ReferralClassifier
    from thrive_ml.synthetic.nonreferrals import make_non_referrals

    df = load_generated(small_data)
    return ReferralClassifier(max_word_features=8000, max_char_features=8000, n_jobs=1).fit(
        df["text"].tolist(),
        df["thrive_group"].tolist(),
        factors=df["exclusion_factors"].tolist(),
        non_referrals=make_non_referrals(300, 0),
    )


@pytest.fixture(scope="session")
def triager(small_model):
    from thrive_ml.triage import Triager

    return Triager(small_model, "test")


INSTALL_HINT = "apt-get install postgresql"


def _postgres_bindir() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    for bindir in reversed(candidates):
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(cmd: list[str], cwd: Path, what: str, log: Path | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        pytest.fail(f"{what} failed ({done.returncode}): {done.stderr[-2000:]}\n{detail}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A superuser URL on a real PostgreSQL server (see the module docstring)."""
    given = os.environ.get("THRIVE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bindir = _postgres_bindir()
    if bindir is None:
        message = f"PostgreSQL binaries not found under /usr/lib/postgresql/*/bin; {INSTALL_HINT}"
        if os.environ.get("THRIVE_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)

    # Not under pytest's tmp dir: its parents are private to root, and initdb refuses root.
    base = Path(tempfile.mkdtemp(prefix="thrive-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, log, port = base / "data", base / "server.log", _free_port()
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    _run([*as_postgres, *initdb, "-E", "UTF8", "--locale=C"], base, "initdb")
    server_options = (
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c full_page_writes=off -c max_connections=100"
    )
    pg_ctl = [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data)]
    _run(
        [*pg_ctl, "-l", str(log), "-o", server_options, "-w", "-t", "60", "start"],
        base,
        "pg_ctl start",
        log,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "immediate", "stop"], cwd=base, capture_output=True, check=False
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin(postgres_url: str) -> Iterator[Engine]:
    """An autocommit engine on the server's maintenance database, for CREATE/DROP DATABASE."""
    engine = create_engine(parse_url(postgres_url), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@contextmanager
def _new_database(admin: Engine) -> Iterator[str]:
    name = f"thrive_test_{uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_database(postgres_admin: Engine) -> Iterator[str]:
    """A new, empty database on the session's PostgreSQL server, dropped afterwards."""
    with _new_database(postgres_admin) as url:
        yield url


@pytest.fixture(scope="module")
def postgres_module_database(postgres_admin: Engine) -> Iterator[str]:
    """The same, shared by one test module (e.g. a running server's audit store)."""
    with _new_database(postgres_admin) as url:
        yield url


# -- a real service ------------------------------------------------------------------------------

READY_LINE = '"message": "service ready"'


@pytest.fixture(scope="session")
def champion_env(tmp_path_factory: pytest.TempPathFactory, small_data: Path) -> dict[str, str]:
    """Environment pointing at a tracking store whose champion is a small trained model."""
    from thrive_ml import registry
    from thrive_ml.model.train import TrainParams

    small = TrainParams(
        lovo=False, non_referrals=300, max_word_features=8000, max_char_features=8000, n_jobs=1
    )
    root = tmp_path_factory.mktemp("serve-mlflow")
    env = {
        "MLFLOW_TRACKING_URI": f"sqlite:///{root}/mlflow.db",
        "THRIVE_MODEL_DIR": str(root / "models"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        get_settings.cache_clear()
        outcome = registry.train_and_register(small_data, small)
        assert outcome.promoted, outcome.messages
    get_settings.cache_clear()
    return env


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
        kwargs.setdefault("timeout", 60)
        return httpx.Client(base_url=self.url, headers=headers, **kwargs)

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
    port = _free_port()
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


@pytest.fixture(scope="session")
def start_service(champion_env: dict[str, str]) -> Callable[..., Server]:
    """`start_service(database_url, roles=(...))`: a running server on the session's champion.

    The caller stops it (`server.stop()`); tests/serve's `server` and `launch` fixtures do.
    """

    def start(database_url: str, roles: tuple[str, ...] = ()) -> Server:
        return start_server(database_url, champion_env, roles)

    return start


@pytest.fixture(scope="session")
def start_server_with() -> Callable[..., Server]:
    """`start_server_with(database_url, env, roles)`: a server on a tracking store of your own."""
    return start_server
