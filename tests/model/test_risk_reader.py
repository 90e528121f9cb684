"""The learned second reader for risk: it adds a reason to send a referral to a person, it never
takes one away, and it never second-guesses a sentence the safety rules already judged."""

from __future__ import annotations

import copy
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thrive_ml.config import get_settings
from thrive_ml.datasets import load_generated, load_reader_snippets, load_risk_snippets
from thrive_ml.errors import InputFormatError
from thrive_ml.model.risk_reader import (
    _PIECE,
    RiskReader,
    _prepare,
    _unjudged,
    pieces,
    unjudged_pieces,
)
from thrive_ml.model.train import TrainParams, fit_risk_reader
from thrive_ml.safety import assess
from thrive_ml.triage import POSSIBLE_RISK_REASON, Triager

# A made-up verb the safety rules cannot know, so the reader alone can find it: what the reader
# is for (risk in words the rules lack), without depending on which real words the rules have.
RISKY = [
    "He keeps saying he wants to zorble for good.",
    "She told her tutor she plans to zorble this weekend.",
    "Has been zorbling again, worse than before.",
    "i just want to zorble and never come back",
    "Mum found a note about zorbling on his bed.",
    "They think she might zorble if the exam goes badly.",
]
HARMLESS = [
    "He enjoys football and plays for the school team.",
    "She has been finding maths hard this term.",
    "Sleep has been poor since the clocks changed.",
    "i just want to get my exams done and go to college",
    "Mum found a letter about parents evening on his bed.",
    "They think she might struggle if the exam goes badly.",
]


@pytest.fixture(scope="module")
def toy_reader() -> RiskReader:
    """A reader fitted on three 'sets' of toy sentences (the threshold needs grouped folds)."""
    X = RISKY * 3 + HARMLESS * 3
    y = [1] * (len(RISKY) * 3) + [0] * (len(HARMLESS) * 3)
    groups = [f"set{i % 3}" for i in range(len(RISKY) * 3)] + [
        f"set{i % 3}" for i in range(len(HARMLESS) * 3)
    ]
    return RiskReader(max_false_rate=0.0, cv_folds=3).fit(X, y, groups=groups)


@pytest.fixture(scope="module")
def reading_triager(small_model, toy_reader) -> Triager:
    model = copy.copy(small_model)
    model.risk_reader_ = toy_reader
    return Triager(model, "test")


def test_risk_in_words_the_rules_lack_goes_to_a_person(reading_triager):
    text = "Year 10 boy. Attendance is fine. He told his mum he wants to zorble for good."
    assert not assess(text).flags, "precondition: the rules know no word of this"
    result = reading_triager.triage(text)
    assert result.needs_human_review
    assert POSSIBLE_RISK_REASON in result.review_reasons
    [found] = result.possible_risk
    assert (
        found.text
        == text[found.start : found.end]
        == "He told his mum he wants to zorble for good."
    )
    assert found.probability >= reading_triager.model.risk_reader_.threshold_


def test_ordinary_text_is_not_sent_by_the_reader(reading_triager):
    result = reading_triager.triage("Year 7 girl, worried about tests, enjoys netball and art.")
    assert POSSIBLE_RISK_REASON not in result.review_reasons
    assert result.possible_risk == []


@pytest.mark.parametrize(
    "text",
    [
        "Her friend wants to die and wants to zorble for good.",
        "She denies thoughts of wanting to die or wanting to zorble for good.",
    ],
)
def test_a_sentence_the_rules_judged_is_left_to_the_rules(reading_triager, text):
    """Someone else's wish to die, or a denied one, is the context engine's call: the reader does
    not overrule it, even though the same sentence carries the reader's risk word."""
    report = assess(text)
    assert report.flags, "precondition: the rules found it"
    assert not report.routes_to_review, "precondition: and judged it not to route"
    assert unjudged_pieces(text, report) == []
    result = reading_triager.triage(text)
    assert POSSIBLE_RISK_REASON not in result.review_reasons


@pytest.mark.parametrize(
    "text",
    [
        "She has been cutting her arms most nights.",
        "He took an overdose last year.",
        "Says he will kill himself if he is moved again.",
    ],
)
def test_the_reader_never_removes_the_rules_routing(reading_triager, text):
    report = assess(text)
    result = reading_triager.triage(text)
    assert result.needs_human_review
    assert result.review_reasons[: len(report.review_reasons)] == list(report.review_reasons)


def test_threshold_is_chosen_by_cross_validation_within_the_allowance(toy_reader):
    assert toy_reader.threshold_ >= 0.5
    assert toy_reader.cv_["cv_false_rate"] <= toy_reader.max_false_rate
    assert toy_reader.cv_["cv_rows"] == 36


