"""Behavioural tests (minimum functionality, invariance, direction) on the small real model.

They assert relations that must hold for any sensible model, not exact labels, so they stay
meaningful when the model or data change.
"""

from __future__ import annotations

import numpy as np

from thrive_ml.model.estimator import GROUPS

RISK = GROUPS.index("getting_risk_support")
THRIVING = GROUPS.index("thriving")

BASE = (
    "Referral for Amy, 14. She has been low in mood since September, tearful most evenings and "
    "has stopped going to netball. Still attending school. Mum would like some support for her."
)


def test_mft_serious_current_risk_outranks_a_thriving_child(small_model):
    risky = "She is cutting her arms every day, has a plan to take an overdose and has saved up tablets."
    well = "Doing really well now, happy, lots of friends, earlier worries settled. Would like a place on the wellbeing group."
    P = small_model.predict_proba([risky, well])
    assert P[0, RISK] > P[1, RISK]
    assert P[1, THRIVING] > P[0, THRIVING]


def test_dir_adding_daily_self_harm_raises_risk_support(small_model):
    worse = BASE + " She has been cutting her arms every day this week and says she wants to die."
    P = small_model.predict_proba([BASE, worse])
    assert P[1, RISK] > P[0, RISK]


def test_dir_adding_a_denial_does_not_raise_risk_support_much(small_model):
    denied = BASE + " Denies any thoughts of self-harm or suicide."
    P = small_model.predict_proba([BASE, denied])
    assert P[1, RISK] < P[0, RISK] + 0.10


def test_inv_the_childs_name_does_not_change_the_suggestion(small_model):
    other = BASE.replace("Amy", "Priya")
    P = small_model.predict_proba([BASE, other])
    assert np.abs(P[0] - P[1]).max() < 0.05


def test_inv_case_and_extra_spaces_do_not_change_the_suggestion(small_model):
    messy = "  ".join(BASE.upper().split(" "))
    P = small_model.predict_proba([BASE, messy])
    assert P[0].argmax() == P[1].argmax()
