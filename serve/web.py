"""Plumbing for the web pages: who is signed in, CSRF tokens, templates, and error pages.

Sessions. Starlette's SessionMiddleware keeps the session in a signed (not encrypted) cookie:
HttpOnly, SameSite=Strict, Max-Age = THRIVE_SESSION_MAX_AGE. After signing in with an API key
the session holds only the key's NAME, when it was signed in and a CSRF token; never the key
itself, so a copied cookie cannot become a long-lived API key, and it can be read but not
forged without THRIVE_SESSION_SECRET. Every page request looks the name up in the key store
(`KeyStore.active`) and takes the role from there, so revoking a key or changing what it may do
takes effect on the next click. Sessions end `session_max_age` seconds after sign-in whatever
happens in between (the cookie is re-signed when a flash message is stored, which would
otherwise extend it).

CSRF. Each session gets a random token (the sign-in form gets one before sign-in, against
login CSRF). Every form carries it in a hidden field and every POST compares it with the
session's in constant time; a missing or wrong token gets a 403 page saying what to do.
SameSite=Strict already keeps the cookie off cross-site requests; the token is the second lock.

The JSON API never reads this cookie (it takes `Authorization: Bearer` only), so a browser
session cannot be used to call it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.datastructures import FormData

from serve.deps import RuntimeDep, holds
from serve.errors import STATUS_FOR, validation_body
from serve.settings import ServeSettings
from thrive_ml.errors import ThriveError
from thrive_ml.result import SUGGESTION_NOTICE
from thrive_ml.store.keys import KeyInfo
from thrive_ml.store.tables import Role

SESSION_COOKIE = "thrive_session"
CSRF_FIELD = "csrf_token"
HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"

SIGN_IN_REASONS = {
    "required": "Sign in to continue.",
    "expired": "Your session has ended or could not be read. Sign in again with your key.",
    "revoked": "Your key is no longer active. Ask an admin for a new key, then sign in.",
    "signed-out": "You have signed out.",
}
"""Why someone was sent to the sign-in page. Only these fixed texts are shown (never a query
string's own words), so a crafted link cannot put a message on the page."""

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Pages show referral text: keep them out of shared and back-button caches.
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class PageUser:
    """The signed-in key, as re-read from the key store on this request."""

    key: KeyInfo
    csrf: str

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def role(self) -> Role:
        return self.key.role

    def holds(self, *roles: Role) -> bool:
        return holds(self.key, *roles)


class SignInNeededError(Exception):
    """Not signed in, or the session ended: send the browser to the sign-in page."""

    def __init__(self, reason: str, next_path: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.next_path = next_path


class RoleNeededError(Exception):
    """Signed in, but the key does not hold a role this page needs."""

    def __init__(self, roles: tuple[Role, ...]) -> None:
        super().__init__("forbidden")
        self.roles = roles


class CsrfTokenError(Exception):
    """A POST without this session's CSRF token."""


# -- templates ---------------------------------------------------------------------------------


def words(value: object) -> str:
    """A label as words: `getting_more_help` -> `getting more help` (the strings stay in taxonomy)."""
    return str(getattr(value, "value", value)).replace("_", " ")


def title(value: object) -> str:
    """A THRIVE group as the framework writes it: `Getting More Help`."""
    return words(value).title()


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def when(stamp: str) -> Markup:
    """A stored UTC time stamp for people (`3 Dec 2026, 08:07 UTC`), the exact one kept
    machine-readable in a <time> element."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return Markup("{}").format(stamp)
    shown = f"{moment.day} {moment:%b %Y, %H:%M} UTC"
    return Markup('<time datetime="{}">{}</time>').format(stamp, shown)


@cache
def templates() -> Jinja2Templates:
    """Built on first use (not at import). Autoescaping is on for every .html template."""
    engine = Jinja2Templates(directory=HERE / "templates")
    engine.env.autoescape = True
    engine.env.trim_blocks = True
    engine.env.lstrip_blocks = True
    engine.env.filters.update(words=words, title=title, percent=percent, when=when)
    engine.env.globals.update(notice=SUGGESTION_NOTICE, Role=Role, csrf_field=CSRF_FIELD)
    return engine


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A page with what every page needs: the user (if any), the CSRF token, a flash message."""
    session = request.session
    base = {
        "user": getattr(request.state, "user", None),
        "csrf_token": session.get("csrf", ""),
        "flash": session.pop("flash", None),
        "path": request.url.path,
    }
    return templates().TemplateResponse(
        request, name, {**base, **(context or {})}, status_code=status_code
    )


def flash(request: Request, message: str) -> None:
    """A one-time message for the next page (e.g. "review saved")."""
    request.session["flash"] = message


# -- sessions and CSRF ---------------------------------------------------------------------------


def settings_of(request: Request) -> ServeSettings:
    return request.app.state.settings


def ensure_csrf(request: Request) -> str:
    """This session's CSRF token, creating the session (and token) if there is none yet."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: Request, key: KeyInfo) -> None:
    """A fresh session for a key that just authenticated (new token, nothing carried over)."""
    request.session.clear()
    request.session.update(
        key_name=key.name, signed_in_at=int(time.time()), csrf=secrets.token_urlsafe(32)
    )


def end_session(request: Request) -> None:
    request.session.clear()


def safe_next(value: object, default: str = "") -> str:
    """A local path to return to after sign-in; anything else (another site) is dropped."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value[:500]
    return default


def sign_in_url(reason: str = "", next_path: str = "") -> str:
    query = {k: v for k, v in (("reason", reason), ("next", safe_next(next_path))) if v}
    return "/sign-in" + (f"?{urlencode(query)}" if query else "")


def _here(request: Request) -> str:
    """Where to come back to after signing in: this page (a form's page for a POST)."""
    if request.method == "GET" and request.url.query:
        return f"{request.url.path}?{request.url.query}"
    return request.url.path


async def page_user(request: Request, runtime: RuntimeDep) -> PageUser:
    """The signed-in key, re-checked against the key store; else off to the sign-in page."""
    session = request.session
    name = session.get("key_name")
    if not isinstance(name, str) or not name:
        # A cookie that was sent but gave no session was expired or tampered with.
        reason = "expired" if request.cookies.get(SESSION_COOKIE) and not session else "required"
        raise SignInNeededError(reason, _here(request))
    signed_in_at = session.get("signed_in_at")
    max_age = settings_of(request).session_max_age
    if not isinstance(signed_in_at, int) or time.time() - signed_in_at > max_age:
        end_session(request)
        raise SignInNeededError("expired", _here(request))
    key = await run_in_threadpool(runtime.keys.active, name)
    if key is None:
        end_session(request)
        raise SignInNeededError("revoked")
    user = PageUser(key=key, csrf=session.get("csrf", ""))
    request.state.user = user
    return user


PageUserDep = Annotated[PageUser, Depends(page_user)]


def page_role(*roles: Role) -> Callable[..., Any]:
    """A dependency letting through signed-in keys that hold any of `roles` (same grants as the API)."""

    async def check(user: PageUserDep) -> PageUser:
        if not user.holds(*roles):
            raise RoleNeededError(roles)
        return user

    return check


TriageUser = Annotated[PageUser, Depends(page_role(Role.TRIAGE))]
ReviewerUser = Annotated[PageUser, Depends(page_role(Role.REVIEWER))]
ReaderUser = Annotated[PageUser, Depends(page_role(Role.TRIAGE, Role.REVIEWER))]
AdminUser = Annotated[PageUser, Depends(page_role(Role.ADMIN))]


async def csrf_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches this session's."""
    form = await request.form()
    expected = request.session.get("csrf")
    sent = form.get(CSRF_FIELD)
    if (
        not isinstance(expected, str)
        or not expected
        or not isinstance(sent, str)
        or not secrets.compare_digest(sent.encode(), expected.encode())
    ):
        raise CsrfTokenError
    return form


CsrfForm = Annotated[FormData, Depends(csrf_form)]


# -- error pages ---------------------------------------------------------------------------------


def error_page(
    request: Request, status_code: int, heading: str, message: str, **context: Any
) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"status_code": status_code, "heading": heading, "message": message, **context},
        status_code=status_code,
    )