def test_fit_refuses_to_choose_a_threshold_without_sets():
    with pytest.raises(ValueError, match="groups"):
        RiskReader().fit(RISKY + HARMLESS, [1] * 6 + [0] * 6)
    with pytest.raises(ValueError, match="two blind sets"):
        RiskReader().fit(RISKY + HARMLESS, [1] * 6 + [0] * 6, groups=["a"] * 12)


def test_pieces_keep_decimals_and_offsets_and_skip_scraps():
    text = "Hi. He sleeps 3.5 hours.  Then he wakes!\n- very tired now\nok\n\n"
    spans = pieces(text)
    assert [text[s:e] for s, e in spans] == [
        "He sleeps 3.5 hours.",
        "Then he wakes!",
        "- very tired now",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n3_-\t\xa0é")), max_size=60))
def test_pieces_are_trimmed_disjoint_slices_of_three_words_or_more(text):
    last = 0
    spans = pieces(text)
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        last = e
    # Every sentence-like run with three words is kept, and nothing else.
    runs = [m.group().strip() for m in _PIECE.finditer(text)]
    assert [text[s:e] for s, e in spans] == [r for r in runs if len(re.findall(r"\w+", r)) >= 3]


def test_the_models_reading_is_the_readers_own(small_model, small_data):
    """Triage hands the reader the referral model's prepared text to save a second pass; on
    every sentence the reader scores, that must equal what the reader would prepare itself."""
    texts = load_generated(small_data)["text"].tolist()[:300]
    reports = [assess(t) for t in texts]
    marked = small_model.mark(texts, reports)
    for text, report, prepared in zip(texts, reports, marked, strict=True):
        assert _unjudged(text, report, prepared) == _unjudged(text, report)


def test_trained_on_the_packaged_snippets(small_data):
    """The project's hand-written snippets and generated sentences give a working reader."""
    settings = get_settings()
    snippets = load_reader_snippets(settings.risk_blind_dirs, settings.risk_training_dirs)
    assert snippets["set"].nunique() >= 10
    assert snippets["set"].isna().any(), "training-only snippets never choose the threshold"
    assert snippets["routes"].any()
    assert (~snippets["routes"]).any()
    forum = load_risk_snippets([settings.development_dir])
    assert len(forum) >= 700
    assert set(forum["text"]) <= set(snippets["text"])
    held = load_risk_snippets(settings.risk_heldout_dirs)
    assert not set(held["text"]) & set(snippets["text"]), "a held-out text leaked into training"
    reader = fit_risk_reader(load_generated(small_data), snippets, TrainParams(n_jobs=1))
    assert reader.cv_["cv_risk_recall"] > 0.5
    risky = [
        "He says there is no point going on and he wants it all to stop.",
        "She has been hiding blades in her pencil case.",
    ]
    assert reader.predict(risky).tolist() == [1, 1]
    assert reader.predict(["She enjoys swimming and her grades are good."]).tolist() == [0]


def test_bad_snippet_files_name_file_and_line(tmp_path):
    good = {"text": "fine", "routes": False}
    (tmp_path / "a.jsonl").write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(InputFormatError, match=r"a\.jsonl: line 2"):
        load_risk_snippets([tmp_path])
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "x", "routes": "yes"}) + "\n")
    with pytest.raises(InputFormatError, match="routes"):
        load_risk_snippets([tmp_path])
    (tmp_path / "a.jsonl").write_text('["text", "routes"]\n')
    with pytest.raises(InputFormatError, match=r"a\.jsonl: line 1 is not a JSON object"):
        load_risk_snippets([tmp_path])
    assert load_risk_snippets([tmp_path / "missing"]).empty


def test_a_batch_gives_each_text_what_it_gets_alone(toy_reader):
    """Sentences repeated across a batch are read once; every text still gets its own result."""
    texts = [
        "Consent given by parent. He wants to zorble for good.",
        "Consent given by parent. She enjoys netball.",
        "He wants to zorble for good.",
        "Consent given by parent. He wants to zorble for good.",
    ]
    reports = [assess(t) for t in texts]
    alone = [toy_reader.find([t], [r])[0] for t, r in zip(texts, reports, strict=True)]
    assert toy_reader.find(texts, reports) == alone
    assert alone[0] is not None
    assert alone[1] is None


def test_the_fast_path_gives_the_pipelines_probabilities(toy_reader):
    texts = [*RISKY, *HARMLESS, "", "x"]
    prepared = [_prepare(t) for t in texts]
    assert np.array_equal(
        toy_reader._proba_prepared(prepared), toy_reader.pipeline_.predict_proba(prepared)
    )
