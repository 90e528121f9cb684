"""The one routing decision: any risk mention about this child goes to a person.

Routing is decided only here, from the flags alone, so no argument, setting, environment variable
or model output can switch it off: there is nothing to pass in but the flags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from thrive_ml.result import RiskFlag
from thrive_ml.taxonomy import ROUTING_STATUSES, RiskIndicator, risk_reason


@dataclass(frozen=True)
class RoutingDecision:
    """Whether a referral must go to human review, and why."""

    routes_to_review: bool
    review_reasons: tuple[str, ...]


def decide(flags: Iterable[RiskFlag]) -> RoutingDecision:
    """Affirmed, historical and hypothetical flags route, one `risk:<indicator>` reason each."""
    routed = {f.indicator for f in flags if f.status in ROUTING_STATUSES}
    if not routed:
        return _NO_REVIEW
    return RoutingDecision(True, tuple(reason for i, reason in _REASONS if i in routed))


_NO_REVIEW = RoutingDecision(False, ())
# Reasons in the taxonomy's order of indicators, made once.
_REASONS = tuple((i, risk_reason(i)) for i in RiskIndicator)
