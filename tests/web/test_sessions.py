"""Signing in and out, and what the session cookie may and may not do."""

from __future__ import annotations

import base64
import json
import re
import uuid

from thrive_ml.result import SUGGESTION_NOTICE
from thrive_ml.store import AuditStore
from thrive_ml.store.keys import KeyStore


def test_root_sends_a_stranger_to_sign_in(page):
    page.goto("/")
    assert page.url.endswith("/sign-in")
    assert page.get_by_role("heading", name="Sign in", level=1).is_visible()


def test_signing_in_opens_the_start_page_for_the_role_and_names_the_key(page, sign_in):
    sign_in(page, "triage")

    assert page.url.endswith("/triage")
    assert page.get_by_text("Signed in as triage-test").is_visible()
    assert SUGGESTION_NOTICE in page.locator("header").inner_text()


def test_a_reviewer_starts_at_the_review_queue(page, sign_in):
    sign_in(page, "reviewer")

    assert page.url.endswith("/reviews")


def test_a_wrong_key_is_refused_with_a_message(page, follow):
    page.goto("/sign-in")
    page.get_by_label("API key").fill("thr_not-a-real-key")
    follow(page.get_by_role("button", name="Sign in"))

    assert page.get_by_role("alert").inner_text().count("not recognised") == 1
    assert page.get_by_label("API key").get_attribute("aria-invalid") == "true"
    page.goto("/triage")
    assert "/sign-in" in page.url, "a refused key gives no session"


def test_signing_out_ends_the_session(page, sign_in, follow):
    sign_in(page, "triage")

    follow(page.get_by_role("button", name="Sign out"))

    assert "/sign-in" in page.url
    assert page.get_by_role("status").inner_text() == "You have signed out."
    page.goto("/triage")
    assert "/sign-in" in page.url
    assert "Sign in to continue" in page.get_by_role("status").inner_text()


def test_after_sign_in_you_return_to_the_page_you_asked_for(page, web, follow):
    page.goto("/model")
    assert "next=%2Fmodel" in page.url

    page.get_by_label("API key").fill(web.keys["triage"])
    follow(page.get_by_role("button", name="Sign in"))

    assert page.url.endswith("/model")


def test_sign_in_never_sends_you_to_another_site(page, web, follow):
    page.goto("/sign-in?next=//example.org/phish")
    page.get_by_label("API key").fill(web.keys["triage"])
    follow(page.get_by_role("button", name="Sign in"))

    assert page.url.startswith(web.url)
    assert page.url.endswith("/triage")


def test_the_session_cookie_is_httponly_strict_and_holds_no_key(
    page, context, web, sign_in, session_cookie
):
    sign_in(page, "triage")

    cookie, payload = session_cookie(context)

    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["expires"] > 0, "the cookie expires"
    assert payload["key_name"] == "triage-test"
    assert web.keys["triage"] not in cookie["value"]
    assert web.keys["triage"] not in str(payload)
    assert page.evaluate("document.cookie") == "", "scripts cannot read it"


def test_a_tampered_session_cookie_sends_you_back_to_sign_in(
    page, context, sign_in, session_cookie
):
    sign_in(page, "reviewer")
    cookie, payload = session_cookie(context)
    # Claim to be the admin without the secret: the payload no longer matches its signature.
    claimed = base64.b64encode(json.dumps({**payload, "key_name": "admin-test"}).encode())
    signature = cookie["value"].split(".", 1)[1]
    context.add_cookies([{**cookie, "value": f"{claimed.decode()}.{signature}"}])

    page.goto("/audit")

    assert "/sign-in" in page.url
    assert "ended or could not be read" in page.get_by_role("status").inner_text()


def test_revoking_a_key_signs_its_browser_session_out_at_once(page, web, follow):
    store = AuditStore(web.database_url)
    keys = KeyStore(store)
    name = f"leaver-{uuid.uuid4().hex[:6]}"
    raw = keys.create(name, "triage")
    page.goto("/sign-in")
    page.get_by_label("API key").fill(raw)
    follow(page.get_by_role("button", name="Sign in"))
    assert page.url.endswith("/triage")

    keys.revoke(name)
    page.reload()

    store.dispose()
    assert "/sign-in" in page.url
    assert re.search("no longer active", page.get_by_role("status").inner_text())
