"""GET /v1/predictions/{id}: a stored suggestion with its text and every review of it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from serve.deps import ReaderKey, RuntimeDep
from serve.schemas import ErrorOut, PredictionOut
from serve.views import prediction_out
from thrive_ml.errors import PredictionNotFoundError

router = APIRouter(prefix="/v1/predictions", tags=["predictions"])


@router.get(
    "/{prediction_id}",
    response_model=PredictionOut,
    responses={404: {"model": ErrorOut}, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}},
    summary="A stored suggestion, its referral text and its reviews",
)
async def get_prediction(prediction_id: str, runtime: RuntimeDep, _: ReaderKey) -> PredictionOut:
    stored = await run_in_threadpool(runtime.store.get_prediction, prediction_id)
    if stored is None:
        raise PredictionNotFoundError(
            f"no prediction {prediction_id[:40]!r}; ids come from the `prediction_id` of a triage response"
        )
    return prediction_out(stored)
