"""The labelling function's key rules, one small case each."""

from __future__ import annotations

import numpy as np
import pytest

from thrive_ml.synthetic.cases import (
    Case,
    Concern,
    CoOccurring,
    Difficulty,
    DifficultyKind,
    Engagement,
    FamilyContext,
    ImpactDomain,
    ImpactLevel,
    PreviousSupport,
    Request,
    RiskFact,
    RiskLevel,
    Scenario,
    Service,
    Severity,
    Sex,
    SupportKind,
    sample_case,
)
from thrive_ml.synthetic.labelling import label_case
from thrive_ml.taxonomy import ContextStatus, ExclusionFactor, RiskIndicator, ThriveGroup


def case(**facts) -> Case:
    base = {"age": 14, "sex": Sex.FEMALE, "name": "Test", "scenario": Scenario.MODERATE}
    return Case(**{**base, **facts})


MODERATE_LOW_MOOD = (Difficulty(DifficultyKind.LOW_MOOD, Severity.MODERATE, 4),)


def test_affirmed_plan_and_intent_is_risk_support_with_risk_factor():
    c = case(
        difficulties=MODERATE_LOW_MOOD,
        risks=(RiskFact(RiskIndicator.SUICIDE_PLAN_OR_INTENT, ContextStatus.AFFIRMED),),
    )
    labels = label_case(c)
    assert labels.thrive_group is ThriveGroup.GETTING_RISK_SUPPORT
    assert ExclusionFactor.RISK in labels.exclusion_factors
    assert labels.risk_indicators == (RiskIndicator.SUICIDE_PLAN_OR_INTENT,)


@pytest.mark.parametrize("status", [ContextStatus.NEGATED, ContextStatus.OTHER_PERSON])
@pytest.mark.parametrize("indicator", list(RiskIndicator))
def test_negated_or_other_person_mention_never_adds_risk(status, indicator):
    c = case(difficulties=MODERATE_LOW_MOOD, risks=(RiskFact(indicator, status, RiskLevel.HIGH),))
    labels = label_case(c)
    assert labels.risk_indicators == ()
    assert labels.thrive_group is ThriveGroup.GETTING_HELP
    assert ExclusionFactor.RISK not in labels.exclusion_factors


@pytest.mark.parametrize("status", [ContextStatus.HISTORICAL, ContextStatus.HYPOTHETICAL])
def test_past_or_conditional_self_harm_is_a_risk_indicator_but_not_risk_support(status):
    c = case(difficulties=MODERATE_LOW_MOOD, risks=(RiskFact(RiskIndicator.SELF_HARM, status),))
    labels = label_case(c)
    assert labels.risk_indicators == (RiskIndicator.SELF_HARM,)
    assert labels.thrive_group is ThriveGroup.GETTING_HELP


def test_one_passing_thought_stays_in_presenting_group_with_risk_support_as_alternative():
    c = case(
        difficulties=MODERATE_LOW_MOOD,
        risks=(RiskFact(RiskIndicator.SUICIDAL_IDEATION, ContextStatus.AFFIRMED, RiskLevel.LOW),),
    )
    labels = label_case(c)
    assert labels.thrive_group is ThriveGroup.GETTING_HELP
    assert labels.thrive_alt is ThriveGroup.GETTING_RISK_SUPPORT
    assert labels.risk_indicators == (RiskIndicator.SUICIDAL_IDEATION,)


def test_social_care_with_complex_picture_is_complexity():
    c = case(
        difficulties=(Difficulty(DifficultyKind.TRAUMA, Severity.SEVERE, 18),),
        services=(Service.LOOKED_AFTER,),
        impacts=((ImpactDomain.SCHOOL, ImpactLevel.MAJOR),),
    )
    labels = label_case(c)
    assert labels.thrive_group is ThriveGroup.GETTING_MORE_HELP
    assert ExclusionFactor.COMPLEXITY in labels.exclusion_factors
    assert ExclusionFactor.RELEVANCE in labels.exclusion_factors


def test_closed_social_care_contact_around_a_well_child_is_not_complexity():
    c = case(concerns=(Concern.PARENTING_STRAIN,), services=(Service.SOCIAL_CARE_CIN,))
    assert ExclusionFactor.COMPLEXITY not in label_case(c).exclusion_factors


def test_no_mental_health_difficulty_with_social_stress_is_presenting_need():
    c = case(concerns=(Concern.SOCIAL_STRESS,), family=(FamilyContext.HOUSING,))
    labels = label_case(c)
    assert labels.thrive_group is ThriveGroup.THRIVING
    assert labels.exclusion_factors == (ExclusionFactor.PRESENTING_NEED,)


