"""Browser tests: Playwright's sync API driving the Debian `chromium` package against one real
`thrive-ml serve` (tests/conftest.py's `start_service`) with a key per role.

Without /usr/bin/chromium the browser tests skip, saying `apt-get install chromium`; with
THRIVE_REQUIRE_BROWSER=1 (as in CI) they fail instead. Playwright's own browser download is
never used. Screenshots go to test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SESSION_COOKIE = "thrive_session"
SERIOUS = ("serious", "critical")

RISK_TEXT = (
    "Referral from school nurse. Year 10 girl told her form tutor last week that she has been "
    "cutting her arms most nights and that she wants to die. Mum is very worried and says she "
    "is not sleeping or eating properly."
)


@pytest.fixture(scope="session")
def web(start_service: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One server for every browser test (SQLite audit store), keys for all three roles."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web-audit') / 'audit.db'}"
    running = start_service(url, roles=("triage", "reviewer", "admin"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} not found; install it with `apt-get install chromium`"
        if os.environ.get("THRIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any, web: Any) -> Iterator[Any]:
    """A fresh browser profile (no cookies) per test, sized like a laptop screen."""
    ctx = browser.new_context(base_url=web.url, viewport={"width": 1360, "height": 900})
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


def _follow_click(control: Any) -> None:
    """Click a link or submit button and wait until the page it leads to has loaded.

    Playwright's click returns once the click is dispatched, not when the form post and its
    redirect have landed, and `wait_for_load_state()` then answers for the page being left.
    Reading the page straight after reads whichever document is there: two tests failed CI
    that way. Every page here is server-rendered (no scripts), so each click that leaves the
    page ends in exactly one `load`.
    """
    with control.page.expect_event("load"):
        control.click()


@pytest.fixture
def follow() -> Callable[[Any], None]:
    """`follow(locator)`: click it and wait for the page it opens (see `_follow_click`)."""
    return _follow_click


@pytest.fixture
def sign_in(web: Any, follow: Callable[[Any], None]) -> Callable[..., None]:
    """`sign_in(page, role)`: through the form, as a person would."""

    def go(page: Any, role: str) -> None:
        page.goto("/sign-in")
        page.get_by_label("API key").fill(web.keys[role])
        follow(page.get_by_role("button", name="Sign in"))
        assert "/sign-in" not in page.url, page.content()

    return go


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    def save(page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def axe_check() -> Callable[[Any], list[dict]]:
    """Run axe-core on the page; fail on serious or critical violations, listing all of them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> list[dict]:
        violations = axe.run(page).response["violations"]
        serious = [v for v in violations if v.get("impact") in SERIOUS]
        described = "\n".join(
            f"- [{v.get('impact')}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            + "; ".join(n["html"][:120] for n in v["nodes"][:3])
            + ")"
            for v in violations
        )
        assert not serious, f"axe found serious or critical problems on {page.url}:\n{described}"
        return violations

    return check


@pytest.fixture
def risk_text() -> str:
    """A referral the safety rules must route: current self-harm and a wish to die."""
    return RISK_TEXT


@pytest.fixture
def triaged(web: Any) -> Callable[..., dict]:
    """`triaged(text)`: a suggestion made through the API (triage key); its JSON body."""

    def make(text: str = RISK_TEXT) -> dict:
        with web.client("triage") as client:
            response = client.post("/v1/triage", json={"text": text})
        assert response.status_code == 200, response.text
        return response.json()

    return make


def session_payload(context: Any) -> tuple[dict, dict]:
    """The session cookie as the browser holds it, and its (signed, not encrypted) payload."""
    cookie = next(c for c in context.cookies() if c["name"] == SESSION_COOKIE)
    data = cookie["value"].split(".")[0]
    return cookie, json.loads(base64.b64decode(data + "=" * (-len(data) % 4)))


@pytest.fixture
def session_cookie() -> Callable[[Any], tuple[dict, dict]]:
    return session_payload
