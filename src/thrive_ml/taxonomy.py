"""Every label thrive-ml uses, defined once, with where it comes from.

This is the only module that spells label strings. Everything else imports the enums, and data
files (rules, phrase banks) are validated against them when they load, so a typo fails loudly.

Sources:
- "criteria" = the service's professional criteria (shared/seeds/000_*.txt): the five THRIVE
  groups, the "one or two areas, generally functioning well" suitability rule, and the five
  exclusion factors.
- "family guide" = the THRIVE guide for families (shared/seeds/003_*.txt): plain-language
  descriptions and family scenarios for each grouping.
- "contract" = shared/CONTRACT.md, which fixes the exact strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ThriveGroup(StrEnum):
    """THRIVE needs-based grouping, declared in severity order (the contract's order)."""

    THRIVING = "thriving"
    GETTING_ADVICE = "getting_advice"
    GETTING_HELP = "getting_help"
    GETTING_MORE_HELP = "getting_more_help"
    GETTING_RISK_SUPPORT = "getting_risk_support"

    @property
    def rank(self) -> int:
        """Severity position, so code can compare groups without spelling them."""
        return list(ThriveGroup).index(self)


class ExclusionFactor(StrEnum):
    """Reasons a brief early-intervention service may not be the right one (criteria, 5 factors)."""

    COMPLEXITY = "complexity"
    RISK = "risk"
    RELEVANCE = "relevance"
    PRESENTING_NEED = "presenting_need"
    TIMING = "timing"


class RiskIndicator(StrEnum):
    """Risk indicators the safety rules look for (contract)."""

    SUICIDAL_IDEATION = "suicidal_ideation"
    SUICIDE_PLAN_OR_INTENT = "suicide_plan_or_intent"
    PREVIOUS_SUICIDE_ATTEMPT = "previous_suicide_attempt"
    ACCESS_TO_MEANS = "access_to_means"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    SAFEGUARDING = "safeguarding"


class ContextStatus(StrEnum):
    """Context of one risk mention (contract)."""

    AFFIRMED = "affirmed"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"
    NEGATED = "negated"
    OTHER_PERSON = "other_person"

    @property
    def routes(self) -> bool:
        """A mention about this child that is current, past or conditional goes to a person."""
        return self in ROUTING_STATUSES


ROUTING_STATUSES: frozenset[ContextStatus] = frozenset(
    {ContextStatus.AFFIRMED, ContextStatus.HISTORICAL, ContextStatus.HYPOTHETICAL}
)


class Voice(StrEnum):
    """Who wrote a referral. Matches the team's eval guideline names where they overlap."""

    GP = "gp"
    SCHOOL = "school"
    SCHOOL_NURSE = "school_nurse"
    SOCIAL_WORKER = "social_worker"
    HEALTH_VISITOR = "health_visitor"
    VOLUNTARY = "voluntary"
    PARENT = "parent"
    YOUNG_PERSON = "young_person"
    CARER = "carer"


class ReviewReason(StrEnum):
    """Non-risk reasons a result goes to a person; risk reasons are `risk:<indicator>`."""

    LOW_CONFIDENCE = "low_confidence"
    NOT_A_REFERRAL = "not_a_referral"


def risk_reason(indicator: RiskIndicator) -> str:
    """The contract's review-reason string for a risk indicator, e.g. `risk:self_harm`."""
    return f"risk:{indicator.value}"


@dataclass(frozen=True)
class LabelDefinition:
    """A label's meaning in our words, and where in the sources it comes from."""

    summary: str
    source: str


THRIVE_DEFINITIONS: dict[ThriveGroup, LabelDefinition] = {
    ThriveGroup.THRIVING: LabelDefinition(
        "Mostly okay and coping; ordinary ups and downs; earlier difficulties have settled. Any "
        "contact is about prevention, resilience or a wellbeing programme.",
        "criteria: '5. Thriving'; family guide: 'Thriving' and the Kay scenario",
    ),
    ThriveGroup.GETTING_ADVICE: LabelDefinition(
        "Something has become harder recently, but day-to-day life still mostly works; "
        "information, reassurance, signposting or coping ideas are enough.",
        "criteria: '1. Getting Advice' (exam-worry example); family guide: 'Getting Advice'",
    ),
    ThriveGroup.GETTING_HELP: LabelDefinition(
        "A mild-to-moderate difficulty in one or two areas that clearly affects school, sleep, "
        "friends or home for weeks to about a year, while the child still broadly functions; "
        "time-limited goal-focused work fits.",
        "criteria: '2. Getting Help', 'Referrals are suitable when ... one or two areas', "
        "'6 months to a year'; family guide: Samir scenario",
    ),
    ThriveGroup.GETTING_MORE_HELP: LabelDefinition(
        "Complex or enduring difficulties with a big effect on daily life, often despite earlier "
        "help; specialist, longer-term or multi-agency support fits.",
        "criteria: '3. Getting More Help' (persistent OCD example); family guide: Leah scenario",
    ),
    ThriveGroup.GETTING_RISK_SUPPORT: LabelDefinition(
        "A current safety concern dominates (frequent suicidal thoughts, escalating self-harm, "
        "plan or intent, a recent attempt, unsafe situation); safety comes before therapy.",
        "criteria: '4. Getting Risk Support'; family guide: 'I'm worried about my child's safety'",
    ),
}

EXCLUSION_DEFINITIONS: dict[ExclusionFactor, LabelDefinition] = {
    ExclusionFactor.COMPLEXITY: LabelDefinition(
        "Multi-agency, long-term or specialist work fits better: social care involvement, "
        "significant domestic abuse history, suspected developmental trauma, CAMHS or several "
        "professionals, co-occurring needs tangled with a complex presentation.",
        "criteria: exclusion factor 'Complexity'",
    ),
    ExclusionFactor.RISK: LabelDefinition(
        "Risk is too high for brief work or must be clarified first: ideation with plan and "
        "intent, a previous attempt, access to means, escalating self-harm.",
        "criteria: exclusion factor 'Risk'",
    ),
    ExclusionFactor.RELEVANCE: LabelDefinition(
        "Another specialist service clearly fits better (trauma/PTSD, SEND, eating disorder, "
        "paediatric psychology, bereavement counselling, substance misuse, neurodevelopmental).",
        "criteria: exclusion factor 'Relevance and appropriateness'",
    ),
    ExclusionFactor.PRESENTING_NEED: LabelDefinition(
        "No evidence of a mental-health difficulty; the concern is better explained by "
        "parenting, housing, money or other social stress, or a neurodevelopmental difference.",
        "criteria: exclusion factor 'Presenting need'",
    ),
    ExclusionFactor.TIMING: LabelDefinition(
        "The family cannot or will not take up brief, time-limited work now (declines it, "
        "wants open-ended therapy, moving away, not ready).",
        "criteria: exclusion factor 'Timing'",
    ),
}

RISK_DEFINITIONS: dict[RiskIndicator, LabelDefinition] = {
    RiskIndicator.SUICIDAL_IDEATION: LabelDefinition(
        "Thoughts of suicide or a wish to die, including indirect wording.",
        "criteria: 'suicidal ideation'; family guide: 'not wanting to be here'",
    ),
    RiskIndicator.SUICIDE_PLAN_OR_INTENT: LabelDefinition(
        "A method, time, place or stated intention to end their life.",
        "criteria: 'suicidal ideation with clear plan and intent'",
    ),
    RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT: LabelDefinition(
        "An attempt to end their life, recent or past.",
        "criteria: 'previous suicidal attempts'",
    ),
    RiskIndicator.ACCESS_TO_MEANS: LabelDefinition(
        "Stockpiled medication, a ligature, a weapon or other means to hand.",
        "criteria: 'previous suicidal attempts and means'",
    ),
    RiskIndicator.SELF_HARM: LabelDefinition(
        "Hurting themselves on purpose: cutting, burning, hitting, overdose.",
        "criteria: 'frequent suicidal thoughts and self-harm'; family guide: 'harming themselves'",
    ),
    RiskIndicator.HARM_TO_OTHERS: LabelDefinition(
        "Threats of, or violence towards, other people, especially with a weapon.",
        "contract risk indicator; criteria: 'if a risk is identified'",
    ),
    RiskIndicator.SAFEGUARDING: LabelDefinition(
        "Abuse, neglect, exploitation, an unsafe adult, domestic abuse or a disclosure.",
        "criteria: 'complex transgenerational family safeguarding concerns'",
    ),
}

CONTEXT_DEFINITIONS: dict[ContextStatus, LabelDefinition] = {
    ContextStatus.AFFIRMED: LabelDefinition("Current and about this child.", "contract"),
    ContextStatus.HISTORICAL: LabelDefinition("In the past, now stopped or resolved.", "contract"),
    ContextStatus.HYPOTHETICAL: LabelDefinition(
        "Conditional or threatened: 'if X happens she says she will ...'.", "contract"
    ),
    ContextStatus.NEGATED: LabelDefinition("Denied or screened negative.", "contract"),
    ContextStatus.OTHER_PERSON: LabelDefinition("About someone else, not this child.", "contract"),
}
