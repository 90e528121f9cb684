"""Structured request logs and Prometheus metrics, without referral text or keys.

A log line carries request id, method, route template, status and latency: enough to trace a
problem, nothing a reader could learn a child's situation from. Metrics live in a registry per
app (not prometheus_client's global one) so several apps in one process stay independent.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("thrive_ml.serve")

REQUEST_ID_HEADER = b"x-request-id"


class JsonFormatter(logging.Formatter):
    """One JSON object per line; only the fields we put in `extra` plus level and message."""

    FIELDS = ("request_id", "method", "route", "status", "latency_ms", "model_version")

    def format(self, record: logging.LogRecord) -> str:
        body = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
        for name in self.FIELDS:
            if hasattr(record, name):
                body[name] = getattr(record, name)
        if record.exc_info:
            # The exception type only: messages and tracebacks can quote request data.
            body["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "unknown"
        return json.dumps(body)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = True  # so pytest's caplog sees exactly what would be written


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "thrive_http_requests_total",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "thrive_http_request_seconds",
            "HTTP request latency by route template.",
            ["route"],
            buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.predictions = Counter(
            "thrive_predictions_total",
            "Suggestions made, by suggested THRIVE group.",
            ["thrive_group"],
            registry=self.registry,
        )
        self.routed = Counter(
            "thrive_predictions_routed_total",
            "Suggestions sent to human review.",
            registry=self.registry,
        )
        self.reviews = Counter(
            "thrive_reviews_total",
            "Review decisions recorded, by decision.",
            ["decision"],
            registry=self.registry,
        )
        self.review_rate = Gauge(
            "thrive_review_rate",
            "Share of suggestions this process has sent to human review.",
            registry=self.registry,
        )
        self.pending_reviews = Gauge(
            "thrive_pending_reviews",
            "Suggestions in the audit store that need review and have none yet.",
            registry=self.registry,
        )

        self._made = 0
        self._sent = 0

    def count_prediction(self, group: str, routed: bool) -> None:
        self.predictions.labels(group).inc()
        self._made += 1
        if routed:
            self.routed.inc()
            self._sent += 1
        self.review_rate.set(self._sent / self._made)


class RequestLog:
    """Pure ASGI middleware: request id, one log line per request, request metrics.

    Pure ASGI rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware spawns a
    task group and memory streams per request, which cost about a millisecond each time.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"").decode("latin-1")
        request_id = (
            incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        )
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            # The matched template (`/v1/predictions/{prediction_id}`), never the raw path:
            # raw paths hold ids and would give the metrics unbounded label values.
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "latency_ms": round(elapsed * 1000, 2),
                },
            )
