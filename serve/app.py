"""The HTTP service: `create_app()` builds it; the lifespan loads the model and opens the store.

Thin by design: routes parse, authorise and call `thrive_ml` (Triager for suggestions, the
audit store for records). No thresholds, features or routing live here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from serve import errors
from serve.observability import Metrics, RequestLog, configure_logging
from serve.routers import audit, health, model, pages, predictions, reviews, triage
from serve.runtime import Runtime
from serve.settings import ServeSettings
from serve.web import SESSION_COOKIE, STATIC_DIR
from thrive_ml.errors import ThriveError
from thrive_ml.gc_settings import triage_gc
from thrive_ml.result import SUGGESTION_NOTICE
from thrive_ml.store.audit import AuditStore
from thrive_ml.store.keys import KeyStore
from thrive_ml.store.writer import AuditWriter
from thrive_ml.triage import Triager

log = logging.getLogger("thrive_ml.serve")


def _load_champion(refresh: bool) -> Triager:
    """At start-up the local champion pointer (fast, checksum verified); on an admin reload
    the registry itself, so a version promoted elsewhere is picked up."""
    from thrive_ml import registry  # heavy (MLflow): imported when the model is loaded

    return registry.load_champion_triager(refresh=refresh)


def _headline(version: str) -> dict[str, float]:
    from thrive_ml import registry

    return registry.version_headline(version)


def create_app(settings: ServeSettings | None = None) -> FastAPI:
    settings = settings or ServeSettings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level)
        store = AuditStore(settings.database_url)
        await asyncio.to_thread(store.migrate)
        runtime = Runtime(
            store=store,
            keys=KeyStore(store),
            writer=AuditWriter(store),
            load_triager=_load_champion,
            load_metrics=_headline,
            telemetry=metrics,
        )
        try:
            await asyncio.to_thread(runtime.load)
        except ThriveError as exc:
            # Serve anyway: /readyz says why, triage answers 503 until an admin reloads.
            runtime.load_error = str(exc)
            log.warning("no model loaded: %s", type(exc).__name__)
        app.state.runtime = runtime
        try:
            with triage_gc():  # after the model is loaded: see thrive_ml.gc_settings
                log.info(
                    "service ready",
                    extra={
                        "model_version": runtime.triager.model_version if runtime.triager else None
                    },
                )
                yield
        finally:
            runtime.close()

    app = FastAPI(
        title="thrive-ml",
        version="1",
        summary="Suggested THRIVE groups and exclusion factors for wellbeing referrals.",
        description=(
            f"**{SUGGESTION_NOTICE}** Risk mentions found by the safety rules always route "
            "the referral to human review. Every suggestion is recorded in a tamper-evident "
            "audit store before it is returned."
        ),
        lifespan=lifespan,
        # FastAPI's built-in OpenTelemetry hooks: off. Its logs signal records exception
        # messages (which could quote a referral), and checking for a provider on every
        # request cost ~5% of a triage request's CPU.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestLog, metrics=metrics)
    # The web pages' session (see serve.web): signed, HttpOnly, SameSite=Strict, expiring.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="strict",
        https_only=settings.session_https_only,
    )
    app.state.settings = settings
    for router in (triage, predictions, reviews, audit, model, health):
        app.include_router(router.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    return app


class BodyLimit:
    """Refuse a body whose declared size is over the limit before reading it (pure ASGI).

    The per-field limits (50,000 characters a referral, 100 a batch) come later, in the schemas.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
                response = JSONResponse(
                    {
                        "detail": f"request body over {self.max_bytes:,} bytes; a referral is "
                        "at most 50,000 characters and a batch at most 100 referrals",
                        "errors": [],
                    },
                    status_code=413,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
