"""Alembic migrations for the audit store; run by `AuditStore.migrate()`, no alembic.ini needed."""
