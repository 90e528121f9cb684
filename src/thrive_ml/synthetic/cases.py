"""The latent case: a structured description of one child or young person, sampled first.

Text is rendered from a case (voices/) and labels are computed from it (labelling.py), never
from each other. That separation is what stops a model from learning our templates instead of
the need: the same case can be written by a GP in shorthand or by the teenager in text-speak,
and it keeps the same labels.

Sampling starts from a broad *scenario* (a prior over what kind of picture this is, so every
group is well represented) and then adds independent noise: family context, co-occurring needs,
risk mentions about other people, denials, irrelevant detail. The scenario is NOT a label: the
labelling function decides the labels from the sampled facts alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

import numpy as np

from thrive_ml.taxonomy import ContextStatus, RiskIndicator


class DifficultyKind(StrEnum):
    """Presenting difficulties named in the issue and the seed documents."""

    LOW_MOOD = "low_mood"
    WORRY = "worry"
    PANIC = "panic"
    SOCIAL_ANXIETY = "social_anxiety"
    SEPARATION_ANXIETY = "separation_anxiety"
    OCD = "ocd"
    ANGER = "anger"
    SLEEP = "sleep"
    EATING = "eating"
    SCHOOL_AVOIDANCE = "school_avoidance"
    SELF_ESTEEM = "self_esteem"
    BEREAVEMENT = "bereavement"
    TRAUMA = "trauma"
    BEHAVIOUR = "behaviour"
    SUBSTANCE_USE = "substance_use"


class Severity(IntEnum):
    MILD = 1
    MODERATE = 2
    SEVERE = 3


class ImpactDomain(StrEnum):
    SCHOOL = "school"
    SLEEP = "sleep"
    FRIENDSHIPS = "friendships"
    HOME = "home"


class ImpactLevel(IntEnum):
    NONE = 0
    SOME = 1
    MAJOR = 2


class SupportKind(StrEnum):
    ELSA = "elsa"
    SCHOOL_COUNSELLOR = "school_counsellor"
    ONLINE_CBT = "online_cbt"
    PARENTING_PROGRAMME = "parenting_programme"
    EARLY_HELP = "early_help"
    GP_REVIEW = "gp_review"
    YOUTH_WORKER = "youth_worker"
    SELF_HELP = "self_help"
    CAMHS_PAST = "camhs_past"


class Service(StrEnum):
    """Agencies currently involved."""

    SOCIAL_CARE_CIN = "social_care_cin"
    CHILD_PROTECTION = "child_protection"
    LOOKED_AFTER = "looked_after"
    CAMHS_CURRENT = "camhs_current"
    CAMHS_WAITLIST = "camhs_waitlist"
    YOUTH_JUSTICE = "youth_justice"
    PAEDIATRICIAN = "paediatrician"
    EARLY_HELP_CURRENT = "early_help_current"
    EATING_DISORDER_SERVICE = "eating_disorder_service"
    POLICE = "police"


class CoOccurring(StrEnum):
    AUTISM = "autism"
    ADHD = "adhd"
    SEND = "send"
    GENDER_IDENTITY = "gender_identity"
    ATTACHMENT = "attachment"
    LEARNING_DISABILITY = "learning_disability"
    LONG_TERM_CONDITION = "long_term_condition"


class FamilyContext(StrEnum):
    HOUSING = "housing"
    MONEY = "money"
    PARENTAL_CONFLICT = "parental_conflict"
    SEPARATION = "separation"
    DOMESTIC_ABUSE_HISTORY = "domestic_abuse_history"
    PARENT_MENTAL_HEALTH = "parent_mental_health"
    YOUNG_CARER = "young_carer"
    NEW_SIBLING = "new_sibling"
    KINSHIP_CARE = "kinship_care"


class Engagement(StrEnum):
    """What the family can take up now (the criteria's 'timing' factor lives here)."""

    READY = "ready"
    MOVING_AWAY = "moving_away"
    WANTS_LONG_TERM = "wants_long_term"
    DECLINES_BRIEF = "declines_brief"
    NOT_READY = "not_ready"


class Request(StrEnum):
    INFORMATION = "information"
    GROUP = "group"
    ONE_TO_ONE = "one_to_one"
    PARENT_ADVICE = "parent_advice"
    ASSESSMENT = "assessment"
    CONSULTATION = "consultation"


class Concern(StrEnum):
    """Worries raised that are not a mental-health difficulty (the 'presenting need' factor)."""

    ORDINARY_BEHAVIOUR = "ordinary_behaviour"
    PARENTING_STRAIN = "parenting_strain"
    SOCIAL_STRESS = "social_stress"
    NEURODIVERGENT_TRAITS = "neurodivergent_traits"
    PARENT_WORRY_ONLY = "parent_worry_only"


class RiskLevel(IntEnum):
    LOW = 1
    HIGH = 2


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class Scenario(StrEnum):
    """Sampling prior only; never used by the labelling function."""

    WELL = "well"
    NON_CLINICAL = "non_clinical"
    RECENT_WOBBLE = "recent_wobble"
    MODERATE = "moderate"
    COMPLEX = "complex"
    SPECIALIST = "specialist"
    ACUTE_RISK = "acute_risk"


@dataclass(frozen=True)
class Difficulty:
    kind: DifficultyKind
    severity: Severity
    months: int  # how long it has been going on


@dataclass(frozen=True)
class PreviousSupport:
    kind: SupportKind
    helped: bool


@dataclass(frozen=True)
class RiskFact:
    indicator: RiskIndicator
    status: ContextStatus
    level: RiskLevel = RiskLevel.LOW


@dataclass(frozen=True)
class Case:
    """One child or young person at the moment of referral."""

    age: int
    sex: Sex
    name: str
    scenario: Scenario
    difficulties: tuple[Difficulty, ...] = ()
    resolved: tuple[DifficultyKind, ...] = ()
    concerns: tuple[Concern, ...] = ()
    impacts: tuple[tuple[ImpactDomain, ImpactLevel], ...] = ()
    previous_support: tuple[PreviousSupport, ...] = ()
    services: tuple[Service, ...] = ()
    co_occurring: tuple[CoOccurring, ...] = ()
    family: tuple[FamilyContext, ...] = ()
    engagement: Engagement = Engagement.READY
    request: Request = Request.ONE_TO_ONE
    risks: tuple[RiskFact, ...] = field(default_factory=tuple)

    @property
    def impact(self) -> dict[ImpactDomain, ImpactLevel]:
        return dict(self.impacts)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-able form, stored beside each generated row for audit and analysis."""
        raw = asdict(self)
        raw["impacts"] = {d.value: int(level) for d, level in self.impacts}
        return _plain(raw)


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, StrEnum):
        return obj.value
    if isinstance(obj, IntEnum):
        return obj.name.lower()
    return obj


# --------------------------------------------------------------------------------------------
# Sampling. Every random choice goes through the caller's Generator: no global seed anywhere.
# --------------------------------------------------------------------------------------------

SCENARIO_WEIGHTS: dict[Scenario, float] = {
    Scenario.WELL: 0.10,
    Scenario.NON_CLINICAL: 0.10,
    Scenario.RECENT_WOBBLE: 0.19,
    Scenario.MODERATE: 0.21,
    Scenario.COMPLEX: 0.11,
    Scenario.SPECIALIST: 0.07,
    Scenario.ACUTE_RISK: 0.22,
}

FEMALE_NAMES = [
    "Amelia",
    "Ava",
    "Chloe",
    "Daisy",
    "Ella",
    "Erin",
    "Evie",
    "Freya",
    "Grace",
    "Hannah",
    "Imogen",
    "Isla",
    "Jade",
    "Jess",
    "Katie",
    "Layla",
    "Leah",
    "Lily",
    "Maisie",
    "Maya",
    "Mia",
    "Millie",
    "Nadia",
    "Niamh",
    "Olivia",
    "Phoebe",
    "Poppy",
    "Priya",
    "Ruby",
    "Sadia",
    "Sophie",
    "Tia",
    "Zara",
    "Aisha",
    "Amira",
    "Bethany",
    "Chantelle",
    "Demi",
    "Ellie",
    "Fatima",
    "Holly",
    "Kayla",
    "Lacey",
    "Megan",
    "Roxy",
    "Skye",
]
MALE_NAMES = [
    "Aaron",
    "Adam",
    "Alfie",
    "Ali",
    "Archie",
    "Ben",
    "Callum",
    "Charlie",
    "Connor",
    "Dylan",
    "Ethan",
    "Finley",
    "Harry",
    "Harvey",
    "Isaac",
    "Jack",
    "Jacob",
    "Jake",
    "Jayden",
    "Josh",
    "Kai",
    "Kieran",
    "Leo",
    "Liam",
    "Logan",
    "Louie",
    "Mason",
    "Max",
    "Noah",
    "Oliver",
    "Oscar",
    "Reece",
    "Riley",
    "Ryan",
    "Samir",
    "Theo",
    "Tyler",
    "Zak",
    "Bilal",
    "Brandon",
    "Corey",
    "Declan",
    "Ewan",
    "Hamza",
    "Jordan",
    "Kyle",
]

YOUNG_KINDS = (
    DifficultyKind.SEPARATION_ANXIETY,
    DifficultyKind.SLEEP,
    DifficultyKind.BEHAVIOUR,
    DifficultyKind.WORRY,
    DifficultyKind.ANGER,
    DifficultyKind.BEREAVEMENT,
)
COMMON_KINDS = (
    DifficultyKind.LOW_MOOD,
    DifficultyKind.WORRY,
    DifficultyKind.PANIC,
    DifficultyKind.SOCIAL_ANXIETY,
    DifficultyKind.ANGER,
    DifficultyKind.SLEEP,
    DifficultyKind.SELF_ESTEEM,
    DifficultyKind.SCHOOL_AVOIDANCE,
    DifficultyKind.BEHAVIOUR,
    DifficultyKind.SEPARATION_ANXIETY,
)
SPECIALIST_KINDS = (
    DifficultyKind.TRAUMA,
    DifficultyKind.EATING,
    DifficultyKind.BEREAVEMENT,
    DifficultyKind.SUBSTANCE_USE,
)
ENDURING_KINDS = (
    DifficultyKind.OCD,
    DifficultyKind.SCHOOL_AVOIDANCE,
    DifficultyKind.LOW_MOOD,
    DifficultyKind.WORRY,
    DifficultyKind.ANGER,
    DifficultyKind.EATING,
    DifficultyKind.TRAUMA,
    DifficultyKind.BEHAVIOUR,
)


# What referrers ask for depends only loosely on the picture: a worried parent of a well child
# may still ask for 1:1 sessions, a GP may ask for "consultation" about anyone. Broad,
# overlapping request mixes stop the request wording from standing in for the group.
REQUEST_MIX: dict[Scenario, dict[Request, float]] = {
    Scenario.WELL: {
        Request.GROUP: 0.48,
        Request.INFORMATION: 0.25,
        Request.ONE_TO_ONE: 0.12,
        Request.PARENT_ADVICE: 0.10,
        Request.ASSESSMENT: 0.06,
        Request.CONSULTATION: 0.07,
    },
    Scenario.NON_CLINICAL: {
        Request.PARENT_ADVICE: 0.28,
        Request.ONE_TO_ONE: 0.24,
        Request.ASSESSMENT: 0.18,
        Request.INFORMATION: 0.15,
        Request.GROUP: 0.08,
        Request.CONSULTATION: 0.07,
    },
    Scenario.RECENT_WOBBLE: {
        Request.INFORMATION: 0.24,
        Request.PARENT_ADVICE: 0.22,
        Request.ONE_TO_ONE: 0.26,
        Request.GROUP: 0.16,
        Request.ASSESSMENT: 0.05,
        Request.CONSULTATION: 0.07,
    },
    Scenario.MODERATE: {
        Request.ONE_TO_ONE: 0.55,
        Request.PARENT_ADVICE: 0.10,
        Request.INFORMATION: 0.09,
        Request.GROUP: 0.10,
        Request.ASSESSMENT: 0.07,
        Request.CONSULTATION: 0.09,
    },
    Scenario.COMPLEX: {
        Request.ONE_TO_ONE: 0.42,
        Request.CONSULTATION: 0.16,
        Request.ASSESSMENT: 0.14,
        Request.PARENT_ADVICE: 0.12,
        Request.INFORMATION: 0.08,
        Request.GROUP: 0.08,
    },
    Scenario.SPECIALIST: {
        Request.ONE_TO_ONE: 0.45,
        Request.INFORMATION: 0.15,
        Request.CONSULTATION: 0.13,
        Request.ASSESSMENT: 0.09,
        Request.PARENT_ADVICE: 0.10,
        Request.GROUP: 0.08,
    },
    Scenario.ACUTE_RISK: {
        Request.ONE_TO_ONE: 0.52,
        Request.CONSULTATION: 0.16,
        Request.INFORMATION: 0.10,
        Request.PARENT_ADVICE: 0.12,
        Request.ASSESSMENT: 0.05,
        Request.GROUP: 0.05,
    },
}


def _request(rng: np.random.Generator, scenario: Scenario) -> Request:
    mix = REQUEST_MIX[scenario]
    return list(mix)[int(rng.choice(len(mix), p=np.array(list(mix.values())) / sum(mix.values())))]


def choose(rng: np.random.Generator, items: tuple | list) -> Any:
    """One item, uniformly, from the caller's generator (the one place this is written)."""
    return items[int(rng.integers(len(items)))]


def _sample_kinds(
    rng: np.random.Generator, pool: tuple[DifficultyKind, ...], n: int, age: int
) -> list[DifficultyKind]:
    allowed = [k for k in pool if _kind_fits_age(k, age)] or list(YOUNG_KINDS)
    picked = rng.choice(len(allowed), size=min(n, len(allowed)), replace=False)
    return [allowed[int(i)] for i in picked]


def _kind_fits_age(kind: DifficultyKind, age: int) -> bool:
    if age < 6:
        return kind in YOUNG_KINDS
    if kind is DifficultyKind.SUBSTANCE_USE:
        return age >= 13
    if kind is DifficultyKind.SEPARATION_ANXIETY:
        return age <= 12
    if kind is DifficultyKind.EATING:
        return age >= 9
    return True


def _sample_age(rng: np.random.Generator) -> int:
    band = rng.choice(4, p=[0.07, 0.30, 0.50, 0.13])
    lo, hi = [(2, 5), (6, 11), (12, 17), (18, 25)][int(band)]
    return int(rng.integers(lo, hi + 1))


def _impacts(
    rng: np.random.Generator, n_hit: int, level: ImpactLevel
) -> tuple[tuple[ImpactDomain, ImpactLevel], ...]:
    domains = list(ImpactDomain)
    order = rng.permutation(len(domains))
    out: list[tuple[ImpactDomain, ImpactLevel]] = []
    for rank, i in enumerate(order):
        domain = domains[int(i)]
        if rank < n_hit:
            lvl = level if rng.random() < 0.75 else ImpactLevel(max(1, int(level) - 1))
        else:
            lvl = ImpactLevel.NONE
        # Not every domain is mentioned; the unmentioned ones are simply absent.
        if lvl is ImpactLevel.NONE and rng.random() < 0.45:
            continue
        out.append((domain, lvl))
    return tuple(out)


def sample_case(rng: np.random.Generator) -> Case:
    """Draw one case. Deterministic for a given generator state."""
    scenarios = list(SCENARIO_WEIGHTS)
    scenario = scenarios[int(rng.choice(len(scenarios), p=list(SCENARIO_WEIGHTS.values())))]
    age = _sample_age(rng)
    sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
    name = choose(rng, FEMALE_NAMES if sex is Sex.FEMALE else MALE_NAMES)
    builder = _SCENARIO_BUILDERS[scenario]
    facts = builder(rng, age)
    facts["request"] = _request(rng, scenario)
    facts = _add_noise(rng, age, scenario, facts)
    return Case(age=age, sex=sex, name=name, scenario=scenario, **facts)


def _months(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, hi + 1))


