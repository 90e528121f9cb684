"""Six more classes of referral wording, one small sentence per case (sentences written here).

1 weapons and threats to others; 2 passive death wish; 3 someone else's risk; 4 a denial given as
the answer to a question; 5 plans and goodbyes said indirectly; 6 everyday phrases that must not
flag.
"""

from __future__ import annotations

import pytest

from thrive_ml.safety import SafetyReport, assess
from thrive_ml.taxonomy import ContextStatus, RiskIndicator

A = ContextStatus.AFFIRMED
N = ContextStatus.NEGATED
O = ContextStatus.OTHER_PERSON  # noqa: E741 - reads as the status letter
ROUTING = (A, ContextStatus.HISTORICAL, ContextStatus.HYPOTHETICAL)

HTO = RiskIndicator.HARM_TO_OTHERS
SI = RiskIndicator.SUICIDAL_IDEATION
SH = RiskIndicator.SELF_HARM
PLAN = RiskIndicator.SUICIDE_PLAN_OR_INTENT
SAFE = RiskIndicator.SAFEGUARDING


def _flags(report: SafetyReport) -> list[tuple[str, str, str]]:
    return [(f.indicator.value, f.status.value, f.text) for f in report.flags]


def _assess(text: str) -> SafetyReport:
    report = assess(text)
    for f in report.flags:
        assert text[f.start : f.end] == f.text
    return report


def _has(text: str, indicator: RiskIndicator, *statuses: ContextStatus) -> SafetyReport:
    report = _assess(text)
    assert any(f.indicator is indicator and f.status in statuses for f in report.flags), _flags(
        report
    )
    return report


# ---------------------------------------------------------------- 1 weapons and threats


@pytest.mark.parametrize(
    "text",
    [
        "He had a knife in his rucksack when staff checked his bag.",
        "He brought a blade into school on Tuesday.",
        "At lunch he showed his mentor a knife.",
        "He went for his brother with a kitchen knife.",
        "He pulled a knife on a year 9 boy at the bus stop.",
        "She was seen flashing a blade at other girls in the park.",
        "He has a lock knife in his backpack most days.",
        "He chased his sister round the kitchen with scissors.",
    ],
)
def test_carrying_showing_or_using_a_weapon_is_affirmed_harm_to_others(text: str) -> None:
    report = _has(text, HTO, A)
    assert report.routes_to_review


@pytest.mark.parametrize(
    "text",
    [
        "He said he'd stick it in him.",
        "Told his mates he is gonna shank the boy who grassed.",
        "He said he is going to do him in.",
        "He said he will stab him up after school.",
        "He said he'd batter him.",
        "He told staff he would kick that lad's head in.",
        "Messaged a boy saying he'll dip him.",
    ],
)
def test_slang_threats_to_others_route_as_harm_to_others(text: str) -> None:
    report = _has(text, HTO, *ROUTING)
    assert report.routes_to_review


def test_slang_threat_with_no_condition_is_affirmed() -> None:
    _has("He said he'd stick it in him.", HTO, A)


# ---------------------------------------------------------------- 2 passive death wish


@pytest.mark.parametrize(
    "text",
    [
        "She doesn't care if she ends up dead.",
        "He wouldn't mind if he didn't wake up.",
        "She says it would be easier not to wake up.",
        "'Easier if I just wasn't here,' he wrote.",
        "She said it would be easier not to be alive.",
        "He thinks about not waking up.",
        "He said that he wouldn't care if a car hit him.",
        'She told her tutor "it\'d be easier if I was gone".',
        "He doesn't care whether he lives or dies.",
        "She said it would be fine if she died in her sleep.",
        "He said that things would be simpler if he wasn't around.",
    ],
)
def test_passive_death_wish_is_affirmed_ideation(text: str) -> None:
    report = _has(text, SI, A)
    assert report.routes_to_review


# ---------------------------------------------------------------- 3 someone else's risk


