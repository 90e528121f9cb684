"""API keys: named, with one role each; only a sha256 of each key is ever stored.

A key is 256 random bits, so a plain sha256 (not a slow password hash) is enough to make a
stolen table useless, and authenticating stays one indexed lookup per request. Names are
unique for ever: a revoked key keeps its name, so an audit record's `key_name` always means
one key.
"""

from __future__ import annotations

import builtins
import hashlib
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from thrive_ml.errors import KeyExistsError, KeyNotFoundError
from thrive_ml.store.audit import AuditStore
from thrive_ml.store.chain import utc_stamp
from thrive_ml.store.db import db_errors, write_engine
from thrive_ml.store.records import check_key_name
from thrive_ml.store.tables import ApiKey, Role

__all__ = ["KEY_PREFIX", "KeyInfo", "KeyStore", "Role", "hash_key"]

KEY_PREFIX = "thr_"
"""Makes a leaked key recognisable (secret scanners, logs) as a thrive-ml key."""


@dataclass(frozen=True)
class KeyInfo:
    """What may be shown about a key: never the key, never its hash."""

    name: str
    role: Role
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_key(raw_key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class KeyStore:
    """Create, list, revoke and check API keys in the audit store's database."""

    def __init__(self, source: Engine | AuditStore) -> None:
        self._engine = source.engine if isinstance(source, AuditStore) else source
        self._writer = write_engine(self._engine)

    def create(self, name: str, role: Role | str) -> str:
        """A new key for `name` with `role`. Returned once; only its hash is kept."""
        check_key_name(name)
        role = Role(role)
        raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._db_errors("create the key"), self._writer.begin() as conn:
            taken = conn.execute(select(ApiKey.id).where(ApiKey.name == name)).first()
            if taken is not None:
                raise _exists(name)
            try:
                conn.execute(
                    insert(ApiKey).values(
                        name=name,
                        role=role.value,
                        key_hash=hash_key(raw_key),
                        created_at=utc_stamp(),
                        revoked_at=None,
                    )
                )
            except IntegrityError:
                # Another process took the name between our check and insert (PostgreSQL).
                raise _exists(name) from None
        return raw_key

    def list(self) -> builtins.list[KeyInfo]:
        """Every key, active and revoked, oldest first; hashes are never returned."""
        stmt = select(ApiKey.name, ApiKey.role, ApiKey.created_at, ApiKey.revoked_at).order_by(
            ApiKey.id
        )
        with self._db_errors("list keys"), self._engine.connect() as conn:
            return [_info(row) for row in conn.execute(stmt)]

    def revoke(self, name: str) -> bool:
        """Revoke `name`'s key: True if revoked now, False if it already was."""
        with self._db_errors("revoke the key"), self._writer.begin() as conn:
            row = conn.execute(select(ApiKey.revoked_at).where(ApiKey.name == name)).first()
            if row is None:
                raise KeyNotFoundError(
                    f"no API key named {str(name)[:100]!r}; `thrive-ml keys list` shows them"
                )
            if row.revoked_at is not None:
                return False
            conn.execute(update(ApiKey).where(ApiKey.name == name).values(revoked_at=utc_stamp()))
        return True

    def authenticate(self, raw_key: str) -> KeyInfo | None:
        """The active key's info, or None for a missing, unknown or revoked key."""
        if not isinstance(raw_key, str) or not raw_key.startswith(KEY_PREFIX):
            return None
        try:
            digest = hash_key(raw_key)
        except UnicodeEncodeError:
            return None
        return self._active_where(ApiKey.key_hash == digest)

    def active(self, name: str) -> KeyInfo | None:
        """The named key's info if it exists and is not revoked, else None.

        The web pages keep only a key's name in their session and call this on every request,
        so revoking a key signs its browser sessions out at once.
        """
        if not isinstance(name, str) or not name:
            return None
        return self._active_where(ApiKey.name == name)

    def _active_where(self, condition: ColumnElement[bool]) -> KeyInfo | None:
        stmt = select(ApiKey.name, ApiKey.role, ApiKey.created_at, ApiKey.revoked_at).where(
            condition, ApiKey.revoked_at.is_(None)
        )
        with self._db_errors("check the API key"), self._engine.connect() as conn:
            row = conn.execute(stmt).first()
        return None if row is None else _info(row)

    def _db_errors(self, doing: str) -> AbstractContextManager[None]:
        return db_errors("key store", self._engine.url, doing)


def _info(row: Row[Any]) -> KeyInfo:
    return KeyInfo(
        name=row.name, role=Role(row.role), created_at=row.created_at, revoked_at=row.revoked_at
    )


def _exists(name: str) -> KeyExistsError:
    return KeyExistsError(
        f"an API key named {name!r} already exists (names of revoked keys stay taken so audit "
        "records stay unambiguous); choose another name"
    )
