"""The labelling function: latent case -> THRIVE group, alternative group, factors, risk.

Pure and deterministic. Each rule cites the seed criterion it follows ("criteria" is the
service's professional criteria, "guide" the THRIVE guide for families). Thresholds are named
constants so the data card can quote them and tests can pin them.
"""

from __future__ import annotations

from dataclasses import dataclass

from thrive_ml.synthetic.cases import (
    Case,
    Concern,
    CoOccurring,
    DifficultyKind,
    Engagement,
    FamilyContext,
    ImpactLevel,
    Request,
    RiskLevel,
    Service,
    Severity,
)
from thrive_ml.taxonomy import (
    ROUTING_STATUSES,
    ContextStatus,
    ExclusionFactor,
    RiskIndicator,
    ThriveGroup,
)

# criteria: "starting to experience ... difficulties (i.e. 6 months to a year)"; beyond a year
# with little change, a difficulty is enduring (criteria: "complex or enduring difficulties").
ENDURING_MONTHS = 12
# guide: Getting Advice is for things that have got harder "right now"; a mild wobble that has
# lasted a term or more while affecting daily life has become a Getting Help need.
RECENT_MONTHS = 3

# criteria, Complexity: "involvement of children's social care, CAMHS or multiple professionals".
SOCIAL_CARE = frozenset({Service.SOCIAL_CARE_CIN, Service.CHILD_PROTECTION, Service.LOOKED_AFTER})
SPECIALIST_INVOLVED = frozenset({Service.CAMHS_CURRENT, Service.YOUTH_JUSTICE})
# criteria, Complexity: "co-occurring difficulties (e.g., gender dysphoria, Autism, attachment)".
COMPLEX_CO_OCCURRING = frozenset(
    {CoOccurring.AUTISM, CoOccurring.GENDER_IDENTITY, CoOccurring.ATTACHMENT}
)
# criteria, Relevance: "eligibility criteria for another (specialist) service ... e.g. PTSD
# trauma, SEND, counselling, paediatric psychology"; eating disorders and substance misuse have
# their own services; bereavement counselling is a named kind of counselling service.
SPECIALIST_DIFFICULTIES = frozenset(
    {
        DifficultyKind.TRAUMA,
        DifficultyKind.EATING,
        DifficultyKind.BEREAVEMENT,
        DifficultyKind.SUBSTANCE_USE,
    }
)
# criteria, Timing: "unable to engage with or do not desire a time limited ... approach".
TIMING_ENGAGEMENT = frozenset(
    {
        Engagement.MOVING_AWAY,
        Engagement.WANTS_LONG_TERM,
        Engagement.DECLINES_BRIEF,
        Engagement.NOT_READY,
    }
)
# criteria, Risk: "suicidal ideation with clear plan and intent, previous suicidal attempts and
# means". These indicators, when current, are serious whatever their recorded level.
ALWAYS_SERIOUS = frozenset(
    {
        RiskIndicator.SUICIDE_PLAN_OR_INTENT,
        RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT,
        RiskIndicator.ACCESS_TO_MEANS,
    }
)


@dataclass(frozen=True)
class Labels:
    thrive_group: ThriveGroup
    thrive_alt: ThriveGroup | None
    exclusion_factors: tuple[ExclusionFactor, ...]
    risk_indicators: tuple[RiskIndicator, ...]


def risk_indicators(case: Case) -> tuple[RiskIndicator, ...]:
    """Indicators a reviewer must see: mentions about this child that are current, past or
    conditional. Negated and other-person mentions never add one (contract: not routed)."""
    found = {r.indicator for r in case.risks if r.status in ROUTING_STATUSES}
    return tuple(i for i in RiskIndicator if i in found)


# Risk to the child's own life or body. The criteria's Getting Risk Support examples are all of
# this kind; the team's guideline lists the same (thoughts, self-harm, plan, attempt, means).
SELF_DIRECTED = frozenset(
    {
        RiskIndicator.SUICIDAL_IDEATION,
        RiskIndicator.SUICIDE_PLAN_OR_INTENT,
        RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT,
        RiskIndicator.ACCESS_TO_MEANS,
        RiskIndicator.SELF_HARM,
    }
)