@pytest.mark.parametrize(
    "text",
    [
        "Mum sometimes says she wants to end it all.",
        "His dad has said he wants to kill himself.",
        "He talked about a girl in another form who he says is cutting.",
        "He is worried about a friend who is self-harming.",
        "Her sister's boyfriend hits her sister.",
        "Her nan often says she wishes she was dead.",
        "A lad on his team who she thinks is suicidal.",
        "His uncle has talked about wanting to die.",
    ],
)
def test_someone_elses_risk_is_other_person_and_not_affirmed(text: str) -> None:
    report = _assess(text)
    assert report.flags, "expected the mention to be found and attributed"
    assert any(f.status is O for f in report.flags), _flags(report)
    assert not any(f.status is A for f in report.flags), _flags(report)


def test_a_sibling_being_hit_is_safeguarding_about_someone_else() -> None:
    _has("Her sister's boyfriend hits her sister.", SAFE, O)


@pytest.mark.parametrize(
    "text",
    [
        "She told her mum she wants to die.",
        "Mum says she wants to die.",
        "Mum says he has been cutting his arms.",
        "He told his dad he wants to kill himself.",
        "His mum has said he wants to kill himself.",
    ],
)
def test_the_childs_own_risk_told_to_or_by_a_parent_stays_affirmed(text: str) -> None:
    report = _assess(text)
    assert report.routes_to_review, _flags(report)
    assert any(f.status is A for f in report.flags), _flags(report)


# ---------------------------------------------------------------- 4 a question answered no


@pytest.mark.parametrize(
    "text",
    [
        "Asked whether she had thought about hurting herself and she said no.",
        "When asked about self-harm he shook his head.",
        "I asked if she'd ever hurt herself - she said no way.",
        "When I asked about cutting, she said no, never.",
        "Asked directly if he had self-harmed, he answered no.",
        "We asked whether she has hurt herself and she replied 'no'.",
    ],
)
def test_a_question_answered_no_is_a_negated_self_harm(text: str) -> None:
    report = _has(text, SH, N)
    assert not report.routes_to_review, _flags(report)
    assert not any(f.indicator is HTO for f in report.flags), _flags(report)


@pytest.mark.parametrize(
    "text",
    [
        "When asked about suicidal thoughts she said no.",
        "Asked if he wants to kill himself, he said not really.",
    ],
)
def test_a_question_about_suicide_answered_no_does_not_route(text: str) -> None:
    report = _assess(text)
    assert report.flags
    assert not report.routes_to_review, _flags(report)


@pytest.mark.parametrize(
    "text",
    [
        "Asked whether she had hurt herself, she said yes.",
        "When asked about self-harm she said no, but her arms are covered in cuts.",
        "He has been cutting his arms and said no to a referral.",
    ],
)
def test_a_question_answered_yes_or_a_later_finding_still_routes(text: str) -> None:
    report = _assess(text)
    assert report.routes_to_review, _flags(report)


@pytest.mark.parametrize(
    "text",
    ["Worried she might be hurting herself.", "He keeps hurting himself.", "She hurt themselves."],
)
def test_hurting_oneself_is_self_harm_never_harm_to_others(text: str) -> None:
    report = _has(text, SH, *ROUTING)
    assert not any(f.indicator is HTO for f in report.flags), _flags(report)


# ---------------------------------------------------------------- 5 plans and goodbyes


@pytest.mark.parametrize(
    "text",
    [
        "She wrote a goodbye letter to her parents.",
        "He said 'by Friday it will all be over'.",
        "He has been researching ways to end his life.",
        "She has picked a date.",
        "He has been carrying a rope to hang himself.",
        "She has been carrying a belt to hang from her wardrobe.",
        "He left a note on his bed saying he was sorry for everything.",
        "She told a friend that after the weekend it will all be over.",
        "He keeps a belt in his drawer to hang himself with.",
    ],
)
def test_indirect_plans_and_goodbyes_are_affirmed_plan_or_intent(text: str) -> None:
    report = _has(text, PLAN, A)
    assert report.routes_to_review


