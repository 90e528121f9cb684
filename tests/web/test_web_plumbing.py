"""The session checks behind every page, without a browser: expiry, revocation, redirects."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from serve.settings import ServeSettings
from serve.web import SignInNeededError, page_user, safe_next, sign_in_url
from starlette.requests import Request

from thrive_ml.store import AuditStore
from thrive_ml.store.keys import KeyStore
from thrive_ml.store.tables import Role

MAX_AGE = 3600


@pytest.fixture
def keys(tmp_path):
    store = AuditStore(f"sqlite:///{tmp_path / 'audit.db'}")
    store.migrate()
    yield KeyStore(store)
    store.dispose()


def request_with(session: dict, cookie: bool = True) -> Request:
    app = SimpleNamespace(
        state=SimpleNamespace(settings=ServeSettings(THRIVE_SESSION_MAX_AGE=MAX_AGE))
    )
    headers = [(b"cookie", b"thrive_session=x")] if cookie else []
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/triage",
        "query_string": b"",
        "headers": headers,
        "session": session,
        "app": app,
    }
    return Request(scope)


def check(keys: KeyStore, session: dict, cookie: bool = True):
    """page_user on its own event loop, in a thread: the browser tests' sync Playwright keeps
    a loop running on the main thread."""
    coroutine = page_user(request_with(session, cookie), SimpleNamespace(keys=keys))
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_fresh_session_gives_the_key_with_its_role_from_the_store(keys):
    keys.create("desk-1", Role.TRIAGE)

    user = check(keys, {"key_name": "desk-1", "signed_in_at": int(time.time()), "csrf": "t"})

    assert (user.name, user.role, user.csrf) == ("desk-1", Role.TRIAGE, "t")


def test_a_session_older_than_max_age_has_expired_even_if_the_cookie_was_resigned(keys):
    keys.create("desk-1", Role.TRIAGE)
    session = {"key_name": "desk-1", "signed_in_at": int(time.time()) - MAX_AGE - 1, "csrf": "t"}

    with pytest.raises(SignInNeededError) as raised:
        check(keys, session)

    assert raised.value.reason == "expired"
    assert session == {}, "the session is cleared"


def test_a_revoked_key_ends_the_session(keys):
    keys.create("desk-1", Role.TRIAGE)
    keys.revoke("desk-1")
    session = {"key_name": "desk-1", "signed_in_at": int(time.time()), "csrf": "t"}

    with pytest.raises(SignInNeededError) as raised:
        check(keys, session)

    assert raised.value.reason == "revoked"
    assert session == {}


@pytest.mark.parametrize(("cookie", "reason"), [(True, "expired"), (False, "required")])
def test_no_session_means_sign_in_and_a_cookie_that_gave_none_means_it_ended(keys, cookie, reason):
    with pytest.raises(SignInNeededError) as raised:
        check(keys, {}, cookie=cookie)

    assert raised.value.reason == reason
    assert raised.value.next_path == "/triage"


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("/reviews?state=all", "/reviews?state=all"),
        ("//example.org/x", ""),
        ("/\\example.org", ""),
        ("https://example.org/", ""),
        ("reviews", ""),
        (None, ""),
    ],
)
def test_only_local_paths_are_kept_for_after_sign_in(value, kept):
    assert safe_next(value) == kept


def test_the_sign_in_link_carries_reason_and_a_local_next_only():
    assert sign_in_url("expired", "/audit") == "/sign-in?reason=expired&next=%2Faudit"
    assert sign_in_url("required", "//evil.example") == "/sign-in?reason=required"
