"""The hash chain that makes the audit log tamper-evident. Pure functions, no I/O.

Each record's hash covers every column of the record (except the hash itself) together with
the previous record's hash, so editing any field, deleting a record or re-numbering records
breaks the chain at a point `AuditStore.verify()` can name. The chain head row (newest seq and
hash) is updated in the same transaction as each append, so deleting the newest records is
detectable too. Canonical JSON makes the hash identical on SQLite and PostgreSQL, and in any
Python version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
"""The `prev_hash` of the first record: there is nothing before it."""

HASHED_COLUMNS: tuple[str, ...] = (
    "seq",
    "kind",
    "prediction_id",
    "created_at",
    "key_name",
    "model_version",
    "rules_version",
    "text",
    "payload",
    "thrive_group",
    "needs_review",
    "review_reasons",
    "prev_hash",
)
"""Every `audit_records` column but `hash`; a test keeps this equal to the table's columns."""


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept as is (not \\u-escaped)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """sha256 hex over the record's columns (bar `hash`) with `prev_hash` as given.

    `prev_hash` is passed separately so a caller cannot forget to chain; a `prev_hash` or
    `hash` entry in `fields` is ignored in favour of it.
    """
    missing = [c for c in HASHED_COLUMNS if c != "prev_hash" and c not in fields]
    if missing:
        raise ValueError(f"record fields lack {missing}; every column but 'hash' is hashed")
    body = {c: fields[c] for c in HASHED_COLUMNS if c != "prev_hash"}
    body["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def utc_stamp(moment: datetime | None = None) -> str:
    """ISO-8601 UTC with microseconds and 'Z': sorts as text and hashes the same everywhere."""
    moment = datetime.now(UTC) if moment is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
