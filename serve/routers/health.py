"""Liveness, readiness and Prometheus metrics; no key needed, nothing sensitive exposed."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from serve.deps import RuntimeDep
from thrive_ml.errors import StoreError

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="A model is loaded and the audit store answers")
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    checks = {"model": "loaded" if runtime.triager else (runtime.load_error or "not loaded")}
    try:
        await run_in_threadpool(runtime.store.ping)
        checks["audit_store"] = "reachable"
    except StoreError as exc:
        checks["audit_store"] = str(exc)
    ready = runtime.triager is not None and checks["audit_store"] == "reachable"
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(runtime: RuntimeDep) -> Response:
    try:
        counts = await run_in_threadpool(runtime.store.counts)
        runtime.telemetry.pending_reviews.set(counts["pending_review"])
    except StoreError:
        pass  # the request and latency metrics are still worth scraping; readyz reports the store
    return Response(generate_latest(runtime.telemetry.registry), media_type=CONTENT_TYPE_LATEST)
