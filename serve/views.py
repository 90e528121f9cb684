"""Stored records to response shapes; shared by the JSON API and the pages."""

from __future__ import annotations

from serve.schemas import PredictionOut, PredictionSummary, ReviewOut
from thrive_ml.result import TriageResult
from thrive_ml.store.records import StoredPrediction, StoredReview


def review_out(review: StoredReview) -> ReviewOut:
    return ReviewOut(
        seq=review.seq,
        created_at=review.created_at,
        reviewer=review.reviewer,
        decision=review.decision.value,
        thrive_group=review.thrive_group,
        exclusion_factors=review.exclusion_factors,
        comment=review.comment,
    )


def prediction_out(stored: StoredPrediction) -> PredictionOut:
    return PredictionOut(
        prediction_id=stored.prediction_id,
        created_at=stored.created_at,
        key_name=stored.key_name,
        text=stored.text,
        result=TriageResult.model_validate(stored.result),
        reviews=[review_out(r) for r in stored.reviews],
    )


def summary(stored: StoredPrediction) -> PredictionSummary:
    latest = stored.latest_review
    return PredictionSummary(
        prediction_id=stored.prediction_id,
        created_at=stored.created_at,
        key_name=stored.key_name,
        model_version=stored.result["model_version"],
        thrive_group=stored.result["thrive_group"],
        needs_human_review=stored.result["needs_human_review"],
        review_reasons=stored.result["review_reasons"],
        reviews=len(stored.reviews),
        latest_decision=latest.decision.value if latest else None,
    )
