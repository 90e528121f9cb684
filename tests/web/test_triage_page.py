"""Triage staff paste a referral and read the suggestion, its risk marks and its reasons."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from thrive_ml.result import SUGGESTION_NOTICE
from thrive_ml.taxonomy import ThriveGroup

# THRIVE_UPDATE_DOCS_SCREENSHOT=1 refreshes the README's picture from this run.
DOCS_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "images" / "triage.png"
# Beyond the routed mentions, a sibling's past overdose and a denied plan: the README's picture
# shows how other statuses look.
RICH_TEXT = (
    "Referral from school nurse. Year 10 girl told her form tutor last week that she has been "
    "cutting her arms most nights and that she wants to die. Her older brother took an overdose "
    "last year. She denies any plan to end her life. Mum is very worried and says she is not "
    "sleeping or eating properly."
)
XSS = '<script>alert("script")</script><img src=x onerror=alert("img")> Year 9 boy, low mood.'


@pytest.fixture
def submit(follow):
    """`submit(page, text)`: through the triage form; returns once the answer page has loaded."""

    def go(page, text: str) -> None:
        page.goto("/triage")
        page.get_by_label("Referral text").fill(text)
        follow(page.get_by_role("button", name="Suggest a triage group"))

    return go


def test_a_risk_referral_is_highlighted_with_its_status_and_routed_to_review(
    page, web, sign_in, submit, screenshot
):
    sign_in(page, "triage")

    submit(page, RICH_TEXT)

    match = re.search(r"/predictions/([0-9a-f]{32})$", page.url)
    assert match, page.url
    prediction_id = match.group(1)
    text = page.locator(".referral-text")
    cutting = text.locator("mark", has_text="cutting")
    assert cutting.count() >= 1
    # The status is written beside the mark, not only shown by its colour.
    assert "self harm: affirmed" in text.inner_text()
    decision = page.get_by_role("region", name="Review decision")
    assert "Sent for human review" in decision.inner_text()
    assert "Risk mention (self harm)" in decision.inner_text()
    assert page.locator(".prediction-id").inner_text() == prediction_id
    assert SUGGESTION_NOTICE in page.locator("header").inner_text()
    probabilities = page.get_by_role("table", name="Probability of each THRIVE group")
    for group in ThriveGroup:
        name = group.value.replace("_", " ")
        # Each probability is written as a number, not only drawn as a bar.
        assert re.search(rf"{name}( suggested)?\s+\d+%", probabilities.inner_text(), re.I)
    assert page.locator(".referral-text .driver").count() >= 1, "the driving words are marked"
    # What the page shows is what the audit store recorded.
    with web.client("triage") as client:
        stored = client.get(f"/v1/predictions/{prediction_id}").json()
    assert stored["text"] == RICH_TEXT
    assert stored["result"]["needs_human_review"] is True
    saved = screenshot(page, "triage-result")
    if os.environ.get("THRIVE_UPDATE_DOCS_SCREENSHOT") == "1":
        DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, DOCS_IMAGE)


def test_the_triage_form_has_a_label_and_the_notice(page, sign_in, screenshot):
    sign_in(page, "triage")

    page.goto("/triage")

    assert page.get_by_label("Referral text").is_visible()
    assert SUGGESTION_NOTICE in page.locator("header").inner_text()
    screenshot(page, "triage-form")


def test_whitespace_only_text_is_refused_with_a_message(page, sign_in, submit):
    sign_in(page, "triage")

    submit(page, "   \n   ")

    assert page.url.endswith("/triage")
    assert "Text is empty or only whitespace" in page.get_by_role("alert").inner_text()


def test_html_in_a_referral_stays_text_and_never_runs(page, sign_in, submit, follow, web):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "triage")

    submit(page, XSS)

    text = page.locator(".referral-text")
    assert XSS in text.inner_text()
    assert page.locator("main script").count() == 0
    assert page.locator("main img").count() == 0
    assert dialogs == []
    # And the same record in the reviewer's case view.
    prediction_id = page.url.rsplit("/", 1)[1]
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("API key").fill(web.keys["reviewer"])
    follow(page.get_by_role("button", name="Sign in"))
    page.goto(f"/reviews/{prediction_id}")
    assert XSS in page.locator(".referral-text").inner_text()
    assert dialogs == []
