"""One referral text in, the contract's triage result out: model suggestion + safety rules.

Routing is decided only here, so the CLI, the API and the MLflow model cannot disagree.

- `needs_human_review` is true when the safety rules route (any affirmed, historical or
  hypothetical risk mention: copied first, never removed) or when the model itself suggests
  Getting Risk Support, or when the learned risk reader finds a sentence that reads like risk
  where the rules found nothing (`model:possible_risk`, the sentence in `possible_risk`).
  Model reasons only ever add to the rules' routing. The review queue is for risk.
- `low_confidence` and `not_a_referral` are advisory: listed in `review_reasons` so staff
  know not to lean on the suggested group (or that there is nothing to triage), but on their
  own they do not put the text in the risk review queue; every referral is read by triage
  staff anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from thrive_ml.model.estimator import (
    FACTORS,
    GROUPS,
    Contribution,
    ReferralClassifier,
    risk_context_token,
    safety_report,
)
from thrive_ml.model.explain import spans_for
from thrive_ml.model.risk_reader import Finding
from thrive_ml.result import Explanation, PossibleRisk, TriageResult, construct
from thrive_ml.safety import SafetyReport
from thrive_ml.taxonomy import ExclusionFactor, ReviewReason, ThriveGroup

MODEL_RISK_REASON = f"model:{ThriveGroup.GETTING_RISK_SUPPORT.value}"
POSSIBLE_RISK_REASON = "model:possible_risk"
_GROUP_ENUMS: tuple[ThriveGroup, ...] = tuple(ThriveGroup(g) for g in GROUPS)
_FACTOR_ENUMS: tuple[ExclusionFactor, ...] = tuple(ExclusionFactor(f) for f in FACTORS)


def _fewer_words_than(text: str, n: int) -> bool:
    """`len(text.split()) < n` without splitting a long text past its first n words."""
    return len(text.split(maxsplit=n)) < n if n > 0 else False


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
        marked = self.model.mark(texts, reports)
        reader = getattr(self.model, "risk_reader_", None)  # None: a model from before readers
        findings: list[Finding | None] = (
            reader.find(texts, reports, marked) if reader is not None else [None] * len(texts)
        )
        Z = self.model.vectorize(marked)
        group_p, factor_p, referral_p = self.model.score_features(Z)
        orders = np.argsort(group_p, axis=1)[:, ::-1]
        contributions = (
            self.model.contributions_for_rows(Z, orders[:, 0].tolist(), top=8)
            if self.explain
            else None
        )
        # Every comparison is made on the arrays, in their own dtype, then the rows become
        # Python lists: per-element numpy access cost more than the work.
        policy = self.policy
        rows = np.arange(len(texts))
        firsts = orders[:, 0].tolist()
        margins = group_p[rows, orders[:, 0]] - group_p[rows, orders[:, 1]]
        unsure = (margins < policy.min_margin).tolist()
        unlike_referral = (referral_p < policy.min_referral_probability).tolist()
        chosen_rows = (factor_p >= self.model.factor_thresholds_).tolist()
        group_rows, factor_rows = group_p.tolist(), factor_p.tolist()
        out = []
        for i, text in enumerate(texts):
            report = reports[i]
            probs = group_rows[i]
            group = _GROUP_ENUMS[firsts[i]]
            reasons = list(report.review_reasons)  # safety first, never removed
            if group is ThriveGroup.GETTING_RISK_SUPPORT:
                reasons.append(MODEL_RISK_REASON)
            finding = findings[i]
            if finding is not None:
                reasons.append(POSSIBLE_RISK_REASON)
            not_referral = _fewer_words_than(text, policy.min_words) or unlike_referral[i]
            if not_referral:
                reasons.append(ReviewReason.NOT_A_REFERRAL.value)
            elif unsure[i]:
                reasons.append(ReviewReason.LOW_CONFIDENCE.value)
            result = TriageResult(
                id=ids[i],
                thrive_group=group,
                thrive_probabilities={
                    g: round(p, 4) for g, p in zip(_GROUP_ENUMS, probs, strict=True)
                },
                exclusion_factors=[]
                if not_referral
                else [f for f, on in zip(_FACTOR_ENUMS, chosen_rows[i], strict=True) if on],
                exclusion_probabilities={
                    f: round(p, 4) for f, p in zip(_FACTOR_ENUMS, factor_rows[i], strict=True)
                },
                risk_flags=list(report.flags),
                needs_human_review=report.routes_to_review
                or group is ThriveGroup.GETTING_RISK_SUPPORT
                or finding is not None,
                review_reasons=reasons,
                model_version=self.model_version,
                rules_version=report.rules_version,
                explanations=(
                    self._explain(text, report, contributions[i])
                    if contributions is not None
                    else []
                ),
                possible_risk=[]
                if finding is None
                else [
                    construct(
                        PossibleRisk,
                        start=finding.start,
                        end=finding.end,
                        text=text[finding.start : finding.end],
                        probability=round(finding.probability, 4),
                    )
                ],
            )
            out.append(result)
        return out

    def _explain(
        self, text: str, report: SafetyReport, contributions: list[Contribution]
    ) -> list[Explanation]:
        # Risk mentions reach the model as context tokens ("zzselfharmaffirmed"); point those
        # back at the flagged words themselves.
        flag_spans = {risk_context_token(f): f for f in report.flags}
        spans: list[tuple[int, int, str, float]] = []
        words = []
        for c in contributions:
            flag = flag_spans.get(c.feature)
            if flag is not None:
                spans.append((flag.start, flag.end, flag.text, round(c.weight, 4)))
            else:
                words.append(c)
        spans += [(s.start, s.end, s.text, s.weight) for s in spans_for(text, words, limit=5)]
        spans.sort(key=lambda e: -e[3])
        kept: list[tuple[int, int, str, float]] = []
        for e in spans:
            if not any(e[0] < k[1] and k[0] < e[1] for k in kept):
                kept.append(e)
                if len(kept) == 5:
                    break
        # Built from exact slices and our own numbers: validation would only cost time.
        return [construct(Explanation, start=s, end=e, text=t, weight=w) for s, e, t, w in kept]
