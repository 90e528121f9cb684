"""The estimator follows scikit-learn's rules and gives usable probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from thrive_ml.model.estimator import FACTORS, GROUPS, ReferralClassifier, mark_risk_context

TEXTS = [
    "Year 9 girl, low mood for four months, still attending school, keen for CBT.",
    "hi im 15 and i dont want to be here anymore",
]


def test_group_probabilities_sum_to_one_in_contract_order(small_model):
    P = small_model.predict_proba(TEXTS)
    assert P.shape == (2, len(GROUPS))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    assert list(small_model.classes_) == list(GROUPS)


def test_factor_probabilities_and_thresholds_are_in_range(small_model):
    F = small_model.predict_factor_proba(TEXTS)
    assert F.shape == (2, len(FACTORS))
    assert ((F >= 0) & (F <= 1)).all()
    assert ((small_model.factor_thresholds_ > 0) & (small_model.factor_thresholds_ < 1)).all()


def test_clone_and_get_params_round_trip():
    est = ReferralClassifier(group_c=2.5, max_char_features=1234, random_state=3)
    twin = clone(est)
    assert twin.get_params() == est.get_params()
    assert not hasattr(twin, "features_")


def test_unfitted_model_says_to_call_fit():
    with pytest.raises(NotFittedError, match="fit"):
        ReferralClassifier().predict_proba(TEXTS)


def test_unknown_group_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown THRIVE groups"):
        ReferralClassifier().fit(
            ["a b c"] * 4, ["thriving", "x", "thriving", "x"], factors=[[]] * 4
        )


def test_fit_without_factors_says_what_is_missing():
    with pytest.raises(ValueError, match="factors"):
        ReferralClassifier().fit(["a"], ["thriving"])


def test_a_single_string_is_refused_with_a_hint(small_model):
    with pytest.raises(ValueError, match="wrap it in a list"):
        small_model.predict_proba("just one text")


def test_denied_and_affirmed_self_harm_look_different_to_the_model():
    denied = mark_risk_context("Denies self-harm.")
    affirmed = mark_risk_context("She has been self-harming every night.")
    assert "negated" in denied
    assert "affirmed" in affirmed
    assert "self-harm" not in denied.lower()


def test_word_contributions_point_at_words_in_the_text(small_model):
    text = "She has been cutting her arms every night and says she wants to die."
    contributions = small_model.word_contributions(text, GROUPS.index("getting_risk_support"))
    assert contributions
    assert all(c.weight > 0 for c in contributions)


def test_word_only_model_fits_and_explains(small_data):
    from thrive_ml.datasets import load_generated

    df = load_generated(small_data).head(600)
    model = ReferralClassifier(char_ngrams=None, max_word_features=3000, n_jobs=1).fit(
        df["text"].tolist(), df["thrive_group"].tolist(), factors=df["exclusion_factors"].tolist()
    )
    P = model.predict_proba(TEXTS)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-6)
    assert "chars" not in dict(model.features_.named_steps["tfidf"].transformer_list) or (
        dict(model.features_.named_steps["tfidf"].transformer_list)["chars"] == "drop"
    )
    vocab = set(model.word_names_)
    contributions = model.word_contributions(TEXTS[0], int(P[0].argmax()))
    assert all(c.feature in vocab and c.weight > 0 for c in contributions)


def test_scoring_all_heads_at_once_equals_each_heads_own_predict_proba(small_model):
    Z = small_model.transform_text([*TEXTS, "hello", "She cuts her arms most nights."])
    group_p, factor_p, referral_p = small_model.score_features(Z)
    base, head = small_model.group_base_, small_model.group_head_
    stack = np.hstack([base.decision_function(Z), Z[:, -35:].toarray()])
    expected_group = head.predict_proba(stack)[:, [list(head.classes_).index(g) for g in GROUPS]]
    np.testing.assert_array_equal(group_p, expected_group)
    np.testing.assert_array_equal(
        factor_p, np.column_stack([h.predict_proba(Z)[:, 1] for h in small_model.factor_heads_])
    )
    np.testing.assert_array_equal(referral_p, small_model.referral_head_.predict_proba(Z)[:, 1])


def test_contributions_for_a_batch_equal_those_for_each_text(small_model):
    texts = [*TEXTS, "She has been cutting her arms every night and says she wants to die."]
    Z = small_model.transform_text(texts)
    groups = small_model.score_features(Z)[0].argmax(axis=1).tolist()
    batch = small_model.contributions_for_rows(Z, groups, top=8)
    assert any(batch)
    for text, group, row in zip(texts, groups, batch, strict=True):
        assert row == small_model.word_contributions(text, group, top=8)
