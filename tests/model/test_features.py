"""The fast vectorizers give scikit-learn's exact numbers; the quick-tested folds change nothing."""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer

from thrive_ml.model.estimator import RISK_TOKEN_PATTERN, fold_text, mask_names, preprocess
from thrive_ml.model.features import (
    WordCachedCharTfidf,
    WordNgramTfidf,
    _PairLookup,
    tfidf_transform,
)

CHAR_PARAMS = {
    "lowercase": False,
    "analyzer": "char_wb",
    "ngram_range": (3, 5),
    "min_df": 2,
    "sublinear_tf": True,
    "max_features": 3000,
    "dtype": np.float32,
}
WORD_PARAMS = {
    "lowercase": False,
    "ngram_range": (1, 2),
    "min_df": 2,
    "max_df": 0.9,
    "sublinear_tf": True,
    "max_features": 3000,
    "token_pattern": r"(?u)\b\w[\w']*\b",
    "dtype": np.float32,
}
ODD_TEXTS = [
    "",
    "   ",
    "a",
    "ab  cd\n\tef\u00a0gh",
    "zzzz zzzz zzzz",
    "year9 selfharm num months",
    "ünïcödé wörds and ſelf",
    "SCHOOL And Mum SAID Ünïcödé",
    "thé schöol änd mûm sàid shé wäs",
]


@pytest.fixture(scope="module")
def texts(small_data) -> list[str]:
    from thrive_ml.datasets import load_generated

    return [preprocess(t) for t in load_generated(small_data)["text"].head(400)]


def assert_same_matrix(a, b) -> None:
    assert a.shape == b.shape
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)
    assert a.dtype == b.dtype


@pytest.mark.parametrize(
    ("fast", "params"),
    [
        (WordCachedCharTfidf, CHAR_PARAMS),
        (WordCachedCharTfidf, {**CHAR_PARAMS, "ngram_range": (2, 4), "lowercase": True}),
        # Accent stripping or a custom preprocessor: the preprocessing step is then not skipped.
        (WordCachedCharTfidf, {**CHAR_PARAMS, "strip_accents": "unicode"}),
        (WordNgramTfidf, {**WORD_PARAMS, "preprocessor": str.title}),
        (WordNgramTfidf, {**WORD_PARAMS, "lowercase": True}),
        (WordNgramTfidf, WORD_PARAMS),
        (WordNgramTfidf, {**WORD_PARAMS, "ngram_range": (1, 1)}),
        (WordNgramTfidf, {**WORD_PARAMS, "ngram_range": (2, 2), "max_features": None}),
        (WordNgramTfidf, {**WORD_PARAMS, "token_pattern": r"(?u)\b\w\w+\b"}),
        # a pattern that can span spaces: whole texts are tokenised, not chunks
        (WordNgramTfidf, {**WORD_PARAMS, "token_pattern": r"[a-z]+(?: [a-z]+)?"}),
    ],
)
def test_fast_vectorizer_equals_scikit_learn(texts, fast, params):
    reference, ours = TfidfVectorizer(**params), fast(**params)
    assert_same_matrix(reference.fit_transform(texts[:300]), ours.fit_transform(texts[:300]))
    assert ours.vocabulary_ == reference.vocabulary_
    np.testing.assert_array_equal(ours.idf_, reference.idf_)
    unseen = texts[300:] + ODD_TEXTS
    for _ in range(2):  # the second pass reads the per-word cache
        assert_same_matrix(reference.transform(unseen), ours.transform(unseen))
    # Small batches (one referral, a few sentences) are counted another way; the vocabulary's
    # first column in texts after the first checks where one text's row ends.
    first = min(ours.vocabulary_, key=ours.vocabulary_.get).strip()
    edge = [f"{first} and {first}", f"{first}", f"then {first} again"]
    for few in (unseen[:1], unseen[-3:], ODD_TEXTS, [""], edge):
        assert_same_matrix(reference.transform(few), ours.transform(few))


