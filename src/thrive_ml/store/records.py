"""What goes into and comes out of the audit store: frozen dataclasses, checked on the way in.

A `NewPrediction` is checked when it is built, before it joins a group commit, so one bad item
(a NUL byte PostgreSQL cannot hold, a malformed result) fails alone instead of failing every
request committed with it. Error messages name fields, never the referral text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from thrive_ml.errors import InputFormatError, InvalidReviewError
from thrive_ml.result import TriageResult
from thrive_ml.store.chain import canonical_json
from thrive_ml.taxonomy import ExclusionFactor, ThriveGroup

MAX_KEY_NAME = 100
MAX_VERSION = 64
MAX_COMMENT = 10_000


class Decision(StrEnum):
    """A reviewer either agrees with the suggestion or changes it."""

    CONFIRMED = "confirmed"
    CORRECTED = "corrected"


def storable(value: str) -> bool:
    """True if both databases can hold the string: no NUL, no lone surrogate (not UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_key_name(name: object) -> str:
    """Key names label every record; keep them short, printable and unambiguous."""
    if (
        not isinstance(name, str)
        or not name.strip()
        or name != name.strip()
        or len(name) > MAX_KEY_NAME
        or not name.isprintable()
    ):
        raise InputFormatError(
            f"a key name must be 1-{MAX_KEY_NAME} printable characters without leading or "
            "trailing spaces, e.g. 'triage-desk-1'"
        )
    return name


@dataclass(frozen=True)
class NewPrediction:
    """A suggestion to record: the referral text, the full result dict, who asked for it.

    `result` is `TriageResult.model_dump(mode="json")`; the model and rules versions, group,
    review flag and reasons are read from it. Raises `InputFormatError` if it cannot be stored.
    """

    text: str
    result: dict[str, Any]
    key_name: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not storable(self.text):
            raise InputFormatError(
                "the referral text contains a NUL character or an unpaired surrogate, which "
                "cannot be stored; remove it and resubmit"
            )
        check_key_name(self.key_name)
        if not isinstance(self.result, Mapping):
            raise InputFormatError("a prediction's result must be a TriageResult dict")
        try:
            parsed = TriageResult.model_validate(self.result)
        except ValidationError as exc:
            # Field locations only: the values may quote the referral.
            where = sorted({".".join(map(str, e["loc"])) for e in exc.errors()})
            raise InputFormatError(
                f"a prediction's result is not a TriageResult (bad fields: {', '.join(where)})"
            ) from None
        if len(parsed.model_version) > MAX_VERSION or len(parsed.rules_version) > MAX_VERSION:
            raise InputFormatError(f"model and rules versions must be at most {MAX_VERSION} chars")
        try:
            payload = canonical_json(self.result)
        except (TypeError, ValueError):
            raise InputFormatError("a prediction's result must be JSON-serialisable") from None
        if not storable(payload):
            raise InputFormatError(
                "a prediction's result contains an unpaired surrogate, which cannot be stored"
            )


@dataclass(frozen=True)
class ReviewDecision:
    """A reviewer's labels for a prediction; checked against the taxonomy by `append_review`."""

    thrive_group: str
    exclusion_factors: list[str]
    comment: str = ""


def check_decision(decision: ReviewDecision) -> tuple[ThriveGroup, list[ExclusionFactor], str]:
    """The decision's labels as enums (factors deduplicated, in taxonomy order) and comment."""
    try:
        group = ThriveGroup(decision.thrive_group)
    except ValueError:
        raise InvalidReviewError(
            f"unknown thrive_group {str(decision.thrive_group)[:40]!r}; "
            f"allowed: {', '.join(g.value for g in ThriveGroup)}"
        ) from None
    if not isinstance(decision.exclusion_factors, list | tuple | set | frozenset) or not all(
        isinstance(f, str) for f in decision.exclusion_factors
    ):
        raise InvalidReviewError("exclusion_factors must be a list of factor names")
    allowed = {f.value for f in ExclusionFactor}
    unknown = sorted({str(f)[:40] for f in decision.exclusion_factors} - allowed)
    if unknown:
        raise InvalidReviewError(
            f"unknown exclusion factors {unknown}; allowed: {', '.join(f.value for f in ExclusionFactor)}"
        )
    chosen = set(decision.exclusion_factors)
    factors = [f for f in ExclusionFactor if f.value in chosen]
    comment = decision.comment
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT or not storable(comment):
        raise InvalidReviewError(
            f"a review comment must be text of at most {MAX_COMMENT} characters, without NUL "
            "characters"
        )
    return group, factors, comment


@dataclass(frozen=True)
class StoredReview:
    """One recorded review decision. `reviewer` is the reviewing key's name."""

    seq: int
    prediction_id: str
    created_at: str
    reviewer: str
    decision: Decision
    thrive_group: ThriveGroup
    exclusion_factors: list[ExclusionFactor]
    comment: str

    @classmethod
    def from_row(cls, row: Any) -> StoredReview:
        body = json.loads(row.payload)
        return cls(
            seq=row.seq,
            prediction_id=row.prediction_id,
            created_at=row.created_at,
            reviewer=row.key_name,
            decision=Decision(body["decision"]),
            thrive_group=ThriveGroup(body["thrive_group"]),
            exclusion_factors=[ExclusionFactor(f) for f in body["exclusion_factors"]],
            comment=body["comment"],
        )


@dataclass(frozen=True)
class StoredPrediction:
    """A recorded suggestion with every review of it, oldest first."""

    prediction_id: str
    seq: int
    created_at: str
    key_name: str
    text: str
    result: dict[str, Any]
    reviews: list[StoredReview] = field(default_factory=list)

    @property
    def latest_review(self) -> StoredReview | None:
        """The decision that counts now: reviews are kept, the newest wins."""
        return self.reviews[-1] if self.reviews else None

    @classmethod
    def from_row(cls, row: Any, reviews: list[StoredReview]) -> StoredPrediction:
        return cls(
            prediction_id=row.prediction_id,
            seq=row.seq,
            created_at=row.created_at,
            key_name=row.key_name,
            text=row.text,
            result=json.loads(row.payload),
            reviews=reviews,
        )


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of walking the chain: `ok` only if no problem was found."""

    ok: bool
    records: int
    problems: list[str]
