"""Triage results: the contract's shape, safety routing that nothing can weaken, abstention."""

from __future__ import annotations

import json

import pytest

from thrive_ml.result import TriageResult
from thrive_ml.taxonomy import ContextStatus, ExclusionFactor, ThriveGroup
from thrive_ml.triage import MODEL_RISK_REASON, AbstentionPolicy, Triager

REFERRAL = (
    "Dear colleague, Re: Tom, 15M. Four months of low mood, stopped football, still attending "
    "school. Keen to try talking therapy. No other agencies involved."
)


def test_result_has_every_contract_field(triager):
    result = triager.triage(REFERRAL, "r-1")
    body = json.loads(result.model_dump_json())
    for key in (
        "id",
        "thrive_group",
        "thrive_probabilities",
        "exclusion_factors",
        "exclusion_probabilities",
        "risk_flags",
        "needs_human_review",
        "review_reasons",
        "model_version",
        "rules_version",
    ):
        assert key in body
    assert body["id"] == "r-1"
    assert set(body["thrive_probabilities"]) == {g.value for g in ThriveGroup}
    assert set(body["exclusion_probabilities"]) == {f.value for f in ExclusionFactor}
    assert abs(sum(body["thrive_probabilities"].values()) - 1.0) < 1e-3
    assert "not a decision" in body["notice"]


def test_affirmed_risk_routes_whatever_the_abstention_settings(small_model):
    text = REFERRAL + " She told her tutor she has been cutting her arms most nights."
    for policy in (
        AbstentionPolicy(min_margin=0.0, min_referral_probability=0.0, min_words=0),
        AbstentionPolicy(min_margin=1.0, min_referral_probability=1.0, min_words=10_000),
    ):
        result = Triager(small_model, "t", policy).triage(text)
        assert result.needs_human_review
        assert "risk:self_harm" in result.review_reasons


def test_negated_risk_alone_is_reported_not_routed_by_the_rules(triager):
    result = triager.triage(REFERRAL + " Denies self-harm.")
    assert any(f.status is ContextStatus.NEGATED for f in result.risk_flags)
    assert not any(r.startswith("risk:") for r in result.review_reasons)


def test_model_risk_support_suggestion_routes_with_its_own_reason(triager):
    text = (
        "She has a plan to take all her tablets on Friday, has been saving them in her room, "
        "cuts her arms every night and says she will not be here next week."
    )
    result = triager.triage(text)
    assert result.thrive_group is ThriveGroup.GETTING_RISK_SUPPORT
    assert MODEL_RISK_REASON in result.review_reasons
    assert result.needs_human_review


@pytest.mark.parametrize(
    "text", ["hello", "milk, eggs, bread, butter, tea bags, bananas", "asdkj qwe zzzz xx"]
)
def test_text_that_is_not_a_referral_says_so(triager, text):
    result = triager.triage(text)
    assert "not_a_referral" in result.review_reasons
    assert result.exclusion_factors == []


def test_a_risk_sentence_too_short_to_be_a_referral_still_routes(triager):
    result = triager.triage("wants to die")
    assert result.needs_human_review
    assert "risk:suicidal_ideation" in result.review_reasons


def test_low_confidence_is_advisory_and_does_not_route_alone(small_model):
    unsure = Triager(small_model, "t", AbstentionPolicy(min_margin=1.0))
    result = unsure.triage(REFERRAL)
    assert "low_confidence" in result.review_reasons
    assert result.needs_human_review is (
        any(r.startswith("risk:") for r in result.review_reasons)
        or MODEL_RISK_REASON in result.review_reasons
    )


def test_explanations_index_the_submitted_text(triager):
    text = "  Year 9 girl 😊 — low mood for months, cutting her arms most nights, wants to die.  "
    result = triager.triage(text)
    assert result.explanations
    for e in result.explanations:
        assert text[e.start : e.end] == e.text
    for f in result.risk_flags:
        assert text[f.start : f.end] == f.text


def test_batch_and_single_triage_agree(triager):
    texts = [REFERRAL, REFERRAL + " Denies self-harm.", "hello"]
    batch = triager.triage_many(texts, ["a", "b", "c"])
    single = [triager.triage(t, i) for t, i in zip(texts, ["a", "b", "c"], strict=True)]
    assert [b.model_dump() for b in batch] == [s.model_dump() for s in single]


def test_result_round_trips_through_json(triager):
    result = triager.triage(REFERRAL, "x")
    assert TriageResult.model_validate_json(result.model_dump_json()) == result
