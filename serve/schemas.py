"""What goes over the wire: request limits and response shapes, all pydantic.

The triage result itself is the library's `TriageResult` (the contract); the API only adds
`prediction_id`. Table rows never leave the service as-is: each has an `...Out` shape here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from thrive_ml.batch import MAX_TEXT_CHARS
from thrive_ml.result import SUGGESTION_NOTICE, TriageResult
from thrive_ml.store.records import storable
from thrive_ml.taxonomy import ExclusionFactor, ThriveGroup

MAX_BATCH_ITEMS = 100
MAX_ID_CHARS = 200
MAX_COMMENT_CHARS = 4000


class TriageRequest(BaseModel):
    """One referral. `text` is the referral as written; `id` is the caller's own reference."""

    model_config = ConfigDict(extra="forbid")

    text: StrictStr = Field(
        description=f"The referral text, 1 to {MAX_TEXT_CHARS:,} characters.",
        examples=["Year 9 boy, low mood and not sleeping since his grandad died in spring."],
    )
    id: Annotated[StrictStr, Field(max_length=MAX_ID_CHARS)] | None = Field(
        default=None, description="Your reference for this referral; echoed back."
    )

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty or only whitespace; send the referral's words")
        if not storable(value):
            raise ValueError(
                "text contains a NUL character or an unpaired surrogate (often a copy-paste "
                "from a binary file); remove it and resubmit"
            )
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError(
                f"text has {len(value):,} characters; the limit is {MAX_TEXT_CHARS:,}. "
                "Send the referral itself without attachments, or split it"
            )
        return value


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[dict] = Field(
        min_length=1,
        max_length=MAX_BATCH_ITEMS,
        description=(
            f"1 to {MAX_BATCH_ITEMS} objects shaped like a single triage request. Each item is "
            "checked on its own: a bad item gets an error in its place, the rest are triaged."
        ),
    )


class TriageResponse(TriageResult):
    """The contract's result plus where the audit store keeps it."""

    prediction_id: str = Field(description="Audit record id; use it to fetch or review.")


class ItemError(BaseModel):
    index: int
    id: str | None = None
    error: str


class BatchResponse(BaseModel):
    results: list[TriageResponse | ItemError]
    notice: str = SUGGESTION_NOTICE


class ReviewRequest(BaseModel):
    """A reviewer's decision: the group and factors they judge right, and why."""

    model_config = ConfigDict(extra="forbid")

    thrive_group: ThriveGroup
    exclusion_factors: list[ExclusionFactor] = Field(default_factory=list)
    comment: Annotated[StrictStr, Field(max_length=MAX_COMMENT_CHARS)] = ""


class ReviewOut(BaseModel):
    seq: int
    created_at: str
    reviewer: str
    decision: Literal["confirmed", "corrected"]
    thrive_group: ThriveGroup
    exclusion_factors: list[ExclusionFactor]
    comment: str


class PredictionOut(BaseModel):
    prediction_id: str
    created_at: str
    key_name: str
    text: str
    result: TriageResult
    reviews: list[ReviewOut]
    notice: str = SUGGESTION_NOTICE


class PredictionSummary(BaseModel):
    """A queue or search row: enough to choose what to open, without the referral text."""

    prediction_id: str
    created_at: str
    key_name: str
    model_version: str
    thrive_group: ThriveGroup
    needs_human_review: bool
    review_reasons: list[str]
    reviews: int
    latest_decision: Literal["confirmed", "corrected"] | None = None


class PageOut(BaseModel):
    items: list[PredictionSummary]
    limit: int
    offset: int


class ModelOut(BaseModel):
    model_version: str
    rules_version: str
    metrics: dict[str, float]
    loaded_at: str
    notice: str = SUGGESTION_NOTICE


class ReloadOut(BaseModel):
    previous_version: str
    model_version: str
    rules_version: str


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    detail: str
    errors: list[ErrorDetail] = Field(default_factory=list)
