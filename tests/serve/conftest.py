"""A real service for the HTTP tests: `thrive-ml serve` in a subprocess on a free port.

The champion is a small model trained and registered once per session in a temporary MLflow
store; each server gets its own audit database (SQLite file or a fresh PostgreSQL database)
and one key per role, created through the library before the server starts. The champion and
`start_service` live in tests/conftest.py, shared with the browser tests in tests/web.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

Server = Any  # tests/conftest.py's Server: a running `thrive-ml serve` with a key per role


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, start_service: Callable[..., Server], tmp_path_factory
) -> Iterator[Server]:
    """A server with triage, reviewer and admin keys, on each audit backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'audit.db'}"
    else:
        url = request.getfixturevalue("postgres_module_database")
    running = start_service(url, roles=("triage", "reviewer", "admin"))
    yield running
    running.stop()


@pytest.fixture
def launch(start_service: Callable[..., Server]) -> Iterator[Callable[..., Server]]:
    """Start servers on demand (`launch(url, roles=(...))`); all are stopped after the test."""
    started: list[Server] = []

    def start(database_url: str, roles: tuple[str, ...] = ("triage",)) -> Server:
        server = start_service(database_url, roles)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
