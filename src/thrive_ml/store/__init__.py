"""The audit store: hash-chained records of every suggestion and review, and the API keys.

    AuditStore    append, read, queue, search, verify, export (audit.py)
    AuditWriter   group commit for a concurrent server (writer.py)
    KeyStore      API keys with roles; only hashes stored (keys.py)

Works on SQLite (default, WAL) and PostgreSQL; the schema is managed by Alembic migrations
shipped in `migrations/`, applied by `AuditStore.migrate()`.
"""

from thrive_ml.store.audit import AuditStore
from thrive_ml.store.keys import KeyInfo, KeyStore, Role
from thrive_ml.store.records import (
    Decision,
    NewPrediction,
    ReviewDecision,
    StoredPrediction,
    StoredReview,
    VerifyReport,
)
from thrive_ml.store.writer import AuditWriter

__all__ = [
    "AuditStore",
    "AuditWriter",
    "Decision",
    "KeyInfo",
    "KeyStore",
    "NewPrediction",
    "ReviewDecision",
    "Role",
    "StoredPrediction",
    "StoredReview",
    "VerifyReport",
]