def _support(rng: np.random.Generator, n: int, helped_p: float) -> tuple[PreviousSupport, ...]:
    kinds = list(SupportKind)
    idx = rng.choice(len(kinds), size=n, replace=False)
    return tuple(PreviousSupport(kinds[int(i)], bool(rng.random() < helped_p)) for i in idx)


def _build_well(rng: np.random.Generator, age: int) -> dict[str, Any]:
    resolved = tuple(_sample_kinds(rng, (*COMMON_KINDS, DifficultyKind.BEREAVEMENT), 1, age))
    facts: dict[str, Any] = {
        "resolved": resolved if rng.random() < 0.6 else (),
        "impacts": _impacts(rng, 0, ImpactLevel.NONE),
        "previous_support": _support(rng, 1, 0.95) if rng.random() < 0.4 else (),
    }
    return facts


def _build_non_clinical(rng: np.random.Generator, age: int) -> dict[str, Any]:
    concern = choose(
        rng,
        list(Concern)
        if age <= 16
        else [Concern.SOCIAL_STRESS, Concern.NEURODIVERGENT_TRAITS, Concern.PARENT_WORRY_ONLY],
    )
    family: tuple[FamilyContext, ...] = ()
    if concern is Concern.SOCIAL_STRESS:
        family = (choose(rng, (FamilyContext.HOUSING, FamilyContext.MONEY)),)
    co: tuple[CoOccurring, ...] = ()
    if concern is Concern.NEURODIVERGENT_TRAITS:
        co = (choose(rng, (CoOccurring.AUTISM, CoOccurring.ADHD)),)
    return {
        "concerns": (concern,),
        "family": family,
        "co_occurring": co,
        "impacts": _impacts(rng, 0, ImpactLevel.NONE),
    }


