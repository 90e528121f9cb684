"""Admins search, verify and export the audit record; anyone signed in can see the model."""

from __future__ import annotations

import json
from pathlib import Path

from thrive_ml.safety import rules_version

CARD = "# Model card: test\n\n## Intended use\nHelp staff. <script>alert('card')</script>\n"


def test_the_audit_page_searches_verifies_the_chain_and_exports(
    page, web, sign_in, follow, triaged, screenshot
):
    made = triaged()
    with web.client("reviewer") as client:
        client.post(
            f"/v1/reviews/{made['prediction_id']}",
            json={"thrive_group": made["thrive_group"], "exclusion_factors": []},
        )
    sign_in(page, "admin")

    page.goto("/audit")
    page.get_by_label("Review state").select_option("reviewed")
    follow(page.get_by_role("button", name="Search"))
    assert made["prediction_id"][:8] in page.locator("main table").inner_text()
    follow(page.get_by_role("link", name="Verify the audit chain"))
    assert "Chain intact" in page.get_by_role("region", name="Chain verification").inner_text()
    screenshot(page, "audit")
    export = page.request.get("/audit/export")
    assert export.status == 200
    lines = [json.loads(line) for line in export.text().splitlines()]
    assert made["prediction_id"] in {line["id"] for line in lines}


def test_a_bad_date_gets_a_message_that_says_the_format(page, sign_in):
    sign_in(page, "admin")

    response = page.goto("/audit?since=last+tuesday")

    assert response.status == 422
    assert "ISO-8601" in page.get_by_role("alert").inner_text()


def test_the_model_page_shows_champion_rules_and_figures(page, sign_in, screenshot):
    sign_in(page, "reviewer")

    page.goto("/model")

    assert page.locator(".model-version").inner_text() == "1"
    assert page.locator(".rules-version").inner_text() == rules_version()
    assert "safety_dev.route_recall" in page.locator("main").inner_text()
    assert "cards/model_card.md" in page.locator("main").inner_text(), "says where the card is"
    screenshot(page, "model")


def test_the_model_page_shows_a_cached_model_card_as_text(page, sign_in, champion_env):
    card = Path(champion_env["THRIVE_MODEL_DIR"]) / "v1" / "model_card.md"
    card.write_text(CARD, encoding="utf-8")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        sign_in(page, "triage")
        page.goto("/model")
        shown = page.locator(".model-card")
        assert shown.get_by_role("heading", name="Intended use").is_visible()
        assert "<script>alert('card')</script>" in shown.inner_text()
        assert shown.locator("script").count() == 0
        assert dialogs == []
    finally:
        card.unlink()
