"""axe-core on every page: no serious or critical violations (the rest are printed on failure).

Each page is also saved as a screenshot under test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

PAGES = [
    ("sign-in", None, "/sign-in"),
    ("sign-in-refused", None, "refused"),
    ("triage-form", "triage", "/triage"),
    ("triage-form-error", "triage", "empty"),
    ("triage-result", "triage", "/predictions/{id}"),
    ("review-queue", "reviewer", "/reviews?state=all"),
    ("review-case", "reviewer", "/reviews/{id}"),
    ("audit", "admin", "/audit?verify=1"),
    ("model", "triage", "/model"),
    ("forbidden", "triage", "/audit"),
]


@pytest.mark.parametrize(("name", "role", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violations(
    page, sign_in, follow, triaged, axe_check, screenshot, name, role, path
):
    if role:
        sign_in(page, role)
    if path == "refused":
        page.goto("/sign-in")
        page.get_by_label("API key").fill("thr_wrong")
        follow(page.get_by_role("button", name="Sign in"))
    elif path == "empty":
        page.goto("/triage")
        page.get_by_label("Referral text").fill("  ")
        follow(page.get_by_role("button", name="Suggest a triage group"))
    else:
        page.goto(path.format(id=triaged()["prediction_id"]) if "{id}" in path else path)
    screenshot(page, name)

    axe_check(page)

    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.locator("header").count() == 1
    assert page.locator("main").count() == 1
    assert page.get_by_role("heading", level=1).count() == 1