def _build_wobble(rng: np.random.Generator, age: int) -> dict[str, Any]:
    kinds = _sample_kinds(rng, (*COMMON_KINDS, DifficultyKind.BEREAVEMENT), 1, age)
    diffs = tuple(Difficulty(k, Severity.MILD, _months(rng, 0, 6)) for k in kinds)
    return {
        "difficulties": diffs,
        "impacts": _impacts(rng, int(rng.integers(0, 3)), ImpactLevel.SOME),
        "previous_support": _support(rng, 1, 0.5) if rng.random() < 0.25 else (),
    }


def _build_moderate(rng: np.random.Generator, age: int) -> dict[str, Any]:
    n = 1 if rng.random() < 0.6 else 2
    kinds = _sample_kinds(rng, (*COMMON_KINDS, DifficultyKind.OCD), n, age)
    diffs = tuple(
        Difficulty(
            k,
            Severity.MODERATE if (i == 0 or rng.random() < 0.4) else Severity.MILD,
            _months(rng, 2, 16),
        )
        for i, k in enumerate(kinds)
    )
    level = ImpactLevel.MAJOR if rng.random() < 0.2 else ImpactLevel.SOME
    return {
        "difficulties": diffs,
        "impacts": _impacts(rng, int(rng.integers(1, 4)), level),
        "previous_support": _support(rng, int(rng.integers(0, 3)), 0.3),
    }


