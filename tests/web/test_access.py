"""Who may do what: the wrong role gets a page naming the role needed; every POST needs the
session's CSRF token."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("role", "path", "needed"),
    [
        ("triage", "/reviews", "reviewer"),
        ("reviewer", "/triage", "triage"),
        ("reviewer", "/audit", "admin"),
        ("triage", "/audit", "admin"),
        ("triage", "/audit/export", "admin"),
    ],
)
def test_the_wrong_role_gets_403_naming_the_role_needed(page, sign_in, role, path, needed):
    sign_in(page, role)

    response = page.goto(path)

    assert response.status == 403
    assert (
        page.get_by_role("heading", level=1).inner_text() == "You do not have access to this page"
    )
    assert f"needs the {needed} role" in page.locator("main").inner_text()
    assert f"with the {role} role" in page.locator("main").inner_text()


def test_a_reviewer_cannot_post_a_triage_either(page, sign_in, risk_text):
    sign_in(page, "reviewer")
    token = csrf_token(page, "/reviews")

    response = page.request.post("/triage", form={"text": risk_text, "csrf_token": token})

    assert response.status == 403
    assert "needs the triage role" in response.text()


def csrf_token(page, path: str) -> str:
    page.goto(path)
    return page.locator("input[name=csrf_token]").first.get_attribute("value")


def audit_size(web) -> int:
    with web.client("admin") as client:
        return len(client.get("/v1/audit", params={"limit": 1000}).json()["items"])


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_post_without_the_sessions_csrf_token_is_refused_and_records_nothing(
    page, web, sign_in, risk_text, token
):
    sign_in(page, "triage")
    before = audit_size(web)
    form = {"text": risk_text} | ({} if token is None else {"csrf_token": token})

    response = page.request.post("/triage", form=form)

    assert response.status == 403
    assert "Go back, reload the page, and submit the form again" in response.text()
    assert audit_size(web) == before


def test_another_sessions_token_does_not_work(browser, web, sign_in, risk_text):
    contexts = [browser.new_context(base_url=web.url) for _ in range(2)]
    try:
        mine, theirs = (c.new_page() for c in contexts)
        sign_in(mine, "triage")
        sign_in(theirs, "triage")
        their_token = csrf_token(theirs, "/triage")

        response = mine.request.post("/triage", form={"text": risk_text, "csrf_token": their_token})

        assert response.status == 403
    finally:
        for context in contexts:
            context.close()


def test_sign_out_needs_the_token_too(page, sign_in):
    sign_in(page, "triage")

    response = page.request.post("/sign-out", form={})

    assert response.status == 403
    page.goto("/triage")
    assert page.url.endswith("/triage"), "still signed in"


def test_the_json_api_ignores_the_page_session(page, sign_in, risk_text):
    sign_in(page, "triage")

    response = page.request.post("/v1/triage", data={"text": risk_text})

    assert response.status == 401, "a browser session is not an API key"