@pytest.mark.parametrize(
    ("cls", "params"),
    [
        (TfidfVectorizer, WORD_PARAMS),
        (WordCachedCharTfidf, CHAR_PARAMS),
        (WordNgramTfidf, WORD_PARAMS),
        (WordNgramTfidf, {**WORD_PARAMS, "sublinear_tf": False, "norm": "l1"}),
        (TfidfVectorizer, {**WORD_PARAMS, "binary": True, "use_idf": False, "norm": None}),
    ],
)
def test_transform_without_checks_gives_scikit_learns_numbers(texts, cls, params):
    vectorizer = cls(**params).fit(texts[:300])
    for docs in (texts[300:] + ODD_TEXTS, texts[:1], ["" for _ in range(3)]):
        expected = vectorizer.transform(docs)
        assert_same_matrix(expected.tocsr(), tfidf_transform(vectorizer, docs))


@pytest.mark.parametrize("few_words", [0, 10**9])
def test_both_ways_of_counting_give_scikit_learns_numbers(texts, few_words, monkeypatch):
    # Small batches are counted with numpy, large ones with sparse products: force each.
    monkeypatch.setattr(WordCachedCharTfidf, "_FEW_WORDS", few_words)
    reference = TfidfVectorizer(**CHAR_PARAMS).fit(texts[:300])
    ours = WordCachedCharTfidf(**CHAR_PARAMS).fit(texts[:300])
    for docs in (texts[300:] + ODD_TEXTS, texts[:1], ["", "a"]):
        assert_same_matrix(reference.transform(docs), ours.transform(docs))


def test_refitting_forgets_the_old_vocabulary(texts):
    ours = WordCachedCharTfidf(**CHAR_PARAMS).fit(texts[:200])
    ours.transform(texts[200:300])
    ours.fit(texts[100:300])
    reference = TfidfVectorizer(**CHAR_PARAMS).fit(texts[100:300])
    assert_same_matrix(reference.transform(texts[300:]), ours.transform(texts[300:]))


def test_pickles_without_the_traffic_caches_and_still_agrees(texts):
    chars = WordCachedCharTfidf(**CHAR_PARAMS).fit(texts[:300])
    words = WordNgramTfidf(**WORD_PARAMS).fit(texts[:300])
    chars.transform(texts[300:])
    words.transform(texts[300:])
    for fitted in (chars, words):
        state = fitted.__getstate__()
        assert "_word_store" not in state
        assert "_chunk_cache" not in state
        twin = pickle.loads(pickle.dumps(fitted))  # noqa: S301 - our own bytes, just made
        if fitted is words:  # the pair lookup travels with the model: no rebuild after loading
            assert twin._pair_lookup.vocabulary is twin.vocabulary_
        assert_same_matrix(fitted.transform(texts[300:]), twin.transform(texts[300:]))


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), unique=True, max_size=300),
    asked=st.lists(st.tuples(st.integers(0, 61), st.integers(0, 61)), max_size=200),
)
def test_bigram_hash_lookup_agrees_with_a_dict(pairs, asked):
    # Few distinct tokens, so home slots collide and probing is exercised.
    tokens = [f"t{i}" for i in range(62)]
    vocabulary = {t: i for i, t in enumerate(tokens)}
    for k, (a, b) in enumerate(pairs):
        vocabulary[f"t{a} t{b}"] = len(tokens) + k
    lookup = _PairLookup(vocabulary)
    n = lookup.n_tokens
    ids = lookup.token_ids
    keys = np.array([ids[f"t{a}"] * n + ids[f"t{b}"] for a, b in asked], dtype=np.int64)
    expected = [vocabulary.get(f"t{a} t{b}", -1) for a, b in asked]
    assert lookup.bigram_columns(keys).tolist() == expected
    # A lookup pickled without its table (as models saved before it) builds it again.
    twin = pickle.loads(pickle.dumps(lookup))  # noqa: S301 - our own bytes, just made
    assert "_table" not in twin.__dict__
    assert twin.bigram_columns(keys).tolist() == expected


