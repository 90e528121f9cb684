"""Admin: search every recorded suggestion, check the hash chain, export reviewed cases."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask

from serve.deps import AdminKey, RuntimeDep
from serve.runtime import Runtime
from serve.schemas import ErrorOut, PageOut
from serve.views import summary
from thrive_ml.store.audit import MAX_PAGE

router = APIRouter(prefix="/v1/audit", tags=["audit"])

AUTH = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}}


class VerifyOut(BaseModel):
    ok: bool
    records: int
    problems: list[str]


@router.get("", response_model=PageOut, responses=AUTH, summary="Search suggestions, newest first")
async def search(
    runtime: RuntimeDep,
    _: AdminKey,
    since: Annotated[str | None, Query(max_length=40, description="ISO-8601, inclusive")] = None,
    until: Annotated[str | None, Query(max_length=40, description="ISO-8601, exclusive")] = None,
    model_version: Annotated[str | None, Query(max_length=64)] = None,
    review_state: Literal["reviewed", "unreviewed"] | None = None,
    needs_review: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PageOut:
    rows = await run_in_threadpool(
        runtime.store.search,
        since=since,
        until=until,
        model_version=model_version,
        review_state=review_state,
        needs_review=needs_review,
        limit=limit,
        offset=offset,
    )
    return PageOut(items=[summary(r) for r in rows], limit=limit, offset=offset)


@router.get("/verify", response_model=VerifyOut, responses=AUTH, summary="Check the hash chain")
async def verify(runtime: RuntimeDep, _: AdminKey) -> VerifyOut:
    report = await run_in_threadpool(runtime.store.verify)
    return VerifyOut(ok=report.ok, records=report.records, problems=report.problems)


@router.get(
    "/export",
    responses={**AUTH, 200: {"content": {"application/x-ndjson": {}}}},
    summary="Reviewed cases as JSONL, for `thrive-ml train --feedback`",
)
async def export(runtime: RuntimeDep, _: AdminKey) -> FileResponse:
    return await export_response(runtime)


async def export_response(runtime: Runtime) -> FileResponse:
    """The reviewed cases as a JSONL download (the API and the audit page both serve this)."""
    folder = Path(tempfile.mkdtemp(prefix="thrive-export-"))
    path = folder / "reviewed.jsonl"
    try:
        await run_in_threadpool(runtime.store.export_reviewed, path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def cleanup() -> None:
        path.unlink(missing_ok=True)
        folder.rmdir()

    return FileResponse(
        path,
        media_type="application/x-ndjson",
        filename="thrive-reviewed.jsonl",
        background=BackgroundTask(cleanup),
    )
