"""The contract's triage result shape, shared by the CLI, the API and the MLflow model.

See shared/CONTRACT.md. Field names and label strings here are the public contract.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from thrive_ml.taxonomy import ContextStatus, ExclusionFactor, RiskIndicator, ThriveGroup

SUGGESTION_NOTICE = (
    "This is a suggestion to support triage, not a decision. A qualified person must review it."
)


class RiskFlag(BaseModel):
    """One risk mention found by the safety rules, with offsets into the submitted text."""

    model_config = ConfigDict(frozen=True)

    indicator: RiskIndicator
    status: ContextStatus
    start: int = Field(ge=0, description="Character offset of the mention's first character.")
    end: int = Field(ge=0, description="Character offset one past the mention's last character.")
    text: str = Field(description="The submitted text between start and end.")


class Explanation(BaseModel):
    """A span of the submitted text that pushed the suggested group, with its weight."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    weight: float = Field(description="How strongly it pushed the suggestion (log-odds units).")


class PossibleRisk(BaseModel):
    """A sentence the learned risk reader found risk-like where the safety rules found nothing.

    It sends the referral to a person (`model:possible_risk`); it is not a risk flag: the
    reader names no indicator, and a person decides what, if anything, the sentence says."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    probability: float = Field(description="The reader's probability that it tells of risk.")


class TriageResult(BaseModel):
    """One referral's suggestion; the same object whether it came from the CLI, API or MLflow."""

    id: str | None = None
    thrive_group: ThriveGroup
    thrive_probabilities: dict[ThriveGroup, float]
    exclusion_factors: list[ExclusionFactor]
    exclusion_probabilities: dict[ExclusionFactor, float]
    risk_flags: list[RiskFlag]
    needs_human_review: bool
    review_reasons: list[str]
    model_version: str
    rules_version: str
    explanations: list[Explanation] = Field(default_factory=list)
    possible_risk: list[PossibleRisk] = Field(default_factory=list)
    notice: str = SUGGESTION_NOTICE


_Model = TypeVar("_Model", bound=BaseModel)
_new = object.__new__
_set = object.__setattr__


def construct(model: type[_Model], **values: Any) -> _Model:
    """`model.model_construct(**values)` for values we built ourselves, giving every field.

    Why: a referral's flags and explanations are made from enums, exact slices and our own
    numbers, so validation would only cost time; pydantic's `model_construct` still costs
    ~2 us an object (it fills defaults and sorts out extra fields), this ~0.7 us. The object
    is the same (tests/test_result.py compares them)."""
    obj = _new(model)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
