"""API keys: shown once, stored as hashes, roles kept, revocation immediate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from thrive_ml.errors import InputFormatError, KeyExistsError, KeyNotFoundError
from thrive_ml.store import KeyStore, Role
from thrive_ml.store.keys import KEY_PREFIX, hash_key
from thrive_ml.store.tables import ApiKey


@pytest.fixture
def keys(store) -> KeyStore:
    return KeyStore(store)


def test_a_new_key_authenticates_with_its_role(keys):
    raw = keys.create("desk-1", Role.TRIAGE)

    info = keys.authenticate(raw)

    assert raw.startswith(KEY_PREFIX)
    assert len(raw) > 40
    assert info is not None
    assert (info.name, info.role, info.active) == ("desk-1", Role.TRIAGE, True)


def test_each_key_is_different(keys):
    assert keys.create("a", "reviewer") != keys.create("b", "reviewer")


@pytest.mark.parametrize("wrong", ["", "thr_", "thr_wrong", "Bearer x", "thr_\ud800"])
def test_a_wrong_key_does_not_authenticate(keys, wrong):
    keys.create("desk-1", Role.TRIAGE)
    assert keys.authenticate(wrong) is None


def test_only_the_hash_is_stored(keys, store):
    raw = keys.create("admin-1", Role.ADMIN)
    with store.engine.connect() as conn:
        rows = conn.execute(select(ApiKey.__table__)).all()
    stored = [str(value) for row in rows for value in row]
    assert raw not in stored
    assert hash_key(raw) in stored


def test_a_revoked_key_stops_working(keys):
    raw = keys.create("desk-1", Role.TRIAGE)

    assert keys.revoke("desk-1") is True
    assert keys.authenticate(raw) is None
    assert keys.revoke("desk-1") is False


def test_revoking_an_unknown_name_raises_not_found(keys):
    with pytest.raises(KeyNotFoundError, match="keys list"):
        keys.revoke("nobody")


def test_a_name_cannot_be_taken_twice_even_after_revocation(keys):
    keys.create("desk-1", Role.TRIAGE)
    with pytest.raises(KeyExistsError, match="desk-1"):
        keys.create("desk-1", Role.ADMIN)
    keys.revoke("desk-1")
    with pytest.raises(KeyExistsError):
        keys.create("desk-1", Role.TRIAGE)


@pytest.mark.parametrize("name", ["", "  padded ", "x" * 101, "tab\there"])
def test_unusable_names_are_refused(keys, name):
    with pytest.raises(InputFormatError, match="key name"):
        keys.create(name, Role.TRIAGE)


def test_an_unknown_role_is_refused(keys):
    with pytest.raises(ValueError, match="boss"):
        keys.create("x", "boss")


def test_list_shows_names_roles_and_dates_never_hashes(keys):
    raws = [keys.create("desk-1", Role.TRIAGE), keys.create("rev-1", Role.REVIEWER)]
    keys.revoke("desk-1")

    listed = keys.list()

    assert [(k.name, k.role, k.active) for k in listed] == [
        ("desk-1", Role.TRIAGE, False),
        ("rev-1", Role.REVIEWER, True),
    ]
    shown = {str(v) for k in listed for v in vars(k).values()}
    for raw in raws:
        assert raw not in shown
        assert hash_key(raw) not in shown


def test_active_finds_a_key_by_name_until_it_is_revoked(keys):
    keys.create("rev-1", Role.REVIEWER)

    found = keys.active("rev-1")

    assert found is not None
    assert (found.name, found.role) == ("rev-1", Role.REVIEWER)
    assert keys.active("nobody") is None
    keys.revoke("rev-1")
    assert keys.active("rev-1") is None