def serious_current_risk(case: Case) -> bool:
    """criteria, Getting Risk Support: 'high risk', 'frequent suicidal thoughts and self-harm';
    guide: 'keeping someone safe ... when other help isn't working yet'."""
    return any(
        r.status is ContextStatus.AFFIRMED
        and r.indicator in SELF_DIRECTED
        and (r.level is RiskLevel.HIGH or r.indicator in ALWAYS_SERIOUS)
        for r in case.risks
    )


def serious_risk_from_others_or_to_others(case: Case) -> bool:
    """Current abuse or exploitation, or serious threats to others (a weapon). The criteria put
    safeguarding under Complexity (multi-agency work), not under Risk Support, so these raise
    the need to at least Getting More Help and add the risk factor; Risk Support stays the
    careful alternative."""
    return any(
        r.status is ContextStatus.AFFIRMED
        and r.indicator not in SELF_DIRECTED
        and r.level is RiskLevel.HIGH
        for r in case.risks
    )


def _impact_total(case: Case) -> tuple[int, int]:
    levels = [int(level) for _, level in case.impacts]
    return sum(levels), sum(1 for lv in levels if lv == ImpactLevel.MAJOR)


def base_group(case: Case) -> ThriveGroup:
    """Group from the presenting picture alone, before risk."""
    if not case.difficulties:
        # criteria, Thriving: 'doing well and don't need mental health support'. A parent who
        # wants ideas for ordinary behaviour or parenting strain is asking for advice (guide).
        wants_ideas = case.request in (Request.PARENT_ADVICE, Request.INFORMATION)
        if (
            case.concerns
            and wants_ideas
            and (
                Concern.PARENTING_STRAIN in case.concerns
                or Concern.NEURODIVERGENT_TRAITS in case.concerns
            )
        ):
            return ThriveGroup.GETTING_ADVICE
        return ThriveGroup.THRIVING
    max_sev = max(d.severity for d in case.difficulties)
    longest = max(d.months for d in case.difficulties)
    total, n_major = _impact_total(case)
    failed_before = any(not s.helped for s in case.previous_support)
    n_areas = len(case.difficulties)
    # criteria, Getting More Help: 'more complex or enduring difficulties'; 'persistent OCD or
    # anxiety that affects daily functioning'; guide (Leah): 'big impact on everyday life,
    # even with previous support'.
    if (
        max_sev is Severity.SEVERE
        or n_major >= 2
        or (n_areas >= 3 and max_sev >= Severity.MODERATE)
        or (longest >= ENDURING_MONTHS and failed_before and max_sev >= Severity.MODERATE)
    ):
        return ThriveGroup.GETTING_MORE_HELP
    # criteria, Getting Help: 'mild to moderate', 'difficulty in one or two areas but generally
    # functioning well'; guide (Samir): 'significantly affecting sleep, school'.
    if max_sev is Severity.MODERATE or (longest >= RECENT_MONTHS and total >= 2):
        return ThriveGroup.GETTING_HELP
    # criteria, Getting Advice: 'information, guidance, or reassurance' (exam-worry example).
    return ThriveGroup.GETTING_ADVICE


