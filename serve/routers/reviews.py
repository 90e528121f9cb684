"""The review queue: what the safety rules or the model sent to a person, and their decisions."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from fastapi.concurrency import run_in_threadpool

from serve.deps import ReviewerKey, RuntimeDep
from serve.runtime import Runtime
from serve.schemas import ErrorOut, PageOut, ReviewOut, ReviewRequest
from serve.views import review_out, summary
from thrive_ml.store.audit import MAX_PAGE
from thrive_ml.store.records import ReviewDecision, StoredReview
from thrive_ml.taxonomy import ThriveGroup

router = APIRouter(prefix="/v1/reviews", tags=["reviews"])

AUTH = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}}


@router.get("", response_model=PageOut, responses=AUTH, summary="The review queue, oldest first")
async def review_queue(
    runtime: RuntimeDep,
    _: ReviewerKey,
    state: Literal["pending", "reviewed", "all"] = "pending",
    reason: Annotated[str | None, Query(max_length=80, description="e.g. risk:self_harm")] = None,
    group: ThriveGroup | None = None,
    model_version: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[str | None, Query(max_length=40, description="ISO-8601, inclusive")] = None,
    until: Annotated[str | None, Query(max_length=40, description="ISO-8601, exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PageOut:
    rows = await run_in_threadpool(
        runtime.store.review_queue,
        state=state,
        reason=reason,
        group=group.value if group else None,
        model_version=model_version,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return PageOut(items=[summary(r) for r in rows], limit=limit, offset=offset)


@router.post(
    "/{prediction_id}",
    response_model=ReviewOut,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH, 404: {"model": ErrorOut}},
    summary="Confirm or correct a suggestion; every decision is kept",
)
async def review(
    prediction_id: str, body: ReviewRequest, runtime: RuntimeDep, key: ReviewerKey
) -> ReviewOut:
    return review_out(await record_review(runtime, prediction_id, body, key.name))


async def record_review(
    runtime: Runtime, prediction_id: str, body: ReviewRequest, key_name: str
) -> StoredReview:
    """Append a reviewer's decision to the audit store; the API and the review page both call
    this, so a review is recorded and counted one way only."""
    decision = ReviewDecision(
        thrive_group=body.thrive_group.value,
        exclusion_factors=[f.value for f in body.exclusion_factors],
        comment=body.comment,
    )
    saved = await run_in_threadpool(runtime.store.append_review, prediction_id, decision, key_name)
    runtime.telemetry.reviews.labels(saved.decision.value).inc()
    return saved