def _build_complex(rng: np.random.Generator, age: int) -> dict[str, Any]:
    n = int(rng.integers(1, 4))
    kinds = _sample_kinds(rng, ENDURING_KINDS + COMMON_KINDS, n, age)
    diffs = tuple(
        Difficulty(
            k,
            Severity.SEVERE if (i == 0 and rng.random() < 0.7) else Severity.MODERATE,
            _months(rng, 10, 36),
        )
        for i, k in enumerate(dict.fromkeys(kinds))
    )
    services: list[Service] = []
    if rng.random() < 0.55:
        pool = [s for s in Service if s is not Service.EATING_DISORDER_SERVICE]
        for i in rng.choice(len(pool), size=int(rng.integers(1, 4)), replace=False):
            services.append(pool[int(i)])
    co: list[CoOccurring] = []
    if rng.random() < 0.55:
        co.append(
            choose(
                rng,
                (
                    CoOccurring.AUTISM,
                    CoOccurring.ADHD,
                    CoOccurring.ATTACHMENT,
                    CoOccurring.GENDER_IDENTITY,
                    CoOccurring.SEND,
                ),
            )
        )
    return {
        "difficulties": diffs,
        "impacts": _impacts(rng, int(rng.integers(2, 5)), ImpactLevel.MAJOR),
        "previous_support": _support(rng, int(rng.integers(1, 3)), 0.1),
        "services": tuple(services),
        "co_occurring": tuple(co),
    }


