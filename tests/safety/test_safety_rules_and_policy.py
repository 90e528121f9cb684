"""The rules file fails loudly, the policy cannot be switched off, bad input gets a clear error."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import pytest

import thrive_ml.safety as safety
from thrive_ml.errors import InputFormatError, RulesFileError
from thrive_ml.result import RiskFlag
from thrive_ml.safety import assess, assess_bytes, policy
from thrive_ml.safety.context import status_of_span
from thrive_ml.safety.rules import default_rules, load_rules_file, parse_rules
from thrive_ml.taxonomy import ContextStatus, RiskIndicator

GOOD = """
version: "2026.11.1"
lexicon:
  - {indicator: self_harm, phrase: "self harm", why: "named directly"}
cues:
  - {phrase: "no", category: negated, direction: forward, max_scope: 3, why: "denial"}
"""


# ---------------------------------------------------------------- rules file


def test_packaged_rules_load_with_a_dated_version() -> None:
    rules = default_rules()
    year, month, n = rules.version.split(".")
    assert len(year) == 4
    assert 1 <= int(month) <= 12
    assert int(n) >= 1


def test_packaged_rules_load_once() -> None:
    assert default_rules() is default_rules()


def test_minimal_rules_file_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_rules_file(path).version == "2026.11.1"


def test_unknown_key_is_rejected_listing_allowed_keys() -> None:
    bad = GOOD.replace('why: "named directly"', 'why: "named directly", weight: 2')
    with pytest.raises(RulesFileError) as err:
        parse_rules(bad, "test.yaml")
    message = str(err.value)
    assert "test.yaml" in message
    assert "weight" in message
    assert "allowed keys" in message
    assert "indicator" in message
    assert "why" in message


def test_unknown_top_level_key_is_rejected() -> None:
    with pytest.raises(RulesFileError, match="allowed keys"):
        parse_rules(GOOD + "extras: []\n", "test.yaml")


def test_bad_indicator_label_is_rejected_naming_the_entry() -> None:
    bad = GOOD.replace("indicator: self_harm", "indicator: selfharm")
    with pytest.raises(RulesFileError) as err:
        parse_rules(bad, "test.yaml")
    assert "lexicon.0" in str(err.value)
    assert "self harm" in str(err.value)


def test_bad_cue_category_is_rejected() -> None:
    with pytest.raises(RulesFileError, match=r"cues\.0"):
        parse_rules(GOOD.replace("category: negated", "category: denied"), "test.yaml")


def test_entry_without_a_reason_is_rejected() -> None:
    with pytest.raises(RulesFileError, match="why"):
        parse_rules(GOOD.replace(', why: "named directly"', ""), "test.yaml")


def test_undated_version_is_rejected() -> None:
    with pytest.raises(RulesFileError, match=r"YYYY\.MM\.N"):
        parse_rules(GOOD.replace('"2026.11.1"', '"v2"'), "test.yaml")


def test_broken_pattern_is_rejected_naming_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD.replace('phrase: "self harm"', 'pattern: "self(harm"'), encoding="utf-8")
    with pytest.raises(RulesFileError, match="lexicon entry 0"):
        load_rules_file(path)


def test_scoped_cue_without_scope_is_rejected() -> None:
    with pytest.raises(RulesFileError, match="max_scope"):
        parse_rules(GOOD.replace(", max_scope: 3", ""), "test.yaml")


def test_every_packaged_entry_has_a_reason() -> None:
    text = (Path(safety.__file__).parent / "rules.yaml").read_text(encoding="utf-8")
    rules = parse_rules(text, "rules.yaml")
    entries = [*rules.lexicon, *rules.lookalikes, *rules.cues, *rules.not_misspellings]
    assert all(len(e.why) >= 3 for e in entries)


# ---------------------------------------------------------------- policy


def _flag(status: ContextStatus) -> RiskFlag:
    return RiskFlag(indicator=RiskIndicator.SELF_HARM, status=status, start=0, end=2, text="SH")


@pytest.mark.parametrize(
    "status", [ContextStatus.AFFIRMED, ContextStatus.HISTORICAL, ContextStatus.HYPOTHETICAL]
)
def test_routing_statuses_route_with_a_risk_reason(status: ContextStatus) -> None:
    decision = policy.decide([_flag(status)])
    assert decision.routes_to_review
    assert decision.review_reasons == ("risk:self_harm",)


@pytest.mark.parametrize("status", [ContextStatus.NEGATED, ContextStatus.OTHER_PERSON])
def test_negated_and_other_person_flags_do_not_route(status: ContextStatus) -> None:
    assert not policy.decide([_flag(status)]).routes_to_review


def test_policy_takes_only_the_flags() -> None:
    assert list(inspect.signature(policy.decide).parameters) == ["flags"]


def test_assess_has_no_switch() -> None:
    assert list(inspect.signature(assess).parameters) == ["text"]


@pytest.mark.parametrize(
    "name",
    [
        "THRIVE_SAFETY_DISABLED",
        "THRIVE_DISABLE_SAFETY",
        "THRIVE_SAFETY_RULES",
        "THRIVE_ROUTE_RISK",
        "THRIVE_REVIEW_THRESHOLD",
    ],
)
def test_environment_cannot_switch_routing_off(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "0")
    monkeypatch.setenv("THRIVE_SAFETY", "off")
    assert assess("She has been burning her arms.").routes_to_review


def test_model_output_cannot_be_passed_in() -> None:
    with pytest.raises(TypeError):
        assess("She has been burning her arms.", needs_review=False)  # type: ignore[call-arg]


# ---------------------------------------------------------------- input


@pytest.mark.parametrize("text", ["", " ", "\n\t  \u00a0"])
def test_empty_or_blank_text_gives_an_empty_report(text: str) -> None:
    report = assess(text)
    assert report.flags == ()
    assert not report.routes_to_review


@pytest.mark.parametrize("value", [None, 42, b"bytes", ["text"]])
def test_non_string_input_raises_an_actionable_error(value: object) -> None:
    with pytest.raises(InputFormatError, match="str"):
        assess(value)  # type: ignore[arg-type]


def test_undecodable_bytes_raise_input_format_error_without_the_text() -> None:
    data = b"she has been cutting" + b"\xff\xfe"
    with pytest.raises(InputFormatError) as err:
        assess_bytes(data)
    assert "cutting" not in str(err.value)
    assert "offset 20" in str(err.value)


def test_utf8_bytes_are_assessed() -> None:
    assert assess_bytes("Zoë wants to die".encode()).routes_to_review


def test_one_megabyte_text_works() -> None:
    filler = "She enjoys netball and art club and has lots of friends. " * 18_000
    text = filler[:500_000] + "She has been cutting her arms. " + filler[:500_000]
    report = assess(text)
    assert report.routes_to_review
    assert all(text[f.start : f.end] == f.text for f in report.flags)


def test_nothing_is_logged_with_referral_text(caplog: pytest.LogCaptureFixture) -> None:
    referral = "Mabel Quinlan has been cutting her arms"
    with caplog.at_level(logging.DEBUG):
        assess(referral)
        with pytest.raises(InputFormatError) as err:
            assess_bytes(referral.encode() + b"\xff")
    assert "Quinlan" not in caplog.text
    assert "Quinlan" not in str(err.value)


# ---------------------------------------------------------------- context on any span


def test_status_of_span_reads_negation_on_an_arbitrary_target() -> None:
    text = "There is no sign of PNEUMONIA."
    start = text.index("PNEUMONIA")
    assert status_of_span(text, start, start + 9) is ContextStatus.NEGATED


def test_status_of_span_reads_history() -> None:
    text = "History of ASTHMA as a child."
    assert status_of_span(text, 11, 17) is ContextStatus.HISTORICAL


def test_status_of_span_rejects_spans_outside_the_text() -> None:
    with pytest.raises(ValueError, match="outside"):
        status_of_span("short", 2, 99)


def test_every_lexicon_pattern_starts_with_a_letter_the_matcher_can_dispatch_on() -> None:
    """A pattern that cannot start with a literal is tried at every word (one cost 25 us)."""
    from thrive_ml.safety import regexbuild
    from thrive_ml.safety.rules import _entry_regex

    text = (Path(safety.__file__).parent / "rules.yaml").read_text(encoding="utf-8")
    rules = parse_rules(text, "rules.yaml")
    slow = []
    for i, entry in enumerate(rules.lexicon):
        body = _entry_regex(entry, dict(rules.macros), "rules.yaml", f"entry {i}")
        for alt in regexbuild.top_level_alternatives(body):
            if regexbuild.expand(alt) is None:
                slow.append((i, alt[:40]))
    assert slow == []


def test_capturing_group_is_rejected_naming_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD.replace('phrase: "self harm"', 'pattern: "self (harm)"'), encoding="utf-8")
    with pytest.raises(RulesFileError, match=r"lexicon entry 0 .*capturing group"):
        load_rules_file(path)


def test_broken_cue_pattern_is_rejected_naming_the_cue(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD.replace('{phrase: "no"', '{pattern: "no[t"'), encoding="utf-8")
    with pytest.raises(RulesFileError, match="cue 0"):
        load_rules_file(path)