def _thrive_status(exc: ThriveError) -> int:
    return next((code for cls, code in STATUS_FOR if isinstance(exc, cls)), 500)


HEADINGS = {
    status.HTTP_404_NOT_FOUND: "Not found",
    status.HTTP_422_UNPROCESSABLE_CONTENT: "That could not be used",
    status.HTTP_503_SERVICE_UNAVAILABLE: "Not available just now",
}


class PageRoute(APIRoute):
    """Routes whose failures are pages, not JSON: sign-in redirects, 403s and errors in words.

    The JSON API keeps its own error bodies (`serve.errors`); only routes built with this class
    (the pages router) answer in HTML. Every page response gets the security headers.
    """

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInNeededError as exc:
                response = RedirectResponse(
                    sign_in_url(exc.reason, exc.next_path), status.HTTP_303_SEE_OTHER
                )
            except RoleNeededError as exc:
                user: PageUser | None = getattr(request.state, "user", None)
                needed = " or ".join(sorted(r.value for r in exc.roles))
                response = error_page(
                    request,
                    status.HTTP_403_FORBIDDEN,
                    "You do not have access to this page",
                    f"This page needs the {needed} role. You are signed in as "
                    f"{user.name if user else 'unknown'} with the "
                    f"{user.role.value if user else 'unknown'} role. Ask an admin for a key "
                    f"with the {needed} role, or go back to a page your role can use.",
                )
            except CsrfTokenError:
                response = error_page(
                    request,
                    status.HTTP_403_FORBIDDEN,
                    "This form could not be accepted",
                    "The form was missing its security token, or it came from an old page or "
                    "another site. Nothing was saved. Go back, reload the page, and submit "
                    "the form again. If this keeps happening, sign out and sign in again.",
                )
            except RequestValidationError as exc:
                response = error_page(
                    request,
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    HEADINGS[status.HTTP_422_UNPROCESSABLE_CONTENT],
                    validation_body(list(exc.errors())).detail,
                )
            except ThriveError as exc:
                code = _thrive_status(exc)
                response = error_page(
                    request, code, HEADINGS.get(code, "Something went wrong"), str(exc)
                )
            except HTTPException as exc:
                response = error_page(
                    request,
                    exc.status_code,
                    HEADINGS.get(exc.status_code, "Error"),
                    str(exc.detail),
                )
            response.headers.update(SECURITY_HEADERS)
            return response

        return run