def _build_specialist(rng: np.random.Generator, age: int) -> dict[str, Any]:
    kinds = _sample_kinds(rng, SPECIALIST_KINDS, 1, age)
    kind = kinds[0]
    sev = Severity(int(rng.choice([1, 2, 3], p=[0.2, 0.45, 0.35])))
    diffs = [Difficulty(kind, sev, _months(rng, 1, 24))]
    if rng.random() < 0.4:
        extra = _sample_kinds(
            rng,
            (
                DifficultyKind.LOW_MOOD,
                DifficultyKind.SLEEP,
                DifficultyKind.PANIC,
                DifficultyKind.WORRY,
            ),
            1,
            age,
        )
        diffs.append(Difficulty(extra[0], Severity.MILD, diffs[0].months))
    services: tuple[Service, ...] = ()
    if kind is DifficultyKind.EATING and rng.random() < 0.5:
        services = (Service.EATING_DISORDER_SERVICE,)
    level = ImpactLevel.MAJOR if sev is Severity.SEVERE else ImpactLevel.SOME
    return {
        "difficulties": tuple(diffs),
        "impacts": _impacts(rng, int(rng.integers(1, 4)), level),
        "previous_support": _support(rng, int(rng.integers(0, 2)), 0.3),
        "services": services,
    }


