"""POST /v1/triage and /v1/triage/batch: suggestions, each recorded before it is returned."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from serve.deps import RuntimeDep, TriageKey
from serve.errors import validation_body
from serve.runtime import Runtime
from serve.schemas import (
    BatchRequest,
    BatchResponse,
    ErrorOut,
    ItemError,
    TriageRequest,
    TriageResponse,
)
from thrive_ml.errors import StoreUnavailableError
from thrive_ml.result import SUGGESTION_NOTICE, TriageResult
from thrive_ml.store.records import NewPrediction, StoredPrediction

router = APIRouter(prefix="/v1/triage", tags=["triage"])
log = logging.getLogger("thrive_ml.serve")

ERRORS = {
    401: {"model": ErrorOut, "description": "Missing, unknown or revoked API key."},
    403: {"model": ErrorOut, "description": "The key does not hold the triage role."},
    422: {"model": ErrorOut, "description": "The request body cannot be triaged; see `errors`."},
    503: {
        "model": ErrorOut,
        "description": "No model loaded, or the audit record could not be written: no result is given.",
    },
}


async def record(
    runtime: Runtime, results: list[TriageResult], texts: list[str], key: str
) -> list[dict]:
    """Commit every result to the audit store; only then may any of them be returned.

    If the store cannot take them the caller gets 503 and nothing else: no unaudited suggestion.
    """
    bodies = [r.model_dump(mode="json") for r in results]
    futures = [
        asyncio.wrap_future(runtime.writer.submit(NewPrediction(text=t, result=b, key_name=key)))
        for t, b in zip(texts, bodies, strict=True)
    ]
    try:
        stored: list[StoredPrediction] = await asyncio.gather(*futures)
    except StoreUnavailableError:
        raise
    except Exception as exc:
        log.warning("audit write failed: %s", type(exc).__name__)
        raise StoreUnavailableError(
            "the audit store could not record this suggestion, so it is not returned; retry "
            "shortly, and tell an admin if it persists (GET /readyz shows the store's state)"
        ) from None
    for body, saved in zip(bodies, stored, strict=True):
        body["prediction_id"] = saved.prediction_id
        runtime.telemetry.count_prediction(body["thrive_group"], body["needs_human_review"])
    return bodies


@router.post(
    "",
    response_model=TriageResponse,
    responses=ERRORS,
    summary="Suggest a THRIVE group and exclusion factors for one referral",
    description=SUGGESTION_NOTICE,
)
async def triage_one(body: TriageRequest, runtime: RuntimeDep, key: TriageKey) -> JSONResponse:
    runtime.current()  # 503 before any work if no model is loaded
    result = await runtime.batcher.triage(body.text, body.id)
    (out,) = await record(runtime, [result], [body.text], key.name)
    return JSONResponse(out)


@router.post(
    "/batch",
    response_model=BatchResponse,
    responses=ERRORS,
    summary="Suggestions for up to 100 referrals; a bad item gets an error in its place",
    description=SUGGESTION_NOTICE,
)
async def triage_batch(body: BatchRequest, runtime: RuntimeDep, key: TriageKey) -> JSONResponse:
    runtime.current()
    slots: list[dict | None] = [None] * len(body.items)
    good: list[tuple[int, TriageRequest]] = []
    for index, item in enumerate(body.items):
        try:
            good.append((index, TriageRequest.model_validate(item)))
        except ValidationError as exc:
            rid = item.get("id") if isinstance(item.get("id"), str) else None
            slots[index] = ItemError(
                index=index, id=rid, error=validation_body(list(exc.errors())).detail
            ).model_dump()
    if good:
        texts = [r.text for _, r in good]
        results = await runtime.batcher.triage_many(texts, [r.id for _, r in good])
        bodies = await record(runtime, results, texts, key.name)
        for (index, _), out in zip(good, bodies, strict=True):
            slots[index] = out
    return JSONResponse({"results": slots, "notice": SUGGESTION_NOTICE})
