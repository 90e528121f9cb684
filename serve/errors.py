"""One status per error class, and error bodies a person can act on.

FastAPI's default 422 body echoes the submitted `input`, which would copy referral text into
error reports and client logs; ours names the field and the fix, never the value.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from serve.schemas import ErrorDetail, ErrorOut
from thrive_ml.errors import (
    InputFormatError,
    InvalidReviewError,
    PredictionNotFoundError,
    RegistryError,
    StoreUnavailableError,
    ThriveError,
)

log = logging.getLogger("thrive_ml.serve")

STATUS_FOR: list[tuple[type[ThriveError], int]] = [
    (PredictionNotFoundError, status.HTTP_404_NOT_FOUND),
    (InvalidReviewError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (InputFormatError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (StoreUnavailableError, status.HTTP_503_SERVICE_UNAVAILABLE),
    (RegistryError, status.HTTP_503_SERVICE_UNAVAILABLE),
]


def _field(error: dict) -> str:
    if error.get("type") == "json_invalid":
        return "body"  # its location is a character position, not a field
    loc = tuple(error.get("loc", ()))
    return ".".join(str(p) for p in (loc[1:] if loc[:1] == ("body",) else loc)) or "body"


def _message(error: dict) -> str:
    kind = error.get("type", "")
    field = _field(error)
    if kind == "json_invalid":
        where = error.get("ctx", {}).get("error", "")
        return f"the body is not valid JSON ({where}); check quotes, commas and braces"
    if kind == "missing":
        return f"`{field}` is required"
    if kind in ("string_type", "str_type"):
        return f"`{field}` must be a JSON string"
    if kind == "model_attributes_type" or kind == "dict_type":
        return 'the body must be a JSON object, e.g. {"text": "..."}'
    if kind == "extra_forbidden":
        return f"`{field}` is not a field this endpoint accepts"
    if kind == "enum":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"`{field}` must be one of {allowed}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error.get("msg", "invalid value")))
    # pydantic's own messages describe constraints, not values ("should have at most 100 items").
    return f"`{field}`: {error.get('msg', 'invalid value')}"


def validation_body(errors: list[dict]) -> ErrorOut:
    details = [ErrorDetail(field=_field(e), message=_message(e)) for e in errors]
    return ErrorOut(
        detail="; ".join(d.message for d in details) or "invalid request", errors=details
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        body = validation_body(list(exc.errors()))
        return JSONResponse(body.model_dump(), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            ErrorOut(detail=str(exc.detail)).model_dump(),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(ThriveError)
    async def _thrive(_: Request, exc: ThriveError) -> JSONResponse:
        code = next((c for cls, c in STATUS_FOR if isinstance(exc, cls)), 500)
        if code >= 500:
            log.warning("request failed: %s", type(exc).__name__)
        return JSONResponse(ErrorOut(detail=str(exc)).model_dump(), status_code=code)
