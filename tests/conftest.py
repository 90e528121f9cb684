"""Shared fixtures. Paths to the team's shared folder are resolved relative to the repo.

PostgreSQL comes from `THRIVE_TEST_POSTGRES_URL` if set, else from the Debian `postgresql`
package's binaries: one server per test session, in a temporary directory, listening only on
127.0.0.1 and a socket in that directory, stopped at the end. Without the binaries its tests
skip, unless `THRIVE_REQUIRE_POSTGRES=1` (as in CI), when they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from thrive_ml.store.db import parse_url

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
