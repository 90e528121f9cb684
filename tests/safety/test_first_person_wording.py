"""First-person wording added in rules 2026.12.1, one small sentence per case (written here).

The classes were found missing by reading forum posts of suicidal users the rules did not route
(docs/safety.md lists them). No sentence here comes from those posts. Each class has its
everyday lookalikes beside it, which must not route.
"""

from __future__ import annotations

import pytest

from thrive_ml.safety import SafetyReport, assess
from thrive_ml.safety.normalize import fold
from thrive_ml.taxonomy import ContextStatus


def _report(text: str) -> SafetyReport:
    report = assess(text)
    for f in report.flags:
        assert text[f.start : f.end] == f.text
    return report


def _flags(report: SafetyReport) -> list[tuple[str, str, str]]:
    return [(f.indicator.value, f.status.value, f.text) for f in report.flags]


@pytest.mark.parametrize(
    "text",
    [
        # wanting it to end, without 'all' or 'my life'
        "Honestly I just want to end it.",
        "He said he wants to end it tonight.",
        "i need it all to end",
        # no point, cannot go on, endurance gone
        "She doesn't see a point in living.",
        "I can't keep living like this.",
        "He doesn't think he can go on.",
        "I can't take it any more.",
        "It is so hard to keep going sometimes.",
        # not waking up, never born, should have died
        "Some nights I wish I wouldn't wake up.",
        "She wishes she had never been born.",
        "I should have died in that accident.",
        "He feels he was meant to die.",
        "my being alive is a mistake",
        "She takes comfort in the thought of dying.",
        "The thought of death seems so peaceful.",
        # disappearing, leaving this world, wanting something to kill me
        "I want to just disappear.",
        "She says she is ready to die.",
        "He keeps talking about leaving this world.",
        "I wish something would kill me.",
        # no reason to keep going
        "He can't find a single reason to stay alive.",
        "He has been listing reasons not to kill himself.",
        "There is no reason to stay alive.",
    ],
)
def test_first_person_ideation_wording_routes(text: str) -> None:
    report = _report(text)
    assert report.routes_to_review, _flags(report)
    assert "risk:suicidal_ideation" in report.review_reasons


@pytest.mark.parametrize(
    "text",
    [
        "I was close to blowing my brains out.",
        "He has thought about a bullet through his head.",
        "I nearly pulled the trigger that night.",
        "She thinks about walking into traffic.",
        "He talked about lying down on the railway line.",
        "I want to jump off something high.",
        "A stranger talked her down off the ledge.",
        "My method is sorted now.",
    ],
)
def test_methods_in_everyday_words_route_as_plan(text: str) -> None:
    report = _report(text)
    assert report.routes_to_review, _flags(report)
    assert "risk:suicide_plan_or_intent" in report.review_reasons


@pytest.mark.parametrize(
    "text",
    [
        "I attempted twice when I was younger.",
        "She has attempted before.",
        "My gun jammed, otherwise I would not be here.",
        "The rope snapped.",
        "He survived two attempts.",
    ],
)
def test_attempts_said_without_the_word_suicide_route(text: str) -> None:
    report = _report(text)
    assert report.routes_to_review, _flags(report)
    assert "risk:previous_suicide_attempt" in report.review_reasons


def test_slitting_wrists_is_self_harm() -> None:
    report = _report("She slit her wrists in the bathroom.")
    assert "risk:self_harm" in report.review_reasons


@pytest.mark.parametrize(
    "text",
    ["He took 20 propranolol.", "She swallowed a handful of xanax.", "I took all my lithium."],
)
def test_more_medicine_names_count_as_tablets(text: str) -> None:
    assert _report(text).routes_to_review


@pytest.mark.parametrize(
    "text",
    [
        "She wants to end it with her boyfriend.",
        "Mum is ready to end it with his dad.",
        "We need it to end by six so she can get the bus.",
        "He can't stand the noise in the canteen.",
        "She finds it hard to keep going with revision.",
        "She wants to disappear into her room when visitors come.",
        "Dad finally pulled the trigger on the move to Leeds.",
        "He walked into the car park to meet his mum.",
        "She put her cup on the ledge of the fireplace.",
        "Her method of revision is flashcards.",
        "He attempted the maths paper twice.",
        "She is learning to leave this world of gaming behind for a bit.",
    ],
)
def test_everyday_lookalikes_of_the_new_wording_do_not_route(text: str) -> None:
    report = _report(text)
    assert not report.routes_to_review, _flags(report)