def test_bigram_hash_lookup_finds_every_pair_of_a_crowded_table():
    rng = np.random.default_rng(0)
    tokens = [f"t{i}" for i in range(3000)]
    vocabulary = {t: i for i, t in enumerate(tokens)}
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, 3000, size=(4000, 2))}
    inside = sorted(pairs)[::2]
    for a, b in inside:
        vocabulary[f"t{a} t{b}"] = len(vocabulary)
    lookup = _PairLookup(vocabulary)
    ids, n = lookup.token_ids, lookup.n_tokens
    keys = np.array([ids[f"t{a}"] * n + ids[f"t{b}"] for a, b in sorted(pairs)], dtype=np.int64)
    expected = [vocabulary.get(f"t{a} t{b}", -1) for a, b in sorted(pairs)]
    assert lookup.bigram_columns(keys).tolist() == expected
    # The table is crowded enough that pairs share home slots and are found by probing.
    table_keys, _, shift = lookup._hash_table()
    home = ((keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> shift).astype(np.int64)
    stored = np.isin(keys, table_keys)
    assert (table_keys[home[stored]] != keys[stored]).sum() > 50


@pytest.mark.parametrize("cls", [WordCachedCharTfidf, WordNgramTfidf])
def test_clone_and_get_params_round_trip(cls):
    est = cls(ngram_range=(1, 2), min_df=3, dtype=np.float32)
    twin = clone(est)
    assert twin.get_params() == est.get_params()


# The folds as they were before each got a quick test (the reference for equality).
REFERENCE_FOLDS = (
    (re.compile(r"[\u2018\u2019\u02bc`]"), "'"),
    (re.compile(r"[\u201c\u201d]"), '"'),
    (re.compile(r"\bself[\s-]+(harm|harming|harmed|injur\w*)", re.I), r"self\1"),
    (re.compile(r"\by(?:ear)?\s?(\d{1,2})\b", re.I), r"year\1"),
    (re.compile(r"\b(\d{1,2})/12\b"), r"\1 months"),
    (re.compile(r"\b(\d{1,2})/52\b"), r"\1 weeks"),
    (re.compile(r"\d+(?:\.\d+)?"), lambda m: "num" if len(m.group(0)) > 2 else m.group(0)),
)


def reference_fold(text: str) -> str:
    for pattern, repl in REFERENCE_FOLDS:
        text = pattern.sub(repl, text)
    return text.lower()


PIECES = [
    "self",
    "SELF",
    "Self",
    "\u017felf",
    "-",
    " ",
    "  ",
    "harm",
    "harming",
    "HARMED",
    "injury",
    "y",
    "Y",
    "year",
    "YEAR",
    "yEaR",
    "9",
    "12",
    "123",
    "4/12",
    "3/52",
    "/12",
    "1.5",
    "x",
    "my",
    "\u2019",
    "`",
    "\u201c",
    "\u0130",
    "\u0131",  # dotless i: matches "i" under re.IGNORECASE, so no quick test may rely on "i"
    "\u017f",  # long s, likewise for "s"
    "\u212a",  # Kelvin sign, likewise for "k"
    "\u201d",
    "\u02bc",
    "_",
    ".",
    "\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_quick_tested_folds_equal_the_plain_ones(text):
    assert fold_text(text) == reference_fold(text)


@pytest.mark.parametrize(
    "text", ["self \u0131njury", "SELF-\u0130NJURED", "\u017felf harm", "she\u02bcs 123.5 y9"]
)
def test_folds_equal_the_plain_ones_on_case_insensitive_lookalikes(text):
    assert fold_text(text) == reference_fold(text)


@given(st.text(max_size=60))
def test_folds_equal_the_plain_ones_on_any_text(text):
    assert fold_text(text) == reference_fold(text)


def reference_mask_names(text: str) -> str:
    from thrive_ml.model.estimator import _first_names

    names = _first_names()
    return re.sub(
        r"\b[A-Z][a-zA-Z]+\b",
        lambda m: "xxname" if m.group(0).lower() in names else m.group(0),
        text,
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Amy", "amy", "AMY", "Tom", "xTom", "_Tom", "Tom9", "é", "Ölaf", " ", "-", "'", "\n"]
        ),
        max_size=10,
    ).map("".join)
)
def test_name_masking_matches_the_plain_pattern(text):
    assert mask_names(text) == reference_mask_names(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["zz", "z", "zzselfharmaffirmed", "a", "_", "9", "é", " ", "-"]),
        max_size=10,
    ).map("".join)
)
def test_risk_token_pattern_finds_what_the_plain_pattern_finds(text):
    assert re.findall(RISK_TOKEN_PATTERN, text) == re.findall(r"\bzz[a-z]+\b", text)
