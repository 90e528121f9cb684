"""Phrase banks load, cover the spec, and reject malformed entries at load time."""

from __future__ import annotations

import pytest

from thrive_ml.errors import RulesFileError
from thrive_ml.synthetic.banks import Register, load_bank, spec_keys, validate


@pytest.mark.parametrize("register", list(Register))
def test_every_register_covers_every_key(register: Register):
    bank = load_bank(register)
    assert set(bank.phrases) == set(spec_keys())


def _good(keys):
    return {k: [f"Phrase {i} about it." for i in range(6)] for k in keys}


def test_unknown_key_is_rejected_with_its_name():
    keys = ("strength.friends",)
    raw = {**_good(keys), "strength.unicorns": ["x"] * 6}
    with pytest.raises(RulesFileError, match=r"unknown keys \['strength.unicorns'\]"):
        validate(Register.PROFESSIONAL, raw, "t.yaml", keys)


def test_label_word_in_a_phrase_is_rejected():
    keys = ("strength.friends",)
    raw = _good(keys)
    raw["strength.friends"][0] = "She is thriving at school."
    with pytest.raises(RulesFileError, match="label word"):
        validate(Register.PROFESSIONAL, raw, "t.yaml", keys)


def test_unknown_placeholder_is_rejected():
    keys = ("strength.friends",)
    raw = _good(keys)
    raw["strength.friends"][1] = "{she} has friends."
    with pytest.raises(RulesFileError, match="placeholders"):
        validate(Register.PROFESSIONAL, raw, "t.yaml", keys)


def test_duration_placeholder_outside_difficulty_is_rejected():
    keys = ("strength.friends",)
    raw = _good(keys)
    raw["strength.friends"][1] = "{He} has had friends {dur}."
    with pytest.raises(RulesFileError, match="dur"):
        validate(Register.PROFESSIONAL, raw, "t.yaml", keys)


def test_too_few_variants_is_rejected():
    keys = ("strength.friends",)
    with pytest.raises(RulesFileError, match="distinct phrasings"):
        validate(Register.PROFESSIONAL, {"strength.friends": ["one", "one", "two"]}, "t.yaml", keys)


def test_young_person_register_may_not_use_third_person_pronouns():
    keys = ("strength.friends",)
    raw = _good(keys)
    raw["strength.friends"][0] = "{He} has friends."
    with pytest.raises(RulesFileError, match="placeholders"):
        validate(Register.YOUNG_PERSON, raw, "t.yaml", keys)
