"""Reviewers work the queue: open the oldest case, confirm or correct it, move to the next."""

from __future__ import annotations

from thrive_ml.taxonomy import ExclusionFactor, RiskIndicator, ThriveGroup, risk_reason

COMMENT = 'Ongoing for a year; needs more than brief work. <img src=x onerror=alert("c")>'


def pending_ids(web) -> list[str]:
    with web.client("reviewer") as client:
        page = client.get("/v1/reviews", params={"state": "pending", "limit": 1000}).json()
    return [item["prediction_id"] for item in page["items"]]


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent").strip()


def test_a_reviewer_corrects_a_case_by_keyboard_and_lands_on_the_next_one(
    page, web, sign_in, triaged, risk_text
):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    triaged(risk_text + " Seen by the GP on Monday.")
    triaged(risk_text + " School have put a plan in place.")
    oldest, following = pending_ids(web)[:2]
    with web.client("reviewer") as client:
        suggested = client.get(f"/v1/predictions/{oldest}").json()["result"]
    target = next(g for g in ThriveGroup if g.value != suggested["thrive_group"])
    factors = set(suggested["exclusion_factors"]) ^ {ExclusionFactor.TIMING.value}
    sign_in(page, "reviewer")

    first = page.locator("table.queue tbody a").first
    assert oldest in first.get_attribute("href"), "oldest first"
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/reviews/{oldest}*")
    page.locator(f"#group-{target.value}").focus()
    page.keyboard.press("Space")
    page.locator(f"#factor-{ExclusionFactor.TIMING.value}").focus()
    page.keyboard.press("Space")
    page.get_by_label("Comment").focus()
    page.keyboard.type(COMMENT)
    page.keyboard.press("Tab")
    assert focused_text(page) == "Save review and open next case", "the form's focus order"
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/reviews/{following}*")
    assert "Review saved (corrected" in page.get_by_role("status").inner_text()
    with web.client("reviewer") as client:
        review = client.get(f"/v1/predictions/{oldest}").json()["reviews"][-1]
    assert review["decision"] == "corrected"
    assert review["thrive_group"] == target.value
    assert set(review["exclusion_factors"]) == factors
    assert review["reviewer"] == "reviewer-test"
    assert review["comment"] == COMMENT
    # The decision is listed on the case from now on, its comment as plain text.
    page.goto(f"/reviews/{oldest}")
    earlier = page.get_by_role("region", name="Earlier reviews").inner_text()
    assert "Corrected" in earlier
    assert COMMENT in earlier
    assert dialogs == []


def test_confirming_keeps_the_suggestion_and_says_so(
    page, web, sign_in, follow, triaged, risk_text
):
    made = triaged(risk_text + " Confirm me.")
    sign_in(page, "reviewer")

    page.goto(f"/reviews/{made['prediction_id']}?state=all")
    follow(page.get_by_role("button", name="Save review and open next case"))

    assert "Review saved (confirmed" in page.get_by_role("status").inner_text()
    with web.client("reviewer") as client:
        review = client.get(f"/v1/predictions/{made['prediction_id']}").json()["reviews"][-1]
    assert review["decision"] == "confirmed"
    assert review["thrive_group"] == made["thrive_group"]


def test_the_first_tab_offers_a_skip_link_to_the_main_content(page, sign_in):
    sign_in(page, "reviewer")

    page.keyboard.press("Tab")
    assert focused_text(page) == "Skip to main content"
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_the_queue_filters_by_reason(page, sign_in, follow, triaged, risk_text):
    triaged(risk_text)
    reason = risk_reason(RiskIndicator.SELF_HARM)
    sign_in(page, "reviewer")

    page.get_by_label("State").select_option("all")
    page.get_by_label("Reason").select_option(reason)
    follow(page.get_by_role("button", name="Apply filters"))

    rows = page.locator("table.queue tbody tr")
    assert rows.count() >= 1
    for index in range(rows.count()):
        assert "Risk: self harm" in rows.nth(index).inner_text()
    assert page.get_by_label("Reason").input_value() == reason


def test_an_unknown_filter_value_gets_a_message_not_an_error_page(page, sign_in):
    sign_in(page, "reviewer")

    response = page.goto("/reviews?group=nonsense")

    assert response.status == 422
    assert "unknown thrive_group" in page.get_by_role("alert").inner_text()