def test_someone_elses_repeated_post_stays_theirs() -> None:
    report = _report("Someone in her group chat keeps saying she wants to end it.")
    assert not report.routes_to_review, _flags(report)
    assert any(f.status is ContextStatus.OTHER_PERSON for f in report.flags)


def test_an_entry_missing_its_lead_words_does_not_hide_another_entry() -> None:
    """'end it' needs 'want to' before it; 'would end it all' must still be found there."""
    report = _report("She said she would end it all.")
    assert report.routes_to_review, _flags(report)


def test_addressed_support_messages_with_the_new_wording_do_not_route() -> None:
    for text in ("Please don't end it, you matter.", "If you want to disappear, talk to us."):
        report = _report(text)
        assert not report.routes_to_review, (text, _flags(report))


@pytest.mark.parametrize("text", ["Yr7 pupil, seen x10 times.", "Referral for a 14yo girl."])
def test_school_years_counts_and_ages_stay_on_the_fast_path(text: str) -> None:
    assert fold(text)[0].origin is None


def test_leetspeak_next_to_a_school_year_is_still_read() -> None:
    assert _report("Yr7 pupil, says she wants to k1ll herself.").routes_to_review


# ---------------------------------------------------------------- context fixes in 2026.12.1
# Negative screens the synthetic generator writes were routed (about 1 in 8 of its referrals
# with no risk); each general class is fixed and tested here in our own words.


@pytest.mark.parametrize(
    "text",
    [
        "Staff have not noticed any signs of cutting.",
        "When asked about self-harm she said she has never hurt herself.",
        "No history of overdose, head-banging or burning herself.",
        "I asked Priya whether she ever thinks about dying and she said no.",
        "He answered 'no' to the screening question on thoughts of suicide.",
        "He was asked about a plan to kill himself and said there was none.",
        "He has never mentioned anything about wanting to be dead.",
        "Cutting isn't something he has ever done.",
        "His twin has been cutting and is seen by CAMHS.",
        "my cousin says he wants to die",
        "Self-harm - denies, parents unaware of any.",
        "Risk - Denies SH.",
        "Any risk concerns?: Denies thoughts of harming others.",
        "Risk: nil SI, plans for college.",
        "He says he would never do anything to end his life.",
        "A number of boys in his year have been self-harming.",
        "A lad from her street was arrested for stabbing someone.",
        "like my brother was suicidal last year",
    ],
)
def test_negative_screens_and_relatives_do_not_route(text: str) -> None:
    report = _report(text)
    assert report.flags
    assert not report.routes_to_review, _flags(report)


def test_a_family_at_breaking_point_is_not_the_childs_ideation() -> None:
    assert not _report("We can't go on like this, the family say.").routes_to_review


@pytest.mark.parametrize(
    "text",
    [
        "Q: thoughts of ending his life? A: no.",
        "I should say there is no cutting or anything like that.",
    ],
)
def test_form_answers_and_asides_do_not_route(text: str) -> None:
    assert not _report(text).routes_to_review


def test_none_disclosed_on_a_form_is_not_a_disclosure() -> None:
    assert not _report("Risk / safeguarding: none disclosed.").flags
    assert _report("She disclosed that her stepdad hits her.").routes_to_review


@pytest.mark.parametrize(
    "text",
    [
        "No, she says she wants to die.",
        "No self-harm, he has been burning himself.",
        "Her parents have not seen any signs of self-harm but staff saw cuts on her arm.",
        "My daughter says she wants to die.",
        "Asked whether she had a plan to end her life, she said yes.",
        "When he is told no he says he'll hurt himself.",
        "Risk to self/others: first known attempt, an overdose in May.",
        "Q: self-harm? A: yes, most weeks.",
    ],
)
def test_the_fixes_do_not_hide_real_risk(text: str) -> None:
    report = _report(text)
    assert report.routes_to_review, _flags(report)


@pytest.mark.parametrize(
    "text",
    [
        "She sees no future for herself.",
        "He pulls out clumps of his hair.",
        "There are spare sleeping pills in the kitchen drawer.",
        "She could easily buy paracetamol on the way home.",
        "He has been collecting belts in his room.",
        "She walks along the railway line after school.",
        "He has said he'll hit his sister.",
        "There are marks all over her legs.",
        "I have bitten my hand when upset.",
    ],
)
def test_risk_said_in_the_generators_other_ways_routes(text: str) -> None:
    report = _report(text)
    assert report.routes_to_review, _flags(report)
