"""Explanation spans: the fast case-spelt patterns find exactly what IGNORECASE patterns find."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from thrive_ml.model.estimator import Contribution
from thrive_ml.model.explain import feature_regex, spans_for


def reference_regex(feature: str) -> re.Pattern[str] | None:
    """The patterns as they were written before (re.IGNORECASE, boundary first)."""
    parts = []
    for token in feature.split(" "):
        if token == "num":  # noqa: S105 - the folded-number token, not a password
            return None
        m = re.fullmatch(r"self(harm\w*|injur\w*)", token)
        n = re.fullmatch(r"year(\d{1,2})", token)
        if m:
            parts.append(r"self[\s-]*" + re.escape(m.group(1)))
        elif n:
            parts.append(r"y(?:ear)?\s?" + n.group(1))
        else:
            parts.append(re.escape(token).replace("'", "['\u2019]?"))
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)", re.IGNORECASE)


FEATURES = [
    "low mood",
    "school",
    "selfharm",
    "selfharming daily",
    "year9",
    "year 9",
    "isn't",
    "kids",
    "sister's birthday",
    "num weeks",
    "café",
    "_x",
    "9 months",
    "is",
]
PIECES = [
    "low",
    "LOW",
    "Mood",
    "mood",
    " ",
    "  ",
    "\n",
    "-",
    ",",
    "school",
    "SCHOOL",
    "ſchool",
    "self",
    "Self",
    "ſelf",
    "harm",
    "HARMING",
    "daily",
    "y",
    "Y",
    "year",
    "Year",
    "9",
    "isn't",
    "isn\u2019t",
    "isnt",
    "İs",
    "ıs",
    "\u212aids",
    "kids",
    "sister's",
    "birthday",
    "café",
    "CAFÉ",
    "_x",
    "x",
    "months",
    "a",
]


@settings(max_examples=300, deadline=None)
@given(
    feature=st.sampled_from(FEATURES),
    text=st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
)
def test_feature_patterns_match_what_ignorecase_patterns_match(feature, text):
    ours, reference = feature_regex(feature), reference_regex(feature)
    assert (ours is None) == (reference is None)
    if ours is not None:
        assert [m.span() for m in ours.finditer(text)] == [
            m.span() for m in reference.finditer(text)
        ]


def test_spans_index_the_submitted_text_and_do_not_overlap():
    text = "Year 9 girl with LOW MOOD, self-harming daily; low mood since Y9."
    spans = spans_for(
        text,
        [
            Contribution("low mood", 2.0),
            Contribution("selfharming daily", 1.5),
            Contribution("year9", 1.0),
        ],
    )
    assert [s.text for s in spans] == ["LOW MOOD", "self-harming daily", "Year 9"]
    for s in spans:
        assert text[s.start : s.end] == s.text


@settings(max_examples=300, deadline=None)
@given(
    feature=st.sampled_from(FEATURES),
    text=st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
)
def test_the_first_word_shortcut_finds_exactly_what_finditer_finds(feature, text):
    from thrive_ml.model.explain import _matches

    pattern = feature_regex(feature)
    if pattern is None:
        return
    lowered = text.lower() if text.isascii() else None
    assert [m.span() for m in _matches(pattern, feature, text, lowered)] == [
        m.span() for m in pattern.finditer(text)
    ]


ASCII_PIECES = [p for p in PIECES if p.isascii()] + ["_", "9a", "lowmood", "low_mood", "xlow"]


@settings(max_examples=400, deadline=None)
@given(
    feature=st.sampled_from([*FEATURES, "low mood school", "a 9", "mood a", "x_ low"]),
    text=st.lists(st.sampled_from(ASCII_PIECES), max_size=14).map("".join),
)
@example(feature="low mood", text="xlow mood")
@example(feature="low mood", text="lowmood")
@example(feature="low mood", text="low moodx")
def test_plain_features_are_found_without_a_regex_exactly_where_the_regex_finds_them(feature, text):
    from thrive_ml.model.explain import _plain_spans, _plain_tokens

    tokens = _plain_tokens(feature)
    if tokens is None or not text.isascii():
        return
    assert list(_plain_spans(text.lower(), tokens)) == [
        m.span() for m in feature_regex(feature).finditer(text)
    ]


def test_only_words_that_need_no_unfolding_are_plain():
    from thrive_ml.model.explain import _plain_tokens

    assert _plain_tokens("low mood") == ("low", "mood")
    assert _plain_tokens("9 months") == ("9", "months")
    for folded in ("selfharm", "year9", "num weeks", "isn't", "café", "_x"):
        assert _plain_tokens(folded) is None