def _build_acute(rng: np.random.Generator, age: int) -> dict[str, Any]:
    kinds = _sample_kinds(
        rng, (DifficultyKind.LOW_MOOD, *COMMON_KINDS), int(rng.integers(1, 3)), age
    )
    diffs = tuple(
        Difficulty(k, Severity.SEVERE if i == 0 else Severity.MODERATE, _months(rng, 1, 18))
        for i, k in enumerate(kinds)
    )
    risks: list[RiskFact] = []
    # The dominating current risk; older children carry suicidal and self-harm risk more often.
    pool = [
        RiskIndicator.SUICIDAL_IDEATION,
        RiskIndicator.SELF_HARM,
        RiskIndicator.SUICIDE_PLAN_OR_INTENT,
        RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT,
        RiskIndicator.SAFEGUARDING,
        RiskIndicator.HARM_TO_OTHERS,
        RiskIndicator.ACCESS_TO_MEANS,
    ]
    weights = np.array([0.26, 0.28, 0.13, 0.11, 0.08, 0.06, 0.08])
    if age < 10:
        weights = np.array([0.15, 0.35, 0.05, 0.03, 0.25, 0.12, 0.05])
    main = pool[int(rng.choice(len(pool), p=weights / weights.sum()))]
    risks.append(RiskFact(main, ContextStatus.AFFIRMED, RiskLevel.HIGH))
    # Risk rarely comes alone: ideation often accompanies self-harm, means accompany a plan.
    if main is RiskIndicator.SUICIDE_PLAN_OR_INTENT:
        risks.append(
            RiskFact(RiskIndicator.SUICIDAL_IDEATION, ContextStatus.AFFIRMED, RiskLevel.HIGH)
        )
        if rng.random() < 0.5:
            risks.append(
                RiskFact(RiskIndicator.ACCESS_TO_MEANS, ContextStatus.AFFIRMED, RiskLevel.HIGH)
            )
    elif main is RiskIndicator.SELF_HARM and rng.random() < 0.45:
        risks.append(
            RiskFact(RiskIndicator.SUICIDAL_IDEATION, ContextStatus.AFFIRMED, RiskLevel.LOW)
        )
    elif main is RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT and rng.random() < 0.5:
        risks.append(
            RiskFact(RiskIndicator.SUICIDAL_IDEATION, ContextStatus.AFFIRMED, RiskLevel.HIGH)
        )
    services: list[Service] = []
    if main is RiskIndicator.SAFEGUARDING:
        services.append(
            choose(rng, (Service.CHILD_PROTECTION, Service.SOCIAL_CARE_CIN, Service.POLICE))
        )
    elif rng.random() < 0.35:
        services.append(
            choose(rng, (Service.CAMHS_CURRENT, Service.CAMHS_WAITLIST, Service.POLICE))
        )
    return {
        "difficulties": diffs,
        "impacts": _impacts(rng, int(rng.integers(1, 4)), ImpactLevel.MAJOR),
        "previous_support": _support(rng, int(rng.integers(0, 2)), 0.2),
        "services": tuple(services),
        "risks": tuple(risks),
    }


