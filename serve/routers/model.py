"""Which model is serving, and swapping in a newly promoted champion without downtime."""

from __future__ import annotations

from fastapi import APIRouter

from serve.deps import AdminKey, RuntimeDep
from serve.schemas import ErrorOut, ModelOut, ReloadOut
from thrive_ml.safety import rules_version

router = APIRouter(tags=["model"])


@router.get("/v1/model", response_model=ModelOut, responses={503: {"model": ErrorOut}})
async def model_info(runtime: RuntimeDep) -> ModelOut:
    triager = runtime.current()
    return ModelOut(
        model_version=triager.model_version,
        rules_version=rules_version(),
        metrics=runtime.headline,
        loaded_at=runtime.loaded_at,
    )


@router.post(
    "/v1/admin/reload",
    response_model=ReloadOut,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 503: {"model": ErrorOut}},
    summary="Load the registry's current champion; requests keep being served meanwhile",
)
async def reload(runtime: RuntimeDep, _: AdminKey) -> ReloadOut:
    previous, triager = await runtime.reload()
    return ReloadOut(
        previous_version=previous,
        model_version=triager.model_version,
        rules_version=rules_version(),
    )
