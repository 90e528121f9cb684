"""Alembic environment: runs on the connection `AuditStore.migrate()` hands over.

The caller owns the connection and its transaction (on SQLite a write transaction, so two
processes migrating at once take turns), so this script neither creates an engine nor commits.
"""

from __future__ import annotations

from alembic import context

from thrive_ml.store.tables import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "thrive-ml migrations run through AuditStore.migrate(), which passes a connection"
        )
    # render_as_batch: SQLite cannot ALTER most things; batch mode recreates tables instead.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """`--sql` mode: print the DDL for a database administrator to apply by hand."""
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