_SCENARIO_BUILDERS = {
    Scenario.WELL: _build_well,
    Scenario.NON_CLINICAL: _build_non_clinical,
    Scenario.RECENT_WOBBLE: _build_wobble,
    Scenario.MODERATE: _build_moderate,
    Scenario.COMPLEX: _build_complex,
    Scenario.SPECIALIST: _build_specialist,
    Scenario.ACUTE_RISK: _build_acute,
}

# Mentions that appear across every kind of referral, so no status or indicator word is a
# shortcut to a group: denials in risk screens, other people's risk, past and conditional risk.
NEGATABLE = (
    RiskIndicator.SUICIDAL_IDEATION,
    RiskIndicator.SELF_HARM,
    RiskIndicator.HARM_TO_OTHERS,
    RiskIndicator.SAFEGUARDING,
    RiskIndicator.SUICIDE_PLAN_OR_INTENT,
)
OTHER_PERSON = (
    RiskIndicator.SELF_HARM,
    RiskIndicator.SUICIDAL_IDEATION,
    RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT,
    RiskIndicator.SAFEGUARDING,
    RiskIndicator.HARM_TO_OTHERS,
)


def _add_noise(
    rng: np.random.Generator, age: int, scenario: Scenario, facts: dict[str, Any]
) -> dict[str, Any]:
    risks = list(facts.get("risks", ()))
    have = {r.indicator for r in risks}
    if rng.random() < 0.35:
        ind = choose(rng, [i for i in NEGATABLE if i not in have])
        risks.append(RiskFact(ind, ContextStatus.NEGATED))
        have.add(ind)
    if rng.random() < 0.12:
        ind = choose(rng, [i for i in OTHER_PERSON if i not in have])
        risks.append(RiskFact(ind, ContextStatus.OTHER_PERSON))
        have.add(ind)
    has_difficulty = bool(facts.get("difficulties"))
    # Past and conditional risk appear across every kind of referral (they route to a person
    # but do not make the group); so do limited current risk (one passing thought, a one-off
    # scratch, threats in temper, a low-level concern) in children who need support.
    if age >= 10 and rng.random() < (0.16 if scenario is Scenario.COMPLEX else 0.10):
        ind = choose(
            rng,
            (
                RiskIndicator.SELF_HARM,
                RiskIndicator.SUICIDAL_IDEATION,
                RiskIndicator.PREVIOUS_SUICIDE_ATTEMPT,
                RiskIndicator.HARM_TO_OTHERS,
            ),
        )
        if ind not in have:
            risks.append(RiskFact(ind, ContextStatus.HISTORICAL))
            have.add(ind)
    if has_difficulty and age >= 6 and rng.random() < 0.08:
        ind = choose(
            rng,
            (
                RiskIndicator.SELF_HARM,
                RiskIndicator.SUICIDAL_IDEATION,
                RiskIndicator.HARM_TO_OTHERS,
            ),
        )
        if ind not in have:
            risks.append(RiskFact(ind, ContextStatus.HYPOTHETICAL))
            have.add(ind)
    if (
        scenario in (Scenario.MODERATE, Scenario.COMPLEX, Scenario.SPECIALIST)
        and age >= 8
        and rng.random() < 0.22
    ):
        ind = choose(
            rng,
            (
                RiskIndicator.SUICIDAL_IDEATION,
                RiskIndicator.SELF_HARM,
                RiskIndicator.SELF_HARM,
                RiskIndicator.HARM_TO_OTHERS,
                RiskIndicator.SAFEGUARDING,
            ),
        )
        if ind not in have:
            risks.append(RiskFact(ind, ContextStatus.AFFIRMED, RiskLevel.LOW))
            have.add(ind)
    if (
        scenario is Scenario.COMPLEX
        and RiskIndicator.SAFEGUARDING not in have
        and rng.random() < 0.15
    ):
        risks.append(RiskFact(RiskIndicator.SAFEGUARDING, ContextStatus.HISTORICAL))
    facts["risks"] = tuple(risks)

    family = list(facts.get("family", ()))
    for ctx, p in (
        (FamilyContext.SEPARATION, 0.10),
        (FamilyContext.PARENT_MENTAL_HEALTH, 0.06),
        (FamilyContext.PARENTAL_CONFLICT, 0.05),
        (FamilyContext.NEW_SIBLING, 0.04 if age < 9 else 0.0),
        (FamilyContext.YOUNG_CARER, 0.03 if age >= 9 else 0.0),
        (FamilyContext.HOUSING, 0.04),
        (FamilyContext.MONEY, 0.04),
        (FamilyContext.KINSHIP_CARE, 0.03),
        (FamilyContext.DOMESTIC_ABUSE_HISTORY, 0.10 if scenario is Scenario.COMPLEX else 0.02),
    ):
        if ctx not in family and rng.random() < p:
            family.append(ctx)
    facts["family"] = tuple(family)

    co = list(facts.get("co_occurring", ()))
    if rng.random() < 0.10:
        extra = choose(
            rng,
            (
                CoOccurring.ADHD,
                CoOccurring.AUTISM,
                CoOccurring.SEND,
                CoOccurring.LONG_TERM_CONDITION,
                CoOccurring.LEARNING_DISABILITY,
            ),
        )
        if extra not in co:
            co.append(extra)
    facts["co_occurring"] = tuple(co)

    engagement = Engagement.READY
    timing_p = 0.13 if scenario is not Scenario.COMPLEX else 0.22
    if rng.random() < timing_p:
        engagement = choose(
            rng,
            (
                Engagement.MOVING_AWAY,
                Engagement.WANTS_LONG_TERM,
                Engagement.DECLINES_BRIEF,
                Engagement.NOT_READY,
            ),
        )
    facts["engagement"] = engagement

    if scenario in (Scenario.MODERATE, Scenario.RECENT_WOBBLE) and age >= 6 and rng.random() < 0.07:
        facts["services"] = (*facts.get("services", ()), Service.SOCIAL_CARE_CIN)
    return facts
