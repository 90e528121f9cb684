"""The context engine's pure functions: sentences, scope, terminators, pseudo-cues, normalising."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from thrive_ml.safety.context import sentence_around, sentence_spans, status_of_span
from thrive_ml.safety.normalize import fold
from thrive_ml.taxonomy import ContextStatus, RiskIndicator


def _status(text: str, target: str, indicator: RiskIndicator | None = None) -> ContextStatus:
    start = text.index(target)
    return status_of_span(text, start, start + len(target), indicator)


# A bullet (the one non-ASCII boundary) and an accented letter take the non-ASCII path.
PIECES = [*"ab .!?;\n\u2022\u00e9", "Dr.", "e.g.", "3.5", "etc.", " no", " denies", "n/a"]


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30), data=st.data())
def test_sentence_around_agrees_with_splitting_the_whole_text(
    pieces: list[str], data: st.DataObject
) -> None:
    text = "".join(pieces)
    letters = [i for i, ch in enumerate(text) if ch in "ab"]  # mentions start on letters
    assume(letters)
    pos = data.draw(st.sampled_from(letters))
    whole = next(s for s in sentence_spans(text) if s[0] <= pos < s[1])
    assert sentence_around(text, pos, pos + 1) == whole


def test_negation_reaches_within_its_scope() -> None:
    assert _status("No thoughts of SELFHARM.", "SELFHARM") is ContextStatus.NEGATED


def test_negation_stops_beyond_its_scope() -> None:
    text = "No problems reported by the family this term with TARGET."
    assert _status(text, "TARGET") is ContextStatus.AFFIRMED


def test_but_terminates_a_negation() -> None:
    assert _status("Denies low mood but TARGET is clear.", "TARGET") is ContextStatus.AFFIRMED


def test_backward_negation_form_answer() -> None:
    assert _status("Self-harm: no.", "Self-harm") is ContextStatus.NEGATED


def test_pseudo_negation_does_not_negate() -> None:
    assert _status("Not only TARGET but more.", "TARGET") is ContextStatus.AFFIRMED


def test_history_cue_makes_it_historical() -> None:
    assert _status("History of TARGET in year 6.", "TARGET") is ContextStatus.HISTORICAL


def test_conditional_makes_it_hypothetical() -> None:
    assert _status("If she goes back she will TARGET.", "TARGET") is ContextStatus.HYPOTHETICAL


def test_a_relative_is_someone_else_for_self_harm() -> None:
    text = "Her uncle has TARGET."
    assert _status(text, "TARGET", RiskIndicator.SELF_HARM) is ContextStatus.OTHER_PERSON


def test_a_parent_does_not_make_abuse_someone_elses() -> None:
    text = "Her dad is TARGET."
    assert _status(text, "TARGET", RiskIndicator.SAFEGUARDING) is ContextStatus.AFFIRMED


def test_a_new_subject_ends_the_someone_else_scope() -> None:
    text = "Her friend said she has TARGET."
    assert _status(text, "TARGET", RiskIndicator.SELF_HARM) is ContextStatus.AFFIRMED


def test_plain_ascii_folds_to_lower_case_with_identical_offsets() -> None:
    (reading,) = fold("She Is FINE.")
    assert reading.text == "she is fine."
    assert reading.span_to_source(4, 6) == (4, 6)


def test_obfuscated_text_maps_back_to_the_original_span() -> None:
    text = "x \u0455\u200be\u200bl\u200bf h4rm y"
    for reading in fold(text):
        at = reading.text.find("self harm")
        if at >= 0:
            start, end = reading.span_to_source(at, at + len("self harm"))
            assert text[start:end] == "\u0455\u200be\u200bl\u200bf h4rm"
            return
    raise AssertionError("no reading contains the folded phrase")


def test_the_writers_own_words_are_not_someone_elses() -> None:
    # "everyone" near the mention is not its subject when the mention says "me".
    text = "some nights i thought everyone would honestly be better off without me."
    assert _status(text, "better off without me", RiskIndicator.SUICIDAL_IDEATION) in (
        ContextStatus.AFFIRMED,
        ContextStatus.HYPOTHETICAL,
    )
    text = "My friends say I should talk to someone because I want to kill myself."
    assert _status(text, "kill myself", RiskIndicator.SUICIDAL_IDEATION).routes


def test_someone_elses_words_stay_someone_elses() -> None:
    text = "My brother says he wants to kill himself and I am scared."
    assert _status(text, "kill himself", RiskIndicator.SUICIDAL_IDEATION) is (
        ContextStatus.OTHER_PERSON
    )


def test_a_threat_to_the_person_addressed_is_harm_to_others() -> None:
    text = "He has shouted 'I'll stab you' at his little sister twice."
    assert _status(text, "stab you", RiskIndicator.HARM_TO_OTHERS).routes
    # ...while risk words said to someone else stay theirs.
    text = "Kids online told her you should kill yourself."
    assert _status(text, "kill yourself", RiskIndicator.SUICIDAL_IDEATION) is (
        ContextStatus.OTHER_PERSON
    )


def test_a_quote_inside_a_risk_phrase_does_not_split_it() -> None:
    from thrive_ml.safety import assess

    text = "Y/P told the school nurse she 'feels like killing' her stepdad."
    report = assess(text)
    assert report.routes_to_review
    flag = report.flags[0]
    assert text[flag.start : flag.end] == flag.text  # offsets still index the original text


def test_a_form_question_answered_no_on_the_same_line_is_negated() -> None:
    from thrive_ml.safety import assess

    assert not assess("Has the child ever self-harmed? No.").routes_to_review
    assert not assess("Any overdose? N/A. Referral for sleep.").routes_to_review
    assert assess("Has the child ever self-harmed? Yes, cutting last week.").routes_to_review


def test_a_cue_word_inside_one_risk_phrase_does_not_negate_the_next() -> None:
    from thrive_ml.safety import assess

    text = "Last night he said 'I wish I'd never been born' and 'I want to die'."
    statuses = {f.text: f.status for f in assess(text).flags}
    assert statuses["want to die"].routes


def test_a_lookalike_inside_a_longer_mention_does_not_explain_it_away() -> None:
    from thrive_ml.safety import assess

    # "older brother" is a lookalike for grooming words; here it is part of an attempt.
    assert assess("He was found by his older brother just in time.").routes_to_review


def test_a_denial_after_a_semicolon_answers_what_was_asked() -> None:
    from thrive_ml.safety import assess

    text = "Asked directly about thoughts of suicide and self-harm; denies both."
    assert not assess(text).routes_to_review
    assert assess("Self-harm; she has been cutting daily.").routes_to_review


def test_a_mention_that_opens_with_its_own_subject_is_not_the_earlier_persons() -> None:
    text = "If her dad is allowed back in the house she'd rather be dead."
    assert _status(text, "she'd rather be dead", RiskIndicator.SUICIDAL_IDEATION).routes
