"""SQLAlchemy models of the audit store. `migrations/versions/` must create exactly these.

The audit log is append-only: rows are inserted by `AuditStore`, never updated or deleted.
Columns that queues and searches filter on (group, review flag, reasons) are copied out of the
JSON payload when a record is written, so no query has to parse JSON in the database.
Timestamps are ISO-8601 UTC strings, not database datetimes, so they hash and sort the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints and indexes, so the hand-written migration and autogenerate agree on names.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}


class RecordKind(StrEnum):
    """What an audit record is: a suggestion made, or a person's decision about one."""

    PREDICTION = "prediction"
    REVIEW = "review"


class Role(StrEnum):
    """What an API key may do. The service checks roles; the store only records them."""

    TRIAGE = "triage"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AuditRecord(Base):
    """One append-only, hash-chained record: a prediction or a review decision."""

    __tablename__ = "audit_records"
    __table_args__ = (
        CheckConstraint("kind IN ('prediction', 'review')", name="kind"),
        Index(None, "kind", "needs_review"),
        Index(None, "prediction_id"),
        Index(None, "created_at"),
        Index(None, "model_version"),
    )

    # Assigned by the store (head seq + 1) inside the append transaction, never by the database.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    # uuid4 hex; for a review, the prediction it reviews.
    prediction_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))
    key_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(64))
    rules_version: Mapped[str] = mapped_column(String(64))
    # The referral text for a prediction; NULL for a review.
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Canonical JSON: the triage result (prediction) or the decision (review).
    payload: Mapped[str] = mapped_column(Text)
    thrive_group: Mapped[str] = mapped_column(String(32))
    needs_review: Mapped[bool] = mapped_column(Boolean)
    # Canonical JSON list of strings such as "risk:self_harm".
    review_reasons: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ChainHead(Base):
    """The newest record's seq and hash, updated with every append: exposes deleted tails."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class ApiKey(Base):
    """An API key's name and role. Only the key's sha256 is stored, never the key."""

    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint("role IN ('triage', 'reviewer', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Unique for ever: a revoked key's name is not reused, so audit records name one key.
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
