"""One referral text in, the contract's triage result out: model suggestion + safety rules.

Routing is decided only here, so the CLI, the API and the MLflow model cannot disagree.

- `needs_human_review` is true when the safety rules route (any affirmed, historical or
  hypothetical risk mention: copied first, never removed) or when the model itself suggests
  Getting Risk Support. The review queue is for risk.
- `low_confidence` and `not_a_referral` are advisory: listed in `review_reasons` so staff
  know not to lean on the suggested group (or that there is nothing to triage), but on their
  own they do not put the text in the risk review queue; every referral is read by triage
  staff anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from thrive_ml.model.estimator import (
    FACTORS,
    GROUPS,
    ReferralClassifier,
    risk_context_token,
    safety_report,
)
from thrive_ml.model.explain import spans_for
from thrive_ml.result import Explanation, TriageResult
from thrive_ml.taxonomy import ExclusionFactor, ReviewReason, ThriveGroup

MODEL_RISK_REASON = f"model:{ThriveGroup.GETTING_RISK_SUPPORT.value}"


@dataclass(frozen=True)
class AbstentionPolicy:
    """When the model should say it does not know rather than pretend.

    `min_margin`: top-two probability gap below which the suggestion is `low_confidence`.
    `min_referral_probability`: below this the text does not look like a referral at all.
    `min_words`: fewer words than this cannot carry a referral's content.
    """

    min_margin: float = 0.10
    min_referral_probability: float = 0.5
    min_words: int = 4


class Triager:
    """A loaded model plus the safety rules; the single place a triage result is made."""

    def __init__(
        self,
        model: ReferralClassifier,
        model_version: str,
        policy: AbstentionPolicy | None = None,
        explain: bool = True,
    ) -> None:
        self.model = model
        self.model_version = str(model_version)
        self.policy = policy or AbstentionPolicy()
        self.explain = explain

    def triage(self, text: str, id: str | None = None) -> TriageResult:
        return self.triage_many([text], [id])[0]

    def triage_many(
        self, texts: Sequence[str], ids: Iterable[str | None] | None = None
    ) -> list[TriageResult]:
        """Vectorised: one feature pass for the whole batch, then one result per text."""
        texts = list(texts)
        ids = list(ids) if ids is not None else [None] * len(texts)
        if not texts:
            return []
        reports = [safety_report(t) for t in texts]
        Z = self.model.transform_text(texts)
        group_p = self.model.group_proba_from_features(Z)
        factor_p = self.model.factor_proba_from_features(Z)
        referral_p = self.model.referral_proba_from_features(Z)
        thresholds = self.model.factor_thresholds_
        out = []
        for i, text in enumerate(texts):
            report = reports[i]
            probs = group_p[i]
            order = np.argsort(probs)[::-1]
            group = ThriveGroup(GROUPS[order[0]])
            reasons = list(report.review_reasons)  # safety first, never removed
            if group is ThriveGroup.GETTING_RISK_SUPPORT:
                reasons.append(MODEL_RISK_REASON)
            not_referral = (
                len(text.split()) < self.policy.min_words
                or referral_p[i] < self.policy.min_referral_probability
            )
            if not_referral:
                reasons.append(ReviewReason.NOT_A_REFERRAL.value)
            elif probs[order[0]] - probs[order[1]] < self.policy.min_margin:
                reasons.append(ReviewReason.LOW_CONFIDENCE.value)
            factors = [
                ExclusionFactor(FACTORS[j])
                for j in range(len(FACTORS))
                if factor_p[i, j] >= thresholds[j]
            ]
            result = TriageResult(
                id=ids[i],
                thrive_group=group,
                thrive_probabilities={
                    ThriveGroup(g): round(float(p), 4) for g, p in zip(GROUPS, probs, strict=True)
                },
                exclusion_factors=[] if not_referral else factors,
                exclusion_probabilities={
                    ExclusionFactor(f): round(float(p), 4)
                    for f, p in zip(FACTORS, factor_p[i], strict=True)
                },
                risk_flags=list(report.flags),
                needs_human_review=report.routes_to_review
                or group is ThriveGroup.GETTING_RISK_SUPPORT,
                review_reasons=reasons,
                model_version=self.model_version,
                rules_version=report.rules_version,
                explanations=self._explain(text, int(order[0]), Z[i]) if self.explain else [],
            )
            out.append(result)
        return out

    def _explain(self, text: str, group_index: int, features: Any) -> list[Explanation]:
        contributions = self.model.word_contributions(text, group_index, top=8, features=features)
        # Risk mentions reach the model as context tokens ("zzselfharmaffirmed"); point those
        # back at the flagged words themselves.
        flag_spans = {risk_context_token(f): f for f in safety_report(text).flags}
        spans: list[Explanation] = []
        words = []
        for c in contributions:
            flag = flag_spans.get(c.feature)
            if flag is not None:
                spans.append(
                    Explanation(
                        start=flag.start, end=flag.end, text=flag.text, weight=round(c.weight, 4)
                    )
                )
            else:
                words.append(c)
        spans += [
            Explanation(start=s.start, end=s.end, text=s.text, weight=s.weight)
            for s in spans_for(text, words, limit=5)
        ]
        spans.sort(key=lambda e: -e.weight)
        kept: list[Explanation] = []
        for e in spans:
            if not any(e.start < k.end and k.start < e.end for k in kept):
                kept.append(e)
        return kept[:5]