def test_parent_wanting_ideas_for_tantrums_is_advice():
    c = case(age=4, concerns=(Concern.PARENTING_STRAIN,), request=Request.PARENT_ADVICE)
    assert label_case(c).thrive_group is ThriveGroup.GETTING_ADVICE


def test_resolved_difficulty_is_thriving():
    c = case(resolved=(DifficultyKind.WORRY,), request=Request.GROUP)
    labels = label_case(c)
    assert labels.thrive_group is ThriveGroup.THRIVING
    assert labels.exclusion_factors == ()


def test_recent_mild_wobble_is_advice():
    c = case(difficulties=(Difficulty(DifficultyKind.WORRY, Severity.MILD, 1),))
    assert label_case(c).thrive_group is ThriveGroup.GETTING_ADVICE


def test_enduring_moderate_ocd_after_failed_help_is_more_help():
    c = case(
        difficulties=(Difficulty(DifficultyKind.OCD, Severity.MODERATE, 24),),
        previous_support=(PreviousSupport(SupportKind.SCHOOL_COUNSELLOR, helped=False),),
    )
    assert label_case(c).thrive_group is ThriveGroup.GETTING_MORE_HELP


@pytest.mark.parametrize(
    "engagement",
    [
        Engagement.MOVING_AWAY,
        Engagement.WANTS_LONG_TERM,
        Engagement.DECLINES_BRIEF,
        Engagement.NOT_READY,
    ],
)
def test_cannot_take_up_brief_work_is_timing(engagement):
    c = case(difficulties=MODERATE_LOW_MOOD, engagement=engagement)
    assert ExclusionFactor.TIMING in label_case(c).exclusion_factors


def test_ready_family_has_no_timing_factor():
    assert (
        ExclusionFactor.TIMING
        not in label_case(case(difficulties=MODERATE_LOW_MOOD)).exclusion_factors
    )


def test_bereavement_points_to_a_specialist_service():
    c = case(difficulties=(Difficulty(DifficultyKind.BEREAVEMENT, Severity.MILD, 1),))
    labels = label_case(c)
    assert labels.thrive_group is ThriveGroup.GETTING_ADVICE
    assert ExclusionFactor.RELEVANCE in labels.exclusion_factors


def test_autism_with_complex_picture_is_complexity_but_alone_is_not():
    complex_case = case(
        difficulties=(Difficulty(DifficultyKind.SCHOOL_AVOIDANCE, Severity.SEVERE, 14),),
        co_occurring=(CoOccurring.AUTISM,),
    )
    mild_case = case(
        difficulties=(Difficulty(DifficultyKind.WORRY, Severity.MILD, 1),),
        co_occurring=(CoOccurring.AUTISM,),
    )
    assert ExclusionFactor.COMPLEXITY in label_case(complex_case).exclusion_factors
    assert ExclusionFactor.COMPLEXITY not in label_case(mild_case).exclusion_factors


def test_labelling_is_pure_and_deterministic():
    rng = np.random.default_rng(11)
    cases = [sample_case(rng) for _ in range(300)]
    assert [label_case(c) for c in cases] == [label_case(c) for c in cases]


def test_every_sampled_case_gets_valid_labels():
    rng = np.random.default_rng(5)
    for _ in range(2000):
        labels = label_case(sample_case(rng))
        assert labels.thrive_alt != labels.thrive_group
        if labels.thrive_group is ThriveGroup.GETTING_RISK_SUPPORT:
            assert labels.risk_indicators, "risk support always has a routed indicator"


def test_current_abuse_alone_is_more_help_with_risk_support_as_alternative():
    c = case(
        difficulties=MODERATE_LOW_MOOD,
        services=(Service.CHILD_PROTECTION,),
        risks=(RiskFact(RiskIndicator.SAFEGUARDING, ContextStatus.AFFIRMED, RiskLevel.HIGH),),
    )
    labels = label_case(c)
    assert labels.thrive_group is ThriveGroup.GETTING_MORE_HELP
    assert labels.thrive_alt is ThriveGroup.GETTING_RISK_SUPPORT
    assert {ExclusionFactor.RISK, ExclusionFactor.COMPLEXITY} <= set(labels.exclusion_factors)


def test_current_abuse_with_escalating_self_harm_is_risk_support():
    c = case(
        difficulties=MODERATE_LOW_MOOD,
        risks=(
            RiskFact(RiskIndicator.SAFEGUARDING, ContextStatus.AFFIRMED, RiskLevel.HIGH),
            RiskFact(RiskIndicator.SELF_HARM, ContextStatus.AFFIRMED, RiskLevel.HIGH),
        ),
    )
    assert label_case(c).thrive_group is ThriveGroup.GETTING_RISK_SUPPORT