def exclusion_factors(case: Case, group: ThriveGroup) -> tuple[ExclusionFactor, ...]:
    """Zero or more of the criteria's five exclusion factors."""
    out: set[ExclusionFactor] = set()
    services = set(case.services)
    needs_support = group.rank >= ThriveGroup.GETTING_HELP.rank
    # Complexity (criteria): social care, DV history, developmental trauma, CAMHS or several
    # professionals, co-occurring needs with a complex presentation. A closed or light-touch
    # contact around a child who is coping is not complexity, so it needs a current need.
    if needs_support and (
        services & SOCIAL_CARE
        or services & SPECIALIST_INVOLVED
        or len(services) >= 3
        or FamilyContext.DOMESTIC_ABUSE_HISTORY in case.family
        or any(
            r.indicator is RiskIndicator.SAFEGUARDING and r.status in ROUTING_STATUSES
            for r in case.risks
        )
        or (
            set(case.co_occurring) & COMPLEX_CO_OCCURRING
            and group.rank >= ThriveGroup.GETTING_MORE_HELP.rank
        )
    ):
        out.add(ExclusionFactor.COMPLEXITY)
    # Risk (criteria): serious current risk, or any previous attempt while support is needed.
    if (
        serious_current_risk(case)
        or serious_risk_from_others_or_to_others(case)
        or (
            needs_support
            and any(
                r.indicator is RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT
                and r.status in ROUTING_STATUSES
                for r in case.risks
            )
        )
    ):
        out.add(ExclusionFactor.RISK)
    # Relevance (criteria): another specialist service fits better.
    kinds = {d.kind for d in case.difficulties}
    if (
        kinds & SPECIALIST_DIFFICULTIES
        or Service.EATING_DISORDER_SERVICE in services
        or (CoOccurring.LONG_TERM_CONDITION in case.co_occurring and needs_support)
        or (
            case.request is Request.ASSESSMENT
            and (set(case.co_occurring) & {CoOccurring.AUTISM, CoOccurring.ADHD} or case.concerns)
        )
        or (CoOccurring.SEND in case.co_occurring and group is ThriveGroup.GETTING_MORE_HELP)
    ):
        out.add(ExclusionFactor.RELEVANCE)
    # Presenting need (criteria): no evidence of a mental-health difficulty; the concern is
    # better explained by parenting, socio-economic context or a neurodevelopmental difference.
    if not case.difficulties and case.concerns:
        out.add(ExclusionFactor.PRESENTING_NEED)
    # Timing (criteria): unable or unwilling to take up time-limited work now.
    if case.engagement in TIMING_ENGAGEMENT:
        out.add(ExclusionFactor.TIMING)
    return tuple(f for f in ExclusionFactor if f in out)


def alternative_group(case: Case, group: ThriveGroup) -> ThriveGroup | None:
    """A second group a careful clinician could pick; None when the case is clear-cut."""
    total, n_major = _impact_total(case)
    passing_risk = any(
        r.status is ContextStatus.AFFIRMED and r.level is RiskLevel.LOW for r in case.risks
    )
    if group is ThriveGroup.GETTING_RISK_SUPPORT:
        return None
    if serious_risk_from_others_or_to_others(case):
        return ThriveGroup.GETTING_RISK_SUPPORT
    if not case.difficulties:
        if case.concerns or case.resolved:
            return (
                ThriveGroup.THRIVING
                if group is ThriveGroup.GETTING_ADVICE
                else ThriveGroup.GETTING_ADVICE
            )
        return None
    max_sev = max(d.severity for d in case.difficulties)
    longest = max(d.months for d in case.difficulties)
    if group is ThriveGroup.GETTING_HELP:
        if passing_risk:
            return ThriveGroup.GETTING_RISK_SUPPORT
        if n_major >= 1 or longest >= ENDURING_MONTHS:
            return ThriveGroup.GETTING_MORE_HELP
        if max_sev is Severity.MILD:
            return ThriveGroup.GETTING_ADVICE
        return None
    if group is ThriveGroup.GETTING_MORE_HELP:
        if max_sev is not Severity.SEVERE and n_major <= 2 and len(case.difficulties) <= 2:
            return ThriveGroup.GETTING_HELP
        if passing_risk:
            return ThriveGroup.GETTING_RISK_SUPPORT
        return None
    if group is ThriveGroup.GETTING_ADVICE and (longest >= 2 or total >= 1):
        return ThriveGroup.GETTING_HELP
    return None


def label_case(case: Case) -> Labels:
    """criteria tie-break (and guide): serious current risk to the child's life or body decides
    the group; current abuse or serious threats to others need at least Getting More Help;
    past risk that has resolved does not by itself; a passing thought with no plan stays in
    its presenting group (it still routes to review)."""
    if serious_current_risk(case):
        group = ThriveGroup.GETTING_RISK_SUPPORT
    else:
        group = base_group(case)
        floor = ThriveGroup.GETTING_MORE_HELP
        if serious_risk_from_others_or_to_others(case) and group.rank < floor.rank:
            group = floor
    return Labels(
        thrive_group=group,
        thrive_alt=alternative_group(case, group),
        exclusion_factors=exclusion_factors(case, group),
        risk_indicators=risk_indicators(case),
    )
