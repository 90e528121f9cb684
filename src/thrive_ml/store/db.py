"""Engines for the audit store: SQLite (the embedded default) and PostgreSQL (psycopg 3).

Appends must never read the same chain head twice. On PostgreSQL the append transaction locks
the head row (`SELECT ... FOR UPDATE`). SQLite ignores FOR UPDATE and, by default, pysqlite
begins transactions lazily, so two writers could both read the head before either writes;
instead every write transaction starts with `BEGIN IMMEDIATE`, taking SQLite's write lock up
front (the pysqlite recipe in SQLAlchemy's docs). Reads start with a plain `BEGIN` so WAL
readers never wait for the writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from thrive_ml.errors import InputFormatError, StoreUnavailableError

WRITE_OPTION = "thrive_write"
"""Execution option marking a connection whose transactions will write (SQLite: BEGIN IMMEDIATE)."""

_SQLITE_PRAGMAS = (
    # Readers and the writer do not block each other; commits survive a crash.
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    # Wait for the write lock rather than failing at once when requests arrive together.
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
    # LIKE is used to match exact review reasons; make it case-sensitive as on PostgreSQL.
    "PRAGMA case_sensitive_like=ON",
)


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL for SQLite or PostgreSQL; `postgresql://` is mapped to psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # The raw value is not echoed: it may hold a password.
        raise InputFormatError(
            "THRIVE_DATABASE_URL is not a database URL; use e.g. sqlite:///thrive-audit.db "
            "or postgresql://user:password@host/dbname"
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed
    raise InputFormatError(
        f"the audit store supports sqlite and postgresql URLs, not {backend!r}; "
        "set THRIVE_DATABASE_URL accordingly"
    )


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


POOL_SIZE = 20
POOL_OVERFLOW = 30


def make_engine(url: str) -> Engine:
    """An engine with the durability and locking the hash chain relies on (module docstring)."""
    parsed = parse_url(url)
    try:
        # A server reads (key checks, queue pages) from up to 40 worker threads at once: a pool
        # smaller than that opens and closes a connection per request under load, which cost
        # more than the request itself (measured with py-spy at 32 concurrent clients).
        pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database in (None, "", ":memory:"):
                pool = {}  # in-memory SQLite uses a single-connection pool of its own
            engine = create_engine(parsed, hide_parameters=True, **pool)
            _configure_sqlite(engine)
            return engine
        # pre_ping: a pooled connection that died with a database restart is replaced, not used.
        return create_engine(parsed, hide_parameters=True, pool_pre_ping=True, **pool)
    except NoSuchModuleError:
        raise InputFormatError(
            f"no driver for {parsed.drivername}; install thrive-ml's dependencies "
            "(psycopg[binary]) with `make venv`"
        ) from None


def write_engine(engine: Engine) -> Engine:
    """The same engine and pool, but its transactions take the write lock at BEGIN."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite emitting its own (deferred) BEGIN; `_on_begin` emits ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def describe(exc: SQLAlchemyError) -> str:
    """The failure's kind; connection-level driver messages too, which carry no data values."""
    orig = getattr(exc, "orig", None)
    kind = type(orig).__name__ if orig is not None else type(exc).__name__
    if isinstance(exc, OperationalError) and orig is not None:
        first_line = (str(orig).strip().splitlines() or [""])[0][:200]
        return f"{kind}: {first_line}" if first_line else kind
    return kind


@contextmanager
def db_errors(what: str, url: str | URL, doing: str) -> Iterator[None]:
    """Database failures become one actionable error without SQL parameters or text."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreUnavailableError(
            f"could not {doing}: the {what} at {safe_url(url)} failed ({describe(exc)}); "
            "check the database is running and THRIVE_DATABASE_URL is right, then retry"
        ) from None