@pytest.mark.parametrize(
    "text",
    [
        "She described her own funeral to her tutor.",
        "He has planned what songs he wants played at his funeral.",
        "She keeps talking about her own funeral.",
    ],
)
def test_describing_ones_own_funeral_is_at_least_ideation(text: str) -> None:
    report = _has(text, SI, A)
    assert report.routes_to_review


# ---------------------------------------------------------------- 6 everyday phrases


@pytest.mark.parametrize(
    "text",
    [
        "He was killing time before football.",
        "She came home dead tired after the trip.",
        "She said she'd die of embarrassment if mum came in.",
        "He is learning to use a knife and fork.",
        "They let her cut the cake at the party.",
        "He watched a football hooligan film with his dad.",
        "Mum is cutting back on screen time.",
        "He likes to hang out with friends at the park.",
        "She was hanging her coat up when she started crying.",
        "He did a knife skills lesson in food tech.",
        "Exams are stressful but she says it will all be over by June.",
        "He left a note for his teacher saying sorry for being late.",
        "Nan's funeral was last week and she read a poem.",
        "She loves baking and made the batter herself.",
        "He ordered the lamb shank at the restaurant.",
        "She picked a date for her birthday party.",
    ],
)
def test_everyday_phrases_do_not_flag(text: str) -> None:
    report = _assess(text)
    assert not report.routes_to_review, _flags(report)


# ---------------------------------------------------------------- further wordings per class


@pytest.mark.parametrize(
    ("text", "indicator", "status"),
    [
        ("Staff found a machete in his coat pocket.", HTO, A),
        ("She went for her mum with a broken bottle.", HTO, A),
        ("She honestly doesn't care whether she lives or dies.", SI, A),
        ('He told his keyworker "it would be easier if I just died".', SI, A),
        ("She mentioned a boy in her form who she thinks has been cutting.", SH, O),
        ("Her brother often says he wants to kill himself.", SI, O),
        ("Her cousin's boyfriend hit her cousin.", SAFE, O),
        ("He was asked whether he had hurt himself and he replied no.", SH, N),
        ("When asked about suicidal thoughts she said 'no, never'.", SI, N),
        ("She keeps a scarf under her pillow to hang herself.", PLAN, A),
        ("He told his friend it will all be over by Monday.", PLAN, A),
    ],
)
def test_further_wordings_of_each_class(
    text: str, indicator: RiskIndicator, status: ContextStatus
) -> None:
    _has(text, indicator, status)


@pytest.mark.parametrize(
    "text",
    [
        "Mum has said she has been cutting her arms.",
        "He asked for help because he has been cutting and mum said no.",
    ],
)
def test_reports_about_the_child_are_not_taken_for_someone_else_or_a_denial(text: str) -> None:
    _has(text, SH, A)


@pytest.mark.parametrize(
    "text",
    [
        "The run really did him in.",
        "It is better not to be around him when he drinks.",
        "She doesn't care if she wakes up late.",
        "Nan said it will all be over soon once the move is done.",
        "He used a rope to hang the swing.",
        "She is dead set on going to college.",
        "He has been battering his homework all week.",
    ],
)
def test_near_misses_of_the_new_rules_do_not_flag(text: str) -> None:
    report = _assess(text)
    assert not report.routes_to_review, _flags(report)


@pytest.mark.parametrize(
    "text",
    [
        "Would anyone even miss me if I wasn't around?",
        "He asked his tutor whether anyone would miss him if he just wasn't around next term.",
        "i dont think anybody would notice if i wasnt here",
        "She doesn't think anyone would care if she died.",
    ],
)
def test_asking_whether_anyone_would_miss_them_routes_as_ideation(text: str) -> None:
    report = _has(text, SI, *ROUTING)
    assert report.routes_to_review


@pytest.mark.parametrize(
    "text",
    [
        "Her friends would miss her if she wasn't around.",
        "Would anyone mind if I wasn't around for the trip?",
        "Would anyone notice if I wasn't in class tomorrow?",
    ],
)
def test_missing_someone_who_is_away_is_not_a_death_wish(text: str) -> None:
    assert not _assess(text).routes_to_review
